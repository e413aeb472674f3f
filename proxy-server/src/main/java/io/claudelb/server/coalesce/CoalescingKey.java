package io.claudelb.server.coalesce;

/**
 * What makes two requests identical for in-flight coalescing: who asks (never shared across principals), what they
 * ask for (path and query, model, forced upstream, the generation-relevant headers) and the body's bytes without its
 * {@code stream} member (a 128-bit digest), so a streaming request and its non-streaming twin match.
 *
 * @param principal     the client key's name and the fingerprint of any upstream credential the caller forwards
 * @param path          path and query ({@code /v1/messages?beta=true}, {@code /v1/messages/count_tokens})
 * @param model         the requested model
 * @param forced        the {@code x-claude-lb-upstream} header, or ""
 * @param version       the {@code anthropic-version} header, or ""
 * @param betas         the {@code anthropic-beta} header values joined, or ""
 * @param digestHigh    first 64 bits of the body digest
 * @param digestLow     last 64 bits of the body digest
 */
record CoalescingKey(String principal, String path, String model, String forced, String version, String betas,
                     long digestHigh, long digestLow) {

    /** No credential fingerprint, no prompt: names and the digest only. */
    @Override
    public String toString() {
        return "CoalescingKey[" + path + " " + model + " " + Long.toHexString(digestHigh)
                + Long.toHexString(digestLow) + "]";
    }
}
