package io.claudelb.server.coalesce;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.DedupSettings;
import io.claudelb.server.mock.MockBehaviour;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.observe.CoalescingRole;
import io.claudelb.server.observe.ExchangeEvent;
import io.claudelb.server.observe.Outcome;
import io.claudelb.server.support.Await;
import io.claudelb.server.support.MockAndProxy;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.RawHttpClient.Response;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.Sse;
import io.claudelb.server.support.TestConfigs;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The end of the shutdown grace with coalescing on (the default): a shared stream still running is cut for the
 * leader and for every follower with one {@code event: error} each, and each caller's request is recorded (access
 * log, metrics, usage: they all read its event) as cut by shutdown, neither as an upstream failure mid-stream nor as
 * a client that went away.
 */
class CoalescedShutdownTest {
    /** 40 text deltas 50 ms apart: still running when a 300 ms grace ends. */
    private static final MockBehaviour LONG = MockBehaviour.builder().textEvents(40)
            .pace(Duration.ofMillis(50)).build();

    @RegisterExtension
    final MockAndProxy servers = MockAndProxy.of(MockOptions.builder().behaviour(LONG).build(),
            url -> TestConfigs.proxy().ioThreads(2).anthropic("up", url).dedup(DedupSettings.DEFAULTS));

    private final List<ExchangeEvent> ended = new CopyOnWriteArrayList<>();

    @Test
    void aSharedStreamCutByShutdownEndsWithOneErrorEventForEachCallerAndIsRecordedAsCutByShutdown()
            throws IOException {
        servers.proxy().gateway().exchangeServices().observers().add(ended::add);
        byte[] request = RawHttpClient.post("/v1/messages", Requests.messages("claude-sonnet-4-5", true));
        try (RawHttpClient leader = RawHttpClient.connect(servers.proxy().port());
             RawHttpClient follower = RawHttpClient.connect(servers.proxy().port())) {
            leader.send(request);
            Response led = leader.readHead();
            leader.readUntil(led, "\"text_delta\"");
            follower.send(request);
            Response followed = follower.readHead();
            follower.readUntil(followed, "\"text_delta\"");
            assertThat(List.of(led.header("x-claude-lb-coalesced"), followed.header("x-claude-lb-coalesced")))
                    .containsExactly("leader", "follower");

            servers.proxy().stop(Duration.ofMillis(300));

            assertCutWithOneErrorEvent(leader, led);
            assertCutWithOneErrorEvent(follower, followed);
        }
        assertThat(servers.mock().requests()).as("one shared upstream call").hasSize(1);
        Await.until(() -> "both callers' events (got " + ended + ")", () -> ended.size() == 2, Duration.ofSeconds(5));
        assertThat(ended).extracting(ExchangeEvent::role)
                .containsExactlyInAnyOrder(CoalescingRole.LEADER, CoalescingRole.FOLLOWER);
        assertThat(ended).extracting(ExchangeEvent::outcome).containsOnly(Outcome.CUT_BY_SHUTDOWN);
    }

    private static void assertCutWithOneErrorEvent(RawHttpClient client, Response response) throws IOException {
        while (client.readChunk(response) != null) {
            // until the proxy's last chunk
        }
        assertThat(response.complete).as("a proper last chunk, not a reset").isTrue();
        List<Sse.Event> events = Sse.parse(response.bodyText());
        assertThat(events).filteredOn(e -> e.event().equals("error")).hasSize(1);
        assertThat(events.get(events.size() - 1).event()).isEqualTo("error");
        assertThat(events.get(events.size() - 1).data()).contains("shutting down");
        assertThat(client.readByte()).as("then the connection closes").isEqualTo(-1);
    }
}
