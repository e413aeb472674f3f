package io.claudelb.server.inbound;

import io.claudelb.server.exchange.ResponseSink;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The {@link ResponseSink} of one request on a client connection: the answer is written to the {@code exchange}
 * handler's context (through the pipelining gate and the HTTP codec), flushed once per upstream read batch, and its
 * end tells the connection's {@link ExchangeHandler} whether the connection may take another request.
 *
 * <p>An HTTP/1.0 client must not get {@code transfer-encoding: chunked} (RFC 9112 §6.1): a body of unknown length
 * goes to it close-delimited (no framing, {@code connection: close}, the connection closed after the last byte).
 * One per request, on the connection's event loop.
 */
final class ClientSink implements ResponseSink {

    /** Told once when the answer is over. */
    interface Done {
        /** @param keepConnection false when the connection must close after what was written */
        void answered(ClientSink sink, boolean keepConnection);
    }

    private final ChannelHandlerContext ctx;
    private final boolean http10;
    private final Done done;
    private Runnable resume;
    private boolean closeDelimited;
    private boolean over;

    /** @param http10 the request was HTTP/1.0 */
    ClientSink(ChannelHandlerContext ctx, boolean http10, Done done) {
        this.ctx = ctx;
        this.http10 = http10;
        this.done = done;
    }

    @Override
    public void head(HttpResponse head) {
        if (http10 && HttpUtil.isTransferEncodingChunked(head)) {
            head.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            closeDelimited = true;
        }
        ctx.write(head);
    }

    @Override
    public void content(HttpContent content) {
        ctx.write(content, ctx.voidPromise());
    }

    @Override
    public void end(LastHttpContent last) {
        ctx.write(last, ctx.voidPromise());
        ctx.flush();
        over(!closeDelimited);
    }

    @Override
    public void fail(LastHttpContent errorTail) {
        // A stream closed off with an error event is a complete HTTP response: the connection may stay.
        end(errorTail);
    }

    @Override
    public void abort() {
        ctx.flush();
        over(false);
    }

    @Override
    public void whole(FullHttpResponse response) {
        ctx.writeAndFlush(response);
        over(true);
    }

    @Override
    public void flush() {
        ctx.flush();
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    @Override
    public void onWritable(Runnable r) {
        this.resume = r;
    }

    @Override
    public long pendingBytes() {
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    @Override
    public ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    /** The connection's writability changed (from {@code channelWritabilityChanged}). */
    void writabilityChanged() {
        Runnable r = resume;
        if (r != null && ctx.channel().isWritable()) {
            r.run();
        }
    }

    private void over(boolean keepConnection) {
        if (!over) {
            over = true;
            resume = null;
            done.answered(this, keepConnection);
        }
    }
}
