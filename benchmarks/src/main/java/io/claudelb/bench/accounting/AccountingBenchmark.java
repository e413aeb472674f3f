package io.claudelb.bench.accounting;

import io.claudelb.bench.codec.CodecBenchmark;
import io.claudelb.bench.fixtures.AnthropicStream;
import io.claudelb.codec.usage.JsonUsageTap;
import io.claudelb.core.config.BudgetLimits;
import io.claudelb.core.config.ClientLimits;
import io.claudelb.core.config.LimitsSettings;
import io.claudelb.core.time.NanoClock;
import io.claudelb.core.usage.PriceTable;
import io.claudelb.server.admission.Admissions;
import io.claudelb.server.observe.AttemptRecord;
import io.claudelb.server.observe.CoalescingRole;
import io.claudelb.server.observe.ExchangeEvent;
import io.claudelb.server.observe.ExchangeRecord;
import io.claudelb.server.observe.Outcome;
import io.claudelb.server.observe.UsageCounts;
import io.claudelb.server.usage.RecordQueue;
import io.claudelb.server.usage.UsageRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What usage accounting adds to one request on its event loop: admission against a client with every kind of limit
 * (requests, tokens, concurrency, session, three budgets) and the ticket's finish; turning the finished request's
 * event into a priced {@link UsageRecord} and handing it to the writer's queue (the benchmark also takes it out
 * again, the writer thread's side, so the queue stays small: an upper bound); and, for a JSON answer, the usage tap
 * over its body. Compare the sum with the 29-154 µs of CPU a request costs end to end
 * (benchmarks/results/2026-11-22-vm.md).
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AccountingBenchmark extends CodecBenchmark {
    private Admissions admissions;
    private Admissions unlimited;
    private ExchangeRecord record;
    private ExchangeEvent event;
    private final PriceTable prices = PriceTable.DEFAULTS;
    private RecordQueue queue;
    private final List<UsageRecord> drained = new ArrayList<>(1);
    private ByteBuf message;

    @Setup(Level.Trial)
    public void setUp() {
        long big = 1_000_000_000L;
        ClientLimits limits = new ClientLimits(big, 50_000_000_000L, 1_000_000, new BudgetLimits(big * BudgetLimits.NANOS_PER_USD,
                big * BudgetLimits.NANOS_PER_USD, big * BudgetLimits.NANOS_PER_USD));
        admissions = new Admissions(new LimitsSettings(limits, big, Map.of("alice", limits), ZoneOffset.UTC),
                NanoClock.SYSTEM, System::currentTimeMillis);
        unlimited = new Admissions(LimitsSettings.NONE, NanoClock.SYSTEM, System::currentTimeMillis);
        record = new ExchangeRecord("lbreq_0123456789abcdef", System.nanoTime(), System.currentTimeMillis(), "POST",
                "/v1/messages", "alice");
        record.session("0f0e0d0c-0b0a-0908-0706-050403020100");
        event = new ExchangeEvent("lbreq_0123456789abcdef", System.currentTimeMillis(), "POST", "/v1/messages",
                "alice", "0f0e0d0c-0b0a-0908-0706-050403020100", "claude-opus-4-7", true, false,
                List.of(new AttemptRecord("ws-east", "databricks-claude-opus-4-7", null)), 200, Outcome.COMPLETED,
                false, null, 40_000_000L, 900_000_000L, 30_000_000L, 7_500,
                new UsageCounts(1200, 345, 48_000, 1500, 800), CoalescingRole.OFF);
        queue = new RecordQueue(50_000);
        byte[] bytes = AnthropicStream.messageJson();
        message = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        message.release();
    }

    /**
     * Admission with every limit configured (requests, tokens, concurrency, session, three budgets; never refused),
     * then the ticket's finish (tokens and cost charged).
     */
    @Benchmark
    public FullHttpResponse admitAndFinishEveryLimit() {
        FullHttpResponse refused = admissions.admit(ByteBufAllocator.DEFAULT, record);
        admissions.finished(record.requestId(), 10, 56_000_000L);
        return refused;
    }

    /** The same with no limits configured (the default): counters and the ticket only. */
    @Benchmark
    public FullHttpResponse admitAndFinishNoLimits() {
        FullHttpResponse refused = unlimited.admit(ByteBufAllocator.DEFAULT, record);
        unlimited.finished(record.requestId(), 10, 56_000_000L);
        return refused;
    }

    /** The finished request's event priced into a row and queued (and taken out again, as the writer would). */
    @Benchmark
    public int recordAndQueue() {
        UsageRecord r = UsageRecord.of(event, prices);
        int waiting = queue.offer(r);
        drained.clear();
        queue.drainTo(drained, 1);
        queue.done(drained.size());
        return waiting;
    }

    /** A JSON answer's usage, from the tail of its body kept as it is relayed (a 1.2 KB answer). */
    @Benchmark
    public long jsonUsageTap() {
        JsonUsageTap tap = new JsonUsageTap();
        tap.feed(message);
        return tap.usage().outputTokens();
    }
}
