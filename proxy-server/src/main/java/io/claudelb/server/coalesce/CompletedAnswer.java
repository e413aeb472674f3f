package io.claudelb.server.coalesce;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import java.util.List;

/**
 * A complete, successful answer kept for {@code dedup.replay_ttl}: its head and body copied once to the heap, so
 * the cache that holds it may drop it anywhere, on any thread, without a reference count to release. Each replay
 * wraps the same bytes anew (no copy).
 *
 * @param head   status and headers (never changed)
 * @param body   every body byte
 * @param whole  the answer was one message (a JSON body), not a head and a stream of chunks
 * @param stream the answer is an event stream
 */
record CompletedAnswer(HttpResponse head, byte[] body, boolean whole, boolean stream) {

    /** The answer of a call whose pieces are {@code pieces} (not released). */
    static CompletedAnswer of(List<Piece> pieces, boolean stream) {
        HttpResponse head = null;
        boolean whole = false;
        int size = 0;
        for (Piece p : pieces) {
            size += p.size();
            if (p.head != null) {
                head = p.head;
                whole = p.kind == Piece.Kind.WHOLE;
            }
        }
        byte[] body = new byte[size];
        int at = 0;
        for (Piece p : pieces) {
            if (p.bytes != null) {
                int n = p.bytes.readableBytes();
                p.bytes.getBytes(p.bytes.readerIndex(), body, at, n);
                at += n;
            }
        }
        HttpResponse copy = new DefaultHttpResponse(head.protocolVersion(), head.status(), head.headers().copy());
        return new CompletedAnswer(copy, body, whole, stream);
    }

    /** The answer as pieces for one caller; the caller owns them. */
    List<Piece> pieces() {
        ByteBuf bytes = Unpooled.wrappedBuffer(body);
        if (whole) {
            return List.of(Piece.whole(head, bytes));
        }
        return List.of(Piece.head(head), Piece.end(Piece.Kind.END, bytes, EmptyHttpHeaders.INSTANCE));
    }

    /** What the entry costs the replay cache. */
    int weight() {
        return body.length + 256;
    }
}
