package io.claudelb.server.cli;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code serve --watch}: reloads the config when its file changes. Watches on its own daemon thread (never an event
 * loop), waits for writes to the file to settle, then reloads through {@link ConfigReloads} (on the control plane,
 * like SIGHUP and {@code POST /reload}), which keeps the running config when the new file is invalid.
 *
 * <p>Java can only watch a directory, so every change in the config's directory wakes the watcher; only events that
 * name the config file count, for starting a reload and for the settle time alike. A file that changes all the time
 * beside the config (the gateway's own log file written there) therefore neither starts a reload nor holds one back.
 */
final class ConfigWatcher implements Runnable, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);
    private static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

    private final Path file;
    private final Runnable reload;
    private WatchService watch;

    /** @param reload applies the changed file and returns when it has been applied or refused */
    ConfigWatcher(Path file, Runnable reload) {
        this.file = file.toAbsolutePath();
        this.reload = reload;
    }

    /** Reloads through {@code reloads}, waiting for each outcome before reading further events. */
    ConfigWatcher(Path file, ConfigReloads reloads) {
        // Waits for the outcome, so that the next burst of events is read after this reload, not queued behind it.
        this(file, () -> reloads.reload("file changed").join());
    }

    /** Starts watching: changes from the moment this returns are seen. */
    void start() throws IOException {
        watch = FileSystems.getDefault().newWatchService();
        file.getParent().register(watch, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
        Thread t = new Thread(this, "claude-lb-config-watch");
        t.setDaemon(true);
        t.start();
        log.info("watching {} for changes", file);
    }

    @Override
    public void run() {
        try {
            while (true) {
                if (namesTheFile(watch.take())) {
                    settle();
                    reload.run();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ClosedWatchServiceException e) {
            log.debug("config watch closed");
        }
    }

    /**
     * Editors write in several steps: waits until the file has had no event for the settle time, dropping the
     * directory's other events as they come (they do not restart the wait).
     */
    private void settle() throws InterruptedException {
        long quietUntil = System.nanoTime() + SETTLE_NANOS;
        long left;
        while ((left = quietUntil - System.nanoTime()) > 0) {
            WatchKey more = watch.poll(left, TimeUnit.NANOSECONDS);
            if (more != null && namesTheFile(more)) {
                quietUntil = System.nanoTime() + SETTLE_NANOS;
            }
        }
    }

    /** Whether one of the key's events is about the config file; takes the events and re-arms the key. */
    private boolean namesTheFile(WatchKey key) {
        boolean ours = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            ours |= event.kind() == StandardWatchEventKinds.OVERFLOW
                    || event.context() instanceof Path p && file.getFileName().equals(p);
        }
        key.reset();
        return ours;
    }

    /** Stops watching (the thread ends). */
    @Override
    public void close() throws IOException {
        if (watch != null) {
            watch.close();
        }
    }
}
