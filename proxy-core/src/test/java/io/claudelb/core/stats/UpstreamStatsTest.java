package io.claudelb.core.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.health.FailureKind;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpstreamStatsTest {
    @Test
    void countsRequestsErrorsBytesAndBindings() {
        UpstreamStats s = new UpstreamStats();
        s.started();
        s.started();
        assertThat(s.inFlight()).isEqualTo(2);
        s.succeeded();
        s.ended(1_234);
        s.failed(FailureKind.HTTP_529, 1_700_000_000_000L);
        s.failed(FailureKind.HTTP_529, 1_700_000_000_500L);
        s.failed(FailureKind.CONNECT_REFUSED, 1_700_000_001_000L);
        s.ended(0);
        s.bound();
        s.bound();
        s.unbound();
        s.reboundAway();

        assertThat(s.inFlight()).isZero();
        assertThat(s.totalRequests()).isEqualTo(2);
        assertThat(s.successes()).isEqualTo(1);
        assertThat(s.errors(FailureKind.HTTP_529)).isEqualTo(2);
        assertThat(s.errorsByKind()).containsExactly(Map.entry(FailureKind.CONNECT_REFUSED, 1L),
                Map.entry(FailureKind.HTTP_529, 2L));
        assertThat(s.totalErrors()).isEqualTo(3);
        assertThat(s.bytesToClients()).isEqualTo(1_234);
        assertThat(s.affinityBindings()).isEqualTo(1);
        assertThat(s.rebinds()).isEqualTo(1);
        assertThat(s.lastFailureEpochMillis()).isEqualTo(1_700_000_001_000L);
    }

    @Test
    void gaugesNeverGoNegative() {
        UpstreamStats s = new UpstreamStats();
        s.ended(0);
        s.unbound();
        assertThat(s.inFlight()).isZero();
        assertThat(s.affinityBindings()).isZero();
    }
}
