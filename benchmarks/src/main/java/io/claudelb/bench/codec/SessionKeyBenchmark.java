package io.claudelb.bench.codec;

import io.claudelb.bench.fixtures.ClaudeCodeRequest;
import io.claudelb.codec.session.SessionIds;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Session-key extraction for affinity ({@link SessionIds#fromUserId}) from the {@code metadata.user_id} that
 * inspection returned, in both forms Claude Code sends: the legacy {@code user_..._account_..._session_<uuid>} and
 * the JSON object serialised into a string (2.1.78+), which needs a small parse.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SessionKeyBenchmark extends CodecBenchmark {
    @Param({"legacy", "json"})
    public String form;

    private String userId;

    @Setup(Level.Trial)
    public void setUp() {
        userId = "legacy".equals(form) ? ClaudeCodeRequest.userIdLegacy() : ClaudeCodeRequest.userIdJson();
        if (!ClaudeCodeRequest.SESSION_ID.equals(SessionIds.fromUserId(userId))) {
            throw new IllegalStateException("fixture user_id does not yield the session id: " + userId);
        }
    }

    @Benchmark
    public String sessionKey() {
        return SessionIds.fromUserId(userId);
    }
}
