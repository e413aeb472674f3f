package io.claudelb.server.mock;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.List;

/**
 * Builds the pipeline of each accepted mock connection, in this order: {@code tls} (an {@link SslHandler}, only in
 * HTTPS mode) -> {@code http-codec} (HttpServerCodec, header
 * validation on) -> {@code keep-alive} (closes after an answer when the client asked to) -> {@code aggregator}
 * (whole requests up to {@value #MAX_REQUEST_BYTES} bytes, 413 beyond) -> {@code mock} ({@link
 * MockConnectionHandler}, routing and answering).
 */
final class MockChannelInitializer extends ChannelInitializer<Channel> {
    /** Large enough for any request the proxy may forward (its own default cap is 32 MiB). */
    static final int MAX_REQUEST_BYTES = 64 * 1024 * 1024;
    /** Claude Code's anthropic-beta and x-stainless headers are long; leave room. */
    static final int MAX_HEADER_BYTES = 64 * 1024;

    private final MockUpstreamState state;
    private final List<MockRoute> routes;
    private final SslContext tls;

    /** Plain HTTP. */
    MockChannelInitializer(MockUpstreamState state, List<MockRoute> routes) {
        this(state, routes, null);
    }

    /** @param tls server context for HTTPS, or null for plain HTTP */
    MockChannelInitializer(MockUpstreamState state, List<MockRoute> routes, SslContext tls) {
        this.state = state;
        this.routes = List.copyOf(routes);
        this.tls = tls;
    }

    @Override
    protected void initChannel(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        if (tls != null) {
            // Auto-read is off: the SslHandler asks for the reads its handshake needs, the mock handler the rest.
            pipeline.addLast("tls", tls.newHandler(channel.alloc()));
        }
        pipeline.addLast("http-codec", new HttpServerCodec(new HttpDecoderConfig()
                .setValidateHeaders(true)
                .setMaxHeaderSize(MAX_HEADER_BYTES)));
        pipeline.addLast("keep-alive", new HttpServerKeepAliveHandler());
        pipeline.addLast("aggregator", new HttpObjectAggregator(MAX_REQUEST_BYTES));
        pipeline.addLast("mock", new MockConnectionHandler(state, routes));
    }
}
