package io.claudelb.server.local;

import io.claudelb.codec.http.HeaderRules;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.MetricsSettings;
import io.claudelb.server.gateway.Gateway;
import io.claudelb.server.http.LocalResponses;
import io.claudelb.server.metrics.GatewayMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /metrics}: every series of {@link GatewayMetrics} in the Prometheus text format. Open to loopback callers
 * (a Prometheus or agent on the same host); anyone else needs {@code metrics.token} or the admin key, as Bearer or
 * {@code x-api-key} (401 with a wrong or missing one, 403 when no token is configured at all). Client keys do not
 * open it: a developer's key is not a monitoring credential. With {@code metrics.enabled: false} it does not exist
 * (404). The scrape walks every meter, so it runs on the control plane and the event loop only writes the answer.
 * Part of {@link LocalEndpoints}.
 */
final class MetricsEndpoint {
    static final String PATH = "/metrics";

    private final Gateway gateway;
    private final GatewayMetrics metrics;

    /** @param metrics the registry, or null when metrics were off at start (a reload cannot turn them on) */
    MetricsEndpoint(Gateway gateway, GatewayMetrics metrics) {
        this.gateway = gateway;
        this.metrics = metrics;
    }

    static boolean handles(HttpMethod method, String path) {
        return HttpMethod.GET.equals(method) && path.equals(PATH);
    }

    /**
     * @param loopback whether the caller connected from a loopback address
     */
    CompletionStage<FullHttpResponse> answer(ByteBufAllocator alloc, FullHttpRequest request, boolean loopback) {
        GatewayConfig config = gateway.snapshot().config();
        MetricsSettings settings = config.metrics();
        if (metrics == null || !settings.enabled()) {
            return done(LocalResponses.error(alloc, 404, "not_found_error",
                    "No endpoint GET /metrics: metrics.enabled is false."));
        }
        String credential = HeaderRules.clientCredential(request.headers());
        boolean presentedKey = credential != null
                && (settings.token().matches(credential) || config.admin().apiKey().matches(credential));
        if (!presentedKey && !loopback) {
            if (settings.token().isEmpty() && config.admin().apiKey().isEmpty()) {
                return done(LocalResponses.error(alloc, 403, "permission_error",
                        "GET /metrics answers loopback callers only: set metrics.token to scrape from elsewhere."));
            }
            return done(LocalResponses.error(alloc, 401, "authentication_error",
                    "GET /metrics needs metrics.token or the admin key (Authorization: Bearer or x-api-key)."));
        }
        return gateway.controlPlane().submit(() -> scrape(alloc));
    }

    private FullHttpResponse scrape(ByteBufAllocator alloc) {
        ByteBuf body = alloc.buffer(64 * 1024);
        try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
            metrics.scrape(out);
        } catch (IOException | RuntimeException e) {
            body.release();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, GatewayMetrics.CONTENT_TYPE);
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return res;
    }

    private static CompletionStage<FullHttpResponse> done(FullHttpResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
