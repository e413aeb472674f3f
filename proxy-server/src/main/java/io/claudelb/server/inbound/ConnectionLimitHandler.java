package io.claudelb.server.inbound;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code conn-limit}: closes client connections beyond {@code server.max_connections}, counted across loops. The
 * limit is read per accepted connection, so a reload applies it to the next one (open connections stay).
 */
@Sharable
public final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLimitHandler.class);
    private final IntSupplier max;
    private final AtomicInteger open = new AtomicInteger();

    /** @param max the current {@code server.max_connections} */
    public ConnectionLimitHandler(IntSupplier max) {
        this.max = max;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        int max = this.max.getAsInt();
        if (open.incrementAndGet() > max) {
            log.warn("conn-limit: {} client connections open, refusing {}", max, ctx.channel().remoteAddress());
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
