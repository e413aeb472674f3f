package io.claudelb.server.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.balance.BalancerState;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.HealthSettings;
import io.claudelb.core.config.ProbeSettings;
import io.claudelb.server.backend.BackendConnector;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.support.Await;
import io.claudelb.server.support.FakeClock;
import io.claudelb.server.support.TestConfigs;
import io.claudelb.server.transport.Transport;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link UpstreamProbes} with real connections on loopback (a mock that accepts, a port nobody listens on, a socket
 * that takes the connection but never answers the TLS handshake) and time from a {@link FakeClock}: the test runs
 * each tick itself, so intervals and timeouts pass without waiting.
 */
class UpstreamProbesTest {
    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final FakeClock clock = new FakeClock();
    private final Transport transport = Transport.best();
    private EventLoopGroup group;
    private EventLoop loop;
    private MockUpstream live;
    private MockUpstream revived;
    private ServerSocket silent;
    private int deadPort;
    private BalancerState health;
    private UpstreamProbes probes;

    @BeforeEach
    void start() throws Exception {
        group = transport.newGroup(1, "probe-test");
        loop = group.next();
        live = MockUpstream.start(MockOptions.builder().name("live").ioThreads(1).build());
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        // Takes TCP connections (the kernel's backlog) and never reads: a TLS handshake with it never ends.
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        GatewayConfig config = TestConfigs.proxy()
                .anthropic("live", live.baseUrl())
                .anthropic("dead", "http://127.0.0.1:" + deadPort)
                .anthropic("silent", "https://127.0.0.1:" + silent.getLocalPort())
                .health(probing(true))
                .build();
        health = new BalancerState(config, clock, () -> 0);
        probes = new UpstreamProbes(() -> config, health, clock, probesConnector(), loop);
    }

    private static HealthSettings probing(boolean on) {
        HealthSettings d = HealthSettings.DEFAULTS;
        return new HealthSettings(d.failureThreshold(), d.openFor(), d.halfOpenProbes(), d.retryAfterCap(),
                d.extraFailureStatuses(), d.failureBodyPatterns(), new ProbeSettings(on, INTERVAL, TIMEOUT));
    }

    @AfterEach
    void stop() throws IOException {
        probes.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        live.close();
        if (revived != null) {
            revived.close();
        }
        silent.close();
    }

    private void tick() throws Exception {
        loop.submit(probes::tick).get();
    }

    private boolean unreachable(String name) {
        return health.upstream(name).unreachable();
    }

    @Test
    void aClosedPortIsUnavailableUntilAProbeConnectsAgain() throws Exception {
        tick();
        Await.until("the probe of the closed port fails", () -> unreachable("dead"), Duration.ofSeconds(10));
        long now = clock.nanoTime();
        assertThat(health.upstream("dead").eligible(now)).isFalse();
        assertThat(health.upstream("dead").nanosUntilEligible(now)).isEqualTo(Long.MAX_VALUE);
        assertThat(unreachable("live")).isFalse();
        assertThat(health.upstream("live").eligible(now)).isTrue();
        // A probe is not a request: the breaker has counted nothing.
        assertThat(health.upstream("dead").breaker().consecutiveFailures()).isZero();

        // Something listens there again; nothing is probed before the interval has passed.
        revived = MockUpstream.start(MockOptions.builder().name("dead").port(deadPort).ioThreads(1).build());
        clock.advance(INTERVAL.minusSeconds(1));
        tick();
        Await.holdsFor("no probe before the interval", () -> unreachable("dead"), Duration.ofMillis(200));
        clock.advance(Duration.ofSeconds(1));
        tick();
        Await.until("the next probe connects", () -> !unreachable("dead"), Duration.ofSeconds(10));
        assertThat(health.upstream("dead").eligible(clock.nanoTime())).isTrue();
    }

    @Test
    void aProbeThatDoesNotFinishWithinItsTimeoutFails() throws Exception {
        tick();
        Await.holdsFor("the handshake hangs, no verdict yet", () -> !unreachable("silent"), Duration.ofMillis(300));
        clock.advance(TIMEOUT.minusMillis(1));
        tick();
        assertThat(unreachable("silent")).isFalse();
        clock.advance(Duration.ofMillis(1));
        tick();
        assertThat(unreachable("silent")).as("judged by the tick at its timeout").isTrue();
        assertThat(unreachable("live")).isFalse();
    }

    @Test
    void turningProbesOffByAReloadMakesEveryUpstreamAvailableAgain() throws Exception {
        GatewayConfig[] current = {config(true)};
        UpstreamProbes reloadable = new UpstreamProbes(() -> current[0], health, clock, probesConnector(), loop);
        loop.submit(reloadable::tick).get();
        Await.until("the probe of the closed port fails", () -> unreachable("dead"), Duration.ofSeconds(10));
        current[0] = config(false);
        loop.submit(reloadable::tick).get();
        assertThat(unreachable("dead")).isFalse();
        reloadable.close();
    }

    private GatewayConfig config(boolean probesOn) {
        return TestConfigs.proxy().anthropic("dead", "http://127.0.0.1:" + deadPort).health(probing(probesOn))
                .build();
    }

    private ConnectProbe probesConnector() {
        return new ConnectProbe(new BackendConnector(transport, new WriteBufferWaterMark(64 * 1024, 256 * 1024)));
    }
}
