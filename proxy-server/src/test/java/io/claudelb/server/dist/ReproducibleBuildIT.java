package io.claudelb.server.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two builds of one commit give the same bytes: this build's shaded jar, .deb and .tar.gz against a second build
 * of the same sources, copied to another directory (so every file has another path and modification time) and
 * built from scratch there (compile, shade, package; its tests skipped: they ran in this build). Only the modules
 * the server needs are built again, which costs about a fifth of a CI run instead of doubling it.
 * The parent pom's artifact:check-buildplan complements this: it refuses plugins known not to be reproducible.
 */
class ReproducibleBuildIT {
    private static final List<String> SOURCES = List.of("pom.xml", "README.md", "bin", "config", "proxy-core",
            "proxy-codec", "proxy-server", "benchmarks/pom.xml");

    @TempDir
    Path dir;

    @Test
    void aSecondBuildOfTheSameSourcesGivesIdenticalPackages() throws Exception {
        Path copy = dir.resolve("claude-lb");
        for (String source : SOURCES) {
            copyTree(Shell.root().resolve(source), copy.resolve(source));
        }
        String mvn = Path.of(System.getProperty("maven.home"), "bin", "mvn").toString();
        Shell.ok(mvn, "-B", "-q", "-o", "-f", copy.resolve("pom.xml").toString(), "-pl", "proxy-server", "-am",
                "-DskipTests", "package");

        Path first = Shell.root().resolve("proxy-server/target");
        Path second = copy.resolve("proxy-server/target");
        Path jar = Path.of(System.getProperty("claude-lb.jar")).getFileName();
        assertThat(differingEntries(first.resolve(jar), second.resolve(jar))).as("entries that differ").isEmpty();
        for (String artifact : List.of(jar.toString(), Path.of(System.getProperty("claude-lb.deb")).getFileName()
                .toString(), Path.of(System.getProperty("claude-lb.tar")).getFileName().toString())) {
            assertThat(sha256(second.resolve(artifact))).as(artifact).isEqualTo(sha256(first.resolve(artifact)));
        }
    }

    /** Names of the jar entries whose bytes, time or presence differ: what to look at when the hashes do. */
    private static List<String> differingEntries(Path a, Path b) throws IOException {
        Map<String, String> left = entries(a);
        Map<String, String> right = entries(b);
        List<String> out = new ArrayList<>();
        left.forEach((name, digest) -> {
            if (!digest.equals(right.get(name))) {
                out.add(name);
            }
        });
        right.keySet().stream().filter(name -> !left.containsKey(name)).forEach(out::add);
        return out;
    }

    private static Map<String, String> entries(Path jar) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                try (InputStream in = zip.getInputStream(e)) {
                    out.put(e.getName(), e.getTime() + ":" + sha256(in.readAllBytes()));
                }
            }
        }
        return out;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            files.filter(p -> !from.relativize(p).toString().startsWith("target")).forEach(p -> {
                try {
                    Path target = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(p, target); // new modification times, on purpose
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static String sha256(Path file) throws IOException {
        return sha256(Files.readAllBytes(file));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
