package io.claudelb.server.backend;

import io.claudelb.core.config.OutboundProxy;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.server.transport.PipelineNames;
import io.claudelb.server.transport.Transport;
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
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens backend connections on a given event loop: TCP (optionally through an HTTP CONNECT proxy), then TLS with
 * hostname verification for https upstreams, trusting the JVM's trust store or the upstream's {@code tls.ca_file}
 * ({@link ClientTlsContexts}). The channel starts with {@code AUTO_READ} off: the relay reads only while its client
 * can take more. A failed handshake is logged with its reason (an untrusted CA and a wrong host name look the same
 * in /stats), then fails the connection with an {@link SSLException}, which the exchange counts as a TLS failure.
 */
public final class BackendConnector implements Connector {
    private static final Logger LOG = LoggerFactory.getLogger(BackendConnector.class);

    private final Transport transport;
    private final WriteBufferWaterMark waterMark;
    private final ClientTlsContexts tlsContexts = new ClientTlsContexts();

    public BackendConnector(Transport transport, WriteBufferWaterMark waterMark) {
        this.transport = transport;
        this.waterMark = waterMark;
    }

    @Override
    public Future<Channel> open(UpstreamConfig upstream, EventLoop loop, Consumer<Channel> opened) {
        ChannelFuture connected = connect(upstream, loop);
        opened.accept(connected.channel());
        Future<Channel> ready = whenReady(connected, upstream);
        ready.addListener(f -> {
            if (!f.isSuccess()) {
                connected.channel().close();
            }
        });
        return ready;
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
                        ch.pipeline().addLast(PipelineNames.RECEIVER, new BackendReceiver());
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
        if (!upstream.https()) {
            ready.trySuccess(ch);
            return;
        }
        SslHandler ssl;
        try {
            // The host given here is both the SNI name and the name the certificate must carry.
            ssl = tlsContexts.context(upstream.tls()).newHandler(ch.alloc(), upstream.host(), upstream.port());
        } catch (SSLException e) {
            LOG.warn("upstream {}: {}", upstream.name(), e.getMessage());
            ready.tryFailure(e);
            return;
        }
        ssl.setHandshakeTimeoutMillis(upstream.timeouts().connect().toMillis());
        ch.pipeline().addBefore(PipelineNames.HTTP_CODEC, PipelineNames.TLS, ssl);
        ssl.handshakeFuture().addListener(h -> {
            if (h.isSuccess()) {
                ready.trySuccess(ch);
            } else {
                if (h.cause() instanceof SSLException) {
                    LOG.warn("upstream {}: TLS handshake with {}:{} failed: {}", upstream.name(), upstream.host(),
                            upstream.port(), reason(h.cause()));
                }
                ready.tryFailure(h.cause());
            }
        });
    }

    /**
     * The failure and, when it adds something, its root cause: "PKIX path building failed: ...", "No subject
     * alternative DNS name matching ...".
     */
    private static String reason(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String outer = String.valueOf(t.getMessage());
        String inner = root.getMessage();
        return inner == null || outer.contains(inner) ? outer : outer + " (" + inner + ")";
    }
}
