package io.claudelb.server.mock;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;

/**
 * A Databricks workspace's serving-endpoint list, {@code GET .../api/2.0/serving-endpoints}:
 * {@code {"endpoints":[{"name":...,"state":{"ready":"READY","config_update":"NOT_UPDATING"},"task":"llm/v1/chat"}]}}
 * with the names a test set ({@link MockCloud#setServingEndpoints}). With {@link MockAuth#requireBearer()} it wants an
 * issued token, like the model endpoints (401 otherwise).
 */
final class ServingEndpointsRoute implements MockRoute {
    private static final String PATH = "/api/2.0/serving-endpoints";

    @Override
    public boolean matches(HttpMethod method, String path) {
        return HttpMethod.GET.equals(method) && path.endsWith(PATH);
    }

    /** Whether a request URI is a listing (not recorded, see {@link MockConnectionHandler}). */
    static boolean isListing(String uri) {
        int q = uri.indexOf('?');
        return (q < 0 ? uri : uri.substring(0, q)).endsWith(PATH);
    }

    @Override
    public void serve(FullHttpRequest request, MockExchange exchange) {
        MockUpstreamState state = exchange.state();
        if (!state.authorized(request.headers())) {
            exchange.respond(401, MockResponseHeaders.APPLICATION_JSON, Unpooled.wrappedBuffer(JsonBytes.write(g -> {
                g.writeStartObject();
                g.writeStringField("error_code", "UNAUTHENTICATED");
                g.writeStringField("message", "mock: invalid or expired token");
                g.writeEndObject();
            })), null);
            return;
        }
        state.cloud().listed(request.headers().get(io.netty.handler.codec.http.HttpHeaderNames.AUTHORIZATION));
        byte[] body = JsonBytes.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("endpoints");
            for (String name : state.cloud().servingEndpoints()) {
                g.writeStartObject();
                g.writeStringField("name", name);
                g.writeObjectFieldStart("state");
                g.writeStringField("ready", "READY");
                g.writeStringField("config_update", "NOT_UPDATING");
                g.writeEndObject();
                g.writeStringField("task", "llm/v1/chat");
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
        exchange.respond(200, MockResponseHeaders.APPLICATION_JSON, Unpooled.wrappedBuffer(body), null);
    }
}
