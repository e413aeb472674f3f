package io.claudelb.server.databricks;

import io.claudelb.codec.cloud.ServingEndpointList;
import io.claudelb.core.config.AuthType;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.core.route.DiscoveredModels;
import io.claudelb.server.auth.AccessToken;
import io.claudelb.server.auth.TokenSource;
import io.claudelb.server.auth.UpstreamTokens;
import io.claudelb.server.backend.BackendPool;
import io.claudelb.server.backend.BackendPools;
import io.claudelb.server.backend.BoundedCall;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists each discovering {@code databricks} workspace's serving endpoints ({@code GET {workspace}/api/2.0/
 * serving-endpoints}) at start and every {@code databricks.refresh}, with the workspace's own credential (its
 * {@code bearer} token, or its {@code databricks_oauth} access token from its {@link TokenSource}), and hands each
 * listing to the {@link DiscoveredModels} the router reads. The schedule runs on a thread of its own (the credential
 * thread); the call itself is non-blocking I/O on an event loop of the server's group, through the upstream's own
 * pool, proxy and TLS trust, like a token request. A failed listing keeps the previous one and is logged; a
 * workspace that left the config (or turned discovery off) is forgotten. Each new or changed listing is logged once.
 */
public final class DatabricksDiscovery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DatabricksDiscovery.class);
    static final String LIST_PATH = "/api/2.0/serving-endpoints";
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** A workspace's list is a few KB per endpoint; a large workspace's fits. */
    static final int MAX_ANSWER = 8 * 1024 * 1024;

    private final DiscoveredModels discovered;
    private final BackendPools pools;
    private final UpstreamTokens tokens;
    private final EventLoopGroup loops;
    private final ScheduledExecutorService scheduler;
    private final Map<UpstreamConfig, ScheduledFuture<?>> tasks = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public DatabricksDiscovery(DiscoveredModels discovered, BackendPools pools, UpstreamTokens tokens,
                               EventLoopGroup loops, ScheduledExecutorService scheduler) {
        this.discovered = discovered;
        this.pools = pools;
        this.tokens = tokens;
        this.loops = loops;
        this.scheduler = scheduler;
    }

    /** Whether an upstream's endpoints are listed. */
    public static boolean discovers(UpstreamConfig u) {
        return u.kind() == UpstreamKind.DATABRICKS && u.databricks().discover()
                && u.auth().type() != AuthType.PASSTHROUGH;
    }

    /**
     * Starts listing the discovering workspaces of {@code config} and stops listing the ones it no longer has
     * (call at start and after each reload). Returns at once.
     */
    public synchronized void apply(GatewayConfig config) {
        if (closed) {
            return;
        }
        Set<UpstreamConfig> wanted = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (UpstreamConfig u : config.upstreams()) {
            if (discovers(u)) {
                wanted.add(u);
                names.add(u.name());
            }
        }
        tasks.entrySet().removeIf(e -> {
            if (wanted.contains(e.getKey())) {
                return false;
            }
            e.getValue().cancel(false);
            if (!names.contains(e.getKey().name())) {
                discovered.forget(e.getKey().name());
            }
            return true;
        });
        for (UpstreamConfig u : config.upstreams()) {
            if (!discovers(u) && u.kind() == UpstreamKind.DATABRICKS) {
                discovered.forget(u.name());
            }
        }
        for (UpstreamConfig u : wanted) {
            tasks.computeIfAbsent(u, k -> scheduler.scheduleWithFixedDelay(() -> listNow(k), 0,
                    k.databricks().refreshEvery().toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    /** One listing of {@code upstream}, now; the future completes with the names (also handed to the router). */
    public Future<Set<String>> listNow(UpstreamConfig upstream) {
        EventLoop loop = loops.next();
        Promise<Set<String>> result = loop.newPromise();
        loop.execute(() -> credential(upstream, loop).addListener(f -> {
            if (!f.isSuccess()) {
                fail(upstream, result, "no credential: " + f.cause().getMessage());
                return;
            }
            call(upstream, loop, (String) f.getNow(), result);
        }));
        result.addListener(f -> {
            if (f.isSuccess()) {
                @SuppressWarnings("unchecked")
                Set<String> names = (Set<String>) f.getNow();
                Set<String> before = discovered.served(upstream.name());
                discovered.update(upstream.name(), names);
                if (!names.equals(before)) {
                    LOG.info("upstream {}: the workspace serves {} endpoint(s): {}", upstream.name(), names.size(),
                            String.join(", ", names));
                }
            }
        });
        return result;
    }

    private Future<String> credential(UpstreamConfig upstream, EventLoop loop) {
        TokenSource source = tokens.source(upstream);
        if (source != null) {
            Promise<String> token = loop.newPromise();
            source.token(loop).addListener(f -> {
                if (f.isSuccess()) {
                    token.trySuccess(((AccessToken) f.getNow()).value());
                } else {
                    token.tryFailure(f.cause());
                }
            });
            return token;
        }
        return loop.newSucceededFuture(upstream.auth().type() == AuthType.BEARER
                ? upstream.auth().token().reveal() : null);
    }

    private void call(UpstreamConfig upstream, EventLoop loop, String bearer, Promise<Set<String>> result) {
        BackendPool pool = pools.pool(loop, upstream);
        Future<Channel> acquired = pool.acquire();
        acquired.addListener(f -> {
            if (!f.isSuccess()) {
                fail(upstream, result, "workspace not reachable: " + f.cause());
                return;
            }
            Channel channel = acquired.getNow();
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                    upstream.databricksWorkspace().getRawPath() + LIST_PATH, Unpooled.EMPTY_BUFFER);
            request.headers().set(HttpHeaderNames.HOST, upstream.hostHeader())
                    .set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            if (bearer != null) {
                request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + bearer);
            }
            Promise<Set<String>> answer = loop.newPromise();
            answer.addListener(a -> {
                if (a.isSuccess()) {
                    @SuppressWarnings("unchecked")
                    Set<String> names = (Set<String>) a.getNow();
                    result.trySuccess(names);
                } else {
                    fail(upstream, result, a.cause().getMessage());
                }
            });
            new BoundedCall<>("serving-endpoint listing of upstream '" + upstream.name() + "'", MAX_ANSWER, pool,
                    channel, answer, DatabricksDiscovery::parse, IOException::new).start(request, TIMEOUT.toNanos());
        });
    }

    static Set<String> parse(int status, String body) throws IOException {
        if (status != 200) {
            throw new IOException("the workspace answered HTTP " + status);
        }
        return ServingEndpointList.names(body);
    }

    private void fail(UpstreamConfig upstream, Promise<Set<String>> result, String reason) {
        if (!closed) {
            LOG.warn("upstream {}: could not list the workspace's serving endpoints ({}); {}", upstream.name(),
                    reason, discovered.served(upstream.name()) == null ? "routing by family and version"
                            : "keeping the last listing");
        }
        result.tryFailure(new IOException(reason));
    }

    @Override
    public synchronized void close() {
        closed = true;
        tasks.values().forEach(t -> t.cancel(false));
        tasks.clear();
    }
}
