package io.claudelb.server.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.core.ObjectMappers;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.claudelb.codec.message.AssemblyResult;
import io.claudelb.codec.message.AssemblyResult.Outcome;
import io.claudelb.codec.message.StreamAssembler;
import io.claudelb.codec.message.StreamFixtures;
import io.claudelb.server.support.RawHttpClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@link StreamAssembler}'s message checked against the official Anthropic Java SDK's own stream accumulator
 * ({@link MessageAccumulator}) fed the SDK's parsed events of the same bytes, compared as JSON trees member by
 * member (the SDK's message serialised by the SDK's own mapper). Over every stream shape the mock upstream writes,
 * fetched from a real mock on a loopback port and fed in the HTTP chunks as they arrived and in random re-splits
 * (where the mock's non-streaming answer to the same request is a third witness), and over the hand-written
 * fixtures for the kinds the mock does not write.
 */
class StreamAssemblySdkTest {
    private static final int CAP = 8 * 1024 * 1024;
    private static final JsonMapper SDK = ObjectMappers.jsonMapper();
    private static final long SEED = 0x5DC0_FFEEL;
    private static MockUpstream mock;

    @BeforeAll
    static void startMock() {
        mock = MockUpstream.start(MockOptions.defaults());
    }

    @AfterAll
    static void stopMock() {
        mock.close();
    }

    /** Every content shape of the mock's stream: its x-mock-* headers. */
    static Stream<Arguments> mockShapes() {
        return Stream.of(
                Arguments.of("defaults: thinking with signature, text", new String[0]),
                Arguments.of("text only", new String[] {"x-mock-thinking: false"}),
                Arguments.of("empty text block", new String[] {"x-mock-thinking: false", "x-mock-events: 0"}),
                Arguments.of("one text delta", new String[] {"x-mock-events: 1", "x-mock-text-bytes: 1"}),
                Arguments.of("tool_use with split input_json_delta", new String[] {"x-mock-tool-use: true"}),
                Arguments.of("tool_use without thinking",
                        new String[] {"x-mock-tool-use: true", "x-mock-thinking: false"}),
                Arguments.of("long text", new String[] {"x-mock-events: 400", "x-mock-text-bytes: 60000"}),
                Arguments.of("web search: server_tool_use, web_search_tool_result, citations_delta",
                        new String[] {"x-mock-web-search: true"}),
                Arguments.of("web search, no thinking, and a tool call",
                        new String[] {"x-mock-web-search: true", "x-mock-thinking: false", "x-mock-tool-use: true"}),
                Arguments.of("paced", new String[] {"x-mock-pace-ms: 1", "x-mock-tool-use: true"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mockShapes")
    void mockStreamsAssembleAsTheSdkAccumulatesThemAndAsTheMockAnswersWithoutStream(String shape, String[] headers)
            throws JsonProcessingException {
        RawHttpClient.Response streamed = fetch(true, headers);
        assertThat(streamed.status).isEqualTo(200);
        assertThat(streamed.header("content-type")).startsWith("text/event-stream");
        byte[] sse = streamed.bodyBytes();

        JsonNode sdk = sdkMessage(sse);
        JsonNode ours = tree(assemble(streamed.chunks));
        assertThat(ours).as(shape).isEqualTo(sdk);

        RawHttpClient.Response json = fetch(false, headers);
        assertThat(json.status).isEqualTo(200);
        // The mock's ids carry a hash of the request body, which differs in its stream member only.
        String answer = json.bodyText().replace(bodyHash(false), bodyHash(true));
        assertThat(ours).as("%s: the mock's non-streaming answer", shape).isEqualTo(tree(answer.getBytes(
                StandardCharsets.UTF_8)));

        Random random = new Random(SEED);
        for (int i = 0; i < 20; i++) {
            List<byte[]> chunks = split(sse, random);
            assertThat(tree(assemble(chunks))).as("%s, %d chunks", shape, chunks.size()).isEqualTo(sdk);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"web-search", "redacted-thinking", "document-citations"})
    void fixturesOfKindsTheMockLacksAssembleAsTheSdkAccumulatesThem(String fixture)
            throws JsonProcessingException {
        byte[] sse = StreamFixtures.stream(fixture);
        JsonNode sdk = sdkMessage(sse);
        assertThat(tree(assemble(List.of(sse)))).isEqualTo(sdk);
        assertThat(sdk).as("the fixture's own expectation").isEqualTo(StreamFixtures.expected(fixture));
    }

    @Test
    void everySdkKnownFixtureIsCheckedAgainstTheSdk() {
        assertThat(StreamFixtures.SDK_KNOWN).containsExactly("web-search", "redacted-thinking", "document-citations");
    }

    @Test
    void theMocksInBandErrorIsTheStatusItsNonStreamingAnswerHas() {
        RawHttpClient.Response streamed = fetch(true, "x-mock-in-band-error: true");
        assertThat(streamed.status).isEqualTo(200);
        AssemblyResult result = assembleResult(streamed.chunks);
        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.errorType()).isEqualTo("overloaded_error");

        RawHttpClient.Response json = fetch(false, "x-mock-in-band-error: true");
        assertThat(result.status()).isEqualTo(json.status).isEqualTo(529);
        assertThat(result.errorType()).isEqualTo(tree(json.bodyBytes()).at("/error/type").asText());
    }

    @Test
    void aStreamTheMockResetsIsIncompleteForUsAndUnfinishedForTheSdk() {
        int events = sseEvents(fetch(true, "x-mock-tool-use: true").bodyBytes()).size();
        for (int n = 1; n < events; n++) {
            RawHttpClient.Response cut;
            try (RawHttpClient client = RawHttpClient.connect(mock.port())) {
                client.send(request(true, "x-mock-tool-use: true", "x-mock-reset-after-events: " + n));
                cut = client.readUntilFailure();
            }
            AssemblyResult result = assembleResult(cut.chunks);
            assertThat(result.outcome()).as("reset after %d events", n).isEqualTo(Outcome.INCOMPLETE);
            MessageAccumulator accumulator = accumulate(cut.bodyBytes());
            assertThatThrownBy(accumulator::message).isInstanceOf(IllegalStateException.class);
        }
    }

    /** The SDK's accumulation of the stream, serialised by the SDK's mapper, as a tree. */
    private static JsonNode sdkMessage(byte[] sse) throws JsonProcessingException {
        return SDK.readTree(SDK.writeValueAsString(accumulate(sse).message()));
    }

    /**
     * Frames the stream independently of the project's scanner (blank-line separated blocks, LF endings as the mock
     * and the fixtures write them) and feeds each event, parsed into the SDK's own type, to its accumulator. The
     * SDK's stream reader skips {@code ping} and throws at {@code error}; this stops there.
     */
    private static MessageAccumulator accumulate(byte[] sse) {
        MessageAccumulator accumulator = MessageAccumulator.create();
        for (String[] event : sseEvents(sse)) {
            if ("ping".equals(event[0])) {
                continue;
            }
            if ("error".equals(event[0])) {
                break;
            }
            try {
                accumulator.accumulate(SDK.readValue(event[1], RawMessageStreamEvent.class));
            } catch (JsonProcessingException e) {
                throw new AssertionError("the SDK cannot parse " + event[0], e);
            }
        }
        return accumulator;
    }

    /** Complete events only: {name, data}. */
    private static List<String[]> sseEvents(byte[] sse) {
        String text = new String(sse, StandardCharsets.UTF_8);
        List<String[]> events = new ArrayList<>();
        int from = 0;
        for (int end = text.indexOf("\n\n"); end >= 0; end = text.indexOf("\n\n", from)) {
            String name = null;
            StringBuilder data = null;
            for (String line : text.substring(from, end).split("\n")) {
                if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line, 6,
                            line.length());
                }
            }
            if (data != null) {
                events.add(new String[] {name, data.toString()});
            }
            from = end + 2;
        }
        return events;
    }

    private static AssemblyResult assembleResult(List<byte[]> chunks) {
        StreamAssembler assembler = new StreamAssembler(CAP);
        for (byte[] bytes : chunks) {
            ByteBuf chunk = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
            try {
                assembler.feed(chunk);
            } finally {
                chunk.release();
            }
        }
        return assembler.finish(PooledByteBufAllocator.DEFAULT);
    }

    private static byte[] assemble(List<byte[]> chunks) {
        AssemblyResult result = assembleResult(chunks);
        return StreamFixtures.body(result);
    }

    private static List<byte[]> split(byte[] bytes, Random random) {
        TreeSet<Integer> cuts = new TreeSet<>();
        int count = 1 + random.nextInt(40);
        for (int i = 0; i < count; i++) {
            cuts.add(1 + random.nextInt(bytes.length - 1));
        }
        List<byte[]> chunks = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            chunks.add(Arrays.copyOfRange(bytes, from, cut));
            from = cut;
        }
        chunks.add(Arrays.copyOfRange(bytes, from, bytes.length));
        return chunks;
    }

    private static RawHttpClient.Response fetch(boolean stream, String... headers) {
        return RawHttpClient.exchange(mock.port(), request(stream, headers));
    }

    private static byte[] request(boolean stream, String... headers) {
        return RawHttpClient.post("/v1/messages", body(stream), headers);
    }

    /** Both bodies have the same length, so the mock reports the same input tokens for them. */
    private static String body(boolean stream) {
        return "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,"
                + (stream ? "\"stream\": true," : "\"stream\":false,")
                + "\"messages\":[{\"role\":\"user\",\"content\":\"What is the weather?\"}]}";
    }

    private static String bodyHash(boolean stream) {
        ByteBuf body = Unpooled.copiedBuffer(body(stream), StandardCharsets.UTF_8);
        try {
            return RequestFacts.hash(body);
        } finally {
            body.release();
        }
    }

    private static JsonNode tree(byte[] json) {
        return StreamFixtures.tree(json);
    }

}
