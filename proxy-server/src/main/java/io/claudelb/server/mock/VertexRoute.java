package io.claudelb.server.mock;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google Vertex AI's Anthropic endpoints: {@code POST .../v1/projects/{p}/locations/{r}/publishers/anthropic/
 * models/{model}:rawPredict} (one JSON message), {@code :streamRawPredict} (the Messages mode's SSE, byte for byte)
 * and {@code .../models/count-tokens:rawPredict} ({@code {"input_tokens": N}}). The model from the path is echoed.
 *
 * <p>What it checks, as Vertex does: once a service account is registered, {@code Authorization: Bearer} must carry
 * a token its own token endpoint issued and that has not expired (401 {@code UNAUTHENTICATED}, Google-shaped);
 * predict bodies need {@code anthropic_version: vertex-2023-10-16} and no {@code model}; the count-tokens body needs
 * its {@code model} (400 {@code INVALID_ARGUMENT}). {@code x-mock-status: 429} answers Google's regional-quota error
 * ({@code RESOURCE_EXHAUSTED}); other failure statuses answer as the model does (Anthropic-shaped).
 */
final class VertexRoute implements MockRoute {
    static final String VERSION = "vertex-2023-10-16";
    private static final Pattern PATH = Pattern.compile(
            ".*/v1/projects/([^/]+)/locations/([^/]+)/publishers/anthropic/models/([^/:]+):(rawPredict|streamRawPredict)");

    @Override
    public boolean matches(HttpMethod method, String path) {
        return HttpMethod.POST.equals(method) && PATH.matcher(path).matches();
    }

    @Override
    public void serve(FullHttpRequest request, MockExchange exchange) {
        String uri = request.uri();
        int q = uri.indexOf('?');
        Matcher m = PATH.matcher(q < 0 ? uri : uri.substring(0, q));
        if (!m.matches()) {
            google(exchange, 404, "NOT_FOUND", "mock: no such Vertex path");
            return;
        }
        MockUpstreamState state = exchange.state();
        MockCloud cloud = state.cloud();
        if (cloud.requiresGoogleToken() && !cloud.acceptsGoogleToken(request.headers().get(
                HttpHeaderNames.AUTHORIZATION), state.tokens().auth().clock().nanoTime())) {
            google(exchange, 401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth "
                    + "2 access token, login cookie or other valid authentication credential.");
            return;
        }
        boolean countTokens = "count-tokens".equals(m.group(3));
        boolean stream = "streamRawPredict".equals(m.group(4));
        Map<String, String> members;
        RequestFacts facts;
        try {
            members = CloudBodies.topLevel(request.content());
            facts = RequestFacts.of(request.content());
        } catch (IOException e) {
            google(exchange, 400, "INVALID_ARGUMENT", "mock: the request body is not a JSON object");
            return;
        }
        if (countTokens != members.containsKey("model")) {
            google(exchange, 400, "INVALID_ARGUMENT", countTokens ? "mock: count-tokens needs model in the body"
                    : "mock: model belongs in the path, not the body");
            return;
        }
        if (!countTokens && !VERSION.equals(members.get("anthropic_version"))) {
            google(exchange, 400, "INVALID_ARGUMENT", "mock: anthropic_version must be " + VERSION);
            return;
        }
        MockBehaviour behaviour = state.applyFailFirst(BehaviourHeaders.resolve(state.behaviour(), request.headers()));
        if (behaviour.errorStatus() == 429) {
            exchange.later(behaviour.timeToFirstByte(), () -> google(exchange, 429, "RESOURCE_EXHAUSTED",
                    "Quota exceeded for aiplatform.googleapis.com/online_prediction_requests_per_base_model with base "
                            + "model: anthropic-claude. Please submit a quota increase request."));
            return;
        }
        if (countTokens) {
            int tokens = facts.inputTokens();
            exchange.later(behaviour.timeToFirstByte(), () -> exchange.respondJson(behaviour, 200,
                    Unpooled.wrappedBuffer(JsonBytes.write(g -> {
                        g.writeStartObject();
                        g.writeNumberField("input_tokens", tokens);
                        g.writeEndObject();
                    }))));
            return;
        }
        RequestFacts pathFacts = facts.withModel(m.group(3), stream);
        MockUsage usage = MockUsage.parse(request.headers().get(MockUsage.HEADER));
        exchange.later(behaviour.timeToFirstByte(), () -> MessagesRoute.answer(exchange, behaviour, pathFacts,
                usage));
    }

    /** Google's error shape. */
    static void google(MockExchange exchange, int status, String code, String message) {
        byte[] body = JsonBytes.write(g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeNumberField("code", status);
            g.writeStringField("message", message);
            g.writeStringField("status", code);
            g.writeEndObject();
            g.writeEndObject();
        });
        exchange.respond(status, MockResponseHeaders.APPLICATION_JSON, Unpooled.wrappedBuffer(body), null);
    }
}
