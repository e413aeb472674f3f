package io.claudelb.codec.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SessionIdsTest {
    private static final String DEVICE = "5f2b1c0e9a7d4c3b8e6f1a2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3";
    private static final String ACCOUNT = "0b6f1e2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
    private static final String SESSION = "7c1e4b2a-9d3f-4e8a-b6c5-2f1a0e9d8c7b";

    @Test
    void legacyForm() {
        assertThat(SessionIds.fromUserId("user_" + DEVICE + "_account_" + ACCOUNT + "_session_" + SESSION))
                .isEqualTo(SESSION);
        // API-key logins have no account uuid.
        assertThat(SessionIds.fromUserId("user_" + DEVICE + "_account__session_" + SESSION)).isEqualTo(SESSION);
        assertThat(SessionIds.fromUserId("user_" + DEVICE + "_account__session_" + SESSION.toUpperCase()))
                .isEqualTo(SESSION.toUpperCase());
    }

    @Test
    void jsonStringForm() {
        assertThat(SessionIds.fromUserId("{\"device_id\":\"" + DEVICE + "\",\"account_uuid\":\"" + ACCOUNT
                + "\",\"session_id\":\"" + SESSION + "\"}")).isEqualTo(SESSION);
        assertThat(SessionIds.fromUserId("{\"device_id\":\"d\",\"extra\":{\"session_id\":\"nested\"},"
                + "\"account_uuid\":\"\",\"session_id\":\"" + SESSION + "\"}")).isEqualTo(SESSION);
        assertThat(SessionIds.fromUserId("{ \"session_id\" : \"not-a-uuid-but-fine\" }"))
                .isEqualTo("not-a-uuid-but-fine");
    }

    @Test
    void garbageGivesNull() {
        assertThat(SessionIds.fromUserId(null)).isNull();
        assertThat(SessionIds.fromUserId("")).isNull();
        assertThat(SessionIds.fromUserId("alice")).isNull();
        assertThat(SessionIds.fromUserId("user_abc_session_" + SESSION)).as("no account part").isNull();
        assertThat(SessionIds.fromUserId("user_abc_account_x_session_not-a-uuid")).isNull();
        assertThat(SessionIds.fromUserId("user_abc_account_x_session_" + SESSION + "x")).isNull();
        assertThat(SessionIds.fromUserId("user_abc_account_x_session_" + SESSION.replace('7', 'g'))).isNull();
        assertThat(SessionIds.fromUserId("user_abc_account_x_session_" + SESSION.replace('-', '_'))).isNull();
        assertThat(SessionIds.fromUserId("user_abc_account_x_session_" + SESSION.replace('7', '\u0667')))
                .as("non-ASCII digit").isNull();
        assertThat(SessionIds.fromUserId("{\"device_id\":\"d\"}")).isNull();
        assertThat(SessionIds.fromUserId("{\"session_id\":42}")).isNull();
        assertThat(SessionIds.fromUserId("{\"session_id\":\"  \"}")).isNull();
        assertThat(SessionIds.fromUserId("{\"session_id\":\"" + "s".repeat(SessionIds.MAX_SESSION_ID_LENGTH + 1)
                + "\"}")).isNull();
        assertThat(SessionIds.fromUserId("{\"session_id\":")).isNull();
        assertThat(SessionIds.fromUserId("{not json")).isNull();
    }
}
