package io.claudelb.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.balance.BalancerState;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.server.support.FakeClock;
import io.claudelb.server.support.TestConfigs;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Per-upstream gauges follow the config: a reload adds the new upstreams' series and removes the gone ones'. */
class UpstreamMetersTest {
    private final FakeClock clock = new FakeClock();

    @Test
    void aReloadAddsAndRemovesAnUpstreamsSeries() {
        GatewayConfig first = TestConfigs.proxy().anthropic("a", "http://127.0.0.1:1")
                .anthropic("b", "http://127.0.0.1:2").build();
        BalancerState balancer = new BalancerState(first, clock, () -> 0L);
        MeterRegistry registry = new SimpleMeterRegistry();
        UpstreamMeters meters = new UpstreamMeters(registry, balancer, new PoolGauges(null), clock);
        meters.reconfigure(first);

        assertThat(registry.find("claude_lb.upstream.breaker.state").tags("upstream", "b", "state", "closed")
                .gauge().value()).isEqualTo(1);
        assertThat(registry.find("claude_lb.upstream.available").tag("upstream", "a").gauge().value()).isEqualTo(1);
        assertThat(registry.find("claude_lb.pool.connections.open").tag("upstream", "a").gauge().value()).isZero();
        int perUpstream = registry.find("claude_lb.upstream.in_flight").gauges().size();
        assertThat(perUpstream).isEqualTo(2);

        GatewayConfig second = TestConfigs.proxy().anthropic("a", "http://127.0.0.1:1")
                .anthropic("c", "http://127.0.0.1:3").build();
        balancer.reconcile(second);
        int before = registry.getMeters().size();
        meters.reconfigure(second);

        assertThat(registry.find("claude_lb.upstream.in_flight").tag("upstream", "b").gauges()).isEmpty();
        assertThat(registry.find("claude_lb.affinity.rebinds").tag("upstream", "b").functionCounters()).isEmpty();
        assertThat(registry.find("claude_lb.upstream.in_flight").tag("upstream", "c").gauge().value()).isZero();
        assertThat(registry.getMeters()).hasSize(before);
        // Reconfiguring with the same names registers nothing twice.
        meters.reconfigure(second);
        assertThat(registry.getMeters()).hasSize(before);
    }
}
