package io.claudelb.server.backend;

import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One small side call on one pooled backend connection (a token request, a workspace's endpoint listing): attached to
 * the connection's {@link BackendReceiver} for the call, it writes the request, reads the (small, bounded) answer,
 * gives the connection back to its pool (reusable only when the answer was read completely on a keep-alive
 * connection) and completes the promise with the answer as its {@link Parser} reads it. Confined to the connection's
 * event loop; owns the buffered body until it is parsed.
 *
 * @param <T> what the answer is parsed into
 */
public final class BoundedCall<T> implements BackendReceiver.Listener {
    /** Reads a complete answer; what it throws fails the call's promise as it is. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(int status, String body) throws Exception;
    }

    /** Makes the exception a transport failure completes the promise with (message, cause or null). */
    @FunctionalInterface
    public interface Failure {
        Exception of(String message, Throwable cause);
    }

    private final String what;
    private final int maxBody;
    private final BackendPool pool;
    private final Channel channel;
    private final Promise<T> promise;
    private final Parser<T> parser;
    private final Failure failure;
    private HttpResponse head;
    private CompositeByteBuf body;
    private ScheduledFuture<?> timeout;
    private boolean done;

    /**
     * @param what    names the call in failure messages ("token request for upstream 'x'")
     * @param maxBody the largest answer read; a larger one fails the call
     */
    public BoundedCall(String what, int maxBody, BackendPool pool, Channel channel, Promise<T> promise,
                       Parser<T> parser, Failure failure) {
        this.what = what;
        this.maxBody = maxBody;
        this.pool = pool;
        this.channel = channel;
        this.promise = promise;
        this.parser = parser;
        this.failure = failure;
    }

    /** Sends {@code request} (ownership passes to the channel) and reads until the answer is complete. */
    public void start(FullHttpRequest request, long timeoutNanos) {
        BackendReceiver.of(channel).attach(this);
        timeout = channel.eventLoop().schedule(() -> fail("no answer within "
                + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s", null), timeoutNanos, TimeUnit.NANOSECONDS);
        channel.writeAndFlush(request).addListener(f -> {
            if (!f.isSuccess()) {
                fail("the request could not be sent", f.cause());
            }
        });
        channel.read();
    }

    @Override
    public void onRead(Object msg) {
        try {
            if (done) {
                return;
            }
            if (msg instanceof HttpResponse response) {
                if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                    return;
                }
                head = response;
                body = channel.alloc().compositeBuffer();
            }
            if (msg instanceof HttpContent content && body != null) {
                if (body.readableBytes() + content.content().readableBytes() > maxBody) {
                    fail("the answer is larger than " + maxBody + " bytes", null);
                    return;
                }
                body.addComponent(true, content.content().retain());
                if (content instanceof LastHttpContent) {
                    finish();
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void onReadComplete() {
        if (!done) {
            channel.read();
        }
    }

    @Override
    public void onClosed(Throwable cause) {
        fail(cause == null ? "the connection closed before the answer was complete" : "the connection failed", cause);
    }

    private void finish() {
        String text = body.toString(StandardCharsets.UTF_8);
        int status = head.status().code();
        boolean reusable = HttpUtil.isKeepAlive(head);
        end(reusable);
        try {
            promise.trySuccess(parser.parse(status, text));
        } catch (Exception e) {
            promise.tryFailure(e);
        }
    }

    private void fail(String reason, Throwable cause) {
        if (done) {
            return;
        }
        end(false);
        String message = what + " failed: " + reason + (cause == null ? "" : " (" + cause + ")");
        promise.tryFailure(failure.of(message, cause));
    }

    private void end(boolean reusable) {
        done = true;
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (body != null) {
            body.release();
            body = null;
        }
        pool.release(channel, reusable);
    }
}
