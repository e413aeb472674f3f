package io.claudelb.core.config;

/**
 * One target of a route ({@code routes[].targets[]}).
 *
 * @param upstream name of an upstream
 * @param model    model name to send; {@link #PASSTHROUGH} keeps the client's; null = the upstream kind's default
 *                 (passthrough, or the Databricks family mapping for {@code databricks} upstreams)
 * @param priority lower first for the {@code priority} strategy
 * @param weight   share for weighted strategies; 0 = the upstream's own weight
 */
public record TargetConfig(String upstream, String model, int priority, int weight) {
    public static final String PASSTHROUGH = "passthrough";

    public TargetConfig {
        Checks.notBlank("upstream", upstream);
        Checks.range("weight", weight, 0, 1_000_000);
    }
}
