package io.claudelb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.RecordedRequest;
import io.claudelb.server.support.MockAndProxy;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.RawHttpClient.Response;
import io.claudelb.server.support.Sse;
import io.claudelb.server.support.TestConfigs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Claude Code-like request (system blocks with cache_control, tools, a signed thinking block in the history,
 * metadata.user_id in its JSON-string form, unicode raw and escaped, fields the proxy does not know) reaches a
 * Databricks upstream with only the top-level model value changed, and with the right headers, path and query.
 */
class ModelRewriteTest {
    private static final String TOP_LEVEL_MODEL = "\"model\": \"claude-opus-4-5-20251101\"";
    private static final String CLIENT_KEY = "sk-client-alice-0123456789";

    @RegisterExtension
    final MockAndProxy servers = MockAndProxy.of(MockOptions.builder().name("ws").ioThreads(1).build(),
            mockUrl -> TestConfigs.proxy().client("alice", CLIENT_KEY)
                    .databricks("ws", mockUrl + "/serving-endpoints"));

    @Test
    void onlyTheModelValueChanges() throws IOException {
        byte[] golden = golden();
        String text = new String(golden, StandardCharsets.UTF_8);
        // The model name also appears in a text block and in a tool_use input's own "model" member: those stay.
        assertThat(text.split(TOP_LEVEL_MODEL, -1)).hasSize(2);
        assertThat(text.split("claude-opus-4-5-20251101", -1)).hasSize(4);
        byte[] expected = text.replace(TOP_LEVEL_MODEL, "\"model\": \"databricks-claude-opus-4-5\"")
                .getBytes(StandardCharsets.UTF_8);

        Response response = RawHttpClient.exchange(servers.proxy().port(), RawHttpClient.request("POST",
                "/v1/messages?beta=true", golden, claudeCodeHeaders("x-api-key: " + CLIENT_KEY)));

        assertThat(response.status).isEqualTo(200);
        assertThat(Sse.names(response.bodyText())).last().isEqualTo("message_stop");
        RecordedRequest sent = servers.mock().requests().get(0);
        assertThat(sent.body()).isEqualTo(expected);
        assertThat(sent.header("content-length")).isEqualTo(String.valueOf(expected.length));
    }

    @Test
    void headersPathAndQueryAreThoseOfTheUpstream() throws IOException {
        RawHttpClient.exchange(servers.proxy().port(), RawHttpClient.request("POST", "/v1/messages?beta=true", golden(),
                claudeCodeHeaders("x-api-key: " + CLIENT_KEY)));

        RecordedRequest sent = servers.mock().requests().get(0);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.uri()).isEqualTo("/serving-endpoints/anthropic/v1/messages?beta=true");
        assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(sent.header("anthropic-beta"))
                .isEqualTo("claude-code-20250219,interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14");
        assertThat(sent.header("x-claude-code-session-id")).isEqualTo("8a1c5e2f-7b3d-4e9a-b6c0-1d2e3f4a5b6c");
        assertThat(sent.header("user-agent")).isEqualTo("claude-cli/2.1.80 (external, cli)");
        assertThat(sent.header("x-stainless-lang")).isEqualTo("js");
        assertThat(sent.header("x-app")).isEqualTo("cli");
        assertThat(sent.header("host")).isEqualTo("127.0.0.1:" + servers.mock().port());
        // The client's credential stays at the proxy; the workspace gets its own token.
        assertThat(sent.header("x-api-key")).isNull();
        assertThat(sent.header("authorization")).isEqualTo("Bearer dapi-ws");
        assertThat(sent.headers().values().toString()).doesNotContain(CLIENT_KEY);
        // Hop-by-hop and encoding: the proxy reads the stream itself, so it asks for identity.
        assertThat(sent.header("keep-alive")).isNull();
        assertThat(sent.header("accept-encoding")).isEqualTo("identity");
    }

    @Test
    void bearerClientCredentialIsReplacedByTheUpstreamOne() throws IOException {
        RawHttpClient.exchange(servers.proxy().port(), RawHttpClient.request("POST", "/v1/messages", golden(),
                claudeCodeHeaders("authorization: Bearer " + CLIENT_KEY)));

        RecordedRequest sent = servers.mock().requests().get(0);
        assertThat(sent.uri()).isEqualTo("/serving-endpoints/anthropic/v1/messages");
        assertThat(sent.headers().get("authorization")).containsExactly("Bearer dapi-ws");
        assertThat(sent.header("x-api-key")).isNull();
    }

    private static String[] claudeCodeHeaders(String credential) {
        return new String[] {
            credential,
            "anthropic-version: 2023-06-01",
            "anthropic-beta: claude-code-20250219,interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14",
            "anthropic-dangerous-direct-browser-access: true",
            "x-claude-code-session-id: 8a1c5e2f-7b3d-4e9a-b6c0-1d2e3f4a5b6c",
            "user-agent: claude-cli/2.1.80 (external, cli)",
            "x-stainless-lang: js",
            "x-stainless-retry-count: 0",
            "x-app: cli",
            "accept-encoding: gzip, deflate, br",
            "connection: keep-alive",
            "keep-alive: timeout=5",
        };
    }

    private static byte[] golden() throws IOException {
        try (InputStream in = ModelRewriteTest.class.getResourceAsStream("claude-code-request.json")) {
            return in.readAllBytes();
        }
    }
}
