package io.claudelb.server.usage;

import io.claudelb.core.health.FailureKind;
import io.claudelb.server.observe.AttemptRecord;
import io.claudelb.server.observe.CoalescingRole;
import io.claudelb.server.observe.ExchangeEvent;
import io.claudelb.server.observe.Outcome;
import io.claudelb.server.observe.UsageCounts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Builds {@link ExchangeEvent}s of finished Messages requests for accounting tests (tests only). */
final class Events {
    private static final AtomicLong IDS = new AtomicLong();

    private String requestId = "lbreq_test" + IDS.incrementAndGet();
    private Instant at = Instant.parse("2026-12-02T10:00:00Z");
    private String client = "alice";
    private String session = "s-1";
    private String model = "claude-opus-4-7";
    private final List<AttemptRecord> attempts = new ArrayList<>();
    private int status = 200;
    private UsageCounts usage = UsageCounts.NONE;
    private CoalescingRole role = CoalescingRole.OFF;
    private boolean countTokens;

    static Events request() {
        return new Events();
    }

    Events id(String id) {
        this.requestId = id;
        return this;
    }

    Events at(Instant when) {
        this.at = when;
        return this;
    }

    Events client(String name) {
        this.client = name;
        return this;
    }

    Events session(String id) {
        this.session = id;
        return this;
    }

    Events model(String requested) {
        this.model = requested;
        return this;
    }

    Events failedOn(String upstream, FailureKind kind) {
        attempts.add(new AttemptRecord(upstream, null, kind));
        return this;
    }

    /** The attempt that answered, on {@code upstream} with {@code targetModel} (null: the requested one). */
    Events answeredBy(String upstream, String targetModel) {
        attempts.add(new AttemptRecord(upstream, targetModel == null ? model : targetModel, null));
        return this;
    }

    Events status(int code) {
        this.status = code;
        return this;
    }

    Events usage(long input, long output, long cacheRead, long write5m, long write1h) {
        this.usage = new UsageCounts(input, output, cacheRead, write5m, write1h);
        return this;
    }

    Events role(CoalescingRole r) {
        this.role = r;
        return this;
    }

    Events countTokens() {
        this.countTokens = true;
        return this;
    }

    ExchangeEvent build() {
        return new ExchangeEvent(requestId, at.toEpochMilli(), "POST",
                countTokens ? "/v1/messages/count_tokens" : "/v1/messages", client, session, model, true,
                countTokens, attempts, status, Outcome.COMPLETED, false, null, 40_000_000L, 900_000_000L,
                30_000_000L, 4096, usage == UsageCounts.NONE ? null : usage, role);
    }
}
