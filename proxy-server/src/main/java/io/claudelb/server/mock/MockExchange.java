package io.claudelb.server.mock;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One request being answered on one connection, from dispatch to the last byte (or the reset). Routes answer
 * through it; it owns the delay timer and the stream writer of its answer, and tells the
 * {@link MockConnectionHandler} when the connection may serve its next request. Event-loop confined.
 */
final class MockExchange {
    private final ChannelHandlerContext ctx;
    private final MockUpstreamState state;
    private final MockConnectionHandler connection;
    private final long requestNumber;
    private Future<?> timer;
    private SseStreamWriter stream;
    private boolean done;
    private boolean closeAfterResponse;

    MockExchange(ChannelHandlerContext ctx, MockUpstreamState state, MockConnectionHandler connection) {
        this.ctx = ctx;
        this.state = state;
        this.connection = connection;
        this.requestNumber = state.nextRequestNumber();
    }

    ChannelHandlerContext ctx() {
        return ctx;
    }

    MockUpstreamState state() {
        return state;
    }

    /** True once the answer is complete, reset or abandoned: nothing more may be written for it. */
    boolean isDone() {
        return done;
    }

    /** The connection closes once the (complete) answer is written, e.g. after a malformed request. */
    void closeAfterResponse() {
        closeAfterResponse = true;
    }

    /** Runs the task now, or after the delay on this channel's event loop (never sleeping) if still wanted then. */
    void later(Duration delay, Runnable task) {
        if (delay.isZero()) {
            task.run();
            return;
        }
        timer = ctx.executor().schedule(() -> {
            timer = null;
            if (!done && ctx.channel().isActive()) {
                task.run();
            }
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** A response head for this exchange with the mock's common headers. */
    HttpResponse head(int status, CharSequence contentType, String retryAfter) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                MockResponseHeaders.FACTORY);
        MockResponseHeaders.fill(head.headers(), state.name(), requestNumber, status, contentType, retryAfter);
        return head;
    }

    /** Sends a complete answer; takes ownership of {@code body}. */
    void respond(int status, CharSequence contentType, ByteBuf body, String retryAfter) {
        respond(status, contentType, body, retryAfter, java.util.Map.of());
    }

    /** As {@link #respond(int, CharSequence, ByteBuf, String)}, with headers of the provider's own (Bedrock's). */
    void respond(int status, CharSequence contentType, ByteBuf body, String retryAfter,
                 java.util.Map<String, String> extraHeaders) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), body, MockResponseHeaders.FACTORY,
                MockResponseHeaders.FACTORY);
        MockResponseHeaders.fill(response.headers(), state.name(), requestNumber, status, contentType, retryAfter);
        HttpUtil.setContentLength(response, body.readableBytes());
        extraHeaders.forEach(response.headers()::set);
        done = true;
        if (closeAfterResponse) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(response, ctx.voidPromise());
        }
        connection.exchangeDone(this);
    }

    /** Sends an Anthropic-shaped error with the mock's default message for the status. */
    void respondError(int status, String retryAfter) {
        respond(status, MockResponseHeaders.APPLICATION_JSON, Unpooled.wrappedBuffer(AnthropicErrors.body(status)),
                retryAfter);
    }

    /** Sends an Anthropic-shaped error with this type and message. */
    void respondError(int status, String type, String message) {
        respond(status, MockResponseHeaders.APPLICATION_JSON,
                Unpooled.wrappedBuffer(AnthropicErrors.body(type, message)), null);
    }

    /**
     * Answers with the behaviour's failure that comes before any response head, if it has one: a reset, an error
     * status, or (for a non-streaming request, which cannot carry an in-band error) the 529 it stands for.
     *
     * @return true when it answered
     */
    boolean failBeforeHead(MockBehaviour behaviour, boolean stream) {
        if (behaviour.resetBeforeHeaders()) {
            reset();
        } else if (behaviour.errorStatus() != 0) {
            respondError(behaviour.errorStatus(), behaviour.retryAfter());
        } else if (behaviour.inBandError() && !stream) {
            respondError(529, behaviour.retryAfter());
        } else {
            return false;
        }
        return true;
    }

    /**
     * Sends a JSON answer as the behaviour says: whole, or (with {@code resetAfterEvents} set) its head announcing
     * the full length and only the first half of the body, then a reset. Takes ownership of {@code body}.
     */
    void respondJson(MockBehaviour behaviour, int status, ByteBuf body) {
        if (behaviour.resetAfterEvents() == MockBehaviour.NEVER) {
            respond(status, MockResponseHeaders.APPLICATION_JSON, body, behaviour.retryAfter());
            return;
        }
        HttpResponse head = head(status, MockResponseHeaders.APPLICATION_JSON, behaviour.retryAfter());
        HttpUtil.setContentLength(head, body.readableBytes());
        ctx.write(head, ctx.voidPromise());
        body.writerIndex(body.readerIndex() + body.readableBytes() / 2);
        resetAfter(new DefaultHttpContent(body));
    }

    /** Starts streaming; the writer calls {@link #streamDone()} at the end. */
    void stream(SseStreamWriter writer) {
        this.stream = writer;
        writer.start();
    }

    void streamDone() {
        done = true;
        connection.exchangeDone(this);
    }

    /** Writes and flushes the message, then resets the connection once it has reached the socket. */
    void resetAfter(Object lastMessage) {
        done = true;
        ctx.writeAndFlush(lastMessage).addListener((ChannelFutureListener) f -> ConnectionReset.reset(f.channel()));
    }

    /** Resets the connection without sending anything more. */
    void reset() {
        done = true;
        ConnectionReset.reset(ctx.channel());
    }

    /** Resumes a stream paused for backpressure. */
    void channelWritable() {
        if (stream != null && !done) {
            stream.resume();
        }
    }

    /** The connection is gone: stop the timer; whatever was pending is dropped (nothing is held). */
    void abandon() {
        done = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
