package io.claudelb.core.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.ConfigLoader;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.match.ModelPattern;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Routes no request can reach and upstreams no route uses are warned about; what can be reached is not. */
class RoutingWarningsTest {
    private static boolean covers(String earlier, String later) {
        return new ModelPattern(earlier).covers(new ModelPattern(later));
    }

    @Test
    void aPatternCoversExactlyTheModelsItAlsoMatches() {
        assertThat(covers("*", "anything-*")).isTrue();
        assertThat(covers("*", "*")).isTrue();
        assertThat(covers("*opus*", "claude-opus-4-5")).isTrue();
        assertThat(covers("*opus*", "*opus-4*")).isTrue();
        assertThat(covers("*opus*", "claude-*-opus")).isTrue();
        assertThat(covers("claude-*", "claude-opus-*")).isTrue();
        assertThat(covers("a*b", "a*x*b")).isTrue();
        assertThat(covers("*-4-5", "claude-*-4-5")).isTrue();
        assertThat(covers("Claude-Opus", "claude-opus")).as("case-insensitive").isTrue();
        assertThat(covers("a**b", "a*b")).isTrue();

        assertThat(covers("claude-*", "*claude*")).isFalse();
        assertThat(covers("*opus*", "*")).isFalse();
        assertThat(covers("*opus*", "*op*")).isFalse();
        assertThat(covers("a*b", "a*")).isFalse();
        assertThat(covers("ab", "a*b")).isFalse();
        assertThat(covers("a*b*c", "a*c")).isFalse();
        assertThat(covers("claude-3.5-*", "claude-3x5-haiku")).as("'.' is literal").isFalse();
        assertThat(covers("*a*a*", "*aa*")).isTrue();
        assertThat(covers("*aa*", "*a*a*")).isFalse();
        assertThat(covers("gpt-4", "gpt-4o")).isFalse();
        assertThat(covers("", "")).isTrue();
    }

    private static GatewayConfig config(String routes) {
        return ConfigLoader.parse("""
                upstreams:
                  - { name: a, base_url: "http://h:1" }
                  - { name: b, base_url: "http://h:2" }
                  - { name: c, base_url: "http://h:3" }
                """ + routes, "test.yaml", Map.of());
    }

    @Test
    void routesAfterACatchAllOrACoveringPatternAreNeverUsed() {
        GatewayConfig config = config("""
                routes:
                  - { match: "*opus*", targets: [ { upstream: a } ] }
                  - { match: "claude-opus-4-5", targets: [ { upstream: b } ] }
                  - { match: "*", targets: [ { upstream: a } ] }
                  - { match: "gpt-*", targets: [ { upstream: c } ] }
                """);
        assertThat(RoutingWarnings.of(config)).containsExactly(
                "route 'claude-opus-4-5' is never used: the earlier route '*opus*' matches every model it matches"
                        + " (the first matching route wins)",
                "route 'gpt-*' is never used: it comes after the catch-all route '*' (the first matching route wins)",
                "upstream 'b' gets no request: no reachable route has it as a target",
                "upstream 'c' gets no request: no reachable route has it as a target");
    }

    @Test
    void aConfigWhoseRoutesAreAllReachableHasNoWarning() {
        assertThat(RoutingWarnings.of(config("""
                routes:
                  - { match: "claude-opus-4-5", targets: [ { upstream: b } ] }
                  - { match: "*opus*", targets: [ { upstream: a } ] }
                  - { match: "*", targets: [ { upstream: c } ] }
                """))).isEmpty();
        assertThat(RoutingWarnings.of(config(""))).as("no routes: every upstream serves every model").isEmpty();
    }
}
