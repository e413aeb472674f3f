package io.claudelb.core.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriceTableTest {
    private static final PriceTable TABLE = PriceTable.DEFAULTS;

    private static long million(long usdPerMillion) {
        return usdPerMillion * 1_000_000L;
    }

    @Test
    void currentOpusIsFiveAndTwentyFiveWhateverTheNamingScheme() {
        for (String model : List.of("claude-opus-4-5", "claude-opus-4-6", "claude-opus-4-7", "claude-opus-4-5-20251101",
                "databricks-claude-opus-4-7", "claude-opus-5-5", "CLAUDE-OPUS-4-7", "system.ai.claude-opus-4-6")) {
            ModelPrice p = TABLE.lookup(model, "ws-east");
            assertThat(p).as(model).isNotNull();
            assertThat(p.input()).as(model).isEqualTo(million(5));
            assertThat(p.output()).as(model).isEqualTo(million(25));
        }
    }

    @Test
    void olderOpusIsFifteenAndSeventyFive() {
        for (String model : List.of("claude-opus-4-1", "claude-opus-4-1-20250805", "claude-opus-4-20250514",
                "claude-opus-4-0", "claude-opus-4", "databricks-claude-opus-4-1", "claude-3-opus-20240229",
                "claude-opus-4@20250514")) {
            ModelPrice p = TABLE.lookup(model, null);
            assertThat(p.input()).as(model).isEqualTo(million(15));
            assertThat(p.output()).as(model).isEqualTo(million(75));
        }
    }

    @Test
    void sonnetAndHaiku() {
        for (String model : List.of("claude-sonnet-4-5", "claude-sonnet-4-6", "databricks-claude-sonnet-4-5",
                "claude-3-7-sonnet-20250219", "claude-sonnet-4-20250514")) {
            assertThat(TABLE.lookup(model, null)).as(model).isEqualTo(ModelPrice.perMillion("3", "15"));
        }
        assertThat(TABLE.lookup("claude-haiku-4-5", null)).isEqualTo(ModelPrice.perMillion("1", "5"));
        assertThat(TABLE.lookup("databricks-claude-haiku-4-5", null)).isEqualTo(ModelPrice.perMillion("1", "5"));
        assertThat(TABLE.lookup("claude-3-5-haiku-20241022", null)).isEqualTo(ModelPrice.perMillion("0.8", "4"));
        assertThat(TABLE.lookup("claude-3-haiku-20240307", null)).isEqualTo(ModelPrice.perMillion("0.25", "1.25"));
    }

    @Test
    void cachePricesFollowAnthropicsMultipliers() {
        ModelPrice sonnet = ModelPrice.perMillion("3", "15");
        assertThat(sonnet.cacheRead()).isEqualTo(300_000);       // $0.30 / M
        assertThat(sonnet.cacheWrite5m()).isEqualTo(3_750_000);  // $3.75 / M
        assertThat(sonnet.cacheWrite1h()).isEqualTo(6_000_000);  // $6 / M
    }

    @Test
    void costOfEveryTokenKindIsExactInNanoDollars() {
        ModelPrice opus = TABLE.lookup("claude-opus-4-7", null);
        // 1 M tokens of each kind alone: the per-million price, in nano-dollars.
        assertThat(opus.costNanos(1_000_000, 0, 0, 0, 0)).isEqualTo(5_000_000_000L);
        assertThat(opus.costNanos(0, 1_000_000, 0, 0, 0)).isEqualTo(25_000_000_000L);
        assertThat(opus.costNanos(0, 0, 1_000_000, 0, 0)).isEqualTo(500_000_000L);
        assertThat(opus.costNanos(0, 0, 0, 1_000_000, 0)).isEqualTo(6_250_000_000L);
        assertThat(opus.costNanos(0, 0, 0, 0, 1_000_000)).isEqualTo(10_000_000_000L);
        // A Claude Code turn: 3 uncached, 420 out, 48,000 read, 1,200 written 5m, 800 written 1h.
        // 3*5 + 420*25 + 48000*0.5 + 1200*6.25 + 800*10 = 15 + 10500 + 24000 + 7500 + 8000 = 50015 micro-dollars.
        assertThat(opus.costNanos(3, 420, 48_000, 1_200, 800)).isEqualTo(50_015_000L);
        // One cache-read token of Haiku 3 is 0.025 micro-dollars = 25 nano-dollars; of Haiku 4.5, 100.
        assertThat(TABLE.lookup("claude-3-haiku", null).costNanos(0, 0, 1, 0, 0)).isEqualTo(25);
        assertThat(TABLE.lookup("claude-haiku-4-5", null).costNanos(0, 0, 1, 0, 0)).isEqualTo(100);
    }

    @Test
    void costRoundsHalfUpToTheNanoDollar() {
        ModelPrice p = ModelPrice.perMillion(new BigDecimal("0.0005"), BigDecimal.ZERO, BigDecimal.ZERO,
                BigDecimal.ZERO, BigDecimal.ZERO); // 500 pico-dollars per token
        assertThat(p.costNanos(1, 0, 0, 0, 0)).isEqualTo(1);
        assertThat(p.costNanos(3, 0, 0, 0, 0)).isEqualTo(2); // 1.5 -> 2
        assertThat(ModelPrice.perMillion(new BigDecimal("0.0004"), BigDecimal.ZERO, null, null, null)
                .costNanos(1, 0, 0, 0, 0)).isZero();
    }

    @Test
    void configuredLinesComeFirstAndMayBeOnlyForOneUpstream() {
        PriceTable table = new PriceTable(List.of(
                new PriceEntry("*opus*", "relay", ModelPrice.perMillion("6", "30")),
                PriceEntry.of("*opus*", ModelPrice.perMillion("15", "75")),
                new PriceEntry("gpt-*", null, ModelPrice.perMillion(new BigDecimal("1.25"), BigDecimal.TEN,
                        new BigDecimal("0.125"), BigDecimal.ZERO, BigDecimal.ZERO))));
        assertThat(table.lookup("claude-opus-4-7", "relay")).isEqualTo(ModelPrice.perMillion("6", "30"));
        assertThat(table.lookup("claude-opus-4-7", "anthropic")).isEqualTo(ModelPrice.perMillion("15", "75"));
        assertThat(table.lookup("gpt-5", "openai").cacheRead()).isEqualTo(125_000);
        assertThat(table.lookup("claude-sonnet-4-5", "relay")).isEqualTo(ModelPrice.perMillion("3", "15"));
        assertThat(table.lookup("llama-3", "local")).isNull();
        assertThat(table.lookup(null, "local")).isNull();
        assertThat(table.lookup("llama-3", "local")).isNull(); // the cached miss answers the same
    }

    @Test
    void pricesFinerThanAMicroDollarPerMillionAreRefused() {
        assertThatThrownBy(() -> ModelPrice.perMillion("0.0000001", "1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("six decimals");
        assertThatThrownBy(() -> ModelPrice.perMillion("-1", "1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    }
}
