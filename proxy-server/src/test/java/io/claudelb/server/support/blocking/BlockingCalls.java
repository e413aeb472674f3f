package io.claudelb.server.support.blocking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingMethod;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * BlockHound installed once for the whole test JVM, with a callback that RECORDS every blocking call an event-loop
 * thread makes (thread, method, stack) instead of throwing it into Netty, where a handler's exception is often
 * swallowed or only logged. {@link BlockingCallExtension} fails the test during which a call was recorded.
 *
 * <p>Which threads are checked is Netty's own BlockHound integration (netty-common, found by BlockHound through
 * META-INF/services): every event-loop thread, with Netty's internal, known-harmless calls allowed. The entries
 * below are the only other allowances, each one a call that must block and never on the product's request path.
 */
public final class BlockingCalls {
    private static final List<String> CALLS = new ArrayList<>();

    static {
        BlockHound.install(new TestAllowances());
    }

    private BlockingCalls() {
    }

    /** Installs the detector (first call only; the class initialiser does the work). */
    public static void install() {
        // Loading the class installed it.
    }

    /** Returns, and forgets, the blocking calls recorded since the last call. */
    public static List<String> drain() {
        synchronized (CALLS) {
            List<String> copy = List.copyOf(CALLS);
            CALLS.clear();
            return copy;
        }
    }

    private static void record(BlockingMethod method) {
        Thread thread = Thread.currentThread();
        String stack = Arrays.stream(thread.getStackTrace())
                .skip(2)
                .map(frame -> "\tat " + frame)
                .collect(Collectors.joining("\n"));
        synchronized (CALLS) {
            CALLS.add("blocking call " + method + " on " + thread.getName() + "\n" + stack);
        }
    }

    /** The recording callback, and the test-only allowances. */
    private static final class TestAllowances implements BlockHoundIntegration {
        @Override
        public void applyTo(BlockHound.Builder builder) {
            builder.blockingMethodCallback(BlockingCalls::record);
            // What BlockHound does not know blocks, beyond java.io streams, sockets, sleeps and locks:
            // a host-name lookup (literal addresses never reach getAllByName0, cached names do: a lookup on the
            // loop is a defect whether or not this one hit the JDK's cache) ...
            builder.markAsBlocking("java.net.InetAddress", "getAllByName0",
                    "(Ljava/lang/String;Ljava/net/InetAddress;ZZ)[Ljava/net/InetAddress;");
            // ... and java.nio.file's opens and stats (Files.readString, Files.getLastModifiedTime, ...).
            builder.markAsBlocking("sun.nio.fs.UnixNativeDispatcher", "open0", "(JII)I");
            builder.markAsBlocking("sun.nio.fs.UnixNativeDispatcher", "stat0", "(JLsun/nio/fs/UnixFileAttributes;)V");
            builder.markAsBlocking("sun.nio.fs.UnixNativeDispatcher", "lstat0",
                    "(JLsun/nio/fs/UnixFileAttributes;)V");
            // The tests' logback ConsoleAppender writes synchronously to stdout (surefire's pipe). The product logs
            // through an AsyncAppender (LoggingSetup), so this is the test configuration's blocking, not the
            // product's: allowed at its entry point.
            builder.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "writeBytes");
            builder.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "subAppend");
        }
    }
}
