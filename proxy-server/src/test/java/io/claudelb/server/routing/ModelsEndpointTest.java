package io.claudelb.server.routing;

import static io.claudelb.server.routing.Upstreams.route;
import static io.claudelb.server.routing.Upstreams.to;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.claudelb.core.config.UpstreamAuth;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.support.TestConfigs;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/models}: Anthropic's list shape, the listing rule, paging, and the client key. */
class ModelsEndpointTest {
    private static ProxyServer proxy;

    @BeforeAll
    static void start() throws Exception {
        // Nothing is sent upstream: the addresses are never dialled.
        proxy = ProxyServer.start(TestConfigs.proxy()
                .client("alice", "lb-alice")
                .upstream(Upstreams.of("ws", UpstreamKind.DATABRICKS, "http://127.0.0.1:9/serving-endpoints",
                        UpstreamAuth.bearer("dapi")))
                .upstream(Upstreams.of("anthropic", UpstreamKind.ANTHROPIC, "http://127.0.0.1:9",
                        UpstreamAuth.apiKey("sk")))
                .upstream(Upstreams.of("router", UpstreamKind.OPENAI, "http://127.0.0.1:9/v1", UpstreamAuth.bearer("x")))
                .route(route("claude-opus-4-5", to("ws")))
                .route(route("*opus*", to("ws", "databricks-claude-opus-4-5"), to("anthropic", "claude-opus-4-1")))
                .route(route("*sonnet*", to("anthropic", "passthrough"), to("router", "anthropic/claude-3.5-sonnet")))
                .route(route("fast-*", to("anthropic", "claude-haiku-4-5")))
                .route(route("gpt-4o", to("router")))
                .route(route("*llama*", to("router", "meta-llama/Llama-3-70b")))
                .build(), NanoClock.SYSTEM, "test");
    }

    @AfterAll
    static void stop() {
        proxy.stop(Duration.ofSeconds(2));
    }

    private static List<String[]> models(String body) throws IOException {
        List<String[]> out = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(body)) {
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals("data")) {
                    p.nextToken();
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        String[] m = new String[4];
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String name = p.currentName();
                            p.nextToken();
                            switch (name) {
                                case "type" -> m[0] = p.getText();
                                case "id" -> m[1] = p.getText();
                                case "display_name" -> m[2] = p.getText();
                                case "created_at" -> m[3] = p.getText();
                                default -> p.skipChildren();
                            }
                        }
                        out.add(m);
                    }
                }
            }
        }
        return out;
    }

    private static Http.Reply list(String query) {
        return Http.get(proxy, "/v1/models" + query, "authorization", "Bearer lb-alice");
    }

    @Test
    void listsExactRoutesAndTheClaudeTargetsOfGlobRoutesThatRoute() throws IOException {
        Http.Reply r = list("?limit=100");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).isEqualTo("application/json");
        List<String[]> models = models(r.body());
        // claude-haiku-4-5 is a target of fast-* but no route matches that name itself: not offered.
        assertThat(models).extracting(m -> m[1]).containsExactly("claude-opus-4-5", "databricks-claude-opus-4-5",
                "claude-opus-4-1", "anthropic/claude-3.5-sonnet", "gpt-4o");
        assertThat(models).allSatisfy(m -> {
            assertThat(m[0]).isEqualTo("model");
            assertThat(m[2]).isEqualTo(m[1]);
            assertThat(Instant.parse(m[3])).isBefore(Instant.now().plusSeconds(1));
        });
        assertThat(r.field("has_more")).isEqualTo("false");
        assertThat(r.field("first_id")).isEqualTo("claude-opus-4-5");
        assertThat(r.field("last_id")).isEqualTo("gpt-4o");
    }

    @Test
    void pagesWithLimitAfterIdAndBeforeId() throws IOException {
        Http.Reply first = list("?limit=2");
        assertThat(models(first.body())).extracting(m -> m[1])
                .containsExactly("claude-opus-4-5", "databricks-claude-opus-4-5");
        assertThat(first.field("has_more")).isEqualTo("true");
        Http.Reply next = list("?limit=2&after_id=databricks-claude-opus-4-5");
        assertThat(models(next.body())).extracting(m -> m[1])
                .containsExactly("claude-opus-4-1", "anthropic/claude-3.5-sonnet");
        assertThat(next.field("has_more")).isEqualTo("true");
        Http.Reply last = list("?limit=2&after_id=anthropic/claude-3.5-sonnet");
        assertThat(models(last.body())).extracting(m -> m[1]).containsExactly("gpt-4o");
        assertThat(last.field("has_more")).isEqualTo("false");
        Http.Reply before = list("?limit=2&before_id=claude-opus-4-1");
        assertThat(models(before.body())).extracting(m -> m[1])
                .containsExactly("claude-opus-4-5", "databricks-claude-opus-4-5");
        assertThat(before.field("has_more")).isEqualTo("false");
        assertThat(list("?limit=0").status()).isEqualTo(400);
        assertThat(list("?limit=abc").field("error.type")).isEqualTo("invalid_request_error");
    }

    @Test
    void needsAClientKey() {
        Http.Reply r = Http.get(proxy, "/v1/models");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.field("error.type")).isEqualTo("authentication_error");
    }
}
