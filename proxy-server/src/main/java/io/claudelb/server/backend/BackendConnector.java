package io.claudelb.server.backend;

import io.claudelb.core.config.OutboundProxy;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.server.PipelineNames;
import io.claudelb.server.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/**
 * Opens backend connections on a given event loop: TCP (optionally through an HTTP CONNECT proxy), then TLS with
 * hostname verification for https upstreams. The channel starts with {@code AUTO_READ} off: the relay reads only
 * while its client can take more.
 */
public final class BackendConnector {
    private final Transport transport;
    private final WriteBufferWaterMark waterMark;
    private final Map<UpstreamConfig, SslContext> sslContexts = new ConcurrentHashMap<>();

    public BackendConnector(Transport transport, WriteBufferWaterMark waterMark) {
        this.transport = transport;
        this.waterMark = waterMark;
    }

    ChannelFuture connect(UpstreamConfig upstream, EventLoop loop) {
        OutboundProxy proxy = upstream.proxy();
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(transport.socketChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) upstream.timeouts().connect().toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (proxy != null) {
                            InetSocketAddress proxyAddress = new InetSocketAddress(proxy.host(), proxy.port());
                            HttpProxyHandler handler = proxy.hasCredentials()
                                    ? new HttpProxyHandler(proxyAddress, proxy.username(), proxy.password().reveal())
                                    : new HttpProxyHandler(proxyAddress);
                            handler.setConnectTimeoutMillis(upstream.timeouts().connect().toMillis());
                            ch.pipeline().addLast(PipelineNames.PROXY, handler);
                        }
                        // Upstreams are configured, not arbitrary clients: their response headers are relayed
                        // as decoded, without a second character-by-character validation (the decoder still
                        // splits lines, so no CR/LF can reach a value).
                        ch.pipeline().addLast(PipelineNames.HTTP_CODEC,
                                new HttpClientCodec(new HttpDecoderConfig().setValidateHeaders(false), false, false));
                        ch.pipeline().addLast(PipelineNames.POOL_GUARD, PoolGuard.INSTANCE);
                    }
                });
        InetSocketAddress target = proxy != null
                ? InetSocketAddress.createUnresolved(upstream.host(), upstream.port())
                : new InetSocketAddress(upstream.host(), upstream.port());
        return b.connect(target);
    }

    /** Completes when the connection can carry a request: connected, tunnel open, TLS handshake done. */
    Future<Channel> whenReady(ChannelFuture connected, UpstreamConfig upstream) {
        Channel ch = connected.channel();
        Promise<Channel> ready = ch.eventLoop().newPromise();
        connected.addListener(f -> {
            if (!f.isSuccess()) {
                ready.tryFailure(f.cause());
                return;
            }
            HttpProxyHandler proxy = ch.pipeline().get(HttpProxyHandler.class);
            if (proxy == null) {
                startTls(ch, upstream, ready);
            } else {
                proxy.connectFuture().addListener(p -> {
                    if (p.isSuccess()) {
                        startTls(ch, upstream, ready);
                    } else {
                        ready.tryFailure(p.cause());
                    }
                });
            }
        });
        return ready;
    }

    private void startTls(Channel ch, UpstreamConfig upstream, Promise<Channel> ready) {
        if (!upstream.tls()) {
            ready.trySuccess(ch);
            return;
        }
        SslHandler ssl;
        try {
            ssl = sslContext(upstream).newHandler(ch.alloc(), upstream.host(), upstream.port());
        } catch (IllegalStateException e) {
            ready.tryFailure(e.getCause() != null ? e.getCause() : e);
            return;
        }
        ssl.setHandshakeTimeoutMillis(upstream.timeouts().connect().toMillis());
        ch.pipeline().addBefore(PipelineNames.HTTP_CODEC, PipelineNames.TLS, ssl);
        ssl.handshakeFuture().addListener(h -> {
            if (h.isSuccess()) {
                ready.trySuccess(ch);
            } else {
                ready.tryFailure(h.cause());
            }
        });
    }

    private SslContext sslContext(UpstreamConfig upstream) {
        return sslContexts.computeIfAbsent(upstream, u -> {
            try {
                return SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS").build();
            } catch (SSLException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
