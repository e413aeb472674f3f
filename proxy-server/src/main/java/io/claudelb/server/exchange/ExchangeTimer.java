package io.claudelb.server.exchange;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one timer of an {@link AttemptLoop}, re-armed at every phase change (first byte, peek, idle). Re-arming for a
 * later deadline does not replace the scheduled task: the task fires, finds the deadline moved and waits the rest.
 * Only an earlier deadline schedules a new task. The event loop's priority queue thus sees about one insertion and
 * one removal per exchange instead of one of each per phase (it was 6 % of the loop). Deadlines are in the loop's
 * own ticker time, the clock its scheduler runs on. Used on that loop only.
 */
final class ExchangeTimer {
    private final EventLoop loop;
    private final Runnable action;
    private ScheduledFuture<?> task;
    /** When the scheduled {@link #task} fires. */
    private long taskDeadline;
    /** Whether the action is due at {@link #deadline}. */
    private boolean armed;
    private long deadline;

    ExchangeTimer(EventLoop loop, Runnable action) {
        this.loop = loop;
        this.action = action;
    }

    /** Runs the action {@code nanos} from now, instead of at any earlier arming. */
    void arm(long nanos) {
        armed = true;
        deadline = loop.ticker().nanoTime() + nanos;
        if (task != null && taskDeadline <= deadline) {
            return;
        }
        if (task != null) {
            task.cancel(false);
        }
        schedule(nanos);
    }

    /** Nothing is to run at the deadline any more; a scheduled task stays until it fires or {@link #remove}. */
    void disarm() {
        armed = false;
    }

    /** The exchange is over: the task goes, so the scheduler keeps no reference to the exchange. */
    void remove() {
        armed = false;
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    private void schedule(long nanos) {
        taskDeadline = deadline;
        task = loop.schedule(this::fire, nanos, TimeUnit.NANOSECONDS);
    }

    private void fire() {
        task = null;
        if (!armed) {
            return;
        }
        long left = deadline - loop.ticker().nanoTime();
        if (left > 0) {
            schedule(left);
            return;
        }
        armed = false;
        action.run();
    }
}
