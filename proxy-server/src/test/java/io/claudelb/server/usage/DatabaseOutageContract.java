package io.claudelb.server.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.StorageSettings;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.support.Await;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.RawHttpClient.Response;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.TestConfigs;
import io.claudelb.server.support.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database goes away mid-run and comes back ({@link SqliteDatabaseOutageTest}: another process holds the
 * write lock; {@link PostgresDatabaseOutageTest}: the server is stopped): the proxy keeps answering at full speed,
 * records wait in the queue up to its bound and are all written when the database is back, what did not fit is
 * counted; and on shutdown the queue is flushed.
 */
abstract class DatabaseOutageContract {
    private static final int CAPACITY = 6;

    @TempDir
    Path dir;
    TestDatabase db;
    private MockUpstream mock;
    private ProxyServer proxy;

    abstract TestDatabase.Kind kind();

    /** Makes the database refuse writes until {@link #bringBack}. */
    abstract void takeAway() throws Exception;

    abstract void bringBack() throws Exception;

    @BeforeEach
    void start() {
        db = TestDatabase.fresh(kind(), dir);
        mock = MockUpstream.start(MockOptions.builder().name("up").ioThreads(1).build());
    }

    @AfterEach
    void stop() throws Exception {
        try {
            bringBack();
        } finally {
            if (proxy != null) {
                proxy.stop(Duration.ofSeconds(5));
            }
            mock.close();
        }
    }

    private void startProxy(StorageSettings storage) throws InterruptedException {
        proxy = ProxyServer.start(TestConfigs.proxy().anthropic("up", mock.baseUrl()).storage(storage).build(),
                NanoClock.SYSTEM, "test");
    }

    private long rows() {
        return db.count("SELECT COUNT(*) FROM usage_records");
    }

    private Response request() {
        return RawHttpClient.exchange(proxy.port(), RawHttpClient.post("/v1/messages",
                Requests.messages("claude-sonnet-4-5", true), "x-mock-usage: input=10,output=5"));
    }

    @Test
    void theProxyKeepsServingAndEveryQueuedRecordIsWrittenWhenTheDatabaseIsBack() throws Exception {
        startProxy(db.settings().withQueue(CAPACITY, 2, Duration.ofMillis(20)));
        assertThat(request().status).isEqualTo(200);
        Await.until("the first row", () -> rows() == 1, Duration.ofSeconds(10));

        takeAway();
        for (int i = 0; i < 10; i++) {
            long started = System.nanoTime();
            assertThat(request().status).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        }
        StorageStats stats = proxy.usage().stats();
        // The queue holds its bound (the batch the writer holds counts towards it); the rest is counted, not lost
        // silently.
        Await.until("6 waiting, 4 dropped", () -> stats.pending() == CAPACITY && stats.dropped() == 10 - CAPACITY,
                Duration.ofSeconds(10));
        Await.until("a failed write noticed", () -> stats.failedWrites() > 0 && !stats.databaseUp(),
                Duration.ofSeconds(20));

        bringBack();
        Await.until("every waiting record written", () -> rows() == 1 + CAPACITY, Duration.ofSeconds(30));
        Await.until("nothing pending", () -> stats.pending() == 0 && stats.databaseUp(), Duration.ofSeconds(10));
        assertThat(stats.written()).isEqualTo(1 + CAPACITY);
        assertThat(stats.dropped()).isEqualTo(10 - CAPACITY);
        assertThat(request().status).isEqualTo(200);
        Await.until("and new ones again", () -> rows() == 2 + CAPACITY, Duration.ofSeconds(10));
    }

    @Test
    void shutdownFlushesTheQueue() throws Exception {
        // A flush interval longer than the test: only the shutdown can have written these.
        startProxy(db.settings().withQueue(1000, 1000, Duration.ofHours(1)));
        for (int i = 0; i < 5; i++) {
            assertThat(request().status).isEqualTo(200);
        }
        // The writer's first pass (the retention purge, slow on a loaded machine) writes what came in meanwhile;
        // whatever came after waits out the flush interval, so only the shutdown writes it.
        StorageStats stats = proxy.usage().stats();
        Await.until("five accepted", () -> stats.pending() + stats.written() == 5, Duration.ofSeconds(5));
        assertThat(stats.pending()).as("queued, not yet written").isPositive();
        proxy.stop(Duration.ofSeconds(5));
        proxy = null;
        assertThat(rows()).isEqualTo(5);
    }
}
