package io.claudelb.core.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks an upstream's {@code tls.ca_file} when the config is read, so that a missing, unreadable or non-PEM file
 * stops startup (or a reload) with the key named, instead of failing every connection to that upstream later.
 * The PEM blocks are found the way the TLS layer reads them (Netty's PEM reader: text around the blocks is
 * ignored) and each must decode as an X.509 certificate.
 */
final class CaFiles {
    /** Far above any real CA bundle (the full Mozilla bundle is about 250 KB); guards against a wrong path. */
    private static final long MAX_BYTES = 16L * 1024 * 1024;
    private static final Pattern CERTIFICATE = Pattern.compile(
            "-+BEGIN\\s[^-\\r\\n]*CERTIFICATE[^-\\r\\n]*-+(?:\\s|\\r|\\n)+([a-zA-Z0-9+/=\\r\\n]+)"
                    + "-+END\\s[^-\\r\\n]*CERTIFICATE[^-\\r\\n]*-+");

    private CaFiles() {
    }

    /** Throws a {@link ConfigException} naming {@code key} unless {@code file} is a readable PEM CA file. */
    static void check(String key, Path file) {
        if (Files.isDirectory(file)) {
            throw new ConfigException(key, "is a directory, expected a PEM file: " + file);
        }
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new ConfigException(key, "is larger than 16 MiB, not a CA certificate file: " + file);
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(key, "file not found: " + file);
        } catch (IOException e) {
            throw new ConfigException(key, "cannot be read (" + e.getClass().getSimpleName() + "): " + file);
        }
        int count = certificates(key, new String(bytes, StandardCharsets.US_ASCII));
        if (count == 0) {
            throw new ConfigException(key, "contains no PEM certificate (-----BEGIN CERTIFICATE-----): " + file);
        }
    }

    private static int certificates(String key, String pem) {
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JVM has no X.509 certificate factory", e);
        }
        Matcher m = CERTIFICATE.matcher(pem);
        int count = 0;
        while (m.find()) {
            count++;
            try {
                byte[] der = Base64.getMimeDecoder().decode(m.group(1));
                factory.generateCertificate(new ByteArrayInputStream(der));
            } catch (IllegalArgumentException | CertificateException e) {
                throw new ConfigException(key, "certificate " + count + " is not a valid X.509 certificate");
            }
        }
        return count;
    }
}
