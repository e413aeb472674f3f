package io.claudelb.server.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.server.support.Await;
import io.claudelb.server.support.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer holds one connection, with its statements prepared once, only while there is more to write: when it
 * waits for records the connection is back in the pool, and batch after batch is written through it.
 */
class UsageWriterConnectionTest {
    @TempDir
    Path dir;

    private static UsageRecord record(int i) {
        return new UsageRecord("lbreq_test" + i, 1_700_000_000_000L + i, "alice", "s1", "up", "claude-sonnet-4-5",
                "claude-sonnet-4-5", UsageRecord.MESSAGES, 200, "completed", 1, 0, 10, 5, 0, 0, 0, 42, 1_000, 2_000,
                "off");
    }

    @Test
    void theConnectionGoesBackToThePoolWhenTheWriterWaits() throws Exception {
        TestDatabase db = TestDatabase.fresh(TestDatabase.Kind.SQLITE, dir);
        try (UsageDatabase database = new UsageDatabase(db.settings().withQueue(100, 3, Duration.ofMillis(20)))) {
            UsageWriter writer = new UsageWriter(database, System::currentTimeMillis, ready -> { });
            writer.start();
            try {
                for (int round = 0; round < 3; round++) {
                    for (int i = 0; i < 7; i++) {
                        assertThat(writer.offer(record(round * 7 + i))).isTrue();
                    }
                    int expected = (round + 1) * 7;
                    Await.until("round " + round + " written", () -> writer.written() == expected,
                            Duration.ofSeconds(10));
                    Await.until("the connection back in the pool", () -> database.connectionsInUse() == 0,
                            Duration.ofSeconds(10));
                }
            } finally {
                writer.close(Duration.ofSeconds(5));
            }
            assertThat(database.connectionsInUse()).isZero();
        }
        assertThat(db.count("SELECT COUNT(*) FROM usage_records")).isEqualTo(21);
        assertThat(db.count("SELECT SUM(requests) FROM usage_hourly")).isEqualTo(21);
    }
}
