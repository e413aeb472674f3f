package io.claudelb.codec.session;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.claudelb.codec.json.JsonParsers;
import java.io.IOException;

/**
 * Extracts the Claude Code session id from a request's {@code metadata.user_id}, the body-side half of the session
 * affinity key (the {@code x-claude-code-session-id} header, when present, is the other and preferred half).
 *
 * <p>Two forms exist: the legacy {@code user_<device hex>_account_<account uuid or empty>_session_<session uuid>}
 * and, since Claude Code 2.1.78, a JSON object serialised into the string,
 * {@code {"device_id":..,"account_uuid":..,"session_id":..}}. Anything else yields null, so affinity falls back to
 * the client key. The result is bounded ({@value #MAX_SESSION_ID_LENGTH} characters) because it becomes a key in a
 * long-lived map.
 */
public final class SessionIds {
    static final int MAX_SESSION_ID_LENGTH = 128;
    private static final String USER_PREFIX = "user_";
    private static final String ACCOUNT_MARK = "_account_";
    private static final String SESSION_MARK = "_session_";
    private static final int UUID_LENGTH = 36;

    private SessionIds() {
    }

    /** The session id in {@code metadataUserId}, or null when it is absent or in no known form. */
    public static String fromUserId(String metadataUserId) {
        if (metadataUserId == null || metadataUserId.isEmpty()) {
            return null;
        }
        if (metadataUserId.charAt(0) == '{') {
            return fromJson(metadataUserId);
        }
        return fromLegacy(metadataUserId);
    }

    private static String fromLegacy(String userId) {
        if (!userId.startsWith(USER_PREFIX)) {
            return null;
        }
        int session = userId.lastIndexOf(SESSION_MARK);
        int account = userId.indexOf(ACCOUNT_MARK, USER_PREFIX.length());
        if (session < 0 || account < 0 || account + ACCOUNT_MARK.length() > session) {
            return null;
        }
        String id = userId.substring(session + SESSION_MARK.length());
        return isUuid(id) ? id : null;
    }

    private static String fromJson(String userId) {
        try (JsonParser parser = JsonParsers.over(userId)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String sessionId = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("session_id".equals(name) && value == JsonToken.VALUE_STRING) {
                    sessionId = parser.getText();
                } else {
                    parser.skipChildren();
                }
            }
            if (sessionId == null || sessionId.isBlank() || sessionId.length() > MAX_SESSION_ID_LENGTH) {
                return null;
            }
            return sessionId;
        } catch (IOException e) {
            return null;
        }
    }

    /** The canonical 8-4-4-4-12 hex form, either case. */
    private static boolean isUuid(String s) {
        if (s.length() != UUID_LENGTH) {
            return false;
        }
        for (int i = 0; i < UUID_LENGTH; i++) {
            char c = s.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : !isAsciiHex(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
