package io.claudelb.server.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.GatewayConfig;
import io.claudelb.server.gateway.Gateway;
import io.claudelb.server.local.LocalEndpoints;
import io.claudelb.server.support.Gateways;
import io.claudelb.server.support.Json;
import io.claudelb.server.support.TestConfigs;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestGuardTest {
    private EmbeddedChannel ch;

    private void start(GatewayConfig config) {
        Gateway gateway = Gateways.of(config);
        LocalAnswers answers = LocalAnswers.of(gateway);
        ch = new EmbeddedChannel(new ClientTimeouts(TimeUnit.SECONDS.toNanos(30), TimeUnit.MINUTES.toNanos(10),
                answers), new RequestGuard(gateway, new LocalEndpoints(gateway, "test"), answers));
    }

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
    }

    private static FullHttpRequest request(HttpMethod method, String uri) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
                Unpooled.copiedBuffer("{\"model\":\"m\"}", StandardCharsets.UTF_8));
    }

    private Reply reply() {
        FullHttpResponse res = ch.readOutbound();
        try {
            return new Reply(res.status().code(), res.content().toString(StandardCharsets.UTF_8));
        } finally {
            res.release();
        }
    }

    private record Reply(int status, String body) {
    }

    private static GatewayConfig withKeys() {
        return TestConfigs.proxy().anthropic("a", "http://127.0.0.1:1").client("alice", "sk-alice")
                .client("bob", "sk-bob").build();
    }

    @Test
    void messagesWithoutAKeyIs401AuthenticationError() {
        start(withKeys());
        ch.writeInbound(request(HttpMethod.POST, "/v1/messages?beta=true"));
        Reply r = reply();
        assertThat(r.status()).isEqualTo(401);
        assertThat(Json.field(r.body(), "type")).isEqualTo("error");
        assertThat(Json.field(r.body(), "error.type")).isEqualTo("authentication_error");
        assertThat(ch.inboundMessages()).isEmpty();
    }

    @Test
    void aWrongKeyIs401() {
        start(withKeys());
        FullHttpRequest req = request(HttpMethod.POST, "/v1/messages");
        req.headers().set("x-api-key", "sk-alicf");
        ch.writeInbound(req);
        assertThat(reply().status()).isEqualTo(401);
    }

    @Test
    void xApiKeyAndBearerBothAuthenticateAndNameTheClient() {
        start(withKeys());
        FullHttpRequest viaHeader = request(HttpMethod.POST, "/v1/messages?beta=true");
        viaHeader.headers().set("x-api-key", "sk-alice");
        ch.writeInbound(viaHeader);
        ProxyRequest first = ch.readInbound();
        assertThat(first.clientName()).isEqualTo("alice");
        assertThat(first.countTokens()).isFalse();
        first.request().release();

        FullHttpRequest viaBearer = request(HttpMethod.POST, "/v1/messages/count_tokens");
        viaBearer.headers().set("authorization", "Bearer sk-bob");
        ch.writeInbound(viaBearer);
        ProxyRequest second = ch.readInbound();
        assertThat(second.clientName()).isEqualTo("bob");
        assertThat(second.countTokens()).isTrue();
        second.request().release();
    }

    @Test
    void healthAndClaudeCodePreflightsNeedNoKey() {
        start(withKeys());
        ch.writeInbound(request(HttpMethod.GET, "/health"));
        assertThat(reply().status()).isEqualTo(200);
        ch.writeInbound(request(HttpMethod.HEAD, "/"));
        assertThat(reply().status()).isEqualTo(200);
        ch.writeInbound(request(HttpMethod.HEAD, "/api/hello"));
        assertThat(reply().status()).isEqualTo(200);
        ch.writeInbound(request(HttpMethod.POST, "/api/event_logging/batch"));
        assertThat(reply().status()).isEqualTo(200);
    }

    @Test
    void withoutKeysConfiguredEverythingIsOpen() {
        start(TestConfigs.proxy().anthropic("a", "http://127.0.0.1:1").build());
        ch.writeInbound(request(HttpMethod.POST, "/v1/messages"));
        ProxyRequest passed = ch.readInbound();
        assertThat(passed.clientName()).isNull();
        passed.request().release();
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405() {
        start(withKeys());
        FullHttpRequest unknown = request(HttpMethod.GET, "/nope");
        unknown.headers().set("x-api-key", "sk-alice");
        ch.writeInbound(unknown);
        Reply r = reply();
        assertThat(r.status()).isEqualTo(404);
        assertThat(Json.field(r.body(), "error.type")).isEqualTo("not_found_error");

        FullHttpRequest get = request(HttpMethod.GET, "/v1/messages");
        get.headers().set("x-api-key", "sk-alice");
        ch.writeInbound(get);
        assertThat(reply().status()).isEqualTo(405);
    }

    @Test
    void malformedHttpIs400AndCloses() {
        start(withKeys());
        FullHttpRequest bad = request(HttpMethod.POST, "/v1/messages");
        bad.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("bad header")));
        ch.writeInbound(bad);
        Reply r = reply();
        assertThat(r.status()).isEqualTo(400);
        assertThat(Json.field(r.body(), "error.type")).isEqualTo("invalid_request_error");
        assertThat(ch.isOpen()).isFalse();
    }
}
