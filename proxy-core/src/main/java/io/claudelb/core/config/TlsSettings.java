package io.claudelb.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * TLS trust of one https upstream ({@code upstreams[].tls}): which certificate authorities its server certificate
 * may chain to. Hostname verification is not configurable here or anywhere: claude-lb always checks that the
 * certificate names the base URL's host.
 *
 * @param caFile PEM file with one or more CA certificates that are trusted INSTEAD OF the JVM's default trust store
 *               for this upstream (a corporate relay or self-hosted gateway signed by a private CA); stored as an
 *               absolute path (a relative one is resolved against the working directory when the config is read).
 *               null means the JVM's default trust store; YAML {@code ca_file}
 */
public record TlsSettings(Path caFile) {

    /** The JVM's default trust store. */
    public static final TlsSettings DEFAULTS = new TlsSettings(null);

    public TlsSettings {
        caFile = caFile == null ? null : caFile.toAbsolutePath().normalize();
    }

    /** A CA file replaces the JVM's trust store. */
    public static TlsSettings caFile(Path file) {
        return new TlsSettings(Objects.requireNonNull(file, "file"));
    }

    /** Whether this upstream trusts its own CA file rather than the JVM's trust store. */
    public boolean hasCaFile() {
        return caFile != null;
    }
}
