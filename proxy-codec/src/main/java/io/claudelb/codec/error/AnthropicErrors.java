package io.claudelb.codec.error;

import io.claudelb.codec.json.JsonEscaper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Every error the proxy says itself, in Anthropic's shape: {@code {"type":"error","error":{"type":..,"message":..}}}
 * as a JSON body, or as one {@code event: error} SSE block to end a stream that has already started. Also the
 * project's one status/error-type table, read both ways: the type of an answer synthesised from an HTTP status, and
 * the status of an in-band error that must become a status line.
 *
 * <p>A null error type is written as {@code api_error}, a null message as an empty string. Returned buffers are
 * new and owned by the caller (normally handed straight to {@code write()}). Messages are JSON-escaped here;
 * callers must still keep secrets and upstream addresses out of them.
 */
public final class AnthropicErrors {
    private static final byte[] PREFIX = ascii("{\"type\":\"error\",\"error\":{\"type\":");
    private static final byte[] MESSAGE = ascii(",\"message\":");
    private static final byte[] REQUEST_ID = ascii(",\"request_id\":");
    private static final byte[] EVENT_PREFIX = ascii("event: error\ndata: ");
    private static final byte[] EVENT_SUFFIX = ascii("\n\n");

    /** One row of the status/error-type table. */
    private record StatusType(int status, String type) {
    }

    /**
     * The one status/error-type table, read both ways. A type's first row is the status the API answers it with;
     * later rows are other statuses that map to the same type (408, 422 and 503 are not the API's own, but mean the
     * same: a 408 is a request that timed out, like Bedrock's {@code modelTimeoutException}). Everything that names
     * an error type for a status uses it: the proxy's own answers, OpenAI-compatible and cloud upstreams' errors.
     */
    private static final StatusType[] STATUS_TYPES = {
        new StatusType(400, "invalid_request_error"),
        new StatusType(401, "authentication_error"),
        new StatusType(402, "billing_error"),
        new StatusType(403, "permission_error"),
        new StatusType(404, "not_found_error"),
        new StatusType(413, "request_too_large"),
        new StatusType(429, "rate_limit_error"),
        new StatusType(500, ErrorBodyReader.FALLBACK_TYPE),
        new StatusType(504, "timeout_error"),
        new StatusType(529, "overloaded_error"),
        new StatusType(408, "timeout_error"),
        new StatusType(422, "invalid_request_error"),
        new StatusType(503, "overloaded_error"),
    };

    private AnthropicErrors() {
    }

    /** {@code {"type":"error","error":{"type":errorType,"message":message}}}. */
    public static ByteBuf jsonBody(ByteBufAllocator alloc, String errorType, String message) {
        return jsonBody(alloc, errorType, message, null);
    }

    /** As {@link #jsonBody(ByteBufAllocator, String, String)}, plus a top-level {@code request_id} when non-null. */
    public static ByteBuf jsonBody(ByteBufAllocator alloc, String errorType, String message, String requestId) {
        Objects.requireNonNull(alloc, "alloc");
        ByteBuf out = alloc.buffer(jsonLength(errorType, message, requestId));
        try {
            writeJson(out, errorType, message, requestId);
            return out;
        } catch (RuntimeException | Error e) {
            out.release();
            throw e;
        }
    }

    /** {@code event: error\ndata: <jsonBody>\n\n}: a complete SSE block. */
    public static ByteBuf sseEvent(ByteBufAllocator alloc, String errorType, String message) {
        Objects.requireNonNull(alloc, "alloc");
        int length = EVENT_PREFIX.length + jsonLength(errorType, message, null) + EVENT_SUFFIX.length;
        ByteBuf out = alloc.buffer(length);
        try {
            out.writeBytes(EVENT_PREFIX);
            // JSON escaping leaves no raw CR or LF in the data line, so one data: line always suffices.
            writeJson(out, errorType, message, null);
            out.writeBytes(EVENT_SUFFIX);
            return out;
        } catch (RuntimeException | Error e) {
            out.release();
            throw e;
        }
    }

    /**
     * The Anthropic error type for an HTTP status: 400 and 422 {@code invalid_request_error}, 401
     * {@code authentication_error}, 402 {@code billing_error}, 403 {@code permission_error}, 404
     * {@code not_found_error}, 413 {@code request_too_large}, 429 {@code rate_limit_error}, 503 and 529
     * {@code overloaded_error}, 408 and 504 {@code timeout_error}, any other 4xx {@code invalid_request_error},
     * anything else {@code api_error}.
     */
    public static String typeForStatus(int status) {
        for (StatusType row : STATUS_TYPES) {
            if (row.status == status) {
                return row.type;
            }
        }
        return status >= 400 && status < 500 ? "invalid_request_error" : ErrorBodyReader.FALLBACK_TYPE;
    }

    /**
     * The HTTP status the API answers an error type with (the inverse of {@link #typeForStatus}): for an
     * {@code event: error} that must become a status line, e.g. a non-streaming answer assembled from a stream.
     * {@code overloaded_error} is 529, {@code invalid_request_error} 400; a null or unknown type is 500, the status of
     * {@code api_error}.
     */
    public static int statusForType(String errorType) {
        for (StatusType row : STATUS_TYPES) {
            if (row.type.equals(errorType)) {
                return row.status;
            }
        }
        return 500;
    }

    private static int jsonLength(String errorType, String message, String requestId) {
        int length = PREFIX.length + JsonEscaper.quotedLength(typeOrDefault(errorType)) + MESSAGE.length
                + JsonEscaper.quotedLength(orEmpty(message)) + 2;
        if (requestId != null) {
            length += REQUEST_ID.length + JsonEscaper.quotedLength(requestId);
        }
        return length;
    }

    private static void writeJson(ByteBuf out, String errorType, String message, String requestId) {
        out.writeBytes(PREFIX);
        JsonEscaper.writeQuoted(out, typeOrDefault(errorType));
        out.writeBytes(MESSAGE);
        JsonEscaper.writeQuoted(out, orEmpty(message));
        out.writeByte('}');
        if (requestId != null) {
            out.writeBytes(REQUEST_ID);
            JsonEscaper.writeQuoted(out, requestId);
        }
        out.writeByte('}');
    }

    /** A missing type still yields a valid Anthropic error: the generic one. */
    private static String typeOrDefault(String errorType) {
        return errorType == null ? ErrorBodyReader.FALLBACK_TYPE : errorType;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
