package io.claudelb.server.inbound;

import io.claudelb.core.time.NanoClock;
import io.claudelb.server.log.ThrottledWarning;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.slf4j.LoggerFactory;

/**
 * {@code conn-limit}: closes client connections beyond {@code server.max_connections}, counted across loops. The
 * limit is read per accepted connection, so a reload applies it to the next one (open connections stay). Refusals
 * come in floods (a client retrying in a loop), so they are one WARN a minute with the count held back, each one at
 * DEBUG.
 */
@Sharable
public final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {
    private final IntSupplier max;
    private final ThrottledWarning refused;
    private final AtomicInteger open = new AtomicInteger();

    /** @param max the current {@code server.max_connections} */
    public ConnectionLimitHandler(IntSupplier max, NanoClock clock) {
        this(max, new ThrottledWarning(LoggerFactory.getLogger(ConnectionLimitHandler.class),
                ThrottledWarning.DEFAULT_INTERVAL, clock));
    }

    /** @param refused where refusals are reported (tests give it their own logger) */
    ConnectionLimitHandler(IntSupplier max, ThrottledWarning refused) {
        this.max = max;
        this.refused = refused;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        int max = this.max.getAsInt();
        if (open.incrementAndGet() > max) {
            refused.warn("conn-limit: {} client connections open (server.max_connections), refusing {}", max,
                    ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open.decrementAndGet();
        ctx.fireChannelInactive();
    }

    public int open() {
        return open.get();
    }
}
