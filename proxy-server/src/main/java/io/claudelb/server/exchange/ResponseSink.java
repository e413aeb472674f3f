package io.claudelb.server.exchange;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Where an exchange's answer goes: the relay and the attempt loop write the response here and never name a client
 * channel. One implementation is a client connection ({@code inbound.ClientSink}); in-flight coalescing adds one
 * that fans the same answer out to every caller of an identical request.
 *
 * <p>An answer is either {@link #whole} (one complete response), or a {@link #head} followed by any number of
 * {@link #content} pieces and exactly one ending: {@link #end} (complete), {@link #fail} (the upstream broke and
 * the proxy closed the stream with an error event) or {@link #abort} (the body cannot be completed). Every method
 * takes ownership of what it is given and is called on the exchange's event loop.
 */
public interface ResponseSink {

    /** The head of a response whose body follows. */
    void head(HttpResponse head);

    /** One piece of the body; it may wait in an outbound buffer until {@link #flush}. */
    void content(HttpContent content);

    /** The last piece: the answer is complete. Flushes. */
    void end(LastHttpContent last);

    /**
     * The last piece of a stream the upstream broke: {@code errorTail} closes it with a protocol-valid
     * {@code event: error}. The answer is over but not a success: nothing may keep or replay it. Flushes.
     */
    void fail(LastHttpContent errorTail);

    /** The body cannot be completed (a plain body cut short): what was written goes out, then the consumer closes. */
    void abort();

    /** A complete answer in one message: an error document, a translated answer, claude-lb's own answer. Flushes. */
    void whole(FullHttpResponse response);

    /** Pushes out what was written so far: the end of one upstream read batch. */
    void flush();

    /** Whether the consumer can take more now. The relay reads its upstream only while this is true. */
    boolean isWritable();

    /**
     * {@code resume} runs (on the exchange's event loop) each time the consumer becomes writable again; it replaces
     * an earlier one, null removes it.
     */
    void onWritable(Runnable resume);

    /**
     * Bytes written but not yet taken by the consumer (a connection's outbound buffer): how far behind it is. Only
     * called on the sink's own event loop.
     */
    long pendingBytes();

    /** The allocator for bytes the exchange makes for this sink (error events, translated answers). */
    ByteBufAllocator alloc();
}
