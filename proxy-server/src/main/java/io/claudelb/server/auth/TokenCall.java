package io.claudelb.server.auth;

import io.claudelb.server.backend.BackendPool;
import io.claudelb.server.backend.BackendReceiver;
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
 * One token request on one pooled backend connection: attached to the connection's {@link BackendReceiver} for the
 * call, it writes the request, reads the (small, bounded) answer, gives the connection back to its pool (reusable
 * only when the answer was read completely on a keep-alive connection) and completes the promise with the parsed
 * answer. Confined to the connection's event loop; owns the buffered body until it is parsed.
 */
final class TokenCall implements BackendReceiver.Listener {
    /** A token answer is a few hundred bytes; anything this large is not one. */
    static final int MAX_BODY = 64 * 1024;

    private final String upstreamName;
    private final BackendPool pool;
    private final Channel channel;
    private final Promise<TokenResponse> promise;
    private HttpResponse head;
    private CompositeByteBuf body;
    private ScheduledFuture<?> timeout;
    private boolean done;

    TokenCall(String upstreamName, BackendPool pool, Channel channel, Promise<TokenResponse> promise) {
        this.upstreamName = upstreamName;
        this.pool = pool;
        this.channel = channel;
        this.promise = promise;
    }

    /** Sends {@code request} (ownership passes to the channel) and reads until the answer is complete. */
    void start(FullHttpRequest request, long timeoutNanos) {
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
                if (body.readableBytes() + content.content().readableBytes() > MAX_BODY) {
                    fail("the answer is larger than " + MAX_BODY + " bytes", null);
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
            promise.trySuccess(TokenResponses.parse(upstreamName, status, text));
        } catch (TokenException e) {
            promise.tryFailure(e);
        }
    }

    private void fail(String reason, Throwable cause) {
        if (done) {
            return;
        }
        end(false);
        String message = "token request for upstream '" + upstreamName + "' failed: " + reason
                + (cause == null ? "" : " (" + cause + ")");
        promise.tryFailure(cause == null ? new TokenException(message) : new TokenException(message, cause));
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
