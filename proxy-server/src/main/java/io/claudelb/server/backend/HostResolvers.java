package io.claudelb.server.backend;

import io.claudelb.server.transport.Transport;
import io.netty.channel.EventLoop;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.HostsFileEntriesResolver;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;

/**
 * Host names of upstreams and outbound proxies resolved without blocking an event loop: Netty's asynchronous DNS
 * resolver, one per event loop (its queries run on the loop of the connection that asked), each with its cache
 * (answers kept for their TTL). {@code new InetSocketAddress(host, port)} would instead call the JDK's resolver on
 * the loop, which blocks it for as long as DNS takes whenever the JDK's 30-second cache has expired.
 *
 * <p>Names in {@code /etc/hosts} (localhost among them) are answered from it without any query, so a machine with no
 * reachable DNS server still resolves them; other names are asked of the nameservers in {@code /etc/resolv.conf},
 * with its search domains and options. Literal addresses are never looked up. Both files are read here, at
 * construction (off the loops).
 */
final class HostResolvers implements AutoCloseable {
    private final DnsAddressResolverGroup group;

    HostResolvers(Transport transport) {
        DnsServerAddressStreamProvider nameServers = DnsServerAddressStreamProviders.platformDefault();
        HostsFileEntriesResolver hostsFile = HostsFileEntriesResolver.DEFAULT;
        // Answering for a hosts-file name must not read the file on a loop: do its first read now.
        hostsFile.address("localhost", ResolvedAddressTypes.IPV4_PREFERRED);
        this.group = new DnsAddressResolverGroup(new DnsNameResolverBuilder()
                .datagramChannelType(transport.datagramChannel())
                .nameServerProvider(nameServers)
                .hostsFileEntriesResolver(hostsFile));
    }

    /** For {@code Bootstrap.resolver}: the Bootstrap resolves an unresolved remote address through it. */
    AddressResolverGroup<InetSocketAddress> group() {
        return group;
    }

    /** Resolves {@code host} on {@code loop}'s resolver; completes on that loop. */
    Future<InetSocketAddress> resolve(EventLoop loop, String host, int port) {
        return group.getResolver(loop).resolve(InetSocketAddress.createUnresolved(host, port));
    }

    @Override
    public void close() {
        group.close();
    }
}
