package io.claudelb.server.support;

import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.backend.BackendConnector;
import io.claudelb.server.backend.BackendPools;
import io.claudelb.server.gateway.ExchangeServices;
import io.claudelb.server.gateway.Gateway;
import io.claudelb.server.observe.ExchangeObservers;
import io.claudelb.server.transport.Transport;
import io.netty.channel.WriteBufferWaterMark;

/** A {@link Gateway} for handler tests that never open a backend connection. */
public final class Gateways {
    private Gateways() {
    }

    public static Gateway of(GatewayConfig config) {
        return of(config, NanoClock.SYSTEM);
    }

    public static Gateway of(GatewayConfig config, NanoClock clock) {
        BackendPools pools = new BackendPools(new BackendConnector(Transport.NIO, WriteBufferWaterMark.DEFAULT), clock);
        return new Gateway(config, clock, System::currentTimeMillis,
                new ExchangeServices(pools, clock, System::currentTimeMillis, new ExchangeObservers()));
    }
}
