package io.claudelb.server.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.claudelb.core.config.ConfigException;
import io.claudelb.core.config.LogFormat;
import io.claudelb.core.config.LoggingSettings;
import io.claudelb.core.health.FailureKind;
import io.claudelb.server.observe.CoalescingRole;
import io.claudelb.server.observe.ExchangeEvent;
import io.claudelb.server.observe.ExchangeRecord;
import io.claudelb.server.observe.UsageCounts;
import io.claudelb.server.support.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LoggingSetup} on a private Logback context (the process's own stays as the tests configured it): JSON lines
 * with typed fields, a file rolled by size, text lines, and a full queue that drops and counts instead of blocking.
 */
class LoggingSetupTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final LoggerContext context = new LoggerContext();

    @BeforeEach
    void startContext() {
        // The process's context gets its MDC adapter from the SLF4J provider; a private one needs its own.
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.start();
    }

    @AfterEach
    void stopContext() {
        context.stop();
    }

    private LoggingSettings settings(LogFormat format, Path file, long maxFileBytes) {
        LoggingSettings d = LoggingSettings.DEFAULTS;
        return new LoggingSettings("info", format, file == null ? null : file.toString(), true, maxFileBytes,
                d.maxHistory(), Math.max(d.totalCap(), maxFileBytes));
    }

    static ExchangeEvent relayedEvent() {
        ExchangeRecord r = new ExchangeRecord("lbreq_1", 1_000, 1_700_000_000_000L, "POST", "/v1/messages", "alice");
        r.request("claude-sonnet-4-5", true, false);
        r.session("session-1");
        r.attemptStarted("ws-east", "databricks-claude-sonnet-4-5");
        r.attemptFailed(FailureKind.HTTP_529);
        r.attemptStarted("ws-west", "databricks-claude-sonnet-4-5");
        r.upstreamWait(2_000_000);
        r.answered(200, 3_500_000);
        r.bytes(4_321);
        r.usage(new UsageCounts(12, 34, 56, 7, 8));
        r.role(CoalescingRole.LEADER);
        return r.toEvent(1_000 + 9_000_000);
    }

    @Test
    void jsonLinesCarryEveryAccessFieldTypedAtTheTopLevel() throws IOException {
        Path file = dir.resolve("claude-lb.log");
        LogOutput out = LoggingSetup.install(context, settings(LogFormat.JSON, file, 100L << 20));
        new AccessLog(true, context.getLogger(AccessLog.LOGGER)).exchangeEnded(relayedEvent());
        out.close();

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(1);
        JsonNode line = JSON.readTree(lines.get(0));
        assertThat(line.get("logger_name").asText()).isEqualTo("claude-lb.access");
        assertThat(line.get("level").asText()).isEqualTo("INFO");
        assertThat(line.get("request_id").asText()).isEqualTo("lbreq_1");
        assertThat(line.get("client").asText()).isEqualTo("alice");
        assertThat(line.get("session_id").asText()).isEqualTo("session-1");
        assertThat(line.get("path").asText()).isEqualTo("/v1/messages");
        assertThat(line.get("status").isInt()).isTrue();
        assertThat(line.get("status").intValue()).isEqualTo(200);
        assertThat(line.get("upstream").asText()).isEqualTo("ws-west");
        assertThat(line.get("model_out").asText()).isEqualTo("databricks-claude-sonnet-4-5");
        assertThat(line.get("stream").isBoolean()).isTrue();
        assertThat(line.get("local").booleanValue()).isFalse();
        assertThat(line.get("attempts").intValue()).isEqualTo(2);
        assertThat(line.get("failures").isArray()).isTrue();
        assertThat(line.get("failures").get(0).asText()).isEqualTo("http_529");
        assertThat(line.get("ttfb_us").isIntegralNumber()).isTrue();
        assertThat(line.get("ttfb_us").longValue()).isEqualTo(3_500);
        assertThat(line.get("duration_us").longValue()).isEqualTo(9_000);
        assertThat(line.get("overhead_us").longValue()).isEqualTo(1_500);
        assertThat(line.get("bytes").longValue()).isEqualTo(4_321);
        assertThat(line.get("input_tokens").isIntegralNumber()).isTrue();
        assertThat(line.get("input_tokens").longValue()).isEqualTo(12);
        assertThat(line.get("output_tokens").longValue()).isEqualTo(34);
        assertThat(line.get("cache_read_tokens").longValue()).isEqualTo(56);
        assertThat(line.get("cache_write_5m_tokens").longValue()).isEqualTo(7);
        assertThat(line.get("cache_write_1h_tokens").longValue()).isEqualTo(8);
        assertThat(line.get("coalescing").asText()).isEqualTo("leader");
        assertThat(line.get("outcome").asText()).isEqualTo("completed");
        assertThat(line.has("kvpList")).isFalse();
        assertThat(line.has("@version")).isFalse();
    }

    @Test
    void textLinesNameTheSameFacts() throws IOException {
        Path file = dir.resolve("text.log");
        LogOutput out = LoggingSetup.install(context, settings(LogFormat.TEXT, file, 100L << 20));
        new AccessLog(true, context.getLogger(AccessLog.LOGGER)).exchangeEnded(relayedEvent());
        out.close();

        String line = Files.readString(file);
        assertThat(line).contains("INFO", "claude-lb.access", "lbreq_1 POST /v1/messages 200 client=alice",
                "session=session-1", "upstream=ws-west", "failures=http_529", "ttfb=3500us", "dur=9000us",
                "bytes=4321", "tokens(in=12 out=34 cache_read=56 cache_write=15)", "leader");
        assertThat(line).doesNotStartWith("{");
    }

    @Test
    void withoutAFileTheLogGoesToStandardOutput() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LogOutput out = LoggingSetup.install(context, settings(LogFormat.JSON, null, 100L << 20));
            new AccessLog(true, context.getLogger(AccessLog.LOGGER)).exchangeEnded(relayedEvent());
            out.close();
        } finally {
            System.setOut(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("{").contains("\"request_id\":\"lbreq_1\"", "\"status\":200");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Enough lines for many rollovers in a burst, each starting a history clean-up. */
    private static final int LINES = 400;

    @Test
    void aFileRollsOverAtItsMaximumSize() throws IOException {
        Path file = dir.resolve("claude-lb.log");
        LogOutput out = LoggingSetup.install(context, settings(LogFormat.JSON, file, 2048));
        AccessLog access = new AccessLog(true, context.getLogger(AccessLog.LOGGER));
        for (int i = 0; i < LINES; i++) {
            access.exchangeEnded(relayedEvent());
        }
        out.close();

        List<Path> rolled;
        try (Stream<Path> files = Files.list(dir)) {
            rolled = files.filter(p -> p.getFileName().toString().matches("claude-lb\\.\\d{4}-\\d{2}-\\d{2}\\.\\d+\\.log"))
                    .toList();
        }
        assertThat(rolled).hasSizeGreaterThan(3);
        long lines = Files.readAllLines(file).size();
        for (Path p : rolled) {
            // A file rolls at the first line past the limit: at most one line over it.
            assertThat(Files.size(p)).isLessThan(2048 + 2048);
            lines += Files.readAllLines(p).size();
        }
        assertThat(lines).as("no line lost across the files").isEqualTo(LINES);
    }

    @Test
    void theCleanUpAfterARolloverDeletesFilesPastMaxHistoryOnItsOwnThread() throws IOException {
        Path file = dir.resolve("claude-lb.log");
        LocalDate today = LocalDate.now();
        Path stale = Files.writeString(dir.resolve("claude-lb." + today.minusDays(20) + ".0.log"), "old\n");
        Path recent = Files.writeString(dir.resolve("claude-lb." + today.minusDays(2) + ".0.log"), "recent\n");
        LogOutput out = LoggingSetup.install(context, settings(LogFormat.JSON, file, 2048));
        AccessLog access = new AccessLog(true, context.getLogger(AccessLog.LOGGER));
        for (int i = 0; i < 20; i++) {
            access.exchangeEnded(relayedEvent());
        }
        out.close(); // waits for the clean-up the rollovers started

        assertThat(stale).as("past max_history (14 days)").doesNotExist();
        assertThat(recent).exists();
        assertThat(Thread.getAllStackTraces().keySet()).as("clean-ups run one at a time on their own thread")
                .anyMatch(t -> t.getName().equals("claude-lb-log-cleanup"));
    }

    @Test
    void rolledFilesKeepTheExtension() {
        assertThat(LogDestinations.rolledName("/var/log/claude-lb/claude-lb.log"))
                .isEqualTo("/var/log/claude-lb/claude-lb.%d{yyyy-MM-dd}.%i.log");
        assertThat(LogDestinations.rolledName("/var/log/claude-lb/access"))
                .isEqualTo("/var/log/claude-lb/access.%d{yyyy-MM-dd}.%i");
        assertThat(LogDestinations.rolledName("./logs.d/out")).isEqualTo("./logs.d/out.%d{yyyy-MM-dd}.%i");
    }

    @Test
    void aFileThatCannotBeOpenedIsAConfigError() throws IOException {
        Path blocker = Files.writeString(dir.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> LoggingSetup.install(context,
                settings(LogFormat.JSON, blocker.resolve("claude-lb.log"), 100L << 20)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("logging.file");
    }

    @Test
    void aFullQueueDropsLinesAndCountsThemInsteadOfBlocking() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch writing = new CountDownLatch(1);
        List<String> written = new ArrayList<>();
        AppenderBase<ILoggingEvent> stuck = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                writing.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                synchronized (written) {
                    written.add(event.getFormattedMessage());
                }
            }
        };
        stuck.setContext(context);
        stuck.start();
        LogOutput out = LoggingSetup.install(context, Level.INFO, stuck, 16);
        var log = context.getLogger("test");
        log.info("first");
        writing.await();
        long start = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            log.info("line {}", i);
        }
        // The writer is stuck, yet 200 appends returned: none of them waited for it.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        long dropped = out.droppedLines();
        assertThat(dropped).isGreaterThanOrEqualTo(200 - 16);
        assertThat(out.dropped().report()).isEqualTo(dropped);
        // The report's own WARN line found the queue still full: it is the only drop the next report sees.
        assertThat(out.dropped().report()).as("each drop reported once").isLessThanOrEqualTo(1);
        long reportedDrops = out.droppedLines();

        release.countDown();
        Await.until("the queued lines are written, the newest (dropped) ones not", () -> {
            synchronized (written) {
                return written.size() >= 16 && written.stream().noneMatch(m -> m.contains("line 199"));
            }
        }, Duration.ofSeconds(10));
        log.info("after");
        Await.until("the queue takes lines again", () -> {
            synchronized (written) {
                return written.contains("after");
            }
        }, Duration.ofSeconds(10));
        assertThat(out.droppedLines()).isEqualTo(reportedDrops);
        out.close();
    }
}
