package io.claudelb.server.routing;

import io.claudelb.server.ProxyServer;
import io.claudelb.server.support.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A plain HTTP/1.1 client for talking to a running proxy in tests (the JDK's, so nothing of ours on that side). */
final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** A response, read whole. */
    record Reply(int status, java.net.http.HttpHeaders headers, String body) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String field(String path) {
            return Json.field(body, path);
        }
    }

    private Http() {
    }

    /** A non-streaming Messages body for {@code model}. */
    static String messages(String model) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    static Reply post(ProxyServer proxy, String path, String body, String... headers) {
        return join(postAsync(proxy, path, body, headers));
    }

    static CompletableFuture<Reply> postAsync(ProxyServer proxy, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(proxy, path)).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("content-type", "application/json")
                .header("anthropic-version", "2023-06-01");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    static Reply get(ProxyServer proxy, String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(proxy, path)).timeout(Duration.ofSeconds(20)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return join(send(b.build()));
    }

    private static CompletableFuture<Reply> send(HttpRequest request) {
        return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Reply(r.statusCode(), r.headers(), r.body()));
    }

    private static URI uri(ProxyServer proxy, String path) {
        return URI.create("http://127.0.0.1:" + proxy.port() + path);
    }

    private static Reply join(CompletableFuture<Reply> f) {
        try {
            return f.get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new UncheckedIOException(new IOException(e.getCause()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
