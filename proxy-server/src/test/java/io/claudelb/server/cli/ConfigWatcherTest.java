package io.claudelb.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.server.support.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve --watch} reacts to the config file itself, whatever else changes in its directory. */
class ConfigWatcherTest {
    @TempDir
    Path dir;

    @Test
    void theConfigChangeIsAppliedWhileAnotherFileInTheDirectoryChangesAllTheTime() throws Exception {
        Path config = Files.writeString(dir.resolve("claude-lb.yaml"), "version: 1\n");
        Path log = dir.resolve("claude-lb.log");
        AtomicInteger reloads = new AtomicInteger();
        AtomicBoolean writing = new AtomicBoolean(true);
        // The gateway's own log in the same directory: a line at least every 300 ms (here every 20 ms; the pause
        // paces the writer, nothing waits on it).
        Thread logWriter = new Thread(() -> {
            while (writing.get()) {
                append(log, "{\"level\":\"INFO\"}\n");
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
        }, "log-writer");
        try (ConfigWatcher watcher = new ConfigWatcher(config, reloads::incrementAndGet)) {
            watcher.start();
            logWriter.start();
            Await.until("the log file has been written", () -> Files.exists(log), Duration.ofSeconds(5));
            assertThat(reloads).hasValue(0);

            Files.writeString(config, "version: 2\n");

            Await.until("the config change is applied", () -> reloads.get() == 1, Duration.ofSeconds(10));
        } finally {
            writing.set(false);
            logWriter.join();
        }
    }

    @Test
    void changesToOtherFilesAloneReloadNothing() throws Exception {
        Path config = Files.writeString(dir.resolve("claude-lb.yaml"), "version: 1\n");
        AtomicInteger reloads = new AtomicInteger();
        try (ConfigWatcher watcher = new ConfigWatcher(config, reloads::incrementAndGet)) {
            watcher.start();
            for (int i = 0; i < 20; i++) {
                append(dir.resolve("other.txt"), "line " + i + "\n");
            }
            Files.writeString(config, "version: 2\n");
            Await.until("the config change is applied", () -> reloads.get() == 1, Duration.ofSeconds(10));
            Await.holdsFor("no second reload for the other file", () -> reloads.get() == 1, Duration.ofMillis(700));
        }
    }

    private static void append(Path file, String line) {
        try {
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
