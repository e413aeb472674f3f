package io.claudelb.codec.cloud;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.claudelb.codec.error.AnthropicErrors;
import io.claudelb.codec.json.JsonParsers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.util.Locale;

/**
 * Bedrock's errors in Anthropic's terms. Bedrock names an error by an exception type: in the
 * {@code x-amzn-ErrorType} header of an HTTP error ({@code ThrottlingException:http://internal.amazon.com/...}) and
 * in the {@code :exception-type} header of an exception frame inside a stream ({@code throttlingException}); the body
 * or payload is {@code {"message": "..."}}. {@link #statusOf} gives the HTTP status that type stands for, which
 * decides the failure kind the way any upstream status does; {@link #errorTypeOf} the Anthropic error type a client
 * is shown.
 *
 * <table>
 *   <caption>exception type (case-insensitive, "Exception" suffix optional) to status and Anthropic type</caption>
 *   <tr><td>throttling, serviceQuotaExceeded, modelNotReady, tooManyRequests</td><td>429 rate_limit_error</td></tr>
 *   <tr><td>serviceUnavailable</td><td>503 overloaded_error</td></tr>
 *   <tr><td>internalServer, modelStreamError</td><td>500 api_error</td></tr>
 *   <tr><td>modelError (the model failed: another upstream may not)</td><td>502 api_error</td></tr>
 *   <tr><td>modelTimeout</td><td>408 timeout_error</td></tr>
 *   <tr><td>validation</td><td>400 invalid_request_error</td></tr>
 *   <tr><td>accessDenied, unrecognizedClient, invalidSignature, incompleteSignature, expiredToken</td>
 *       <td>403 permission_error (claude-lb's credential)</td></tr>
 *   <tr><td>resourceNotFound</td><td>404 not_found_error</td></tr>
 *   <tr><td>anything else</td><td>500 api_error</td></tr>
 * </table>
 */
public final class BedrockErrors {
    /** The response header naming an HTTP error's exception type. */
    public static final String ERROR_TYPE_HEADER = "x-amzn-errortype";

    private BedrockErrors() {
    }

    /** The HTTP status an exception type stands for (see the table). */
    public static int statusOf(String exceptionType) {
        return switch (normalise(exceptionType)) {
            case "throttling", "servicequotaexceeded", "modelnotready", "toomanyrequests" -> 429;
            case "serviceunavailable" -> 503;
            case "modelerror" -> 502;
            case "modeltimeout" -> 408;
            case "validation" -> 400;
            case "accessdenied", "unrecognizedclient", "invalidsignature", "incompletesignature", "expiredtoken",
                 "missingauthenticationtoken" -> 403;
            case "resourcenotfound" -> 404;
            default -> 500;
        };
    }

    /** The Anthropic error type a client is shown for an exception type. */
    public static String errorTypeOf(String exceptionType) {
        return AnthropicErrors.typeForStatus(statusOf(exceptionType));
    }

    /**
     * The exception type of an {@code x-amzn-ErrorType} header value ({@code Name:namespace-url} or {@code Name}),
     * or null when the header is absent.
     */
    public static String typeOfHeader(String headerValue) {
        if (headerValue == null || headerValue.isBlank()) {
            return null;
        }
        int colon = headerValue.indexOf(':');
        return (colon < 0 ? headerValue : headerValue.substring(0, colon)).trim();
    }

    /**
     * An HTTP error answer in Anthropic's shape, keeping Bedrock's message: the type from the exception type when
     * the header names one, else from the status. {@code body} is read, not released.
     */
    public static ByteBuf translateError(ByteBufAllocator alloc, int status, String errorTypeHeader, ByteBuf body) {
        String exceptionType = typeOfHeader(errorTypeHeader);
        String type = exceptionType != null ? errorTypeOf(exceptionType) : AnthropicErrors.typeForStatus(status);
        return AnthropicErrors.jsonBody(alloc, type, messageOf(body));
    }

    /** The top-level {@code message} (or {@code Message}) of Bedrock's error JSON; empty when there is none. */
    public static String messageOf(ByteBuf json) {
        if (!json.isReadable()) {
            return "";
        }
        try (JsonParser parser = JsonParsers.over(json)) {
            return messageOf(parser);
        } catch (IOException e) {
            return "";
        }
    }

    static String messageOf(byte[] json) {
        try (JsonParser parser = JsonParsers.over(json, 0, json.length)) {
            return messageOf(parser);
        } catch (IOException e) {
            return "";
        }
    }

    private static String messageOf(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return "";
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (("message".equals(name) || "Message".equals(name)) && value == JsonToken.VALUE_STRING) {
                return parser.getText();
            }
            parser.skipChildren();
        }
        return "";
    }

    private static String normalise(String exceptionType) {
        if (exceptionType == null) {
            return "";
        }
        String lower = exceptionType.toLowerCase(Locale.ROOT);
        return lower.endsWith("exception") ? lower.substring(0, lower.length() - "exception".length()) : lower;
    }
}
