package io.claudelb.server.backend;

import io.claudelb.core.config.TlsSettings;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/**
 * The client {@link SslContext}s of https upstreams, one per distinct trust ({@link TlsSettings}): the JVM's default
 * trust store, or an upstream's {@code tls.ca_file} INSTEAD of it. Hostname verification (HTTPS endpoint
 * identification against the host given to {@code newHandler}) is always on: there is deliberately no way to turn
 * it off.
 *
 * <p>A CA file is read when its first connection is made and again when its modification time changes, so a
 * replaced private CA is picked up by new connections without a restart (the config check at reload reads it too).
 * Used from every event loop: the map is concurrent and a built context is immutable; two loops racing on a changed
 * file both build it, which is harmless.
 */
final class ClientTlsContexts {
    private record Built(SslContext context, FileTime caFileModified) {
    }

    private final Map<TlsSettings, Built> contexts = new ConcurrentHashMap<>();

    /**
     * The context for an upstream with {@code tls}.
     *
     * @throws SSLException when it cannot be built, e.g. the CA file was removed or no longer holds a certificate
     *     since the config was loaded; the exchange counts that as a TLS failure of the upstream
     */
    SslContext context(TlsSettings tls) throws SSLException {
        FileTime modified = tls.hasCaFile() ? modified(tls) : null;
        Built built = contexts.get(tls);
        if (built == null || !Objects.equals(built.caFileModified(), modified)) {
            built = new Built(build(tls), modified);
            contexts.put(tls, built);
        }
        return built.context();
    }

    private static SslContext build(TlsSettings tls) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS");
        if (tls.hasCaFile()) {
            try {
                builder.trustManager(tls.caFile().toFile());
            } catch (IllegalArgumentException e) {
                throw new SSLException("CA file " + tls.caFile() + " cannot be used: " + e.getMessage(), e);
            }
        }
        return builder.build();
    }

    private static FileTime modified(TlsSettings tls) throws SSLException {
        try {
            return Files.getLastModifiedTime(tls.caFile());
        } catch (IOException e) {
            throw new SSLException("CA file " + tls.caFile() + " cannot be read (" + e.getClass().getSimpleName()
                    + ")", e);
        }
    }
}
