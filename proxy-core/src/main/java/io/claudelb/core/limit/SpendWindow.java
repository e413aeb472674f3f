package io.claudelb.core.limit;

import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What one client spent in the current day, week or month, in nano-dollars. Charged from every event loop without
 * a lock: the window and its total are one immutable value swapped by compare-and-set, and a charge that falls in
 * a later period starts that period's window.
 */
final class SpendWindow {
    private record Window(long startMillis, long endMillis, long spentNanos) {
    }

    private final BudgetPeriod period;
    private final AtomicReference<Window> window = new AtomicReference<>(new Window(0, 0, 0));

    SpendWindow(BudgetPeriod period) {
        this.period = period;
    }

    void charge(long nanos, long nowMillis, ZoneId zone) {
        Window w;
        Window next;
        do {
            w = window.get();
            next = nowMillis < w.endMillis()
                    ? new Window(w.startMillis(), w.endMillis(), w.spentNanos() + nanos)
                    : fresh(nowMillis, zone, nanos);
        } while (!window.compareAndSet(w, next));
    }

    /** Spend of the period containing {@code nowMillis} (0 when nothing was charged in it). */
    long spent(long nowMillis) {
        Window w = window.get();
        return nowMillis >= w.startMillis() && nowMillis < w.endMillis() ? w.spentNanos() : 0;
    }

    /** Epoch millis when the period containing {@code nowMillis} ends. */
    long endMillis(long nowMillis, ZoneId zone) {
        Window w = window.get();
        if (nowMillis >= w.startMillis() && nowMillis < w.endMillis()) {
            return w.endMillis();
        }
        return period.next(Instant.ofEpochMilli(nowMillis), zone).toEpochMilli();
    }

    /** The time zone changed (reload): keep the amount, recompute where the current window ends. */
    void rezone(long nowMillis, ZoneId zone) {
        Window w;
        Window next;
        do {
            w = window.get();
            next = fresh(nowMillis, zone, spent(nowMillis));
        } while (!window.compareAndSet(w, next));
    }

    private Window fresh(long nowMillis, ZoneId zone, long nanos) {
        Instant now = Instant.ofEpochMilli(nowMillis);
        return new Window(period.start(now, zone).toEpochMilli(), period.next(now, zone).toEpochMilli(), nanos);
    }
}
