package io.claudelb.server.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.support.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Asks the OpenAI-mode mock directly (not through the proxy) what it answers under its current behaviour, so tests
 * compare the translated answer with what the upstream really sent instead of with copied constants.
 */
final class MockCalls {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final MockUpstream mock;

    MockCalls(MockUpstream mock) {
        this.mock = mock;
    }

    /** The mock's non-streaming {@code chat.completion} for a one-message request. */
    String completion() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(mock.baseUrl() + "/v1/chat/completions"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"direct\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The {@code function.arguments} string of tool call {@code index}. */
    String toolArguments(int index) {
        String arguments = Json.field(completion(), "choices.0.message.tool_calls." + index + ".function.arguments");
        assertThat(arguments).as("tool call %d in the mock's answer", index).isNotNull();
        return arguments;
    }

    /** The answer's text content. */
    String text() {
        return Json.field(completion(), "choices.0.message.content");
    }

    /** The answer's reasoning_content. */
    String reasoning() {
        return Json.field(completion(), "choices.0.message.reasoning_content");
    }
}
