package io.claudelb.codec.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link JsonScan} accepts exactly what jackson-core accepts (except invalid UTF-8 that jackson lets through in
 * member names), checked against jackson itself over tens of thousands
 * of bodies: well-formed seeds, and the same seeds with a byte deleted, inserted, replaced or cut off at every kind
 * of position (the inserted bytes are the ones a scanner can get wrong: quotes, backslashes, brackets, control
 * characters, UTF-8 lead and continuation bytes, number and literal characters).
 */
class JsonScanTest {
    private static final String[] SEEDS = {
        "{}",
        "{\"model\":\"claude-sonnet-4-5\",\"stream\":true,\"max_tokens\":1024}",
        "{ \"model\" : \"m\" , \"messages\" : [ { \"role\" : \"user\", \"content\" : \"hi\" } ] }\n",
        "{\"a\":[],\"b\":{},\"c\":[[],[{}],{\"d\":[1,-2,3.5,-0.25e-3,4E+10,0]}],\"e\":null,\"f\":false,\"g\":true}",
        "{\"text\":\"caf\u00e9 \u65e5\u672c\u8a9e \ud83d\ude80 done\",\"esc\":\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\uD83D\"}",
        "{\"system\":[{\"type\":\"text\",\"text\":\"You are Claude Code, a long system prompt with enough characters to "
                + "fill several eight-byte words: 0123456789abcdefghijklmnopqrstuvwxyz\",\"cache_control\":{\"type\":"
                + "\"ephemeral\"}}],\"metadata\":{\"user_id\":\"user_abc_account_def_session_0f\"},\"model\":\"m\"}",
        "\t\r\n {\"k\\u0065y\":\"v\",\"n\":[1e5,2.0,-3]} \r\n",
    };
    private static final byte[] INSERTS = {'"', '\\', '{', '}', '[', ']', ',', ':', '0', '1', '-', '+', '.', 'e', 'E',
        't', 'u', 'n', 'x', ' ', '\n', 0x00, 0x01, 0x1F, 0x7F, (byte) 0x80, (byte) 0xBF, (byte) 0xC0, (byte) 0xC3,
        (byte) 0xE2, (byte) 0xF0, (byte) 0xF8, (byte) 0xFF};

    @Test
    void acceptsWhatJacksonAcceptsAndRefusesWhatItRefuses() {
        SplittableRandom random = new SplittableRandom(20261203);
        List<String> disagreements = new ArrayList<>();
        int cases = 0;
        int accepted = 0;
        for (String seed : SEEDS) {
            byte[] bytes = seed.getBytes(StandardCharsets.UTF_8);
            assertThat(scans(bytes)).as("seed %s", seed).isTrue();
            for (int n = 0; n < 4000; n++) {
                byte[] mutated = mutate(bytes, random);
                cases++;
                boolean jackson = jacksonAccepts(mutated);
                boolean scan = scans(mutated);
                accepted += scan ? 1 : 0;
                // jackson lets some invalid UTF-8 through in member names (0xFF); refusing a body that is not
                // UTF-8 at all is right, so the scan may be stricter there and only there.
                if (scan != jackson && !(jackson && !isUtf8(mutated))) {
                    disagreements.add((jackson ? "jackson accepts, scan refuses: " : "jackson refuses, scan accepts: ")
                            + printable(mutated));
                }
            }
        }
        assertThat(cases).isGreaterThan(20_000);
        assertThat(accepted).as("mutations that are still JSON (whitespace, digits, ...)").isBetween(cases / 20,
                cases - cases / 4);
        assertThat(disagreements).isEmpty();
    }

    /** The word loop reads eight bytes at a time: every special byte at every position within and across words. */
    @ParameterizedTest
    @ValueSource(strings = {"\"", "\\n", "\\u0041", "\u00e9", "\u20ac", "\ud83d\ude80"})
    void findsEverySpecialByteAtEveryOffsetOfAWord(String special) {
        for (int before = 0; before < 20; before++) {
            for (int after = 0; after < 20; after++) {
                String value = "a".repeat(before) + (special.equals("\"") ? "\\\"" : special) + "b".repeat(after);
                byte[] body = ("{\"model\":\"" + value + "\"}").getBytes(StandardCharsets.UTF_8);
                int[] valueRange = new int[2];
                try {
                    JsonScan.object(body, 0, body.length, (ks, ke, vs, ve) -> {
                        valueRange[0] = vs;
                        valueRange[1] = ve;
                    });
                } catch (InvalidRequestException e) {
                    throw new AssertionError(before + "/" + after + ": " + e.getMessage(), e);
                }
                assertThat(valueRange[1]).as("%d/%d", before, after).isEqualTo(body.length - 1);
            }
        }
    }

    @Test
    void reportsMembersAsByteRangesWithinAnOffsetArray() throws InvalidRequestException {
        byte[] padded = "xx{\"a\": 1 ,\"bb\":[true]}yy".getBytes(StandardCharsets.UTF_8);
        List<String> members = new ArrayList<>();
        int closing = JsonScan.object(padded, 2, padded.length - 2, (ks, ke, vs, ve) ->
                members.add(new String(padded, ks, ke - ks, StandardCharsets.UTF_8) + "="
                        + new String(padded, vs, ve - vs, StandardCharsets.UTF_8)));
        assertThat(members).containsExactly("\"a\"=1", "\"bb\"=[true]");
        assertThat(padded[closing]).isEqualTo((byte) '}');
        assertThat(closing).isEqualTo(padded.length - 3);
    }

    @Test
    void refusesWhatJacksonsDefaultLimitsRefuse() {
        String deep = "{\"x\":" + "[".repeat(JsonScan.MAX_DEPTH + 1) + "]".repeat(JsonScan.MAX_DEPTH + 1) + "}";
        assertThatThrownBy(() -> scan(deep)).hasMessageContaining("nesting deeper than 1000");
        String longNumber = "{\"x\":" + "9".repeat(JsonScan.MAX_NUMBER_LENGTH + 1) + "}";
        assertThatThrownBy(() -> scan(longNumber)).hasMessageContaining("number longer than 1000");
        assertThat(jacksonAccepts(longNumber.getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void saysWhereTheBodyIsBroken() {
        assertThatThrownBy(() -> scan("{\"model\":\"m\",\"x\":[1,]}"))
                .hasMessage("Request body is not valid JSON: unexpected character at byte 20");
        assertThatThrownBy(() -> scan("{\"model\":\"m"))
                .hasMessage("Request body is not valid JSON: unterminated string at byte 11");
    }

    private static void scan(String json) throws InvalidRequestException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        JsonScan.object(bytes, 0, bytes.length, (ks, ke, vs, ve) -> { });
    }

    private static boolean scans(byte[] bytes) {
        try {
            JsonScan.object(bytes, 0, bytes.length, (ks, ke, vs, ve) -> { });
            return true;
        } catch (InvalidRequestException e) {
            return false;
        }
    }

    /** jackson reads every token: one object, nothing after it. */
    private static boolean jacksonAccepts(byte[] bytes) {
        try (JsonParser parser = JsonParsers.over(bytes, 0, bytes.length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            int depth = 1;
            while (depth > 0) {
                JsonToken token = parser.nextToken();
                if (token == null) {
                    return false;
                }
                if (token.isStructStart()) {
                    depth++;
                } else if (token.isStructEnd()) {
                    depth--;
                }
            }
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    private static byte[] mutate(byte[] bytes, SplittableRandom random) {
        int at = random.nextInt(bytes.length + 1);
        byte insert = INSERTS[random.nextInt(INSERTS.length)];
        return switch (random.nextInt(4)) {
            case 0 -> bytes.length == 0 || at == bytes.length ? bytes : splice(bytes, at, 1, new byte[0]);
            case 1 -> splice(bytes, at, 0, new byte[] {insert});
            case 2 -> at == bytes.length ? bytes : splice(bytes, at, 1, new byte[] {insert});
            default -> java.util.Arrays.copyOf(bytes, at);
        };
    }

    private static byte[] splice(byte[] bytes, int at, int removed, byte[] inserted) {
        byte[] out = new byte[bytes.length - removed + inserted.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(bytes, at + removed, out, at + inserted.length, bytes.length - at - removed);
        return out;
    }

    private static String printable(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xFF;
            s.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\x%02X", c));
        }
        return s.toString();
    }
}
