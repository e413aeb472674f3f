package io.claudelb.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudelb.core.usage.ModelPrice;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageConfigTest {
    private static final String UPSTREAMS = """
            upstreams:
              - { name: ws-east, kind: databricks, base_url: "https://adb-1.azuredatabricks.net/serving-endpoints" }
              - { name: relay, base_url: "https://relay.example" }
            """;

    private static GatewayConfig parse(String yaml) {
        return ConfigLoader.parse(UPSTREAMS + yaml, "test.yaml", Map.of("ALICE_KEY", "k-alice", "BOB_KEY", "k-bob",
                "PGPASS", "s3cret"));
    }

    @Test
    void aFileWithoutAccountingSectionsGetsTheDefaults() {
        GatewayConfig c = parse("");
        assertThat(c.storage()).isEqualTo(StorageSettings.DEFAULTS);
        assertThat(c.storage().enabled()).isTrue();
        assertThat(c.storage().url()).isEqualTo("jdbc:sqlite:/var/lib/claude-lb/usage.db");
        assertThat(c.storage().retention()).isEqualTo(Duration.ofDays(90));
        assertThat(c.limits()).isEqualTo(LimitsSettings.NONE);
        assertThat(c.prices().configured()).isEmpty();
    }

    @Test
    void theIssuesExampleReadsAsWritten() {
        GatewayConfig c = parse("""
                storage: { url: "jdbc:postgresql://db.internal:5432/claudelb", user: lb, password: "${PGPASS}",
                           retention: 30d }
                limits:
                  default: { requests_per_minute: 600, tokens_per_minute: 2000000, concurrent: 32,
                             budget: { daily_usd: 200 } }
                  session: { requests_per_minute: 120 }
                  timezone: Europe/Berlin
                clients:
                  - { name: alice, key: "${ALICE_KEY}", limits: { requests_per_minute: 60, budget: { monthly_usd: 500 } } }
                  - { name: bob, key: "${BOB_KEY}" }
                prices:
                  - { match: "*opus*", input: 15, output: 75 }
                  - { match: "*sonnet*", upstream: relay, input: 3.3, output: 16.5, cache_read: 0.33 }
                """);
        StorageSettings s = c.storage();
        assertThat(s.vendor()).isEqualTo(StorageSettings.Vendor.POSTGRESQL);
        assertThat(s.user()).isEqualTo("lb");
        assertThat(s.password().reveal()).isEqualTo("s3cret");
        assertThat(s.retention()).isEqualTo(Duration.ofDays(30));
        LimitsSettings l = c.limits();
        assertThat(l.defaults()).isEqualTo(new ClientLimits(600, 2_000_000, 32,
                new BudgetLimits(200 * BudgetLimits.NANOS_PER_USD, 0, 0)));
        assertThat(l.sessionRequestsPerMinute()).isEqualTo(120);
        assertThat(l.timezone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        // alice's own keys override the default one by one; the rest she inherits.
        assertThat(l.forClient("alice")).isEqualTo(new ClientLimits(60, 2_000_000, 32,
                new BudgetLimits(200 * BudgetLimits.NANOS_PER_USD, 0, 500 * BudgetLimits.NANOS_PER_USD)));
        assertThat(l.forClient("bob")).isEqualTo(l.defaults());
        assertThat(c.prices().lookup("databricks-claude-opus-4-7", "ws-east")).isEqualTo(
                ModelPrice.perMillion("15", "75"));
        ModelPrice relaySonnet = c.prices().lookup("claude-sonnet-4-5", "relay");
        assertThat(relaySonnet.input()).isEqualTo(3_300_000);
        assertThat(relaySonnet.cacheRead()).isEqualTo(330_000);
        assertThat(relaySonnet.cacheWrite5m()).isEqualTo(4_125_000);
        assertThat(c.prices().lookup("claude-sonnet-4-5", "ws-east")).isEqualTo(ModelPrice.perMillion("3", "15"));
    }

    @Test
    void aRelativeSqlitePathIsResolvedAgainstTheWorkingDirectory() {
        GatewayConfig c = parse("storage: { url: \"jdbc:sqlite:data/usage.db\" }\n");
        Path expected = Path.of("data/usage.db").toAbsolutePath().normalize();
        assertThat(c.storage().url()).isEqualTo("jdbc:sqlite:" + expected);
        assertThat(c.storage().sqliteFile()).isEqualTo(expected);
    }

    @Test
    void storageCanBeTurnedOff() {
        assertThat(parse("storage: { enabled: false }\n").storage().enabled()).isFalse();
    }

    @Test
    void theDisplayUrlNeverShowsCredentials() {
        StorageSettings s = StorageSettings.DEFAULTS.withUrl("jdbc:postgresql://lb:pw@db:5432/x?password=pw&ssl=true");
        assertThat(s.displayUrl()).isEqualTo("jdbc:postgresql://db:5432/x?...").doesNotContain("pw");
    }

    @Test
    void mistakesNameTheirKey() {
        assertThatThrownBy(() -> parse("storage: { url: \"mysql://x\" }\n"))
                .hasMessageContaining("storage.url").hasMessageContaining("jdbc:sqlite:");
        assertThatThrownBy(() -> parse("storage: { retention: 10m }\n"))
                .hasMessageContaining("storage.retention").hasMessageContaining("at least 1h");
        assertThatThrownBy(() -> parse("limits: { default: { requests_per_min: 5 } }\n"))
                .hasMessageContaining("limits.default.requests_per_min").hasMessageContaining("requests_per_minute");
        assertThatThrownBy(() -> parse("limits: { default: { budget: { daily_usd: -1 } } }\n"))
                .hasMessageContaining("limits.default.budget.daily_usd").hasMessageContaining("negative");
        assertThatThrownBy(() -> parse("limits: { timezone: Mars/Olympus }\n"))
                .hasMessageContaining("limits.timezone").hasMessageContaining("Mars/Olympus");
        assertThatThrownBy(() -> parse("prices: [ { match: \"*\", input: 1 } ]\n"))
                .hasMessageContaining("prices[0].output").hasMessageContaining("is required");
        assertThatThrownBy(() -> parse("prices: [ { match: \"*\", upstream: nope, input: 1, output: 2 } ]\n"))
                .hasMessageContaining("prices[0].upstream").hasMessageContaining("nope");
        assertThatThrownBy(() -> parse("prices: [ { match: \"*\", input: abc, output: 2 } ]\n"))
                .hasMessageContaining("prices[0].input").hasMessageContaining("expected a number");
        assertThatThrownBy(() -> parse("""
                clients:
                  - { name: alice, key: k, limits: { concurrent: -2 } }
                """)).hasMessageContaining("clients[0].limits.concurrent");
    }

    @Test
    void withServerKeepsTheAccountingSections() {
        GatewayConfig c = parse("limits: { session: { requests_per_minute: 7 } }\nstorage: { retention: 2d }\n");
        GatewayConfig moved = c.withServer(c.server().withListen("127.0.0.1", 0));
        assertThat(moved.limits()).isEqualTo(c.limits());
        assertThat(moved.storage()).isEqualTo(c.storage());
        assertThat(moved.prices()).isEqualTo(c.prices());
    }
}
