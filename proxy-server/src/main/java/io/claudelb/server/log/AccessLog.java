package io.claudelb.server.log;

import io.claudelb.core.health.FailureKind;
import io.claudelb.server.observe.ExchangeEvent;
import io.claudelb.server.observe.ExchangeObserver;
import io.claudelb.server.observe.Outcome;
import io.claudelb.server.observe.UsageCounts;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The first {@link ExchangeObserver}: one line per finished request on the {@code claude-lb.access} logger:
 * request id, client key name, model in and out, upstream, status, time to first byte, duration, bytes, attempts and
 * failures, token usage. The same fields go to the JSON log as key-value pairs, so the JSON encoder can emit them as
 * fields.
 */
public final class AccessLog implements ExchangeObserver {
    private static final Logger log = LoggerFactory.getLogger("claude-lb.access");
    private final boolean enabled;

    public AccessLog(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public void exchangeEnded(ExchangeEvent e) {
        if (!enabled || !log.isInfoEnabled()) {
            return;
        }
        long durationMicros = TimeUnit.NANOSECONDS.toMicros(e.durationNanos());
        long ttfbMicros = e.ttfbNanos() < 0 ? -1 : TimeUnit.NANOSECONDS.toMicros(e.ttfbNanos());
        UsageCounts u = e.usage();
        List<FailureKind> failures = e.failures();
        String client = e.clientName() == null ? "-" : e.clientName();
        var event = log.atLevel(Level.INFO)
                .addKeyValue("request_id", e.requestId())
                .addKeyValue("client", client)
                .addKeyValue("method", e.method())
                .addKeyValue("path", e.path())
                .addKeyValue("model_in", e.requestedModel())
                .addKeyValue("model_out", e.targetModel())
                .addKeyValue("upstream", e.upstream())
                .addKeyValue("stream", e.stream())
                .addKeyValue("status", e.status())
                .addKeyValue("ttfb_us", ttfbMicros)
                .addKeyValue("duration_us", durationMicros)
                .addKeyValue("bytes", e.bytesToClient())
                .addKeyValue("attempts", e.attempts().size());
        if (!failures.isEmpty()) {
            event = event.addKeyValue("failures", failures.toString());
        }
        if (u != null) {
            event = event.addKeyValue("input_tokens", u.input())
                    .addKeyValue("output_tokens", u.output())
                    .addKeyValue("cache_read_tokens", u.cacheRead())
                    .addKeyValue("cache_write_tokens", u.cacheWrite());
        }
        event.log("{} {} {} {} client={} model={}->{} upstream={} status={} ttfb={}us dur={}us bytes={} attempts={}{}{}{}",
                e.requestId(), e.method(), e.path(), e.stream() ? "stream" : "json", client, e.requestedModel(),
                e.targetModel(), e.upstream(), e.status(), ttfbMicros, durationMicros, e.bytesToClient(),
                e.attempts().size(), failures.isEmpty() ? "" : " failures=" + failures,
                u == null ? "" : " tokens(in=" + u.input() + " out=" + u.output() + " cache_read=" + u.cacheRead()
                        + " cache_write=" + u.cacheWrite() + ")",
                e.outcome() == Outcome.CLIENT_ABORTED ? " client-aborted"
                        : e.inBandErrorType() != null ? " in-band-error" : "");
    }
}
