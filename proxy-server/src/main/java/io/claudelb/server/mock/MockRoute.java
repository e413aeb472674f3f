package io.claudelb.server.mock;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;

/**
 * One protocol mode of the mock upstream (Anthropic messages, token counting, health; later OpenAI chat and OAuth
 * token endpoints): which requests it answers and how. {@link MockConnectionHandler} asks each route in order.
 * A route reads what it needs from the request during {@link #serve} (the request is released right after) and
 * answers through the exchange, possibly later.
 */
interface MockRoute {

    /** True when this route answers the method and path (path without the query string). */
    boolean matches(HttpMethod method, String path);

    /**
     * Answers the request. May throw {@link IllegalArgumentException} for a bad {@code x-mock-*} header; the
     * handler then answers 400 with its message.
     */
    void serve(FullHttpRequest request, MockExchange exchange);
}
