package io.claudelb.server.mock;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;

/**
 * {@code POST .../v1/messages/count_tokens} under any prefix: {@code {"input_tokens": N}} where N is the body length
 * in bytes / 4 (a mock figure, not a real token count). Honours the delay and the failures that come before a
 * response head (reset, error status, in-band error as 529) and a reset mid-body.
 */
final class CountTokensRoute implements MockRoute {

    @Override
    public boolean matches(HttpMethod method, String path) {
        return HttpMethod.POST.equals(method) && path.endsWith("/v1/messages/count_tokens");
    }

    @Override
    public void serve(FullHttpRequest request, MockExchange exchange) {
        MockUpstreamState state = exchange.state();
        if (!state.authorized(request.headers())) {
            exchange.respondError(401, "authentication_error", "mock: invalid or expired bearer token");
            return;
        }
        MockBehaviour behaviour = state.applyFailFirst(BehaviourHeaders.resolve(state.behaviour(), request.headers()));
        int tokens = RequestFacts.inputTokens(request.content());
        exchange.later(behaviour.timeToFirstByte(), () -> {
            if (exchange.failBeforeHead(behaviour, false)) {
                return;
            }
            byte[] body = JsonBytes.write(g -> {
                g.writeStartObject();
                g.writeNumberField("input_tokens", tokens);
                g.writeEndObject();
            });
            exchange.respondJson(behaviour, 200, Unpooled.wrappedBuffer(body));
        });
    }
}
