package io.claudelb.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudelb.core.config.BedrockSettings;
import io.claudelb.core.config.UpstreamAuth;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.server.support.ManualScheduler;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** When AWS credentials are resolved and refreshed, and how an event loop gets them without blocking. */
class AwsCredentialSourceTest {
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();
    private final EventLoop loop = new DefaultEventLoop();
    private final AtomicLong now = new AtomicLong(1_800_000_000_000L);
    private final AtomicInteger calls = new AtomicInteger();
    private volatile RuntimeException failWith;

    @AfterEach
    void stop() {
        thread.shutdownNow();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** Temporary credentials that expire an hour after each resolution, numbered by call. */
    private AwsCredentialsProvider expiring() {
        return () -> {
            RuntimeException fail = failWith;
            if (fail != null) {
                throw fail;
            }
            int n = calls.incrementAndGet();
            return AwsSessionCredentials.builder().accessKeyId("ASIA" + n).secretAccessKey("s" + n)
                    .sessionToken("t" + n).expirationTime(Instant.ofEpochMilli(now.get() + HOUR)).build();
        };
    }

    private AwsCredentialSource source(AwsCredentialsProvider provider) {
        return new AwsCredentialSource("bedrock", () -> provider, false, thread, now::get);
    }

    @Test
    void resolvedOffTheLoopAtStartThenServedFromMemory() throws Exception {
        AwsCredentialSource source = source(expiring()).start();
        Future<AwsCredentialsIdentity> first = source.credentials(loop);
        assertThat(first.get(5, TimeUnit.SECONDS).accessKeyId()).isEqualTo("ASIA1");
        Future<AwsCredentialsIdentity> again = source.credentials(loop);
        assertThat(again.isDone()).isTrue();
        assertThat(again.getNow().accessKeyId()).isEqualTo("ASIA1");
        assertThat(calls).hasValue(1);
    }

    @Test
    void theNextResolutionIsDueFiveMinutesBeforeExpiry() throws Exception {
        AwsCredentialSource source = source(expiring()).start();
        AwsCredentialsIdentity c = source.credentials(loop).get(5, TimeUnit.SECONDS);
        assertThat(source.nextDelayMillis(c, now.get())).isEqualTo(HOUR - Duration.ofMinutes(5).toMillis());
        assertThat(AwsCredentialSource.usableAt(c, now.get() + HOUR - Duration.ofMinutes(2).toMillis())).isTrue();
        assertThat(AwsCredentialSource.usableAt(c, now.get() + HOUR - Duration.ofSeconds(30).toMillis())).isFalse();
    }

    @Test
    void credentialsInTheirLastMinuteAreNotSentARequestWaitsForTheRefresh() throws Exception {
        AwsCredentialSource source = source(expiring()).start();
        source.credentials(loop).get(5, TimeUnit.SECONDS);
        now.addAndGet(HOUR - Duration.ofSeconds(30).toMillis());
        AwsCredentialsIdentity fresh = source.credentials(loop).get(5, TimeUnit.SECONDS);
        assertThat(fresh.accessKeyId()).isEqualTo("ASIA2");
    }

    @Test
    void theBackgroundRefreshReplacesCredentialsBeforeTheyExpire() {
        AwsCredentialsProvider shortLived = () -> {
            int n = calls.incrementAndGet();
            // Expire 6 min after resolution: the next resolution is due in 1 min.
            return AwsSessionCredentials.builder().accessKeyId("ASIA" + n).secretAccessKey("s").sessionToken("t")
                    .expirationTime(Instant.ofEpochMilli(now.get() + Duration.ofMinutes(6).toMillis())).build();
        };
        ManualScheduler scheduler = new ManualScheduler(now);
        long startedAt = now.get();
        AwsCredentialSource source = new AwsCredentialSource("bedrock", () -> shortLived, false, scheduler,
                now::get).start();
        assertThat(scheduler.runNext()).isTrue();
        assertThat(source.resolutions()).isEqualTo(2);
        assertThat(source.current().accessKeyId()).isNotEqualTo("ASIA1");
        assertThat(now.get() - startedAt).isEqualTo(Duration.ofMinutes(1).toMillis());
        source.close();
        assertThat(scheduler.pending()).isZero();
    }

    /**
     * The SDK's providers keep handing back their cached credentials until their own jittered renewal, which may
     * come after claude-lb's refresh is due (up to 2 minutes before expiry): each answer is then already due. The
     * next resolution must still wait {@link AwsCredentialSource#MIN_REFRESH_INTERVAL}, not run at once (a loop
     * that once made 22 million calls).
     */
    @Test
    void credentialsThatAreAlreadyDueAreAskedForAgainOnlyAfterTheMinimumInterval() {
        AwsSessionCredentials cached = AwsSessionCredentials.builder().accessKeyId("ASIA1").secretAccessKey("s")
                .sessionToken("t").expirationTime(Instant.ofEpochMilli(now.get() + Duration.ofMinutes(3).toMillis()))
                .build();
        AwsCredentialsProvider renewsOnTheFifthCall = () -> calls.incrementAndGet() < 5 ? cached
                : AwsSessionCredentials.builder().accessKeyId("ASIA2").secretAccessKey("s2").sessionToken("t2")
                .expirationTime(Instant.ofEpochMilli(now.get() + HOUR)).build();
        ManualScheduler scheduler = new ManualScheduler(now);
        long startedAt = now.get();
        AwsCredentialSource source = new AwsCredentialSource("bedrock", () -> renewsOnTheFifthCall, false,
                scheduler, now::get).start();

        for (int refresh = 1; refresh <= 3; refresh++) {
            assertThat(scheduler.runNext()).isTrue();
            assertThat(now.get() - startedAt).as("virtual time at refresh %d", refresh)
                    .isEqualTo(refresh * AwsCredentialSource.MIN_REFRESH_INTERVAL.toMillis());
        }
        assertThat(source.resolutions()).isEqualTo(4);
        assertThat(source.current()).isSameAs(cached);

        assertThat(scheduler.runNext()).isTrue();
        assertThat(source.current().accessKeyId()).isEqualTo("ASIA2");
        long renewedAt = now.get();
        assertThat(scheduler.runNext()).isTrue();
        assertThat(now.get() - renewedAt).as("back to 5 min before the new expiry")
                .isEqualTo(HOUR - Duration.ofMinutes(5).toMillis());
        source.close();
    }

    @Test
    void aFailedResolutionFailsTheWaitersAndKeepsUsableCredentials() throws Exception {
        failWith = new IllegalStateException("Unable to load credentials from any of the providers in the chain");
        AwsCredentialSource source = source(expiring()).start();
        Future<AwsCredentialsIdentity> waiting = source.credentials(loop);
        assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TokenException.class).hasMessageContaining("Unable to load credentials");
        failWith = null;
        assertThat(source.refreshNow().get(5, TimeUnit.SECONDS).accessKeyId()).isEqualTo("ASIA1");
        failWith = new IllegalStateException("STS unreachable");
        source.refreshNow().handle((v, e) -> null).get(5, TimeUnit.SECONDS);
        assertThat(source.credentials(loop).getNow().accessKeyId()).isEqualTo("ASIA1");
    }

    @Test
    void staticKeysAreResolvedInlineAndNeverRefreshed() {
        UpstreamConfig upstream = UpstreamConfig.builder("b", UpstreamKind.BEDROCK)
                .auth(UpstreamAuth.awsKeys("AKIA1", "secret", "")).bedrock(new BedrockSettings("us-west-2")).build();
        UpstreamAwsCredentials all = new UpstreamAwsCredentials(AwsProviders::forUpstream, thread, now::get,
                Clock.systemUTC());
        UpstreamAwsCredentials.AwsSigning signing = all.signing(upstream);
        assertThat(signing.credentials().current().accessKeyId()).isEqualTo("AKIA1");
        assertThat(signing.credentials().nextDelayMillis(signing.credentials().current(), now.get())).isEqualTo(-1);
        assertThat(all.signing(upstream)).isSameAs(signing);
        assertThat(UpstreamAwsCredentials.signs(upstream)).isTrue();
        all.close();
    }
}
