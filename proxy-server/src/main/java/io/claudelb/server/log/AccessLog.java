package io.claudelb.server.log;

import io.claudelb.core.health.FailureKind;
import io.claudelb.server.observe.CoalescingRole;
import io.claudelb.server.observe.ExchangeEvent;
import io.claudelb.server.observe.ExchangeObserver;
import io.claudelb.server.observe.Outcome;
import io.claudelb.server.observe.UsageCounts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The first {@link ExchangeObserver}: one line per finished request on the {@code claude-lb.access} logger, relayed
 * or answered by claude-lb itself (401, 404, 408, 413, 429, admin calls, probes). Each field is a key-value pair of
 * the event with its own type (numbers as numbers, {@code failures} a list), so the JSON format writes them as
 * top-level members; the text format writes the same values in the message. Names and numbers only: a request's
 * credentials and prompt never reach this observer (see {@link ExchangeEvent}).
 *
 * <p>Fields: {@code request_id}, {@code client}, {@code session_id}, {@code method}, {@code path}, {@code status},
 * {@code outcome}, {@code local} (claude-lb wrote the answer), {@code model_in}, {@code model_out},
 * {@code upstream}, {@code stream}, {@code attempts}, {@code failures}, {@code ttfb_us}, {@code duration_us},
 * {@code overhead_us}, {@code bytes}, {@code coalescing}; with usage {@code input_tokens}, {@code output_tokens},
 * {@code cache_read_tokens}, {@code cache_write_5m_tokens}, {@code cache_write_1h_tokens}; {@code in_band_error}
 * when a stream carried an {@code event: error}. Times are microseconds; -1 means "never" (no first byte).
 */
public final class AccessLog implements ExchangeObserver {
    /** The logger of access lines; the name operators filter on. */
    public static final String LOGGER = "claude-lb.access";

    private final Logger log;
    private final BooleanSupplier enabled;

    /** @param enabled the current {@code logging.access_log}, asked per request so a reload turns it on or off */
    public AccessLog(BooleanSupplier enabled) {
        this(enabled, LoggerFactory.getLogger(LOGGER));
    }

    AccessLog(boolean enabled, Logger log) {
        this(() -> enabled, log);
    }

    AccessLog(BooleanSupplier enabled, Logger log) {
        this.enabled = enabled;
        this.log = log;
    }

    @Override
    public void exchangeEnded(ExchangeEvent e) {
        if (!enabled.getAsBoolean() || !log.isInfoEnabled()) {
            return;
        }
        long durationMicros = TimeUnit.NANOSECONDS.toMicros(e.durationNanos());
        long ttfbMicros = micros(e.ttfbNanos());
        long overheadMicros = micros(e.proxyOverheadNanos());
        List<String> failures = names(e.failures());
        String client = e.clientName() == null ? "-" : e.clientName();
        String role = e.role().wireName();
        UsageCounts u = e.usage();
        LoggingEventBuilder line = log.atInfo()
                .addKeyValue("request_id", e.requestId())
                .addKeyValue("client", client)
                .addKeyValue("session_id", e.sessionId())
                .addKeyValue("method", e.method())
                .addKeyValue("path", e.path())
                .addKeyValue("status", e.status())
                .addKeyValue("outcome", e.outcome().wireName())
                .addKeyValue("local", e.answeredLocally())
                .addKeyValue("model_in", e.requestedModel())
                .addKeyValue("model_out", e.targetModel())
                .addKeyValue("upstream", e.upstream())
                .addKeyValue("stream", e.stream())
                .addKeyValue("attempts", e.attempts().size())
                .addKeyValue("failures", failures)
                .addKeyValue("ttfb_us", ttfbMicros)
                .addKeyValue("duration_us", durationMicros)
                .addKeyValue("overhead_us", overheadMicros)
                .addKeyValue("bytes", e.bytesToClient())
                .addKeyValue("coalescing", role);
        StringBuilder text = new StringBuilder(160).append(e.requestId()).append(' ').append(e.method()).append(' ')
                .append(e.path()).append(' ').append(e.status()).append(" client=").append(client);
        if (e.sessionId() != null) {
            text.append(" session=").append(e.sessionId());
        }
        if (!e.answeredLocally() || e.requestedModel() != null) {
            text.append(" model=").append(e.requestedModel()).append("->").append(e.targetModel())
                    .append(" upstream=").append(e.upstream()).append(e.stream() ? " stream" : " json")
                    .append(" attempts=").append(e.attempts().size());
        }
        if (!failures.isEmpty()) {
            text.append(" failures=").append(String.join(",", failures));
        }
        text.append(" ttfb=").append(ttfbMicros).append("us dur=").append(durationMicros).append("us overhead=")
                .append(overheadMicros).append("us bytes=").append(e.bytesToClient());
        if (u != null) {
            line = line.addKeyValue("input_tokens", u.input())
                    .addKeyValue("output_tokens", u.output())
                    .addKeyValue("cache_read_tokens", u.cacheRead())
                    .addKeyValue("cache_write_5m_tokens", u.cacheWrite5m())
                    .addKeyValue("cache_write_1h_tokens", u.cacheWrite1h());
            text.append(" tokens(in=").append(u.input()).append(" out=").append(u.output()).append(" cache_read=")
                    .append(u.cacheRead()).append(" cache_write=").append(u.cacheWrite()).append(')');
        }
        if (e.inBandErrorType() != null) {
            line = line.addKeyValue("in_band_error", e.inBandErrorType());
            text.append(" in-band-error=").append(e.inBandErrorType());
        }
        if (e.role() != CoalescingRole.OFF) {
            text.append(' ').append(role);
        }
        if (e.outcome() != Outcome.COMPLETED) {
            text.append(' ').append(e.outcome().wireName());
        }
        if (e.answeredLocally()) {
            text.append(" local");
        }
        line.log(text.toString());
    }

    private static long micros(long nanos) {
        return nanos < 0 ? -1 : TimeUnit.NANOSECONDS.toMicros(nanos);
    }

    private static List<String> names(List<FailureKind> kinds) {
        if (kinds.isEmpty()) {
            return List.of();
        }
        List<String> names = new ArrayList<>(kinds.size());
        for (FailureKind k : kinds) {
            names.add(k.name().toLowerCase(Locale.ROOT));
        }
        return names;
    }
}
