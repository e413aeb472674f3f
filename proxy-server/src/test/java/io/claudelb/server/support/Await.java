package io.claudelb.server.support;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for something asynchronous with a bounded deadline, by polling a condition (tests only). A test never sleeps
 * for a guessed time: it waits until the condition holds and fails with {@code what} when the deadline passes.
 */
public final class Await {
    private static final long POLL_NANOS = Duration.ofMillis(2).toNanos();

    private Await() {
    }

    /** Returns as soon as {@code condition} holds; fails when it does not within {@code timeout}. */
    public static void until(String what, BooleanSupplier condition, Duration timeout) {
        until(() -> what, condition, timeout);
    }

    /** As {@link #until(String, BooleanSupplier, Duration)}, describing the failure when it happens. */
    public static void until(Supplier<String> what, BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting until " + what.get());
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /**
     * Checks that {@code condition} holds throughout {@code window}, polling it: an observation of a steady state
     * (such as a bound that must not be exceeded), not a wait for an event.
     */
    public static void holdsFor(String what, BooleanSupplier condition, Duration window) {
        holdsFor(() -> what, condition, window);
    }

    /** As {@link #holdsFor(String, BooleanSupplier, Duration)}, describing the failure when it happens. */
    public static void holdsFor(Supplier<String> what, BooleanSupplier condition, Duration window) {
        long end = System.nanoTime() + window.toNanos();
        do {
            if (!condition.getAsBoolean()) {
                throw new AssertionError("no longer true: " + what.get());
            }
            LockSupport.parkNanos(POLL_NANOS);
        } while (System.nanoTime() - end < 0);
    }
}
