package io.claudelb.server.mock;

import io.claudelb.server.transport.Transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Anthropic-compatible (and OpenAI Chat Completions) upstream that runs in-process: the target of integration
 * tests (port 0), of {@code claude-lb mock}, of the two workspaces of {@code claude-lb demo} and of the benchmark
 * harness. Netty on native epoll when available, TCP_NODELAY, HTTP/1.1 keep-alive, HTTPS when given a server
 * {@link io.netty.handler.ssl.SslContext} ({@link MockOptions.Builder#tls}); answers are precomputed per behaviour and
 * written from pooled buffers, with no locks on the request path.
 *
 * <p>Endpoints:
 * <ul>
 *   <li>{@code POST .../v1/messages} under any prefix ({@code {base}/v1/messages}, Databricks'
 *       {@code {base}/serving-endpoints/anthropic/v1/messages}): an SSE stream when the body has
 *       {@code "stream": true}, else one JSON message; the request's model is echoed, the message id
 *       ({@code msg_mock_<hash of the body>}) makes the body deterministic for a given request and behaviour.
 *   <li>{@code POST .../v1/messages/count_tokens}: {@code {"input_tokens": N}}, N = body bytes / 4 (a mock figure).
 *   <li>{@code POST .../chat/completions} under any prefix: the OpenAI Chat Completions mode
 *       ({@link ChatCompletionsRoute}): a {@code chat.completion}, or chunks ending in {@code data: [DONE]} with a
 *       usage chunk when {@code stream_options.include_usage}; reasoning_content for thinking, tool calls with
 *       fragmented arguments, OpenAI-shaped errors.
 *   <li>{@code POST .../oidc/v1/token} (client credentials) and {@code POST .../oauth/token} (refresh token, rotated
 *       on each use): OAuth token endpoints issuing {@code mock-at-<n>} tokens ({@link MockAuth}, {@link MockTokens});
 *       with {@link MockAuth#requireBearer()} the model endpoints answer 401 authentication_error unless
 *       {@code Authorization: Bearer} carries an issued, unexpired, unrevoked token.
 *   <li>Amazon Bedrock ({@link BedrockRoute}): {@code POST .../model/{id}/invoke} and
 *       {@code .../invoke-with-response-stream}, answers framed as AWS event streams, each request's SigV4 signature
 *       recomputed once an AWS key is registered ({@link MockCloud#acceptAwsKey}); {@code x-mock-bedrock-exception: T}
 *       with {@code x-mock-bedrock-exception-after: N} sends an exception frame of type T after N events.
 *   <li>Google Vertex AI ({@link VertexRoute}): {@code POST .../v1/projects/{p}/locations/{r}/publishers/anthropic/
 *       models/{model}:rawPredict}, {@code :streamRawPredict} and {@code count-tokens:rawPredict}, requiring a token
 *       from its own Google token endpoint {@code POST /token} ({@link GoogleTokenRoute}) once a service account is
 *       registered ({@link MockCloud#acceptServiceAccount}).
 *   <li>{@code GET .../api/2.0/serving-endpoints}: a Databricks workspace's endpoint list
 *       ({@link MockCloud#setServingEndpoints}); Databricks' AI Gateway path {@code .../ai-gateway/anthropic/v1/messages}
 *       is served as Messages.
 *   <li>{@code GET /health}: 200. Anything else: 404 not_found_error.
 * </ul>
 * Every answer carries {@code request-id: req_mock_<n>}, {@code x-mock-upstream: <name>}, illustrative
 * {@code anthropic-ratelimit-*} headers and, on error statuses, {@code retry-after} when configured.
 *
 * <p>Per-request overrides of the default {@link MockBehaviour} (request headers; unparsable values get a 400):
 * <ul>
 *   <li>{@code x-mock-status: S} - S >= 400 injects that error status (Anthropic-shaped body), else the success
 *       status
 *   <li>{@code x-mock-retry-after: V} - the {@code retry-after} value for error answers
 *   <li>{@code x-mock-ttfb-ms: N} - delay before anything is sent
 *   <li>{@code x-mock-pace-ms: N} - delay between SSE events
 *   <li>{@code x-mock-events: N} - number of text deltas; {@code x-mock-text-bytes: N} - total text size
 *   <li>{@code x-mock-thinking: true|false}, {@code x-mock-tool-use: true|false} - which blocks to include
 *   <li>{@code x-mock-web-search: true} - Messages mode: a {@code server_tool_use} (web_search), its
 *       {@code web_search_tool_result} and a {@code citations_delta} on the text ({@link MockWebSearch})
 *   <li>{@code x-mock-in-band-error: true} - 200, message_start, then {@code event: error} (overloaded_error)
 *   <li>{@code x-mock-reset-after-events: N} - TCP reset after N SSE events
 *   <li>{@code x-mock-reset-before-headers: true} - TCP reset instead of any answer
 *   <li>{@code x-mock-openai-tools: N} - Chat Completions mode: N tool calls (default: one if tool use is on)
 *   <li>{@code x-mock-openai-late-tool-ids: true} - Chat Completions mode: a tool call's id and name come in its
 *       second chunk, after an argument fragment
 *   <li>{@code x-mock-usage: input=N,output=N,cache_read=N,cache_write_5m=N,cache_write_1h=N} - Messages mode:
 *       report exactly these token counts ({@link MockUsage})
 * </ul>
 * A failure header applies to its request whatever the default's {@code failFirst} says.
 */
public final class MockUpstream implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MockUpstream.class);

    private final MockUpstreamState state;
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final int port;
    private final boolean https;

    private MockUpstream(MockUpstreamState state, EventLoopGroup group, Channel serverChannel, boolean https) {
        this.state = state;
        this.group = group;
        this.serverChannel = serverChannel;
        this.port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        this.https = https;
    }

    /**
     * Binds and returns once listening. Blocks the calling thread (which must not be an event loop) for the bind.
     *
     * @throws IllegalStateException when the address cannot be bound
     */
    public static MockUpstream start(MockOptions options) {
        Objects.requireNonNull(options, "options");
        Transport transport = Transport.best();
        MockUpstreamState state = new MockUpstreamState(options.name(), options.behaviour(), options.recordLimit(),
                options.auth());
        List<MockRoute> routes = List.of(new HealthRoute(), new TokenRoute(), new CountTokensRoute(),
                new MessagesRoute(), new ChatCompletionsRoute(), new BedrockRoute(), new VertexRoute(),
                new GoogleTokenRoute(), new ServingEndpointsRoute(), new ContainerCredentialsRoute(), new StsRoute());
        int threads = options.ioThreads() == 0 ? Runtime.getRuntime().availableProcessors() : options.ioThreads();
        EventLoopGroup group = transport.newGroup(threads, "mock-" + options.name());
        ChannelFuture bind = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new MockChannelInitializer(state, routes, options.tls()))
                .bind(options.host(), options.port())
                .awaitUninterruptibly();
        if (!bind.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
            throw new IllegalStateException("mock upstream " + options.name() + " cannot listen on "
                    + options.host() + ":" + options.port() + ": " + bind.cause().getMessage(), bind.cause());
        }
        MockUpstream mock = new MockUpstream(state, group, bind.channel(), options.tls() != null);
        LOG.info("mock upstream {} listening on {} ({})", options.name(), mock.baseUrl(),
                transport.name().toLowerCase(java.util.Locale.ROOT));
        return mock;
    }

    /** The bound port (the real one when the options asked for 0). */
    public int port() {
        return port;
    }

    /**
     * {@code http://127.0.0.1:PORT} (the loopback address, also when bound to a wildcard); {@code https://} in HTTPS
     * mode, where the certificate must name 127.0.0.1 for a client to accept this URL.
     */
    public String baseUrl() {
        return (https ? "https" : "http") + "://127.0.0.1:" + port;
    }

    /** Whether it serves HTTPS ({@link MockOptions.Builder#tls}). */
    public boolean https() {
        return https;
    }

    public String name() {
        return state.name().toString();
    }

    /** The requests received so far, oldest first (empty when recording is off). Thread-safe snapshot. */
    public List<RecordedRequest> requests() {
        RequestRecorder recorder = state.recorder();
        return recorder == null ? List.of() : recorder.snapshot();
    }

    public void clearRequests() {
        RequestRecorder recorder = state.recorder();
        if (recorder != null) {
            recorder.clear();
        }
    }

    /** Connections accepted since start. */
    public int connectionsAccepted() {
        return state.connectionsAccepted();
    }

    /** The cloud side: accepted AWS keys and Google service accounts, the Databricks endpoint list. */
    public MockCloud cloud() {
        return state.cloud();
    }

    /** The OAuth side: issued-token count, revocation, refusal. */
    public MockTokens tokens() {
        return state.tokens();
    }

    public MockBehaviour behaviour() {
        return state.behaviour();
    }

    /** Replaces the default behaviour for requests that arrive from now on; restarts the {@code failFirst} count. */
    public void setBehaviour(MockBehaviour behaviour) {
        state.setBehaviour(Objects.requireNonNull(behaviour, "behaviour"));
    }

    /** Blocks until the mock is closed (by {@link #close()} from another thread); for the CLI's foreground mode. */
    public void awaitClosed() throws InterruptedException {
        serverChannel.closeFuture().await();
    }

    /**
     * Stops accepting, closes open connections and stops the event loops; returns when they have stopped. Must not
     * be called from one of this mock's own event loops.
     */
    @Override
    public void close() {
        for (EventExecutor executor : group) {
            if (executor.inEventLoop()) {
                throw new IllegalStateException("MockUpstream.close() called from its own event loop");
            }
        }
        serverChannel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
