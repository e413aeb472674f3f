package io.claudelb.server.coalesce;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;

/**
 * One part of a coalesced call's answer, as the call keeps it for late joiners and hands it to each caller: the
 * head, a piece of body, or one of the endings. A piece owns one reference to its bytes; every caller gets its own
 * {@link #duplicate()}. Heads and trailers are shared and never changed (each caller copies the head it sends).
 */
final class Piece {
    enum Kind {
        HEAD, CONTENT,
        /** The last chunk: the answer is complete. */
        END,
        /** The last chunk of a stream the upstream broke, closed off with an error event. */
        FAIL,
        /** A body cut short that cannot be completed. */
        ABORT,
        /** A complete answer in one message (head and body). */
        WHOLE
    }

    final Kind kind;
    final HttpResponse head;
    final ByteBuf bytes;
    final HttpHeaders trailers;

    private Piece(Kind kind, HttpResponse head, ByteBuf bytes, HttpHeaders trailers) {
        this.kind = kind;
        this.head = head;
        this.bytes = bytes;
        this.trailers = trailers;
    }

    static Piece head(HttpResponse head) {
        return new Piece(Kind.HEAD, head, null, null);
    }

    static Piece content(ByteBuf bytes) {
        return new Piece(Kind.CONTENT, null, bytes, null);
    }

    static Piece end(Kind kind, ByteBuf bytes, HttpHeaders trailers) {
        return new Piece(kind, null, bytes, trailers);
    }

    static Piece abort() {
        return new Piece(Kind.ABORT, null, null, null);
    }

    static Piece whole(HttpResponse head, ByteBuf body) {
        return new Piece(Kind.WHOLE, head, body, null);
    }

    /** The same piece with its own reference to the same bytes (no copy). */
    Piece duplicate() {
        return new Piece(kind, head, bytes == null ? null : bytes.retainedDuplicate(), trailers);
    }

    int size() {
        return bytes == null ? 0 : bytes.readableBytes();
    }

    /** Whether this piece ends the answer. */
    boolean ends() {
        return kind != Kind.HEAD && kind != Kind.CONTENT;
    }

    /** Whether it ends a successful answer that may be kept and replayed (never an error, never a cut stream). */
    boolean endsWell() {
        return kind == Kind.END || kind == Kind.WHOLE && head.status().code() < 300;
    }

    void release() {
        if (bytes != null) {
            bytes.release();
        }
    }
}
