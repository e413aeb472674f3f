package io.claudelb.server.databricks;

import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.route.DatabricksModels;
import io.claudelb.core.route.DiscoveredModels;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.auth.UpstreamTokens;
import io.claudelb.server.backend.BackendConnector;
import io.claudelb.server.backend.BackendPools;
import io.claudelb.server.transport.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.Future;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code check-config --discover}: lists every discovering Databricks workspace of a config once, as the running
 * gateway would, and says what it serves and where Claude Code's names of each family go. Runs on the CLI's own
 * thread with a private event loop, waiting for each listing (never inside the server).
 */
public final class DiscoveryReport {
    private DiscoveryReport() {
    }

    /** The report's text. Blocks the calling thread for at most the listing timeout per workspace. */
    public static String describe(GatewayConfig config) {
        StringBuilder out = new StringBuilder();
        List<UpstreamConfig> workspaces = config.upstreams().stream().filter(DatabricksDiscovery::discovers).toList();
        if (workspaces.isEmpty()) {
            return "Discovery: no databricks upstream discovers its endpoints\n";
        }
        Transport transport = Transport.best();
        EventLoopGroup group = transport.newGroup(1, "claude-lb-discover");
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        BackendConnector connector = new BackendConnector(transport, new WriteBufferWaterMark(64 * 1024, 256 * 1024));
        connector.prepareTls(workspaces);
        BackendPools pools = new BackendPools(connector, NanoClock.SYSTEM);
        DiscoveredModels discovered = new DiscoveredModels();
        try (DatabricksDiscovery discovery = new DatabricksDiscovery(discovered, pools,
                new UpstreamTokens(pools, NanoClock.SYSTEM), group, scheduler)) {
            out.append("Discovery (").append(workspaces.size()).append(" workspace")
                    .append(workspaces.size() == 1 ? "" : "s").append("):\n");
            for (UpstreamConfig u : workspaces) {
                Future<Set<String>> listing = discovery.listNow(u);
                listing.awaitUninterruptibly(DatabricksDiscovery.TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
                out.append("  ").append(u.name()).append(": ");
                if (!listing.isSuccess()) {
                    out.append("not listed (").append(listing.cause() == null ? "timed out"
                            : listing.cause().getMessage()).append("); routing by family and version\n");
                    continue;
                }
                Set<String> served = new TreeSet<>(listing.getNow());
                out.append(served.size()).append(" endpoint(s): ").append(String.join(", ", served)).append('\n');
                for (String family : List.of("opus", "sonnet", "haiku")) {
                    String newest = DatabricksModels.newestOfFamily(family, served);
                    out.append("    ").append(family).append(": ").append(newest == null
                            ? "none served (a request asks for its exact name)"
                            : "a missing version goes to " + newest).append('\n');
                }
            }
        } finally {
            pools.closeAll();
            connector.close();
            scheduler.shutdownNow();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        return out.toString();
    }
}
