package io.claudelb.server.auth;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Map;

/**
 * The headers SigV4 adds to one request ({@code Authorization}, {@code X-Amz-Date}, {@code X-Amz-Security-Token} with
 * temporary credentials, {@code x-amz-content-sha256} when the signer sets it), to be set on the request exactly as
 * signed. {@link #toString()} names them without their values.
 */
public record SignedHeaders(List<Map.Entry<String, String>> headers) {
    public SignedHeaders {
        headers = List.copyOf(headers);
    }

    /** Sets every signed header on {@code out}, replacing any value it had. */
    public void addTo(HttpHeaders out) {
        for (Map.Entry<String, String> h : headers) {
            out.set(h.getKey(), h.getValue());
        }
    }

    /** The value of a signed header (case-insensitive name), or null. */
    public String get(String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "SignedHeaders" + headers.stream().map(Map.Entry::getKey).toList();
    }
}
