package io.claudelb.server.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.AuthType;
import io.claudelb.core.config.UpstreamAuth;
import io.claudelb.server.support.Json;
import io.claudelb.server.support.RawHttpClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 401/403 from an upstream: with claude-lb's own credential it is the upstream's failure (counted, failed over,
 * and never passed on as if the client's key were bad); with {@code passthrough} auth the refused credential is the
 * client's, so the client gets the answer unchanged and nothing is counted.
 */
class UpstreamCredentialTest {

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void aRefusedProxyCredentialWithNowhereToGoIsTheProxysOwnAnswer(int status)
            throws InterruptedException {
        try (Cluster cluster = Cluster.builder().mock("only").start()) {
            cluster.failWith("only", status);

            RawHttpClient.Response response = cluster.messages(Cluster.body(false));

            assertThat(response.status).isEqualTo(503);
            assertThat(response.json().text("error.type")).isEqualTo("api_error");
            assertThat(response.json().text("error.message")).contains("upstream_auth");
            assertThat(response.header("x-mock-upstream")).isNull();
            assertThat(cluster.stats("only").number("errors_by_kind.upstream_auth")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @CsvSource({"401,authentication_error", "403,permission_error"})
    void aRefusedPassthroughCredentialIsTheClientsAndComesBackUnchanged(int status, String type)
            throws InterruptedException {
        UpstreamAuth passthrough = new UpstreamAuth(AuthType.PASSTHROUGH, null, null, null, null, null);
        try (Cluster cluster = Cluster.builder().mock("a", "b").auth(passthrough).config(c -> c
                .balancing(Cluster.IN_ORDER))
                .start()) {
            cluster.failWith("a", status);

            RawHttpClient.Response response = cluster.messages(Cluster.body(true), "x-api-key: sk-ant-the-clients-own");

            assertThat(response.status).isEqualTo(status);
            assertThat(response.header("x-mock-upstream")).isEqualTo("a");
            assertThat(response.json().text("error.type")).isEqualTo(type);
            assertThat(cluster.mock("a").requests().get(0).header("x-api-key")).isEqualTo("sk-ant-the-clients-own");
            assertThat(cluster.requests("b")).isZero();
            Json a = cluster.stats("a");
            assertThat(a.number("total_errors")).isZero();
            assertThat(a.number("consecutive_failures")).isZero();
        }
    }
}
