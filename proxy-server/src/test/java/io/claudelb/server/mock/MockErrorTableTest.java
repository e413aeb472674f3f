package io.claudelb.server.mock;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The mock's status/type table (Anthropic's documented errors) and the proxy's one table in the codec agree on every
 * status: the mock keeps its own so that a wrong row in the proxy's shows up here instead of being copied into the
 * mock's answers.
 */
class MockErrorTableTest {

    @Test
    void everyStatusHasTheSameTypeInTheMockAndTheProxy() {
        for (int status = 400; status < 600; status++) {
            assertThat(io.claudelb.codec.error.AnthropicErrors.typeForStatus(status))
                    .as("error type of %d", status).isEqualTo(AnthropicErrors.type(status));
        }
    }

    @Test
    void aTimeoutIsTimeoutErrorAndAnOverloadOverloadedError() {
        assertThat(AnthropicErrors.type(504)).isEqualTo("timeout_error");
        assertThat(AnthropicErrors.type(529)).isEqualTo("overloaded_error");
        assertThat(AnthropicErrors.type(408)).isEqualTo("timeout_error");
    }
}
