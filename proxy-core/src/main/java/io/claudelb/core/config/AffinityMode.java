package io.claudelb.core.config;

import java.util.Locale;

/** What keeps a client on one upstream so its prompt cache keeps hitting ({@code balancing.affinity}). */
public enum AffinityMode {
    NONE,
    /** Claude Code session: x-claude-code-session-id, else metadata.user_id's session, else the client key. */
    SESSION,
    /** The client key's name. */
    CLIENT_KEY;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
