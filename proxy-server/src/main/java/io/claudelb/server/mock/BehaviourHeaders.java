package io.claudelb.server.mock;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;

/**
 * Derives a request's behaviour from the mock's default and the request's {@code x-mock-*} headers, so one mock can
 * serve many test cases. The header list is in {@link MockUpstream}'s javadoc. A request carrying a failure header
 * fails whatever the default's {@code failFirst} says. An unparsable value is the client's mistake: the router
 * answers 400 with the exception's message.
 */
final class BehaviourHeaders {
    static final String STATUS = "x-mock-status";
    static final String RETRY_AFTER = "x-mock-retry-after";
    static final String TTFB_MS = "x-mock-ttfb-ms";
    static final String PACE_MS = "x-mock-pace-ms";
    static final String EVENTS = "x-mock-events";
    static final String TEXT_BYTES = "x-mock-text-bytes";
    static final String THINKING = "x-mock-thinking";
    static final String TOOL_USE = "x-mock-tool-use";
    static final String IN_BAND_ERROR = "x-mock-in-band-error";
    static final String RESET_AFTER_EVENTS = "x-mock-reset-after-events";
    static final String RESET_BEFORE_HEADERS = "x-mock-reset-before-headers";
    static final String OPENAI_TOOLS = "x-mock-openai-tools";
    static final String OPENAI_LATE_TOOL_IDS = "x-mock-openai-late-tool-ids";
    static final String WEB_SEARCH = "x-mock-web-search";

    private static final AsciiString PREFIX = AsciiString.cached("x-mock-");

    private BehaviourHeaders() {
    }

    /** The default itself when no {@code x-mock-} header is present (the common, allocation-free case). */
    static MockBehaviour resolve(MockBehaviour base, HttpHeaders headers) {
        if (!hasMockHeader(headers)) {
            return base;
        }
        MockBehaviour.Builder b = base.toBuilder();
        String value;
        if ((value = headers.get(STATUS)) != null) {
            int status = parseInt(STATUS, value, 100, 599);
            if (status >= 400) {
                b.errorStatus(status).failFirst(0);
            } else {
                b.status(status).errorStatus(0);
            }
        }
        if ((value = headers.get(RETRY_AFTER)) != null) {
            b.retryAfter(value);
        }
        if ((value = headers.get(TTFB_MS)) != null) {
            b.timeToFirstByte(Duration.ofMillis(parseInt(TTFB_MS, value, 0, Integer.MAX_VALUE)));
        }
        if ((value = headers.get(PACE_MS)) != null) {
            b.pace(Duration.ofMillis(parseInt(PACE_MS, value, 0, Integer.MAX_VALUE)));
        }
        if ((value = headers.get(EVENTS)) != null) {
            b.textEvents(parseInt(EVENTS, value, 0, 1_000_000));
        }
        if ((value = headers.get(TEXT_BYTES)) != null) {
            b.textBytes(parseInt(TEXT_BYTES, value, 0, 256 * 1024 * 1024));
        }
        if ((value = headers.get(THINKING)) != null) {
            b.thinking(parseBoolean(THINKING, value));
        }
        if ((value = headers.get(TOOL_USE)) != null) {
            b.toolUse(parseBoolean(TOOL_USE, value));
        }
        if ((value = headers.get(IN_BAND_ERROR)) != null) {
            b.inBandError(parseBoolean(IN_BAND_ERROR, value)).failFirst(0);
        }
        if ((value = headers.get(RESET_AFTER_EVENTS)) != null) {
            b.resetAfterEvents(parseInt(RESET_AFTER_EVENTS, value, MockBehaviour.NEVER, Integer.MAX_VALUE))
                    .failFirst(0);
        }
        if ((value = headers.get(RESET_BEFORE_HEADERS)) != null) {
            b.resetBeforeHeaders(parseBoolean(RESET_BEFORE_HEADERS, value)).failFirst(0);
        }
        if ((value = headers.get(OPENAI_TOOLS)) != null) {
            b.openAiToolCalls(parseInt(OPENAI_TOOLS, value, 0, 64));
        }
        if ((value = headers.get(OPENAI_LATE_TOOL_IDS)) != null) {
            b.openAiLateToolIds(parseBoolean(OPENAI_LATE_TOOL_IDS, value));
        }
        if ((value = headers.get(WEB_SEARCH)) != null) {
            b.webSearch(parseBoolean(WEB_SEARCH, value));
        }
        return b.build();
    }

    private static boolean hasMockHeader(HttpHeaders headers) {
        Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
        while (it.hasNext()) {
            CharSequence name = it.next().getKey();
            if (AsciiString.regionMatches(name, true, 0, PREFIX, 0, PREFIX.length())) {
                return true;
            }
        }
        return false;
    }

    private static int parseInt(String header, String value, int min, int max) {
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed < min || parsed > max) {
                throw new IllegalArgumentException(header + " must be between " + min + " and " + max);
            }
            return (int) parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(header + " must be an integer", e);
        }
    }

    private static boolean parseBoolean(String header, String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException(header + " must be true or false");
        };
    }
}
