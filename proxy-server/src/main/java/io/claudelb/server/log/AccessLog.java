package io.claudelb.server.log;

import io.claudelb.codec.usage.Usage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * One line per finished request on the {@code claude-lb.access} logger: request id, client key name, model in and
 * out, upstream, status, time to first byte, duration, bytes, attempts and failures, token usage. The same fields go
 * to the JSON log as key-value pairs, so the JSON encoder can emit them as fields.
 */
public final class AccessLog {
    private static final Logger log = LoggerFactory.getLogger("claude-lb.access");
    private final boolean enabled;

    public AccessLog(boolean enabled) {
        this.enabled = enabled;
    }

    public void log(AccessRecord r, long nowNanos) {
        if (!enabled || !log.isInfoEnabled()) {
            return;
        }
        long durationMicros = TimeUnit.NANOSECONDS.toMicros(nowNanos - r.startNanos());
        long ttfbMicros = r.firstByteNanos() < 0 ? -1 : TimeUnit.NANOSECONDS.toMicros(r.firstByteNanos());
        Usage u = r.usageOrNull();
        var event = log.atLevel(Level.INFO)
                .addKeyValue("request_id", r.requestId())
                .addKeyValue("client", r.clientName() == null ? "-" : r.clientName())
                .addKeyValue("method", r.method())
                .addKeyValue("path", r.path())
                .addKeyValue("model_in", r.modelIn())
                .addKeyValue("model_out", r.modelOut())
                .addKeyValue("upstream", r.upstreamName())
                .addKeyValue("stream", r.stream())
                .addKeyValue("status", r.statusCode())
                .addKeyValue("ttfb_us", ttfbMicros)
                .addKeyValue("duration_us", durationMicros)
                .addKeyValue("bytes", r.byteCount())
                .addKeyValue("attempts", r.attempts());
        if (!r.failures().isEmpty()) {
            event = event.addKeyValue("failures", r.failures().toString());
        }
        if (u != null) {
            event = event.addKeyValue("input_tokens", u.inputTokens())
                    .addKeyValue("output_tokens", u.outputTokens())
                    .addKeyValue("cache_read_tokens", u.cacheReadInputTokens())
                    .addKeyValue("cache_write_tokens", u.cacheCreationInputTokens());
        }
        event.log("{} {} {} {} client={} model={}->{} upstream={} status={} ttfb={}us dur={}us bytes={} attempts={}{}{}{}",
                r.requestId(), r.method(), r.path(), r.stream() ? "stream" : "json",
                r.clientName() == null ? "-" : r.clientName(), r.modelIn(), r.modelOut(), r.upstreamName(),
                r.statusCode(), ttfbMicros, durationMicros, r.byteCount(), r.attempts(),
                r.failures().isEmpty() ? "" : " failures=" + r.failures(),
                u == null ? "" : " tokens(in=" + u.inputTokens() + " out=" + u.outputTokens()
                        + " cache_read=" + u.cacheReadInputTokens() + " cache_write=" + u.cacheCreationInputTokens() + ")",
                r.wasClientAborted() ? " client-aborted" : r.hadInBandError() ? " in-band-error" : "");
    }
}
