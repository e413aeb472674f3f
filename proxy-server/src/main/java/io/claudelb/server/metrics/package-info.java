/**
 * Measurement of the gateway for operators: {@link io.claudelb.server.metrics.GatewayMetrics} owns the Micrometer
 * Prometheus registry behind {@code GET /metrics} (per-request series from
 * {@link io.claudelb.server.metrics.MetricsObserver}, an exchange observer with bounded labels; per-upstream health
 * and pool gauges; JVM and Netty memory), and {@link io.claudelb.server.metrics.WindowedLatencies} the 5-minute
 * percentiles of {@code /stats}. Everything here is fed by exchange observers or read when scraped: nothing on the
 * request path calls into it, and nothing here waits for an event loop.
 */
package io.claudelb.server.metrics;
