package io.claudelb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Request ids sort by the time they were made (the usage database's key index grows at one end) and stay unique. */
class RequestIdTest {
    private static final long DEC_3_2026 = 1_796_300_000_000L;

    @Test
    void anIdIsThePrefixTheMillisecondsAndRandomBits() {
        String id = LocalResponses.newRequestId(DEC_3_2026);
        assertThat(id).matches("lbreq_[0-9a-f]{24}");
        assertThat(Long.parseLong(id.substring(6, 17), 16)).isEqualTo(DEC_3_2026);
    }

    @Test
    void laterIdsSortAfterEarlierOnes() {
        List<String> ids = new ArrayList<>();
        for (long ms = 0; ms < 1000; ms++) {
            ids.add(LocalResponses.newRequestId(DEC_3_2026 + ms * 7));
        }
        assertThat(ids).isSorted();
        assertThat(LocalResponses.newRequestId(1)).isLessThan(LocalResponses.newRequestId(DEC_3_2026));
    }

    @Test
    void idsOfOneMillisecondDiffer() {
        HashSet<String> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(LocalResponses.newRequestId(DEC_3_2026));
        }
        assertThat(ids).hasSize(100_000);
    }
}
