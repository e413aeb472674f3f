package io.claudelb.server.backend;

import io.claudelb.core.config.OutboundProxy;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.log.ThrottledWarning;
import io.claudelb.server.transport.PipelineNames;
import io.claudelb.server.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens backend connections on a given event loop: the host name resolved asynchronously ({@link HostResolvers}),
 * TCP (optionally through an HTTP CONNECT proxy), then TLS with hostname verification for https upstreams, trusting
 * the JVM's trust store or the upstream's {@code tls.ca_file} ({@link ClientTlsContexts}, built with each config
 * snapshot). The channel starts with {@code AUTO_READ} off: the relay reads only while its client can take more. A
 * failed handshake is logged with its reason (an untrusted CA and a wrong host name look the same in /stats), then
 * fails the connection with an {@link SSLException}, which the exchange counts as a TLS failure. Such a failure
 * repeats with every new connection to that upstream, so it is one WARN a minute per upstream ({@link
 * ThrottledWarning}), each one at DEBUG.
 */
public final class BackendConnector implements Connector, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackendConnector.class);

    private final Transport transport;
    private final WriteBufferWaterMark waterMark;
    private final ClientTlsContexts tlsContexts = new ClientTlsContexts();
    private final HostResolvers resolvers;
    /** The TLS warnings of each upstream by name: a flood from one does not hide the first of another. */
    private final Map<String, ThrottledWarning> tlsWarnings = new ConcurrentHashMap<>();

    /** Call off the event loops: it reads /etc/resolv.conf and /etc/hosts. */
    public BackendConnector(Transport transport, WriteBufferWaterMark waterMark) {
        this.transport = transport;
        this.waterMark = waterMark;
        this.resolvers = new HostResolvers(transport);
    }

    /**
     * Builds the TLS contexts of {@code upstreams} (the CA files read), so a new connection only looks its own up.
     * Call off the event loops with every config snapshot: at start and on each reload.
     */
    public void prepareTls(Collection<UpstreamConfig> upstreams) {
        tlsContexts.prepare(upstreams);
    }

    /** Closes the DNS resolvers (their sockets); connections already open are not affected. */
    @Override
    public void close() {
        resolvers.close();
        tlsContexts.close();
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
                        // Upstreams are configured, not arbitrary clients: their response headers are relayed
                        // as decoded, without a second character-by-character validation (the decoder still
                        // splits lines, so no CR/LF can reach a value).
                        ch.pipeline().addLast(PipelineNames.HTTP_CODEC,
                                new HttpClientCodec(new HttpDecoderConfig().setValidateHeaders(false), false, false));
                        ch.pipeline().addLast(PipelineNames.RECEIVER, new BackendReceiver());
                    }
                });
        // Unresolved: the host name is resolved asynchronously (never on the loop through the JDK), by the
        // Bootstrap's resolver for a direct connection, by the outbound proxy for a tunnelled one.
        InetSocketAddress target = InetSocketAddress.createUnresolved(upstream.host(), upstream.port());
        OutboundProxy proxy = upstream.proxy();
        return proxy == null ? b.resolver(resolvers.group()).connect(target) : connectThrough(proxy, b, loop, target,
                upstream.timeouts().connect().toMillis());
    }

    /**
     * Registers the channel, resolves the proxy's own address (HttpProxyHandler connects to the address it is
     * given, so it must be resolved), then connects: the handler turns the connect into one to the proxy and sends
     * {@code CONNECT host:port} with the upstream's name unresolved.
     */
    private ChannelFuture connectThrough(OutboundProxy proxy, Bootstrap b, EventLoop loop, InetSocketAddress target,
                                         long timeoutMillis) {
        ChannelFuture registered = b.register();
        Channel ch = registered.channel();
        ChannelPromise connected = ch.newPromise();
        registered.addListener(r -> {
            if (!r.isSuccess()) {
                connected.tryFailure(r.cause());
                return;
            }
            resolvers.resolve(loop, proxy.host(), proxy.port()).addListener(a -> {
                if (!a.isSuccess()) {
                    connected.tryFailure(a.cause());
                    return;
                }
                InetSocketAddress proxyAddress = (InetSocketAddress) a.getNow();
                HttpProxyHandler handler = proxy.hasCredentials()
                        ? new HttpProxyHandler(proxyAddress, proxy.username(), proxy.password().reveal())
                        : new HttpProxyHandler(proxyAddress);
                handler.setConnectTimeoutMillis(timeoutMillis);
                ch.pipeline().addFirst(PipelineNames.PROXY, handler);
                ch.connect(target, connected);
            });
        });
        return connected;
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
        tlsContexts.context(upstream.tls(), ch.eventLoop()).addListener(c -> {
            if (!c.isSuccess()) {
                tlsWarning(upstream).warn("upstream {}: {}", upstream.name(), c.cause().getMessage());
                ready.tryFailure(c.cause());
                return;
            }
            handshake(ch, upstream, (SslContext) c.getNow(), ready);
        });
    }

    private void handshake(Channel ch, UpstreamConfig upstream, SslContext context, Promise<Channel> ready) {
        // The host given here is both the SNI name and the name the certificate must carry.
        SslHandler ssl = context.newHandler(ch.alloc(), upstream.host(), upstream.port());
        ssl.setHandshakeTimeoutMillis(upstream.timeouts().connect().toMillis());
        ch.pipeline().addBefore(PipelineNames.HTTP_CODEC, PipelineNames.TLS, ssl);
        ssl.handshakeFuture().addListener(h -> {
            if (h.isSuccess()) {
                ready.trySuccess(ch);
            } else {
                if (h.cause() instanceof SSLException) {
                    tlsWarning(upstream).warn("upstream {}: TLS handshake with {}:{} failed: {}", upstream.name(),
                            upstream.host(), upstream.port(), reason(h.cause()));
                }
                ready.tryFailure(h.cause());
            }
        });
    }

    private ThrottledWarning tlsWarning(UpstreamConfig upstream) {
        return tlsWarnings.computeIfAbsent(upstream.name(),
                name -> new ThrottledWarning(LOG, ThrottledWarning.DEFAULT_INTERVAL, NanoClock.SYSTEM));
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
