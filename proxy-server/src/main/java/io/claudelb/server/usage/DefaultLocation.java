package io.claudelb.server.usage;

import io.claudelb.core.config.StorageSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the default SQLite file goes when its directory cannot be used. The default
 * ({@code /var/lib/claude-lb/usage.db}) suits the systemd unit (its state directory) and root; a developer running
 * the shipped config as themselves would otherwise record nothing. So for the default URL only, an unwritable
 * directory falls back to {@code $XDG_STATE_HOME/claude-lb/usage.db} (else {@code ~/.local/state/claude-lb/}),
 * logged once. A URL set by hand never moves: a wrong path there is reported by the writer until it is fixed.
 */
final class DefaultLocation {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultLocation.class);

    private DefaultLocation() {
    }

    static StorageSettings usable(StorageSettings settings) {
        if (!settings.url().equals(StorageSettings.DEFAULT_URL) || writable(settings.sqliteFile().getParent())) {
            return settings;
        }
        Path fallback = fallbackDirectory().resolve("usage.db").toAbsolutePath();
        if (!writable(fallback.getParent())) {
            return settings; // nowhere better: the writer reports the default's problem
        }
        LOG.info("usage: {} is not writable by this user; recording to {} instead (set storage.url to choose)",
                settings.sqliteFile().getParent(), fallback);
        return settings.withUrl("jdbc:sqlite:" + fallback);
    }

    private static Path fallbackDirectory() {
        String xdg = System.getenv("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("claude-lb");
    }

    /** Creates {@code dir} if needed; whether a file can be written there. */
    static boolean writable(Path dir) {
        try {
            Files.createDirectories(dir);
            return Files.isWritable(dir);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
