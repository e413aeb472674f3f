package io.claudelb.codec.json;

import io.netty.buffer.ByteBuf;
import java.nio.ByteOrder;
import java.util.Objects;
import net.openhft.hashing.Access;
import net.openhft.hashing.LongTupleHashFunction;

/**
 * A 128-bit digest of a request body's bytes with its top-level {@code stream} member left out, so the same request
 * sent streaming and not (Claude Code's non-streaming fallback, an SDK retry) has the same digest. XXH3-128 through
 * zero-allocation-hashing, read in place over the buffer (direct or composite, whatever its chunks): no copy, no
 * allocation but the result. It identifies identical requests of one principal for in-flight coalescing; it is not
 * a security boundary (the principal is part of the coalescing key, so nobody can collide with another's requests).
 *
 * @param high the digest's first 64 bits
 * @param low  its last 64 bits
 */
public record BodyDigest(long high, long low) {
    private static final LongTupleHashFunction XX128 = LongTupleHashFunction.xx128();

    /** The digest of {@code body}'s readable bytes without the range {@code info} gives for its stream member. */
    public static BodyDigest of(ByteBuf body, RequestInfo info) {
        Objects.requireNonNull(body, "body");
        int gapStart = info.streamStart() < 0 ? body.readableBytes() : info.streamStart();
        int gapLength = info.streamStart() < 0 ? 0 : info.streamEnd() - info.streamStart();
        View view = new View(body, body.readerIndex(), gapStart, gapLength);
        long[] hash = XX128.hash(view, ViewAccess.INSTANCE, 0, body.readableBytes() - gapLength);
        return new BodyDigest(hash[0], hash[1]);
    }

    /** The body's bytes as one logical sequence with a gap cut out; logical offsets start at 0. */
    private record View(ByteBuf buf, int base, int gapStart, int gapLength) {
        int index(long logical) {
            return base + (int) (logical < gapStart ? logical : logical + gapLength);
        }

        /** Whether {@code n} bytes from {@code logical} lie on one side of the gap (read them in one go). */
        boolean contiguous(long logical, int n) {
            return gapLength == 0 || logical + n <= gapStart || logical >= gapStart;
        }
    }

    /** Little-endian reads of a {@link View}, across buffer components and around the gap. */
    private static final class ViewAccess extends Access<View> {
        static final ViewAccess INSTANCE = new ViewAccess();

        @Override
        public long getLong(View v, long offset) {
            if (v.contiguous(offset, 8)) {
                return v.buf().getLongLE(v.index(offset));
            }
            long value = 0;
            for (int i = 7; i >= 0; i--) {
                value = (value << 8) | getUnsignedByte(v, offset + i);
            }
            return value;
        }

        @Override
        public long getUnsignedInt(View v, long offset) {
            return getInt(v, offset) & 0xFFFF_FFFFL;
        }

        @Override
        public int getInt(View v, long offset) {
            if (v.contiguous(offset, 4)) {
                return v.buf().getIntLE(v.index(offset));
            }
            int value = 0;
            for (int i = 3; i >= 0; i--) {
                value = (value << 8) | getUnsignedByte(v, offset + i);
            }
            return value;
        }

        @Override
        public int getUnsignedShort(View v, long offset) {
            return getUnsignedByte(v, offset) | getUnsignedByte(v, offset + 1) << 8;
        }

        @Override
        public int getShort(View v, long offset) {
            return (short) getUnsignedShort(v, offset);
        }

        @Override
        public int getUnsignedByte(View v, long offset) {
            return v.buf().getUnsignedByte(v.index(offset));
        }

        @Override
        public int getByte(View v, long offset) {
            return v.buf().getByte(v.index(offset));
        }

        @Override
        public ByteOrder byteOrder(View v) {
            return ByteOrder.LITTLE_ENDIAN;
        }

        @Override
        protected Access<View> reverseAccess() {
            // Only asked for when byteOrder() is not the order the hash wants; XXH3 reads little-endian.
            return this;
        }
    }
}
