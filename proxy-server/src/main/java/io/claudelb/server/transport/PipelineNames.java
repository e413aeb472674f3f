package io.claudelb.server.transport;

/**
 * Every handler name of claude-lb's two pipelines, in order. One place, so logs, tests and per-exchange insertions
 * agree on what sits where.
 *
 * <p>Inbound (client) pipeline, in order:
 * <ol>
 *   <li>{@link #CONN_LIMIT}: refuses connections above {@code server.max_connections}</li>
 *   <li>{@link #CLIENT_TIMEOUTS}: closes a connection waiting {@code idle_timeout} for its next request; a request
 *       whose bytes do not all arrive within {@code header_read_timeout} gets 408</li>
 *   <li>{@link #HTTP_CODEC}: HttpServerCodec with header validation</li>
 *   <li>{@link #KEEP_ALIVE}: HttpServerKeepAliveHandler</li>
 *   <li>{@link #PIPELINING}: holds a pipelined request (head and body parts) until the answer before it is
 *       complete, so every later handler's answer, the aggregator's included, comes in request order</li>
 *   <li>{@link #BODY_AGGREGATOR}: bounded request aggregation, 413 {@code request_too_large} above the cap (also
 *       when announced with {@code Expect: 100-continue}), {@code 100 Continue} within it</li>
 *   <li>{@link #REQUEST_GUARD}: method, path and client key; answers local endpoints itself</li>
 *   <li>{@link #EXCHANGE}: one request at a time per connection: routed ({@code routing.RequestRouting}), relayed
 *       by an {@code exchange.AttemptLoop} into the connection's {@code inbound.ClientSink}</li>
 *   <li>{@link #TAIL}: releases strays, logs with these names, closes once</li>
 * </ol>
 *
 * <p>Backend (upstream) pipeline, in order: {@link #PROXY} (HTTP CONNECT, if configured), {@link #TLS} (https),
 * {@link #HTTP_CODEC} (HttpClientCodec), {@link #RECEIVER} (hands what the connection reads to the
 * {@code exchange.Attempt} or token call using it; closes a pooled channel on unexpected data). The pipeline never
 * changes per request.
 */
public final class PipelineNames {
    public static final String CONN_LIMIT = "conn-limit";
    public static final String CLIENT_TIMEOUTS = "client-timeouts";
    public static final String HTTP_CODEC = "http-codec";
    public static final String KEEP_ALIVE = "keep-alive";
    public static final String PIPELINING = "pipelining";
    public static final String BODY_AGGREGATOR = "body-aggregator";
    public static final String REQUEST_GUARD = "request-guard";
    public static final String EXCHANGE = "exchange";
    public static final String TAIL = "tail";

    public static final String PROXY = "proxy";
    public static final String TLS = "tls";
    public static final String RECEIVER = "receiver";

    private PipelineNames() {
    }
}
