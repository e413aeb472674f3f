package io.claudelb.codec.json;

/**
 * What {@link RequestInspector} learned from a Messages request body: the values routing needs and the byte ranges
 * {@link BodyRewriter} edits. Offsets are relative to the body's readerIndex at inspection time; end offsets are
 * exclusive.
 *
 * @param model         the top-level {@code model} string (never null after a successful inspection)
 * @param modelStart    offset of the model's JSON string token, at its opening quote
 * @param modelEnd      offset just past the model token's closing quote
 * @param stream        whether the top-level {@code stream} is JSON {@code true}
 * @param userId        the raw {@code metadata.user_id} string, or null
 * @param provider      the top-level {@code provider} string (seed B's forced provider), or null when absent or not
 *                      a string
 * @param providerStart start of the byte range that removes the whole {@code provider} member and one adjacent
 *                      comma, or -1 when there is no such member
 * @param providerEnd   end of that range, or -1
 */
public record RequestInfo(String model, int modelStart, int modelEnd, boolean stream, String userId, String provider,
                          int providerStart, int providerEnd) {

    public RequestInfo {
        if (modelStart > modelEnd || (modelStart < 0) != (modelEnd < 0)) {
            throw new IllegalArgumentException("bad model range [" + modelStart + ", " + modelEnd + ")");
        }
        if (providerStart > providerEnd || (providerStart < 0) != (providerEnd < 0)) {
            throw new IllegalArgumentException("bad provider range [" + providerStart + ", " + providerEnd + ")");
        }
    }

    /** Whether the body has a top-level {@code provider} member that can be removed (whatever its value type). */
    public boolean hasProviderMember() {
        return providerStart >= 0;
    }
}
