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
 * @param streamStart   start of the byte range that removes the (last) top-level {@code stream} member and one
 *                      adjacent comma, or -1 when there is none: the request's bytes without it are what identical
 *                      requests share whether they stream or not ({@link BodyDigest})
 * @param streamEnd     end of that range, or -1
 */
public record RequestInfo(String model, int modelStart, int modelEnd, boolean stream, String userId, String provider,
                          int providerStart, int providerEnd, int streamStart, int streamEnd) {

    /** A body without a removable {@code stream} member. */
    public RequestInfo(String model, int modelStart, int modelEnd, boolean stream, String userId, String provider,
                       int providerStart, int providerEnd) {
        this(model, modelStart, modelEnd, stream, userId, provider, providerStart, providerEnd, -1, -1);
    }

    public RequestInfo {
        if (modelStart > modelEnd || (modelStart < 0) != (modelEnd < 0)) {
            throw new IllegalArgumentException("bad model range [" + modelStart + ", " + modelEnd + ")");
        }
        if (providerStart > providerEnd || (providerStart < 0) != (providerEnd < 0)) {
            throw new IllegalArgumentException("bad provider range [" + providerStart + ", " + providerEnd + ")");
        }
        if (streamStart > streamEnd || (streamStart < 0) != (streamEnd < 0)) {
            throw new IllegalArgumentException("bad stream range [" + streamStart + ", " + streamEnd + ")");
        }
    }

    /** Whether the body has a top-level {@code provider} member that can be removed (whatever its value type). */
    public boolean hasProviderMember() {
        return providerStart >= 0;
    }
}
