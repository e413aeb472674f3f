package io.claudelb.server.support;

import io.claudelb.core.config.RouteConfig;
import io.claudelb.core.config.TargetConfig;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One mock upstream and a claude-lb proxy (system clock) in front of it on loopback ports, started before each test
 * and stopped after it: the setup of the integration tests that need nothing more. Register it on an instance field
 * with {@code @RegisterExtension}; {@code @BeforeEach} methods already see both running, and {@code @AfterEach}
 * methods run while both still are. The proxy stops first, so it never sees its upstream vanish mid-exchange.
 */
public final class MockAndProxy implements BeforeEachCallback, AfterEachCallback {
    private final MockOptions mockOptions;
    private final Function<String, TestConfigs> proxyConfig;
    private MockUpstream mock;
    private ProxyServer proxy;

    private MockAndProxy(MockOptions mockOptions, Function<String, TestConfigs> proxyConfig) {
        this.mockOptions = mockOptions;
        this.proxyConfig = proxyConfig;
    }

    /** A mock started with {@code mockOptions}, the proxy's only upstream: an {@code anthropic} one named "up". */
    public static MockAndProxy anthropic(MockOptions mockOptions) {
        return of(mockOptions, mockUrl -> TestConfigs.proxy().anthropic("up", mockUrl));
    }

    /**
     * One single-threaded mock behind a proxy that accepts bodies up to {@code maxRequestBytes} and routes every
     * {@code claude-*} model to it: the set-up of the tests of requests the proxy answers itself.
     */
    public static MockAndProxy withBodyCap(int maxRequestBytes) {
        return of(MockOptions.builder().ioThreads(1).build(),
                mockUrl -> TestConfigs.proxy().maxRequestBytes(maxRequestBytes).anthropic("up", mockUrl)
                        .route(new RouteConfig("claude-*", List.of(new TargetConfig("up", null, 0, 0)), null)));
    }

    /** A mock started with {@code mockOptions}; {@code proxyConfig} is given its base URL and describes the proxy. */
    public static MockAndProxy of(MockOptions mockOptions, Function<String, TestConfigs> proxyConfig) {
        return new MockAndProxy(mockOptions, proxyConfig);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws InterruptedException {
        mock = MockUpstream.start(mockOptions);
        proxy = ProxyServer.start(proxyConfig.apply(mock.baseUrl()).build(), NanoClock.SYSTEM, "test");
    }

    /** Runs even when {@link #beforeEach} failed half-way, hence the null checks. */
    @Override
    public void afterEach(ExtensionContext context) {
        try {
            if (proxy != null) {
                proxy.stop(Duration.ofSeconds(5));
            }
        } finally {
            if (mock != null) {
                mock.close();
            }
        }
    }

    public MockUpstream mock() {
        return mock;
    }

    public ProxyServer proxy() {
        return proxy;
    }
}
