package io.claudelb.server.mock;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.util.AsciiString;

/**
 * The headers every mock answer carries, like the real API's: {@code request-id: req_mock_<n>}, illustrative
 * {@code anthropic-ratelimit-*} values, {@code x-mock-upstream: <name>}, the content type, and {@code retry-after}
 * on error answers when one is configured. Names and fixed values are cached {@link AsciiString}s.
 */
final class MockResponseHeaders {
    /** Header validation off: every name and value here is a constant or checked when the options were built. */
    static final HttpHeadersFactory FACTORY = DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    static final AsciiString APPLICATION_JSON = HttpHeaderValues.APPLICATION_JSON;
    static final AsciiString EVENT_STREAM = AsciiString.cached("text/event-stream; charset=utf-8");

    private static final AsciiString REQUEST_ID = AsciiString.cached("request-id");
    private static final AsciiString MOCK_UPSTREAM = AsciiString.cached("x-mock-upstream");
    private static final AsciiString REQUESTS_LIMIT = AsciiString.cached("anthropic-ratelimit-requests-limit");
    private static final AsciiString REQUESTS_REMAINING = AsciiString.cached("anthropic-ratelimit-requests-remaining");
    private static final AsciiString INPUT_TOKENS_LIMIT =
            AsciiString.cached("anthropic-ratelimit-input-tokens-limit");
    private static final AsciiString INPUT_TOKENS_REMAINING =
            AsciiString.cached("anthropic-ratelimit-input-tokens-remaining");
    private static final AsciiString REQUESTS_LIMIT_VALUE = AsciiString.cached("1000");
    private static final AsciiString REQUESTS_REMAINING_VALUE = AsciiString.cached("999");
    private static final AsciiString INPUT_TOKENS_LIMIT_VALUE = AsciiString.cached("80000");
    private static final AsciiString INPUT_TOKENS_REMAINING_VALUE = AsciiString.cached("80000");

    private MockResponseHeaders() {
    }

    static void fill(HttpHeaders headers, AsciiString upstreamName, long requestNumber, int status,
            CharSequence contentType, String retryAfter) {
        headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        headers.set(REQUEST_ID, "req_mock_" + requestNumber);
        headers.set(MOCK_UPSTREAM, upstreamName);
        headers.set(REQUESTS_LIMIT, REQUESTS_LIMIT_VALUE);
        headers.set(REQUESTS_REMAINING, REQUESTS_REMAINING_VALUE);
        headers.set(INPUT_TOKENS_LIMIT, INPUT_TOKENS_LIMIT_VALUE);
        headers.set(INPUT_TOKENS_REMAINING, INPUT_TOKENS_REMAINING_VALUE);
        if (retryAfter != null && status >= 400) {
            headers.set(HttpHeaderNames.RETRY_AFTER, retryAfter);
        }
    }
}
