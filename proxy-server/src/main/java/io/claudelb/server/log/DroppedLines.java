package io.claudelb.server.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import net.logstash.logback.appender.listener.AppenderListener;
import org.slf4j.Logger;

/**
 * Counts the log lines the async appender could not queue (its queue full: the destination is slower than the
 * traffic), which it drops rather than make an event loop wait. {@link #count()} is the total since start, for
 * metrics; {@link #report()} writes one WARN line with what was dropped since the previous report, and is run once a
 * minute by {@link LogOutput}.
 */
public final class DroppedLines implements AppenderListener<ILoggingEvent> {
    private final Logger log;
    private final LongAdder dropped = new LongAdder();
    private final AtomicLong reported = new AtomicLong();

    /** @param log where {@link #report()} writes */
    DroppedLines(Logger log) {
        this.log = log;
    }

    @Override
    public void eventAppendFailed(Appender<ILoggingEvent> appender, ILoggingEvent event, Throwable reason) {
        dropped.increment();
    }

    /** Lines dropped since start. */
    public long count() {
        return dropped.sum();
    }

    /** Logs how many lines were dropped since the last report, if any; returns that number. */
    long report() {
        long total = count();
        long before = reported.getAndSet(total);
        long recent = total - before;
        if (recent > 0) {
            log.warn("log: {} lines dropped since the last report ({} since start): the log destination is slower "
                    + "than the traffic", recent, total);
        }
        return recent;
    }
}
