package io.claudelb.server.log;

import ch.qos.logback.core.Context;
import ch.qos.logback.core.ContextBase;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The logback context a log file's rolling policy runs in: the logging context's status manager, and one thread for
 * the history clean-ups each rollover starts, so they run one after another.
 *
 * <p>Logback (1.5) runs every rollover's clean-up on a pool of the context's, and concurrent clean-ups compute the
 * days they delete on one shared mutable calendar: one can take today for a day past {@code max_history} and delete
 * today's rolled files. Rollovers that close together happen with small files and a burst of lines (a test lost 12
 * of 400 lines in one run of three); run one at a time, each clean-up sees its own dates.
 */
final class OneCleanupAtATime extends ContextBase {
    private final ExecutorService cleanups;

    OneCleanupAtATime(Context logging) {
        setStatusManager(logging.getStatusManager());
        ThreadPoolExecutor one = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "claude-lb-log-cleanup");
                    t.setDaemon(true);
                    return t;
                });
        one.allowCoreThreadTimeOut(true); // the thread is gone between rollovers: nothing to stop with the file
        cleanups = one;
    }

    @Override
    public synchronized ExecutorService getAlternateExecutorService() {
        return cleanups;
    }
}
