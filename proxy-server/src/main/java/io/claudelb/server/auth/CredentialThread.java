package io.claudelb.server.auth;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The one thread on which cloud credentials are resolved and refreshed: the AWS SDK's credential providers (the
 * default chain reads files and calls metadata endpoints, STS is an HTTP call) and Google's auth library (a key file
 * read, a token request) all block, so none of them may run on an event loop. A daemon thread, shared by every
 * upstream: these calls are rare (minutes to hours apart) and short.
 */
public final class CredentialThread {
    private static final ScheduledExecutorService SHARED = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "claude-lb-credentials");
        t.setDaemon(true);
        return t;
    });

    private CredentialThread() {
    }

    /** The process's credential thread. */
    public static ScheduledExecutorService shared() {
        return SHARED;
    }
}
