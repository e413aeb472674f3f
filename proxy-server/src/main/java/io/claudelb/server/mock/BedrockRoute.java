package io.claudelb.server.mock;

import io.claudelb.codec.cloud.BedrockFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Amazon Bedrock's runtime: {@code POST .../model/{modelId}/invoke} (one JSON message) and
 * {@code .../invoke-with-response-stream} (the same events as the Messages mode, each base64 in a {@code chunk} frame
 * encoded by the AWS SDK's event-stream codec; {@code message_stop} carries {@code amazon-bedrock-invocationMetrics}).
 * The model ID from the path is echoed.
 *
 * <p>What it checks, as Bedrock does: with an AWS key registered, the SigV4 signature ({@link SigV4Verifier}: 403
 * {@code InvalidSignatureException} and friends); with {@link MockAuth#requireBearer()}, a Bedrock API key issued
 * by the mock; the body must have {@code anthropic_version: bedrock-2023-05-31} and no {@code model} or
 * {@code stream} (400 {@code ValidationException}). Errors are Bedrock-shaped: {@code {"message":...}} with
 * {@code x-amzn-ErrorType}. Failures: the {@code x-mock-*} headers as elsewhere ({@code x-mock-status} picks the
 * exception type that status stands for), and {@code x-mock-bedrock-exception: <type>} with
 * {@code x-mock-bedrock-exception-after: N} (default 0) sends that exception frame after N events, ending the stream
 * (or {@link MockCloud#failBedrockStreams} for every stream).
 */
final class BedrockRoute implements MockRoute {
    static final String EXCEPTION = "x-mock-bedrock-exception";
    static final String EXCEPTION_AFTER = "x-mock-bedrock-exception-after";
    static final String VERSION = "bedrock-2023-05-31";
    private static final String EXCEPTION_EVENT = "x-bedrock-exception";
    private static final String STREAM_SUFFIX = "/invoke-with-response-stream";
    private static final String JSON_SUFFIX = "/invoke";
    private static final CharSequence EVENT_STREAM = "application/vnd.amazon.eventstream";

    @Override
    public boolean matches(HttpMethod method, String path) {
        return HttpMethod.POST.equals(method) && path.contains("/model/")
                && (path.endsWith(STREAM_SUFFIX) || path.endsWith(JSON_SUFFIX));
    }

    @Override
    public void serve(FullHttpRequest request, MockExchange exchange) {
        String path = new QueryStringDecoder(request.uri()).rawPath();
        boolean stream = path.endsWith(STREAM_SUFFIX);
        String encodedModel = path.substring(path.indexOf("/model/") + 7,
                path.length() - (stream ? STREAM_SUFFIX : JSON_SUFFIX).length());
        String model = QueryStringDecoder.decodeComponent(encodedModel);
        MockUpstreamState state = exchange.state();
        MockCloud cloud = state.cloud();
        if (cloud.requiresSigV4()) {
            String refusal = SigV4Verifier.check(request, cloud, "bedrock");
            cloud.signatureVerified(refusal == null);
            if (refusal != null) {
                int colon = refusal.indexOf(':');
                error(exchange, 403, refusal.substring(0, colon), refusal.substring(colon + 2));
                return;
            }
        } else if (!state.authorized(request.headers())) {
            error(exchange, 403, "AccessDeniedException", "mock: invalid or expired Bedrock API key");
            return;
        }
        Map<String, String> members;
        try {
            members = CloudBodies.topLevel(request.content());
        } catch (IOException e) {
            error(exchange, 400, "ValidationException", "Malformed input request: not a JSON object");
            return;
        }
        for (String extraneous : List.of("model", "stream")) {
            if (members.containsKey(extraneous)) {
                error(exchange, 400, "ValidationException", "Malformed input request: #: extraneous key ["
                        + extraneous + "] is not permitted, please reformat your input and try again.");
                return;
            }
        }
        if (!VERSION.equals(members.get("anthropic_version"))) {
            error(exchange, 400, "ValidationException", "Malformed input request: #: required key "
                    + "[anthropic_version] not found or not " + VERSION);
            return;
        }
        RequestFacts facts;
        try {
            facts = RequestFacts.of(request.content()).withModel(model, stream);
        } catch (IOException e) {
            error(exchange, 400, "ValidationException", "Malformed input request");
            return;
        }
        MockBehaviour behaviour = state.applyFailFirst(BehaviourHeaders.resolve(state.behaviour(), request.headers()));
        boolean perRequest = request.headers().contains(EXCEPTION);
        String exceptionType = perRequest ? request.headers().get(EXCEPTION) : cloud.bedrockException();
        int exceptionAfter = perRequest ? request.headers().getInt(EXCEPTION_AFTER, 0)
                : cloud.bedrockExceptionAfter();
        exchange.later(behaviour.timeToFirstByte(), () -> answer(exchange, behaviour, facts, exceptionType,
                exceptionAfter));
    }

    private static void answer(MockExchange exchange, MockBehaviour behaviour, RequestFacts facts,
                               String exceptionType, int exceptionAfter) {
        if (behaviour.resetBeforeHeaders()) {
            exchange.reset();
            return;
        }
        if (behaviour.errorStatus() != 0) {
            int status = behaviour.errorStatus();
            error(exchange, status, exceptionFor(status), AnthropicErrors.message(status), behaviour.retryAfter());
            return;
        }
        MessagePlan plan = exchange.state().planFor(behaviour);
        if (!facts.stream()) {
            exchange.respondJson(behaviour, 200, plan.json().render(exchange.ctx().alloc(), facts));
            return;
        }
        List<ResponseTemplate> events = new ArrayList<>(plan.events());
        if (exceptionType != null) {
            int at = Math.min(Math.max(0, exceptionAfter), events.size());
            events = new ArrayList<>(events.subList(0, at));
            events.add(ResponseTemplate.compile(MessageJson.sseEvent(EXCEPTION_EVENT, JsonBytes.write(g -> {
                g.writeStartObject();
                g.writeStringField("type", exceptionType);
                g.writeStringField("message", "mock: " + exceptionType);
                g.writeEndObject();
            }))));
        }
        HttpResponse head = exchange.head(200, EVENT_STREAM, null);
        head.headers().set("x-amzn-bedrock-content-type", "application/json");
        exchange.stream(new SseStreamWriter(exchange, head, events, facts, behaviour, BedrockRoute::frame));
    }

    /** One rendered SSE event as Bedrock frames it; the exception pseudo-event becomes an exception frame. */
    static ByteBuf frame(ByteBuf sse) {
        try {
            String text = sse.toString(StandardCharsets.UTF_8);
            String name = text.substring("event: ".length(), text.indexOf('\n'));
            String json = text.substring(text.indexOf("\ndata: ") + 7, text.lastIndexOf("\n\n"));
            if (EXCEPTION_EVENT.equals(name)) {
                String type = json.substring(json.indexOf("\"type\":\"") + 8, json.indexOf("\",\"message\""));
                return Unpooled.wrappedBuffer(BedrockFrames.exception(type, "mock: " + type));
            }
            if ("message_stop".equals(name)) {
                json = json.substring(0, json.lastIndexOf('}')) + ",\"amazon-bedrock-invocationMetrics\":{"
                        + "\"inputTokenCount\":12,\"outputTokenCount\":34,\"invocationLatency\":56,"
                        + "\"firstByteLatency\":7}}";
            }
            return Unpooled.wrappedBuffer(BedrockFrames.chunk(json.getBytes(StandardCharsets.UTF_8)));
        } finally {
            sse.release();
        }
    }

    /** The Bedrock exception an HTTP status stands for. */
    static String exceptionFor(int status) {
        return switch (status) {
            case 400 -> "ValidationException";
            case 403 -> "AccessDeniedException";
            case 404 -> "ResourceNotFoundException";
            case 408 -> "ModelTimeoutException";
            case 424 -> "ModelErrorException";
            case 429 -> "ThrottlingException";
            case 503 -> "ServiceUnavailableException";
            default -> "InternalServerException";
        };
    }

    static void error(MockExchange exchange, int status, String exceptionType, String message) {
        error(exchange, status, exceptionType, message, null);
    }

    /** Bedrock's error shape: {@code {"message":...}} and the exception type in {@code x-amzn-ErrorType}. */
    static void error(MockExchange exchange, int status, String exceptionType, String message, String retryAfter) {
        byte[] body = JsonBytes.write(g -> {
            g.writeStartObject();
            g.writeStringField("message", message);
            g.writeEndObject();
        });
        exchange.respond(status, MockResponseHeaders.APPLICATION_JSON, Unpooled.wrappedBuffer(body), retryAfter,
                Map.of("x-amzn-errortype", exceptionType + ":http://internal.amazon.com/coral/com.amazon.bedrock/"));
    }
}
