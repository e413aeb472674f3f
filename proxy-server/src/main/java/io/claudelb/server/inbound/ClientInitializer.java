package io.claudelb.server.inbound;

import io.claudelb.core.config.ServerSettings;
import io.claudelb.server.coalesce.Coalescing;
import io.claudelb.server.gateway.Gateway;
import io.claudelb.server.observe.ActiveExchanges;
import io.claudelb.server.transport.PipelineNames;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import java.util.function.Supplier;

/**
 * Builds the inbound pipeline in the order {@link PipelineNames} documents. The client-side limits
 * ({@code max_connections}, {@code max_request_bytes}, {@code header_read_timeout}, {@code idle_timeout}) are read
 * from the current config snapshot, so a reload applies them: to new connections at once, to open ones from their
 * next request (or next idle check).
 */
public final class ClientInitializer extends ChannelInitializer<Channel> {
    private final Gateway gateway;
    /** The current snapshot's server settings: one supplier shared by every connection's handlers. */
    private final Supplier<ServerSettings> settings;
    private final ConnectionLimitHandler connLimit;
    private final RequestGuard guard;
    private final ChannelGroup clients;
    private final Coalescing coalescing;
    private final ActiveExchanges active;
    private final LocalAnswers answers;

    /** @param active counts the proxied requests running on every connection (for /metrics) */
    public ClientInitializer(Gateway gateway, RequestGuard guard, LocalAnswers answers, ChannelGroup clients,
                             Coalescing coalescing, ActiveExchanges active) {
        this.coalescing = coalescing;
        this.active = active;
        this.answers = answers;
        this.gateway = gateway;
        this.settings = () -> gateway.snapshot().config().server();
        this.connLimit = new ConnectionLimitHandler(() -> settings.get().maxConnections(), gateway.clock());
        this.guard = guard;
        this.clients = clients;
    }

    @Override
    protected void initChannel(Channel ch) {
        clients.add(ch);
        ChannelPipeline p = ch.pipeline();
        p.addLast(PipelineNames.CONN_LIMIT, connLimit);
        p.addLast(PipelineNames.CLIENT_TIMEOUTS, new ClientTimeouts(settings, answers));
        p.addLast(PipelineNames.HTTP_CODEC, new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(16 * 1024)
                .setMaxHeaderSize(64 * 1024)
                .setValidateHeaders(true)));
        p.addLast(PipelineNames.KEEP_ALIVE, new HttpServerKeepAliveHandler());
        p.addLast(PipelineNames.PIPELINING, new PipeliningGate());
        p.addLast(PipelineNames.BODY_AGGREGATOR, BodyAggregator.following(() -> settings.get().maxRequestBytes(),
                answers));
        p.addLast(PipelineNames.REQUEST_GUARD, guard);
        p.addLast(PipelineNames.EXCHANGE, new ExchangeHandler(gateway, coalescing, active, answers));
        p.addLast(PipelineNames.TAIL, TailHandler.INSTANCE);
    }

    public ConnectionLimitHandler connectionLimit() {
        return connLimit;
    }
}
