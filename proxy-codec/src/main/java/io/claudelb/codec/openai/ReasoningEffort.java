package io.claudelb.codec.openai;

import java.util.Locale;

/**
 * Maps Anthropic's {@code thinking} configuration to an OpenAI-style reasoning effort ({@code low}, {@code medium},
 * {@code high}), the one reasoning knob Chat Completions upstreams share.
 *
 * <ul>
 *   <li>{@code {"type":"enabled","budget_tokens":N}}: N &lt; {@value #MEDIUM_FROM} → {@code low};
 *       N &lt; {@value #HIGH_FROM} → {@code medium}; otherwise {@code high}; no budget → {@code medium}.
 *       (Anthropic's minimum budget is 1024; Claude Code's default {@code MAX_THINKING_TOKENS} of 31999 maps to
 *       {@code high}.)</li>
 *   <li>{@code {"type":"adaptive"}}: the request's {@code output_config.effort} ({@code low}, {@code medium},
 *       {@code high}; {@code max} → {@code high}); absent or unknown → {@code high}, Anthropic's default effort.</li>
 *   <li>{@code disabled}, absent or anything else: no effort (the parameter is not sent).</li>
 * </ul>
 */
final class ReasoningEffort {
    static final int MEDIUM_FROM = 4096;
    static final int HIGH_FROM = 16384;

    private ReasoningEffort() {
    }

    /** The effort for {@code thinking} (and the request's {@code output_config}), or null to send none. */
    static String of(JsonValue thinking, JsonValue outputConfig) {
        if (thinking == null) {
            return null;
        }
        String type = thinking.textOf("type");
        if ("enabled".equals(type)) {
            long budget = JsonValue.longOf(thinking.get("budget_tokens"), -1);
            if (budget < 0) {
                return "medium";
            }
            return budget < MEDIUM_FROM ? "low" : budget < HIGH_FROM ? "medium" : "high";
        }
        if ("adaptive".equals(type)) {
            String effort = outputConfig == null ? null : outputConfig.textOf("effort");
            String normalized = effort == null ? "" : effort.toLowerCase(Locale.ROOT);
            switch (normalized) {
                case "low":
                case "medium":
                    return normalized;
                default:
                    return "high";
            }
        }
        return null;
    }
}
