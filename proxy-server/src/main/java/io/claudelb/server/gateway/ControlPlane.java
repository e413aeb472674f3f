package io.claudelb.server.gateway;

import io.claudelb.server.transport.HandOffThread;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The one thread for control-plane work that must never run on an event loop: parsing and validating a config on
 * reload, reading files, building TLS contexts, queries an admin endpoint answers with. Work is queued in order and
 * its result handed back as a future; the event loop that asked completes its answer from the future's callback.
 */
public final class ControlPlane implements AutoCloseable {
    private final ExecutorService executor = HandOffThread.named("claude-lb-control");

    /** Runs {@code work} on the control-plane thread. */
    public <T> CompletableFuture<T> submit(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, executor);
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
