package io.claudelb.server.exchange;

import io.claudelb.codec.json.BodyRewriter;
import io.claudelb.codec.json.RequestInfo;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.core.route.Target;
import io.claudelb.server.auth.CallerCredential;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpRequest;

/**
 * What one attempt sends its upstream, in that upstream's dialect: the request head (credentials set), the body
 * (the client's bytes with the target's model written in, or translated for an {@code openai} upstream), and the
 * {@link ResponseTranslation} that turns the answer back into what the client expects. The body is the caller's
 * to write (ownership passes with it).
 *
 * @param head        the upstream request head
 * @param body        the request body, owned by the caller
 * @param translation how the answer is seen
 */
record AttemptRequest(HttpRequest head, ByteBuf body, ResponseTranslation translation) {

    /**
     * @param backendAlloc  allocator of the backend connection (the body)
     * @param clientAlloc   allocator of the client side (translated answers)
     * @param accessToken   the upstream's current OAuth access token, or null
     * @param countTokens   a {@code count_tokens} request
     * @throws io.claudelb.codec.openai.TranslationException when the request cannot be expressed for an
     *     {@code openai} upstream: the client's problem, answer 400
     */
    static AttemptRequest build(FullHttpRequest client, RequestInfo info, Target target, CallerCredential caller,
                                String accessToken, boolean countTokens, String requestId,
                                ByteBufAllocator backendAlloc, ByteBufAllocator clientAlloc) {
        ByteBuf body;
        ResponseTranslation translation;
        if (target.upstream().kind() == UpstreamKind.OPENAI) {
            body = OpenAiTranslation.requestBody(backendAlloc, client.content(), target, info.model());
            translation = new OpenAiTranslation(clientAlloc, info.model(), requestId,
                    client.content().readableBytes());
        } else {
            body = BodyRewriter.rewrite(backendAlloc, client.content(), info, target.model(),
                    info.hasProviderMember());
            translation = ResponseTranslation.IDENTITY;
        }
        String messages = target.upstream().messagesPath();
        String path = countTokens ? messages + "/count_tokens" : messages;
        HttpRequest head = UpstreamRequests.head(client, target.upstream(), path, accessToken, caller,
                body.readableBytes());
        return new AttemptRequest(head, body, translation);
    }
}
