package io.claudelb.server.mock;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request as the mock upstream received it, kept by {@link RequestRecorder} for tests to inspect what the proxy
 * sent (headers it forwarded or stripped, the rewritten body, which connection carried it).
 *
 * @param method HTTP method
 * @param uri request target as received (path and query)
 * @param headers header names in lower case, values in arrival order
 * @param body the aggregated request body (owned by this record; do not modify)
 * @param connectionId the accepting connection, numbered from 1 per mock; equal ids mean keep-alive reuse
 * @param requestOnConnection 1 for the first request on its connection, 2 for the next, ...
 */
public record RecordedRequest(String method, String uri, Map<String, List<String>> headers, byte[] body,
        long connectionId, int requestOnConnection) {

    public RecordedRequest {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** First value of the header, case-insensitive, or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
