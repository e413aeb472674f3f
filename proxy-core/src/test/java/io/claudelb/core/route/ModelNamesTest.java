package io.claudelb.core.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.DatabricksApi;
import io.claudelb.core.config.ModelMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Claude model names taken apart, and what databricks, bedrock and vertex targets send for them by default. */
class ModelNamesTest {

    @Test
    void parsesBothOfAnthropicsSchemes() {
        assertThat(ClaudeModelName.parse("claude-opus-4-7-20260101"))
                .isEqualTo(new ClaudeModelName("opus", List.of(4, 7), "claude-opus-4-7"));
        assertThat(ClaudeModelName.parse("claude-sonnet-4")).isEqualTo(new ClaudeModelName("sonnet", List.of(4),
                "claude-sonnet-4"));
        assertThat(ClaudeModelName.parse("claude-3-7-sonnet-20250219"))
                .isEqualTo(new ClaudeModelName("sonnet", List.of(3, 7), "claude-3-7-sonnet"));
        assertThat(ClaudeModelName.parse("databricks-claude-haiku-4-5").base()).isEqualTo("claude-haiku-4-5");
        assertThat(ClaudeModelName.parse("Claude-Opus-5-5").base()).isEqualTo("claude-opus-5-5");
        assertThat(ClaudeModelName.parse("claude-opus")).isNull();
        assertThat(ClaudeModelName.parse("gpt-5")).isNull();
        assertThat(ClaudeModelName.parse("claude-sonnet-4-5-20250929-v1:0")).isNull();
        assertThat(ClaudeModelName.parse("claude-4-opus-4")).isNull();
    }

    @Test
    void comparesVersionsNumerically() {
        ClaudeModelName v410 = ClaudeModelName.parse("claude-opus-4-10");
        ClaudeModelName v49 = ClaudeModelName.parse("claude-opus-4-9");
        ClaudeModelName v4 = ClaudeModelName.parse("claude-opus-4");
        assertThat(v410.newerThan(v49)).isTrue();
        assertThat(v49.newerThan(v410)).isFalse();
        assertThat(ClaudeModelName.parse("claude-opus-4-1").newerThan(v4)).isTrue();
        assertThat(v4.newerThan(v4)).isFalse();
    }

    @Test
    void databricksKeepsFamilyAndVersionWhenNothingIsDiscovered() {
        assertThat(databricks("claude-opus-4-7-20260101", null)).isEqualTo("databricks-claude-opus-4-7");
        assertThat(databricks("claude-sonnet-4-6", null)).isEqualTo("databricks-claude-sonnet-4-6");
        assertThat(databricks("claude-3-7-sonnet-20250219", null)).isEqualTo("databricks-claude-3-7-sonnet");
        assertThat(databricks("databricks-claude-custom", null)).isEqualTo("databricks-claude-custom");
        // No family and version: seed A's table, the last resort.
        assertThat(databricks("opus", null)).isEqualTo("databricks-claude-opus-4-5");
        assertThat(databricks("gpt-5", null)).isEqualTo("databricks-claude-sonnet-4-5");
    }

    @Test
    void databricksUsesTheExactVersionOrTheNewestOfTheFamilyTheWorkspaceServes() {
        Set<String> served = Set.of("databricks-claude-opus-4-5", "databricks-claude-opus-4-7",
                "databricks-claude-opus-4-6", "databricks-claude-sonnet-4-6", "databricks-gpt-5", "my-endpoint");
        List<String> substitutions = new ArrayList<>();
        ServedModels report = new ServedModels() {
            @Override
            public Set<String> served(String upstreamName) {
                return served;
            }

            @Override
            public void substituted(String upstream, String requested, String wanted, String chosen) {
                substitutions.add(upstream + ":" + requested + "->" + chosen + " (not " + wanted + ")");
            }
        };
        assertThat(resolve("claude-opus-4-6", served, report)).isEqualTo("databricks-claude-opus-4-6");
        assertThat(substitutions).isEmpty();
        assertThat(resolve("claude-opus-4-8-20270101", served, report)).isEqualTo("databricks-claude-opus-4-7");
        assertThat(resolve("claude-sonnet-4-5", served, report)).isEqualTo("databricks-claude-sonnet-4-6");
        assertThat(substitutions).containsExactly(
                "ws:claude-opus-4-8-20270101->databricks-claude-opus-4-7 (not databricks-claude-opus-4-8)",
                "ws:claude-sonnet-4-5->databricks-claude-sonnet-4-6 (not databricks-claude-sonnet-4-5)");
        // A family the workspace lacks entirely: the exact name, so the workspace answers for itself.
        assertThat(resolve("claude-haiku-4-5", served, report)).isEqualTo("databricks-claude-haiku-4-5");
    }

    @Test
    void theAiGatewaySpellsTheSameModelsAsSystemAi() {
        Set<String> served = Set.of("databricks-claude-opus-4-7");
        assertThat(DatabricksModels.resolve("claude-opus-4-8", DatabricksApi.AI_GATEWAY, ModelMap.SEED_A, served, "g",
                ServedModels.UNKNOWN)).isEqualTo("system.ai.claude-opus-4-7");
        assertThat(DatabricksModels.resolve("claude-opus-4-7", DatabricksApi.AI_GATEWAY, ModelMap.SEED_A, null, "g",
                ServedModels.UNKNOWN)).isEqualTo("system.ai.claude-opus-4-7");
        assertThat(DatabricksModels.resolve("system.ai.claude-x", DatabricksApi.AI_GATEWAY, ModelMap.SEED_A, served,
                "g", ServedModels.UNKNOWN)).isEqualTo("system.ai.claude-x");
        assertThat(DatabricksModels.resolve("haiku", DatabricksApi.AI_GATEWAY, ModelMap.SEED_A, null, "g",
                ServedModels.UNKNOWN)).isEqualTo("system.ai.claude-haiku-4-5");
    }

    @Test
    void discoveredModelsLogEachSubstitutionOnceAndReplaceListingsWhole() {
        DiscoveredModels discovered = new DiscoveredModels();
        assertThat(discovered.served("ws")).isNull();
        discovered.update("ws", Set.of("databricks-claude-opus-4-7"));
        assertThat(discovered.served("ws")).containsExactly("databricks-claude-opus-4-7");
        discovered.update("ws", Set.of("databricks-claude-opus-4-8"));
        assertThat(discovered.snapshot()).containsEntry("ws", Set.of("databricks-claude-opus-4-8"));
        discovered.forget("ws");
        assertThat(discovered.served("ws")).isNull();
    }

    @Test
    void bedrockMapsFamiliesAndKeepsItsOwnIds() {
        assertThat(ModelMap.BEDROCK.map("claude-opus-4-7")).isEqualTo("global.anthropic.claude-opus-4-5-20251101-v1:0");
        assertThat(ModelMap.BEDROCK.map("claude-3-5-haiku-20241022"))
                .isEqualTo("global.anthropic.claude-haiku-4-5-20251001-v1:0");
        assertThat(ModelMap.BEDROCK.map("us.anthropic.claude-sonnet-4-5-20250929-v1:0"))
                .isEqualTo("us.anthropic.claude-sonnet-4-5-20250929-v1:0");
        assertThat(ModelMap.BEDROCK.map("anthropic.claude-opus-4-6-v1")).isEqualTo("anthropic.claude-opus-4-6-v1");
        assertThat(ModelMap.BEDROCK.map("arn:aws:bedrock:us-east-1:1:application-inference-profile/x"))
                .startsWith("arn:");
    }

    @Test
    void vertexWritesADateAfterAnAt() {
        assertThat(VertexModels.toVertex("claude-sonnet-4-5-20250929")).isEqualTo("claude-sonnet-4-5@20250929");
        assertThat(VertexModels.toVertex("claude-opus-4-7")).isEqualTo("claude-opus-4-7");
        assertThat(VertexModels.toVertex("claude-haiku-4-5@20251001")).isEqualTo("claude-haiku-4-5@20251001");
        assertThat(VertexModels.toVertex("claude-x-2025092")).isEqualTo("claude-x-2025092");
        assertThat(VertexModels.toVertex("20250929")).isEqualTo("20250929");
    }

    private static String databricks(String requested, Set<String> served) {
        return resolve(requested, served, ServedModels.UNKNOWN);
    }

    private static String resolve(String requested, Set<String> served, ServedModels report) {
        return DatabricksModels.resolve(requested, DatabricksApi.SERVING_ENDPOINTS, ModelMap.SEED_A, served, "ws",
                report);
    }
}
