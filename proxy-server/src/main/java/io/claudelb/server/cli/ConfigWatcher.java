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
 * loop), waits for writes to settle, then reloads through {@link ConfigReloads} (on the control plane, like SIGHUP
 * and {@code POST /reload}), which keeps the running config when the new file is invalid.
 */
final class ConfigWatcher implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);
    private static final long SETTLE_MILLIS = 300;

    private final Path file;
    private final ConfigReloads reloads;

    ConfigWatcher(Path file, ConfigReloads reloads) {
        this.file = file.toAbsolutePath();
        this.reloads = reloads;
    }

    void start() {
        Thread t = new Thread(this, "claude-lb-config-watch");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void run() {
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            file.getParent().register(watch, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
            log.info("watching {} for changes", file);
            while (true) {
                WatchKey key = watch.take();
                boolean ours = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    ours |= event.context() instanceof Path p && file.getFileName().equals(p);
                }
                key.reset();
                if (ours) {
                    // Editors write in several steps: wait for the burst to end, and drop its other events.
                    WatchKey more;
                    while ((more = watch.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) != null) {
                        more.pollEvents();
                        more.reset();
                    }
                    reload();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | ClosedWatchServiceException e) {
            log.warn("config watch stopped: {}", e.toString());
        }
    }

    private void reload() {
        // Wait for the outcome, so that the next burst of events is read after this reload, not queued behind it.
        reloads.reload("file changed").join();
    }
}
