package io.claudelb.codec.json;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.Objects;

/**
 * Produces the body sent upstream from the client's body and its {@link RequestInfo}: the {@code model} token
 * replaced and/or seed B's top-level {@code provider} member removed, every other byte identical (thinking
 * signatures, {@code cache_control}, unknown fields, whitespace and escapes are never re-serialised).
 *
 * <p>Zero-copy: the result is a {@link CompositeByteBuf} of retained slices of the original plus one small buffer
 * holding the new model as an escaped JSON string. The caller owns the result and must release it; the original is
 * neither moved nor released, and stays valid independently (its reference count went up by the slices).
 */
public final class BodyRewriter {
    /** At most: bytes before, new model, bytes between, bytes after; plus headroom so nothing consolidates. */
    private static final int MAX_COMPONENTS = 8;

    private BodyRewriter() {
    }

    /**
     * Rewrites {@code body} as described by {@code info}, which must come from inspecting this same body at its
     * current readerIndex.
     *
     * @param newModel       the model to send upstream, or null to keep the client's token as it is
     * @param removeProvider whether to drop the top-level {@code provider} member, if there is one
     * @return a new buffer the caller owns; {@code body.retainedDuplicate()} when nothing changes
     */
    public static ByteBuf rewrite(ByteBufAllocator alloc, ByteBuf body, RequestInfo info, String newModel,
                                  boolean removeProvider) {
        Objects.requireNonNull(alloc, "alloc");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(info, "info");
        // Equal text keeps the client's own token, whatever escapes it used.
        boolean replaceModel = newModel != null && !newModel.equals(info.model());
        boolean dropProvider = removeProvider && info.hasProviderMember();
        if (!replaceModel && !dropProvider) {
            return body.retainedDuplicate();
        }
        int length = body.readableBytes();
        if (replaceModel) {
            checkRange("model", info.modelStart(), info.modelEnd(), length);
        }
        if (dropProvider) {
            checkRange("provider", info.providerStart(), info.providerEnd(), length);
        }
        if (replaceModel && dropProvider && info.modelStart() < info.providerEnd()
                && info.providerStart() < info.modelEnd()) {
            throw new IllegalArgumentException("model and provider ranges overlap");
        }

        CompositeByteBuf out = alloc.compositeBuffer(MAX_COMPONENTS);
        try {
            int base = body.readerIndex();
            int position = 0;
            boolean modelFirst = !dropProvider || (replaceModel && info.modelStart() < info.providerStart());
            if (replaceModel && modelFirst) {
                position = copyUpTo(out, body, base, position, info.modelStart());
                out.addComponent(true, quoted(alloc, newModel));
                position = info.modelEnd();
            }
            if (dropProvider) {
                position = copyUpTo(out, body, base, position, info.providerStart());
                position = info.providerEnd();
            }
            if (replaceModel && !modelFirst) {
                position = copyUpTo(out, body, base, position, info.modelStart());
                out.addComponent(true, quoted(alloc, newModel));
                position = info.modelEnd();
            }
            copyUpTo(out, body, base, position, length);
            return out;
        } catch (RuntimeException | Error e) {
            out.release();
            throw e;
        }
    }

    /** Appends a retained slice of body[from, to) (relative offsets) and returns {@code to}. */
    private static int copyUpTo(CompositeByteBuf out, ByteBuf body, int base, int from, int to) {
        if (to > from) {
            out.addComponent(true, body.retainedSlice(base + from, to - from));
        }
        return to;
    }

    private static ByteBuf quoted(ByteBufAllocator alloc, String model) {
        ByteBuf token = alloc.buffer(JsonEscaper.quotedLength(model));
        try {
            JsonEscaper.writeQuoted(token, model);
            return token;
        } catch (RuntimeException | Error e) {
            token.release();
            throw e;
        }
    }

    private static void checkRange(String what, int start, int end, int length) {
        if (start < 0 || end < start || end > length) {
            throw new IllegalArgumentException(what + " range [" + start + ", " + end + ") outside body of "
                    + length + " bytes");
        }
    }
}
