package io.claudelb.server.mock;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The Anthropic Messages mode: {@code POST .../v1/messages} under any prefix, so both {@code {base}/v1/messages}
 * and Databricks' {@code {base}/serving-endpoints/anthropic/v1/messages} work. Answers an SSE stream or one JSON
 * message after the request body's {@code "stream"}, with the request's model echoed, as the behaviour (default
 * or from {@code x-mock-*} headers) says. A body that is not a JSON object gets 400 invalid_request_error.
 */
final class MessagesRoute implements MockRoute {
    private static final ResponseTemplate OVERLOADED = ResponseTemplate.compile(MessagePlan.OVERLOADED_EVENT);

    @Override
    public boolean matches(HttpMethod method, String path) {
        return HttpMethod.POST.equals(method) && path.endsWith("/v1/messages");
    }

    @Override
    public void serve(FullHttpRequest request, MockExchange exchange) {
        RequestFacts facts;
        try {
            facts = RequestFacts.of(request.content());
        } catch (IOException e) {
            exchange.respondError(400, "invalid_request_error", "mock: the request body is not a JSON object");
            return;
        }
        MockUpstreamState state = exchange.state();
        if (!state.authorized(request.headers())) {
            exchange.respondError(401, "authentication_error", "mock: invalid or expired bearer token");
            return;
        }
        MockBehaviour asked = state.applyFailFirst(BehaviourHeaders.resolve(state.behaviour(), request.headers()));
        // A tool's result gets the turn's final text: a tool-using client (Claude Code) must not loop forever.
        MockBehaviour behaviour = facts.lastTurnIsToolResult() && asked.toolUse()
                ? asked.toBuilder().toolUse(false).build() : asked;
        MockUsage usage = MockUsage.parse(request.headers().get(MockUsage.HEADER));
        exchange.later(behaviour.timeToFirstByte(), () -> answer(exchange, behaviour, facts, usage));
    }

    /**
     * Answers as the Messages API does (also for Vertex's paths, whose answers are the same bytes); {@code usage}
     * is a test's exact usage figures, or null.
     */
    static void answer(MockExchange exchange, MockBehaviour behaviour, RequestFacts facts, MockUsage usage) {
        if (exchange.failBeforeHead(behaviour, facts.stream())) {
            return;
        }
        if (behaviour.fixedBody() != null) {
            exchange.respondJson(behaviour, behaviour.status(),
                    Unpooled.wrappedBuffer(behaviour.fixedBody().getBytes(StandardCharsets.UTF_8)));
            return;
        }
        // Exact usage figures are a test's request: a plan of their own, not the shared one.
        MessagePlan plan = usage == null ? exchange.state().planFor(behaviour) : MessagePlan.of(behaviour, usage);
        if (!facts.stream()) {
            exchange.respondJson(behaviour, behaviour.status(), plan.json().render(exchange.ctx().alloc(), facts));
            return;
        }
        // In-band error: the API accepted the request (200, message_start), then reports overload in the stream.
        List<ResponseTemplate> events = behaviour.inBandError()
                ? List.of(plan.events().get(0), OVERLOADED)
                : plan.events();
        HttpResponse head = exchange.head(behaviour.status(), MockResponseHeaders.EVENT_STREAM,
                behaviour.retryAfter());
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        exchange.stream(new SseStreamWriter(exchange, head, events, facts, behaviour));
    }
}
