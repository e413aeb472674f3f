package io.claudelb.codec.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class HeaderRulesTest {

    @Test
    void stripsTheFixedSetAndWhatConnectionNames() {
        HttpHeaders h = new DefaultHttpHeaders()
                .add("Connection", "keep-alive, X-Hop-One")
                .add("connection", "x-hop-two ,,close")
                .add("X-Hop-One", "1")
                .add("X-Hop-Two", "2")
                .add("Keep-Alive", "timeout=5")
                .add("Proxy-Connection", "keep-alive")
                .add("Proxy-Authenticate", "Basic")
                .add("Proxy-Authorization", "Basic abc")
                .add("TE", "trailers")
                .add("Trailer", "X-Checksum")
                .add("Transfer-Encoding", "chunked")
                .add("Upgrade", "h2c")
                .add("anthropic-version", "2023-06-01")
                .add("anthropic-beta", "claude-code-20250219")
                .add("x-claude-code-session-id", "s")
                .add("Content-Type", "application/json");
        HeaderRules.stripHopByHop(h);
        assertThat(h.names()).containsExactlyInAnyOrder("anthropic-version", "anthropic-beta",
                "x-claude-code-session-id", "Content-Type");
    }

    @Test
    void isHopByHopIgnoresCase() {
        for (String name : new String[] {"connection", "Keep-Alive", "PROXY-CONNECTION", "proxy-authenticate",
            "Proxy-Authorization", "te", "Trailer", "transfer-encoding", "Upgrade"}) {
            assertThat(HeaderRules.isHopByHop(name)).as(name).isTrue();
        }
        for (String name : new String[] {"content-length", "x-api-key", "authorization", "tee", "trailers", ""}) {
            assertThat(HeaderRules.isHopByHop(name)).as(name).isFalse();
        }
    }

    @Test
    void stripsClientCredentials() {
        HttpHeaders h = new DefaultHttpHeaders().add("X-Api-Key", "k").add("Authorization", "Bearer t")
                .add("x-claude-code-session-id", "s");
        HeaderRules.stripClientCredentials(h);
        assertThat(h.names()).containsExactly("x-claude-code-session-id");
    }

    @Test
    void clientCredentialPrefersTheApiKey() {
        assertThat(HeaderRules.clientCredential(headers("x-api-key", "sk-1", "authorization", "Bearer t")))
                .isEqualTo("sk-1");
        assertThat(HeaderRules.clientCredential(headers("x-api-key", "", "authorization", "Bearer t")))
                .isEqualTo("t");
        assertThat(HeaderRules.clientCredential(headers("authorization", "bEaReR   tok "))).isEqualTo("tok");
        assertThat(HeaderRules.clientCredential(headers("authorization", "Basic dXNlcg=="))).isEqualTo("Basic dXNlcg==");
        assertThat(HeaderRules.clientCredential(headers("authorization", "Bearer "))).isNull();
        assertThat(HeaderRules.clientCredential(headers("authorization", "Bearerish"))).isEqualTo("Bearerish");
        assertThat(HeaderRules.clientCredential(headers("authorization", ""))).isNull();
        assertThat(HeaderRules.clientCredential(headers("x-api-key", ""))).isNull();
        assertThat(HeaderRules.clientCredential(new DefaultHttpHeaders())).isNull();
    }

    private static HttpHeaders headers(String... nameValues) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i < nameValues.length; i += 2) {
            h.add(nameValues[i], nameValues[i + 1]);
        }
        return h;
    }
}
