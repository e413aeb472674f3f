package io.claudelb.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every user error is one ConfigException naming the full key and the problem, never leaking a secret. */
class ConfigErrorsTest {
    private static final String ONE = "upstreams: [ { name: a, base_url: 'http://h:1' } ]\n";

    private static ConfigException error(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.parse(yaml, "test.yaml", Map.of("SET", "value")));
        assertThat(e).as("expected a ConfigException for:%n%s", yaml).isNotNull();
        return e;
    }

    private static void assertError(String yaml, String key, String problemPart) {
        ConfigException e = error(yaml);
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.problem()).contains(problemPart);
        assertThat(e.getMessage()).isEqualTo(key + ": " + e.problem());
    }

    @Test
    void unknownKeysAreErrorsWithASuggestion() {
        assertError("server: { listn: 1 }\n" + ONE, "server.listn", "unknown key; did you mean 'listen'?");
        assertError("upstream: []\n" + ONE, "upstream", "did you mean 'upstreams'?");
        assertError("upstreams: [ { name: a, base_url: 'http://h:1', baseurl: x } ]", "upstreams[0].baseurl",
                "did you mean 'base_url'?");
        assertError("upstreams: [ { name: a, base_url: 'http://h:1', pool: { max_conections: 1 } } ]",
                "upstreams[0].pool.max_conections", "did you mean 'max_connections'?");
        assertError("upstreams: [ { name: a, base_url: 'http://h:1', auth: { type: bearer, token: t, tokn: x } } ]",
                "upstreams[0].auth.tokn", "did you mean 'token'?");
        assertError(ONE + "routes: [ { match: '*', targets: [ { upstream: a, modle: x } ] } ]",
                "routes[0].targets[0].modle", "did you mean 'model'?");
        assertError(ONE + "retry: { stream_peek: { max_byte: 1 } }", "retry.stream_peek.max_byte",
                "did you mean 'max_bytes'?");
        assertError(ONE + "health: { colour: red }", "health.colour", "known keys here: extra_failure_statuses");
    }

    @Test
    void requiredKeysAreNamed() {
        assertError("server: { port: 1 }", "upstreams", "is required");
        assertError("upstreams: []", "upstreams", "must list at least one upstream");
        assertError("upstreams: [ { base_url: 'http://h:1' } ]", "upstreams[0].name", "is required");
        assertError("upstreams: [ { name: a } ]", "upstreams[0].base_url", "is required");
        assertError(ONE + "clients: [ { name: x } ]", "clients[0].key", "is required");
        assertError(ONE + "routes: [ { targets: [ { upstream: a } ] } ]", "routes[0].match", "is required");
        assertError(ONE + "routes: [ { match: '*' } ]", "routes[0].targets", "at least one target");
        assertError("upstreams: [ { name: a, base_url: 'http://h:1', auth: { token: x } } ]",
                "upstreams[0].auth.type", "is required");
    }

    @Test
    void aRequiredKeyLeftEmptyByAVariableNamesTheVariable() {
        assertError("upstreams: [ { name: a, base_url: '${WS_URL}' } ]", "upstreams[0].base_url",
                "is empty (environment variable WS_URL is not set)");
        assertError("upstreams: [ { name: a, base_url: 'http://h:1', auth: { type: bearer, token: '${DB_TOKEN}' } } ]",
                "upstreams[0].auth.token", "is required for auth type bearer (environment variable DB_TOKEN is not set)");
        assertError(ONE + "clients: [ { name: alice, key: '${ALICE_KEY}' } ]", "clients[0].key",
                "(environment variable ALICE_KEY is not set)");
        assertError("upstreams: [ { name: a, base_url: 'http://h:1', weight: '${W}' } ]", "upstreams[0].weight",
                "expected a whole number, got '' (environment variable W is not set)");
        assertError("upstreams: [ { name: a, kind: databricks, base_url: 'http://h:1',"
                + " auth: { type: databricks_oauth, client_id: '${CID}', client_secret: s } } ]",
                "upstreams[0].auth.client_id", "environment variable CID is not set");
    }

    @Test
    void badValuesNameTheirKey() {
        assertError("upstreams: [ { name: a, base_url: 'http://h:1', weight: 0 } ]", "upstreams[0].weight",
                "must be between 1 and 1000000");
        assertError("upstreams: [ { name: a, base_url: 'http://h:1', weight: many } ]", "upstreams[0].weight",
                "expected a whole number, got 'many'");
        assertError("upstreams: [ { name: a, base_url: 'ftp://h' } ]", "upstreams[0].base_url",
                "must be an http:// or https:// URL");
        assertError("upstreams: [ { name: a, base_url: 'http://h:1' }, { name: b, base_url: 'https://u:p@h' } ]",
                "upstreams[1].base_url", "must not contain credentials");
        assertError("upstreams: [ { name: a, base_url: 'https://h:99999' } ]", "upstreams[0].base_url",
                "port must be between 1 and 65535, got 99999");
        assertError("upstreams: [ { name: a, base_url: 'http://h 1' } ]", "upstreams[0].base_url",
                "is not a valid URL");
        assertError("upstreams: [ { name: a, kind: azure, base_url: 'http://h:1' } ]", "upstreams[0].kind",
                "unknown value 'azure'; expected one of anthropic, databricks, openai, bedrock, vertex");
        assertError("upstreams: [ { name: a, base_url: 'http://h:1', openai: { user_max_length: 1 } } ]",
                "upstreams[0].openai", "is only used by kind openai, this upstream is kind anthropic");
        assertError("upstreams: [ { name: a, kind: openai, base_url: 'http://h:1', count_tokens: true } ]",
                "upstreams[0].count_tokens", "no token counting endpoint");
        assertError("upstreams: [ { name: a, kind: openai, base_url: 'http://h:1', openai: { reasoning: x } } ]",
                "upstreams[0].openai.reasoning", "known keys here: max_completion_tokens, reasoning_param");
        assertError("upstreams: [ { name: a, kind: openai, base_url: 'http://h:1', "
                + "openai: { reasoning_param: 'a.b.c' } } ]", "upstreams[0].openai.reasoning_param",
                "must be a parameter name");
        assertError("upstreams: [ { name: a, kind: openai, base_url: 'http://h:1', "
                + "openai: { user_max_length: -1 } } ]", "upstreams[0].openai.user_max_length",
                "must be between 0 and 1000000");
        assertError("upstreams: [ { name: a, base_url: 'http://h:1', timeouts: { connect: soon } } ]",
                "upstreams[0].timeouts.connect", "expected a duration");
        assertError("upstreams: [ { name: a, base_url: 'http://h:1', timeouts: { idle: 0s } } ]",
                "upstreams[0].timeouts.idle", "must be a positive duration");
        assertError("upstreams: [ { name: a, base_url: 'http://h:1', count_tokens: maybe } ]",
                "upstreams[0].count_tokens", "expected true or false, got 'maybe'");
        assertError(ONE + "server: { max_request_bytes: huge }", "server.max_request_bytes", "expected a size");
        assertError(ONE + "server: { port: 70000 }", "server.port", "must be between 0 and 65535");
        assertError(ONE + "server: { listen: 'localhost' }", "server.listen", "expected host:port");
        assertError(ONE + "server: { listen: ':80' }", "server.listen", "needs a host");
        assertError(ONE + "server: { listen: 'h:99999' }", "server.listen", "port must be a number");
        assertError(ONE + "server: { listen: 'h:1', port: 2 }", "server.listen", "either listen or host/port");
        assertError(ONE + "server: { auth_exempt_paths: [health] }", "server.auth_exempt_paths[0]",
                "must start with '/'");
        assertError(ONE + "server: { max_connections: [1] }", "server.max_connections",
                "expected a single value, got a list");
        assertError(ONE + "server: [1]", "server", "expected a mapping");
        assertError("upstreams: { name: a }", "upstreams", "expected a list");
        assertError("upstreams: [ a ]", "upstreams[0]", "expected a mapping");
        assertError(ONE + "balancing: { strategy: fastest }", "balancing.strategy",
                "expected one of least_requests, round_robin, random, priority");
        assertError(ONE + "balancing: { affinity: sticky }", "balancing.affinity", "unknown value 'sticky'");
        assertError(ONE + "balancing: { affinity_ttl: 0 }", "balancing.affinity_ttl", "must be a positive duration");
        assertError(ONE + "health: { failure_threshold: 0 }", "health.failure_threshold", "must be between 1");
        assertError(ONE + "health: { extra_failure_statuses: [402, 700] }", "health.extra_failure_statuses[1]",
                "between 100 and 599");
        assertError(ONE + "health: { extra_failure_statuses: ['524-520'] }", "health.extra_failure_statuses[0]",
                "ends before it starts");
        assertError(ONE + "health: { extra_failure_statuses: [teapot] }", "health.extra_failure_statuses[0]",
                "expected a whole number");
        assertError(ONE + "health: { failure_body_patterns: ['ok', '(unclosed'] }", "health.failure_body_patterns[1]",
                "is not a valid regular expression");
        assertError(ONE + "retry: { max_attempts: 0 }", "retry.max_attempts", "must be between 1 and 100");
        assertError(ONE + "retry: { stream_peek: { max_bytes: 1GiB } }", "retry.stream_peek.max_bytes",
                "must be between 0 and");
        assertError(ONE + "logging: { level: verbose }", "logging.level", "expected one of error, warn, info");
        assertError(ONE + "databricks_models: { rules: [ { contains: opus } ] }", "databricks_models.rules[0].model",
                "is required");
    }

    @Test
    void crossReferencesNameTheirKey() {
        assertError("upstreams: [ { name: a, base_url: 'http://h:1' }, { name: a, base_url: 'http://h:2' } ]",
                "upstreams[1].name", "duplicate upstream name 'a'");
        assertError(ONE + "clients: [ { name: x, key: k }, { name: x, key: l } ]", "clients[1].name",
                "duplicate client name 'x'");
        assertError("upstreams: [ { name: ws-east, base_url: 'http://h:1' } ]\n"
                + "routes: [ { match: '*', targets: [ { upstream: ws-eats } ] } ]",
                "routes[0].targets[0].upstream", "no upstream named 'ws-eats'; did you mean 'ws-east'?");
        assertError("upstreams: [ { name: a, enabled: false, base_url: 'http://h:1' } ]", "upstreams",
                "every upstream has enabled: false");
    }

    @Test
    void authKeysTheTypeDoesNotUseAreErrors() {
        assertError("upstreams: [ { name: a, base_url: 'http://h:1', auth: { type: passthrough, token: x } } ]",
                "upstreams[0].auth.token", "is not used by auth type passthrough");
        assertError("upstreams: [ { name: a, base_url: 'http://h:1', auth: { type: bearer, client_id: x, token: t } } ]",
                "upstreams[0].auth.client_id", "is not used by auth type bearer");
        assertError("upstreams: [ { name: a, base_url: 'http://h:1', auth: { type: oauth_refresh, refresh_token: r } } ]",
                "upstreams[0].auth.token_url", "is required for auth type oauth_refresh");
        assertError("upstreams: [ { name: a, base_url: 'http://h:1', auth: { type: oauth_refresh, refresh_token: r,"
                + " token_url: 'file:///x' } } ]", "upstreams[0].auth.token_url", "must be an http:// or https://");
        assertError("upstreams: [ { name: a, base_url: 'http://h:1', auth: { type: kerberos } } ]",
                "upstreams[0].auth.type", "unknown value 'kerberos'");
        assertError("upstreams: [ { name: a, base_url: 'http://h:1', betas: { allow: [x], deny: [y] } } ]",
                "upstreams[0].betas.deny", "either allow or deny");
    }

    @Test
    void proxyErrorsNeverEchoTheUrl() {
        ConfigException socks = error(
                "upstreams: [ { name: a, base_url: 'http://h:1', proxy: 'socks5://u:hunter2@h:1080' } ]");
        assertThat(socks.key()).isEqualTo("upstreams[0].proxy");
        assertThat(socks.problem()).contains("only HTTP CONNECT proxies").doesNotContain("hunter2");
        assertError("upstreams: [ { name: a, base_url: 'http://h:1', proxy: 'http://proxy.corp' } ]",
                "upstreams[0].proxy", "has no port");
        assertError("upstreams: [ { name: a, base_url: 'http://h:1', proxy: 'http://h:1/path' } ]",
                "upstreams[0].proxy", "no path");
        assertError("upstreams: [ { name: a, base_url: 'http://h:1', proxy: { username: u } } ]",
                "upstreams[0].proxy.url", "is required");
        assertError("upstreams: [ { name: a, base_url: 'http://h:1', proxy: { url: 'http://x:y@h:1', username: u } } ]",
                "upstreams[0].proxy.url", "give one");
        assertError("upstreams: [ { name: a, base_url: 'http://h:1', proxy: { url: 'http://h:1', usrname: u } } ]",
                "upstreams[0].proxy.usrname", "did you mean 'username'?");
    }

    @Test
    void yamlSyntaxErrorsNameTheFileAndLine() {
        ConfigException e = error("upstreams:\n  - name: a\n    base_url: [unclosed\n");
        assertThat(e.key()).isEqualTo("test.yaml");
        assertThat(e.problem()).startsWith("line 4: ");
        ConfigException tab = error("upstreams:\n\t- name: a\n");
        assertThat(tab.key()).isEqualTo("test.yaml");
        assertThat(tab.problem()).startsWith("line 2: ");
    }

    @Test
    void duplicateYamlKeysAreErrors() {
        ConfigException e = error("upstreams: [ { name: a, base_url: 'http://h:1' } ]\nserver: {}\nserver: {}\n");
        assertThat(e.key()).isEqualTo("test.yaml");
        assertThat(e.problem()).startsWith("line 3: ").contains("duplicate key server");
    }

    @Test
    void malformedReferencesAreErrors() {
        assertError("upstreams: [ { name: a, base_url: 'http://${HOST' } ]", "upstreams[0].base_url",
                "unterminated ${");
    }

    @Test
    void documentShapeErrorsNameTheFile() {
        assertError("", "test.yaml", "is empty");
        assertError("# only a comment\n", "test.yaml", "is empty");
        assertError("- a\n- b\n", "test.yaml", "must be a YAML mapping");
        assertError("listen: 1\n", "test.yaml", "is not a claude-lb config");
    }

    @Test
    void loadReportsMissingAndUnreadableFiles(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.yaml");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(missing));
        assertThat(e.getMessage()).isEqualTo(missing + ": file not found");
        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});
        assertThat(catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(latin1)).getMessage())
                .isEqualTo(latin1 + ": is not UTF-8 text");
        Path good = dir.resolve("good.yaml");
        Files.writeString(good, "\uFEFF" + ONE);
        assertThat(ConfigLoader.load(good).upstreams()).hasSize(1);
    }
}
