package io.claudelb.server.http;

import io.claudelb.codec.error.AnthropicErrors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Builds the responses claude-lb writes itself: Anthropic-shaped errors and small JSON documents. Every error body is
 * {@code {"type":"error","error":{"type":...,"message":...}}}; messages are written by the proxy, never copied from
 * an upstream URL or a secret, and every error carries an {@code x-claude-lb-request-id} (a fresh one here; the
 * exchange replaces it with its own when it answers for a request it logged).
 */
public final class LocalResponses {
    public static final String REQUEST_ID = "x-claude-lb-request-id";

    private LocalResponses() {
    }

    /** An Anthropic error with the type that belongs to {@code status}. */
    public static FullHttpResponse error(ByteBufAllocator alloc, int status, String message) {
        return error(alloc, status, AnthropicErrors.typeForStatus(status), message);
    }

    public static FullHttpResponse error(ByteBufAllocator alloc, int status, String errorType, String message) {
        FullHttpResponse res = json(status, AnthropicErrors.jsonBody(alloc, errorType, message));
        res.headers().set(REQUEST_ID, newRequestId());
        return res;
    }

    /** A new request id made now (for answers that are not recorded anywhere). */
    public static String newRequestId() {
        return newRequestId(System.currentTimeMillis());
    }

    /**
     * A new request id: {@code lbreq_}, the wall-clock milliseconds in 11 hex digits, and 52 random bits in 13.
     * Time first so that ids sort by when they were made: the usage database's primary key index then grows at its
     * right edge, one page per batch of rows, instead of touching a random page per row (measured: 3.8 page writes
     * and 0.8 page reads per row with random ids, 0.8 and 0.06 with these). 52 random bits keep two gateways that
     * share one database apart: at 10,000 requests a second, two ids of one millisecond collide about once in
     * ten thousand years.
     */
    public static String newRequestId(long wallMillis) {
        long random = ThreadLocalRandom.current().nextLong() & ((1L << 52) - 1);
        return "lbreq_" + hex(wallMillis, 11) + hex(random, 13);
    }

    private static String hex(long value, int digits) {
        String h = Long.toHexString(value);
        return h.length() >= digits ? h : "0".repeat(digits - h.length()) + h;
    }

    /** A JSON response with the given body, which the response takes ownership of. */
    public static FullHttpResponse json(int status, ByteBuf body) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), body);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return res;
    }

    public static FullHttpResponse json(ByteBufAllocator alloc, int status, String json) {
        ByteBuf body = alloc.buffer(json.length());
        body.writeCharSequence(json, StandardCharsets.UTF_8);
        return json(status, body);
    }

    /** A response with no body (HEAD replies, 204s). */
    public static FullHttpResponse empty(int status) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        return res;
    }
}
