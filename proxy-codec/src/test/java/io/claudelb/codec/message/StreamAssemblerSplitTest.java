package io.claudelb.codec.message;

import static io.claudelb.codec.message.StreamFixtures.assemble;
import static io.claudelb.codec.message.StreamFixtures.assembleWhole;
import static io.claudelb.codec.message.StreamFixtures.body;
import static io.claudelb.codec.message.StreamFixtures.stream;
import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.codec.message.AssemblyResult.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property-style: however the stream is cut into chunks (at every single byte boundary, into one-byte chunks, at
 * random with a fixed seed), the body is the same bytes. Cuts fall inside event lines, CRLF pairs, JSON escapes and
 * multi-byte UTF-8 characters (every fixture has some).
 */
class StreamAssemblerSplitTest {
    private static final int CAP = 8 * 1024 * 1024;
    private static final long SEED = 0xA55E_B1E5L;
    private static final int RANDOM_SPLITS = 200;

    @ParameterizedTest
    @ValueSource(strings = {"web-search", "redacted-thinking", "document-citations", "unknown-kinds"})
    void everyTwoChunkSplitGivesTheSameBody(String fixture) {
        byte[] bytes = stream(fixture);
        byte[] whole = assembleWhole(bytes);
        for (int cut = 1; cut < bytes.length; cut++) {
            assertThat(body(assemble(bytes, CAP, cut))).as("%s cut at %d", fixture, cut).isEqualTo(whole);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"web-search", "redacted-thinking", "document-citations", "unknown-kinds"})
    void oneByteChunksGiveTheSameBody(String fixture) {
        byte[] bytes = stream(fixture);
        int[] cuts = new int[bytes.length - 1];
        Arrays.setAll(cuts, i -> i + 1);
        assertThat(body(assemble(bytes, CAP, cuts))).isEqualTo(assembleWhole(bytes));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n", "\r"})
    void randomSplitsGiveTheSameBodyWithAnyLineEnding(String ending) {
        Random random = new Random(SEED);
        for (String fixture : StreamFixtures.ALL) {
            byte[] bytes = new String(stream(fixture), StandardCharsets.UTF_8).replace("\n", ending)
                    .getBytes(StandardCharsets.UTF_8);
            byte[] whole = assembleWhole(bytes);
            for (int n = 0; n < RANDOM_SPLITS; n++) {
                int[] cuts = randomCuts(random, bytes.length);
                assertThat(body(assemble(bytes, CAP, cuts))).as("%s cuts %s", fixture, Arrays.toString(cuts))
                        .isEqualTo(whole);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"web-search", "document-citations"})
    void everyTruncationIsIncompleteWhateverTheSplit(String fixture) {
        Random random = new Random(SEED);
        byte[] bytes = stream(fixture);
        for (int n = 0; n < RANDOM_SPLITS; n++) {
            int end = 1 + random.nextInt(bytes.length - "}\n\n".length() - 1);
            byte[] head = Arrays.copyOf(bytes, end);
            AssemblyResult result = assemble(head, CAP, randomCuts(random, end));
            assertThat(result.outcome()).as("%s truncated at %d", fixture, end).isEqualTo(Outcome.INCOMPLETE);
        }
    }

    /** 1 to 12 distinct ascending cut offsets inside {@code [1, length)}. */
    private static int[] randomCuts(Random random, int length) {
        if (length < 2) {
            return new int[0];
        }
        TreeSet<Integer> cuts = new TreeSet<>();
        int count = 1 + random.nextInt(12);
        for (int i = 0; i < count; i++) {
            cuts.add(1 + random.nextInt(length - 1));
        }
        return cuts.stream().mapToInt(Integer::intValue).toArray();
    }
}
