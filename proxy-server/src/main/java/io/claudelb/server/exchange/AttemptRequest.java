package io.claudelb.server.exchange;

import io.claudelb.codec.json.BodyRewriter;
import io.claudelb.codec.json.InvalidRequestException;
import io.claudelb.codec.json.RequestInfo;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.route.Target;
import io.claudelb.server.auth.CallerCredential;
import io.claudelb.server.auth.UpstreamAwsCredentials.AwsSigning;
import io.claudelb.server.cloud.BedrockRequests;
import io.claudelb.server.cloud.BedrockTranslation;
import io.claudelb.server.cloud.VertexRequests;
import io.claudelb.server.cloud.VertexTranslation;
import io.claudelb.server.translation.ResponseTranslation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * What one attempt sends its upstream, in that upstream's dialect: the request head (credentials set), the body
 * (the client's bytes with the target's model written in, or translated for an {@code openai}, {@code bedrock} or
 * {@code vertex} upstream), and the {@link ResponseTranslation} that turns the answer back into what the client
 * expects. The body is the caller's to write (ownership passes with it).
 *
 * <p>Per kind: {@code anthropic} and {@code databricks} get the client's body with the model rewritten and the head of
 * {@link UpstreamRequests}; {@code openai} a Chat Completions body ({@link OpenAiTranslation}); {@code bedrock} the
 * body, path and (signed) head of {@link BedrockRequests}, signed after the body is built because the signature
 * covers it; {@code vertex} those of {@link VertexRequests} (count_tokens through Vertex's count-tokens endpoint).
 *
 * @param head        the upstream request head
 * @param body        the request body, owned by the caller
 * @param translation how the answer is seen
 */
record AttemptRequest(HttpRequest head, ByteBuf body, ResponseTranslation translation) {

    /**
     * The credential an attempt obtained before it built its request: an OAuth or Google access token, or AWS
     * credentials with the upstream's signer; each null when the upstream does not use it.
     */
    record Credential(String accessToken, AwsCredentialsIdentity awsCredentials, AwsSigning signing) {
        static final Credential NONE = new Credential(null, null, null);
    }

    /**
     * @param backendAlloc  allocator of the backend connection (the body)
     * @param clientAlloc   allocator of the client side (translated answers)
     * @param credential    what the attempt obtained for the upstream
     * @param countTokens   a {@code count_tokens} request
     * @throws io.claudelb.codec.openai.TranslationException when the request cannot be expressed for an
     *     {@code openai} upstream: the client's problem, answer 400
     * @throws InvalidRequestException when the client's body is not a JSON object a cloud kind's body can be made of
     *     (also the client's problem, 400)
     */
    static AttemptRequest build(FullHttpRequest client, RequestInfo info, Target target, CallerCredential caller,
                                Credential credential, boolean countTokens, String requestId,
                                ByteBufAllocator backendAlloc, ByteBufAllocator clientAlloc)
            throws InvalidRequestException {
        UpstreamConfig upstream = target.upstream();
        String model = target.model() != null ? target.model() : info.model();
        switch (upstream.kind()) {
            case OPENAI -> {
                ByteBuf body = OpenAiTranslation.requestBody(backendAlloc, client.content(), target, info.model());
                ResponseTranslation translation = new OpenAiTranslation(clientAlloc, info.model(), requestId,
                        client.content().readableBytes());
                return new AttemptRequest(UpstreamRequests.head(client, upstream, upstream.messagesPath(),
                        credential.accessToken(), caller, body.readableBytes()), body, translation);
            }
            case BEDROCK -> {
                // count_tokens never reaches a bedrock upstream (count_tokens: false is enforced by the config).
                boolean stream = info.stream();
                String path = BedrockRequests.path(upstream, model, stream);
                ByteBuf body = BedrockRequests.body(backendAlloc, client.content(), client.headers(), upstream);
                AwsSigning signing = credential.signing();
                try {
                    HttpRequest head = BedrockRequests.head(upstream, path, stream, body,
                            credential.awsCredentials(), signing == null ? null : signing.signer());
                    return new AttemptRequest(head, body, new BedrockTranslation(clientAlloc));
                } catch (RuntimeException e) {
                    body.release();
                    throw e;
                }
            }
            case VERTEX -> {
                String path = countTokens ? VertexRequests.countTokensPath(upstream)
                        : VertexRequests.path(upstream, model, info.stream());
                ByteBuf body = countTokens
                        ? VertexRequests.countTokensBody(backendAlloc, client.content(), info, target.model())
                        : VertexRequests.body(backendAlloc, client.content());
                HttpRequest head = VertexRequests.head(client, upstream, path, credential.accessToken(),
                        body.readableBytes());
                return new AttemptRequest(head, body, new VertexTranslation(clientAlloc));
            }
            default -> {
                ByteBuf body = BodyRewriter.rewrite(backendAlloc, client.content(), info, target.model(),
                        info.hasProviderMember());
                String messages = upstream.messagesPath();
                HttpRequest head = UpstreamRequests.head(client, upstream,
                        countTokens ? messages + "/count_tokens" : messages, credential.accessToken(), caller,
                        body.readableBytes());
                return new AttemptRequest(head, body, ResponseTranslation.IDENTITY);
            }
        }
    }
}
