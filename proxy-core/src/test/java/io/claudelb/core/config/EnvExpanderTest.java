package io.claudelb.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvExpanderTest {
    private final EnvExpander expander = new EnvExpander(Map.of("HOST", "db.example", "EMPTY", "", "PORT", "8443"));

    private String expand(String text) {
        return expander.expand("k", text).value();
    }

    @Test
    void replacesVariablesAnywhereInTheText() {
        assertThat(expand("https://${HOST}:${PORT}/x")).isEqualTo("https://db.example:8443/x");
        assertThat(expand("no references")).isEqualTo("no references");
        assertThat(expand("cost $5")).isEqualTo("cost $5");
    }

    @Test
    void unsetWithoutDefaultIsEmptyAndNamed() {
        EnvExpander.Result r = expander.expand("k", "a${MISSING}b${EMPTY}c");
        assertThat(r.value()).isEqualTo("abc");
        assertThat(r.emptyVariables()).containsExactly("environment variable MISSING is not set",
                "environment variable EMPTY is empty");
    }

    @Test
    void colonDashDefaultAppliesWhenUnsetOrEmpty() {
        assertThat(expand("${MISSING:-fallback}")).isEqualTo("fallback");
        assertThat(expand("${EMPTY:-fallback}")).isEqualTo("fallback");
        assertThat(expand("${HOST:-fallback}")).isEqualTo("db.example");
        assertThat(expand("${MISSING:-}")).isEmpty();
        assertThat(expander.expand("k", "${MISSING:-}").emptyVariables()).isEmpty();
    }

    @Test
    void dashDefaultAppliesOnlyWhenUnset() {
        assertThat(expand("${MISSING-fallback}")).isEqualTo("fallback");
        assertThat(expand("${EMPTY-fallback}")).isEmpty();
    }

    @Test
    void defaultsMayHoldReferencesAndSpecialCharacters() {
        assertThat(expand("${MISSING:-${HOST}:${PORT}}")).isEqualTo("db.example:8443");
        assertThat(expand("${MISSING:-http://u:p@proxy:3128}")).isEqualTo("http://u:p@proxy:3128");
        EnvExpander.Result r = expander.expand("k", "${MISSING:-${ALSO_MISSING}}");
        assertThat(r.value()).isEmpty();
        assertThat(r.emptyVariables()).containsExactly("environment variable ALSO_MISSING is not set");
    }

    @Test
    void doubleDollarIsALiteralReference() {
        assertThat(expand("$${HOST} and ${HOST}")).isEqualTo("${HOST} and db.example");
    }

    @Test
    void malformedReferencesNameTheKeyWithoutEchoingTheValue() {
        assertThatThrownBy(() -> expander.expand("upstreams[0].auth.token", "sk-${HOST"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("upstreams[0].auth.token: unterminated ${")
                .hasMessageNotContaining("sk-");
        assertThatThrownBy(() -> expander.expand("k", "${1BAD}"))
                .hasMessageStartingWith("k: invalid ${...} reference");
        assertThatThrownBy(() -> expander.expand("k", "${HOST:+x}"))
                .hasMessageStartingWith("k: invalid ${HOST...} reference");
    }
}
