package io.claudelb.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.Secret;
import io.claudelb.server.support.FakeClock;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** TokenSource's caching, refresh-ahead, single flight, renewal and rotation, with a fetcher the test answers. */
class TokenSourceTest {
    private final EventLoop loop = new DefaultEventLoop();
    private final FakeClock clock = new FakeClock();
    private final List<Promise<TokenResponse>> fetches = new ArrayList<>();
    private final List<String> presentedRefreshTokens = new ArrayList<>();
    private final TokenSource source = new TokenSource("ws", Secret.of("rt-0"), (l, refresh) -> {
        presentedRefreshTokens.add(refresh.reveal());
        Promise<TokenResponse> p = l.newPromise();
        fetches.add(p);
        return p;
    }, clock);

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Runs on the event loop, as exchanges do. */
    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private void answer(int fetch, String token, long expiresIn, String refresh) throws Exception {
        onLoop(() -> fetches.get(fetch).trySuccess(new TokenResponse(token, expiresIn, refresh)));
    }

    private static String value(Future<AccessToken> f) throws Exception {
        return f.get(5, TimeUnit.SECONDS).value();
    }

    @Test
    void concurrentCallersShareOneFetchAndThenTheCache() throws Exception {
        Future<AccessToken> first = onLoop(() -> source.token(loop));
        Future<AccessToken> second = onLoop(() -> source.token(loop));
        assertThat(first.isDone()).isFalse();
        assertThat(fetches).hasSize(1);
        answer(0, "at-1", 100, null);
        assertThat(value(first)).isEqualTo("at-1");
        assertThat(value(second)).isEqualTo("at-1");
        Future<AccessToken> cached = onLoop(() -> source.token(loop));
        assertThat(cached.isDone()).isTrue();
        assertThat(value(cached)).isEqualTo("at-1");
        assertThat(source.fetches()).isEqualTo(1);
    }

    @Test
    void pastEightyPercentARefreshStartsInTheBackgroundWhileTheOldTokenIsStillSent() throws Exception {
        onLoop(() -> source.token(loop));
        answer(0, "at-1", 100, null);
        clock.advance(Duration.ofSeconds(79));
        assertThat(value(onLoop(() -> source.token(loop)))).isEqualTo("at-1");
        assertThat(fetches).hasSize(1);
        clock.advance(Duration.ofSeconds(2));
        Future<AccessToken> during = onLoop(() -> source.token(loop));
        assertThat(during.isDone()).isTrue();
        assertThat(value(during)).isEqualTo("at-1");
        assertThat(fetches).hasSize(2);
        // Another caller while that refresh runs: still the old token, still one fetch.
        assertThat(value(onLoop(() -> source.token(loop)))).isEqualTo("at-1");
        assertThat(fetches).hasSize(2);
        answer(1, "at-2", 100, null);
        assertThat(value(onLoop(() -> source.token(loop)))).isEqualTo("at-2");
    }

    @Test
    void inItsLastTenthAndAfterExpiryATokenIsNotSentCallersWait() throws Exception {
        onLoop(() -> source.token(loop));
        answer(0, "at-1", 100, null);
        clock.advance(Duration.ofSeconds(91));
        Future<AccessToken> waiting = onLoop(() -> source.token(loop));
        assertThat(waiting.isDone()).isFalse();
        answer(1, "at-2", 100, null);
        assertThat(value(waiting)).isEqualTo("at-2");
    }

    @Test
    void longLifetimesKeepAThirtySecondMargin() throws Exception {
        onLoop(() -> source.token(loop));
        answer(0, "at-1", 3600, null);
        clock.advance(Duration.ofSeconds(3569));
        assertThat(onLoop(() -> source.token(loop)).isDone()).isTrue();
        clock.advance(Duration.ofSeconds(2));
        assertThat(onLoop(() -> source.token(loop)).isDone()).isFalse();
    }

    @Test
    void renewAfterA401FetchesOnceEvenWhenSeveralRequestsReportTheSameToken() throws Exception {
        onLoop(() -> source.token(loop));
        answer(0, "at-1", 100, null);
        AccessToken rejected = onLoop(() -> source.token(loop)).getNow();
        Future<AccessToken> a = onLoop(() -> source.renew(loop, rejected));
        Future<AccessToken> b = onLoop(() -> source.renew(loop, rejected));
        assertThat(fetches).hasSize(2);
        answer(1, "at-2", 100, null);
        assertThat(value(a)).isEqualTo("at-2");
        assertThat(value(b)).isEqualTo("at-2");
        // A late 401 for the old token: the newer one is already there, no fetch.
        assertThat(value(onLoop(() -> source.renew(loop, rejected)))).isEqualTo("at-2");
        assertThat(fetches).hasSize(2);
    }

    @Test
    void aFailedFetchFailsItsWaitersAndTheNextCallTriesAgain() throws Exception {
        Future<AccessToken> failing = onLoop(() -> source.token(loop));
        onLoop(() -> fetches.get(0).tryFailure(new TokenException("refused")));
        assertThat(failing.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(failing.cause()).isInstanceOf(TokenException.class);
        Future<AccessToken> retry = onLoop(() -> source.token(loop));
        assertThat(fetches).hasSize(2);
        answer(1, "at-1", 100, null);
        assertThat(value(retry)).isEqualTo("at-1");
    }

    @Test
    void aFailedBackgroundRefreshKeepsTheCurrentTokenUntilItIsUnusable() throws Exception {
        onLoop(() -> source.token(loop));
        answer(0, "at-1", 100, null);
        clock.advance(Duration.ofSeconds(85));
        assertThat(value(onLoop(() -> source.token(loop)))).isEqualTo("at-1");
        onLoop(() -> fetches.get(1).tryFailure(new TokenException("endpoint down")));
        assertThat(value(onLoop(() -> source.token(loop)))).isEqualTo("at-1");
        assertThat(fetches).hasSize(3);
    }

    @Test
    void rotatedRefreshTokensArePresentedNextAndMissingLifetimesDefaultToAnHour() throws Exception {
        onLoop(() -> source.token(loop));
        answer(0, "at-1", 0, "rt-1");
        clock.advance(Duration.ofSeconds(TokenSource.DEFAULT_LIFETIME_SECONDS - 31));
        assertThat(onLoop(() -> source.token(loop)).isDone()).isTrue();
        clock.advance(Duration.ofSeconds(2));
        onLoop(() -> source.token(loop));
        answer(fetches.size() - 1, "at-2", 100, null);
        // The background refresh at 80% presented the rotated token; the caller past expiry waited on that fetch.
        assertThat(presentedRefreshTokens).containsExactly("rt-0", "rt-1");
    }

    @Test
    void tokensAreNeverPrinted() {
        assertThat(new AccessToken("secret-at", 1, 2).toString()).doesNotContain("secret-at");
        assertThat(new TokenResponse("secret-at", 10, "secret-rt").toString()).doesNotContain("secret");
    }
}
