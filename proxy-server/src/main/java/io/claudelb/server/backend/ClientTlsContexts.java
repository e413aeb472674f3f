package io.claudelb.server.backend;

import io.claudelb.core.config.TlsSettings;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.server.transport.HandOffThread;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;

import javax.net.ssl.SSLException;

/**
 * The client {@link SslContext}s of https upstreams, one per distinct trust ({@link TlsSettings}): the JVM's default
 * trust store, or an upstream's {@code tls.ca_file} INSTEAD of it. Hostname verification (HTTPS endpoint
 * identification against the host given to {@code newHandler}) is always on: there is deliberately no way to turn
 * it off.
 *
 * <p>Built with each config snapshot ({@link #prepare}, at start and on every reload, off the event loops): building
 * a context reads the CA file and the JVM's trust store and seeds a SecureRandom, which must not block a loop, so a
 * new connection only looks its context up. A replaced CA file is therefore read at the next reload (which checks it
 * too), not at the next connection. A trust no snapshot prepared (a connection racing a reload) is built once on this
 * class's own thread, and the connection waits for it without holding its loop.
 */
final class ClientTlsContexts implements AutoCloseable {
    /** A context, or why it could not be built (a connection with it then fails as a TLS failure). */
    private record Built(SslContext context, SSLException failure) {
        static Built of(TlsSettings tls) {
            try {
                return new Built(build(tls), null);
            } catch (SSLException e) {
                return new Built(null, e);
            }
        }
    }

    private final ExecutorService lateBuilds = HandOffThread.named("claude-lb-tls-contexts");
    private volatile Map<TlsSettings, Built> contexts = Map.of();

    /**
     * Builds the context of every https upstream in {@code upstreams} (the CA files read again) and makes them the
     * ones new connections use. Call off the event loops, whenever a config snapshot is made.
     */
    void prepare(Collection<UpstreamConfig> upstreams) {
        Map<TlsSettings, Built> next = new HashMap<>();
        for (UpstreamConfig upstream : upstreams) {
            if (upstream.https()) {
                next.computeIfAbsent(upstream.tls(), Built::of);
            }
        }
        synchronized (this) {
            contexts = Map.copyOf(next);
        }
    }

    /**
     * The context for an upstream with {@code tls}, completed on {@code loop}: at once when the snapshot prepared
     * it, else once built off the loop. Fails with an {@link SSLException} when it cannot be built (e.g. the CA
     * file no longer holds a certificate); the exchange counts that as a TLS failure of the upstream.
     */
    Future<SslContext> context(TlsSettings tls, EventLoop loop) {
        Built built = contexts.get(tls);
        if (built != null) {
            return complete(loop.newPromise(), built);
        }
        Promise<SslContext> promise = loop.newPromise();
        lateBuilds.execute(() -> {
            Built late = contexts.get(tls);
            if (late == null) {
                late = Built.of(tls);
                remember(tls, late);
            }
            Built result = late;
            loop.execute(() -> complete(promise, result));
        });
        return promise;
    }

    private synchronized void remember(TlsSettings tls, Built built) {
        Map<TlsSettings, Built> next = new HashMap<>(contexts);
        next.put(tls, built);
        contexts = Map.copyOf(next);
    }

    private static Promise<SslContext> complete(Promise<SslContext> promise, Built built) {
        return built.failure() == null ? promise.setSuccess(built.context()) : promise.setFailure(built.failure());
    }

    private static SslContext build(TlsSettings tls) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS");
        if (tls.hasCaFile()) {
            if (!tls.caFile().toFile().canRead()) {
                throw new SSLException("CA file " + tls.caFile() + " cannot be read");
            }
            try {
                builder.trustManager(tls.caFile().toFile());
            } catch (IllegalArgumentException e) {
                throw new SSLException("CA file " + tls.caFile() + " cannot be used: " + e.getMessage(), e);
            }
        }
        return builder.build();
    }

    @Override
    public void close() {
        lateBuilds.shutdownNow();
    }
}
