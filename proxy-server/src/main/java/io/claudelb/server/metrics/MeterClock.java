package io.claudelb.server.metrics;

import io.claudelb.core.time.NanoClock;
import io.micrometer.core.instrument.Clock;
import java.util.function.LongSupplier;

/** Micrometer's clock from the gateway's own: time windows and rates follow a test's fake clock too. */
final class MeterClock implements Clock {
    private final NanoClock nanos;
    private final LongSupplier wallMillis;

    MeterClock(NanoClock nanos, LongSupplier wallMillis) {
        this.nanos = nanos;
        this.wallMillis = wallMillis;
    }

    @Override
    public long wallTime() {
        return wallMillis.getAsLong();
    }

    @Override
    public long monotonicTime() {
        return nanos.nanoTime();
    }
}
