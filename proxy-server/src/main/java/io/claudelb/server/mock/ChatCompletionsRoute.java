package io.claudelb.server.mock;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The OpenAI Chat Completions mode: {@code POST .../chat/completions} under any prefix. Answers a
 * {@code chat.completion} JSON, or with {@code "stream": true} an SSE stream of {@code data: {chunk}} events ending
 * in {@code data: [DONE]} (with the usage chunk first when {@code stream_options.include_usage} is true), as
 * {@link ChatCompletionPlan} lays out; the request's model is echoed. The behaviour's failures take this protocol's
 * shape: error statuses carry OpenAI error bodies ({@link OpenAiErrors}), an in-band error is an {@code error}
 * chunk after the first chunk (a non-streaming request gets a 503 instead), resets are as in the Messages mode.
 */
final class ChatCompletionsRoute implements MockRoute {

    @Override
    public boolean matches(HttpMethod method, String path) {
        return HttpMethod.POST.equals(method) && path.endsWith("/chat/completions");
    }

    @Override
    public void serve(FullHttpRequest request, MockExchange exchange) {
        RequestFacts facts;
        boolean includeUsage;
        try {
            facts = RequestFacts.of(request.content());
            includeUsage = includeUsage(request.content());
        } catch (IOException e) {
            respondError(exchange, 400, "mock: the request body is not a JSON object", null);
            return;
        }
        MockUpstreamState state = exchange.state();
        MockBehaviour behaviour = state.applyFailFirst(BehaviourHeaders.resolve(state.behaviour(), request.headers()));
        exchange.later(behaviour.timeToFirstByte(), () -> answer(exchange, behaviour, facts, includeUsage));
    }

    private static void answer(MockExchange exchange, MockBehaviour behaviour, RequestFacts facts,
                               boolean includeUsage) {
        if (behaviour.resetBeforeHeaders()) {
            exchange.reset();
            return;
        }
        if (behaviour.errorStatus() != 0) {
            int status = behaviour.errorStatus();
            respondError(exchange, status, AnthropicErrors.message(status), behaviour.retryAfter());
            return;
        }
        if (behaviour.inBandError() && !facts.stream()) {
            respondError(exchange, 503, AnthropicErrors.message(503), behaviour.retryAfter());
            return;
        }
        if (behaviour.fixedBody() != null) {
            exchange.respondJson(behaviour, behaviour.status(),
                    Unpooled.wrappedBuffer(behaviour.fixedBody().getBytes(StandardCharsets.UTF_8)));
            return;
        }
        ChatCompletionPlan plan = exchange.state().chatPlanFor(behaviour);
        if (!facts.stream()) {
            exchange.respondJson(behaviour, behaviour.status(), plan.json().render(exchange.ctx().alloc(), facts));
            return;
        }
        HttpResponse head = exchange.head(behaviour.status(), MockResponseHeaders.EVENT_STREAM,
                behaviour.retryAfter());
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        exchange.stream(new SseStreamWriter(exchange, head, plan.events(includeUsage, behaviour.inBandError()),
                facts, behaviour));
    }

    private static void respondError(MockExchange exchange, int status, String message, String retryAfter) {
        exchange.respond(status, MockResponseHeaders.APPLICATION_JSON,
                Unpooled.wrappedBuffer(OpenAiErrors.body(status, message)), retryAfter);
    }

    /** Whether the body's {@code stream_options.include_usage} is true (top-level fields only, streaming parse). */
    static boolean includeUsage(ByteBuf body) throws IOException {
        InputStream in = new ByteBufInputStream(body.duplicate());
        try (JsonParser parser = JsonBytes.FACTORY.createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("request body is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("stream_options".equals(field) && value == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String option = parser.currentName();
                        if (parser.nextToken() == JsonToken.VALUE_TRUE && "include_usage".equals(option)) {
                            return true;
                        }
                        parser.skipChildren();
                    }
                } else {
                    parser.skipChildren();
                }
            }
            return false;
        }
    }
}
