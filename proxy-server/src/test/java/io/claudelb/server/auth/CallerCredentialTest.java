package io.claudelb.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class CallerCredentialTest {

    private static HttpHeaders headers(String... pairs) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i < pairs.length; i += 2) {
            h.add(pairs[i], pairs[i + 1]);
        }
        return h;
    }

    private static HttpHeaders forwarded(CallerCredential c) {
        HttpHeaders out = new DefaultHttpHeaders();
        c.addTo(out);
        return out;
    }

    @Test
    void anAnonymousCallersOwnHeadersAreItsCredential() {
        HttpHeaders out = forwarded(CallerCredential.of(headers("x-api-key", "sk-own", "authorization", "Bearer t"),
                false));
        assertThat(out.get("x-api-key")).isEqualTo("sk-own");
        assertThat(out.get("authorization")).isEqualTo("Bearer t");
    }

    @Test
    void anAuthenticatedCallersHeadersAreClaudeLbsAndNeverForwarded() {
        CallerCredential c = CallerCredential.of(headers("x-api-key", "lb-key"), true);
        assertThat(c.isEmpty()).isTrue();
        assertThat(c).isSameAs(CallerCredential.NONE);
        assertThat(forwarded(c).isEmpty()).isTrue();
    }

    @Test
    void theDedicatedHeadersWinForEveryCallerAndMapToTheStandardNames() {
        HttpHeaders in = headers("x-api-key", "lb-key", "x-claude-lb-upstream-authorization", "Bearer own",
                "x-claude-lb-upstream-api-key", "sk-own");
        for (boolean authenticated : new boolean[] {true, false}) {
            HttpHeaders out = forwarded(CallerCredential.of(in, authenticated));
            assertThat(out.get("x-api-key")).isEqualTo("sk-own");
            assertThat(out.get("authorization")).isEqualTo("Bearer own");
        }
        HttpHeaders onlyAuth = forwarded(CallerCredential.of(headers("x-api-key", "lb-key",
                "x-claude-lb-upstream-authorization", "Bearer own"), false));
        assertThat(onlyAuth.contains("x-api-key")).isFalse();
    }

    @Test
    void blankValuesAreNoCredentialAndNothingIsPrinted() {
        assertThat(CallerCredential.of(headers("x-api-key", "", "x-claude-lb-upstream-api-key", ""), false)
                .isEmpty()).isTrue();
        assertThat(CallerCredential.of(headers("x-api-key", "sk-secret"), false).toString())
                .doesNotContain("sk-secret");
    }
}
