package io.claudelb.server.mock;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;

/** {@code GET /health}: always 200 {@code {"status":"ok"}}, whatever the behaviour (a liveness probe). */
final class HealthRoute implements MockRoute {
    private static final byte[] OK = "{\"status\":\"ok\"}".getBytes(StandardCharsets.US_ASCII);

    @Override
    public boolean matches(HttpMethod method, String path) {
        return HttpMethod.GET.equals(method) && "/health".equals(path);
    }

    @Override
    public void serve(FullHttpRequest request, MockExchange exchange) {
        exchange.respond(200, MockResponseHeaders.APPLICATION_JSON, Unpooled.wrappedBuffer(OK), null);
    }
}
