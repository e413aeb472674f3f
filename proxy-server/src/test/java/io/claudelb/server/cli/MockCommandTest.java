package io.claudelb.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.server.mock.MockOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code claude-lb mock}'s flags for how many requests it keeps. */
class MockCommandTest {

    private static MockOptions parsed(String... args) {
        MockCommand command = new MockCommand();
        String[] withPort = new String[args.length + 2];
        withPort[0] = "--port";
        withPort[1] = "0";
        System.arraycopy(args, 0, withPort, 2, args.length);
        new CommandLine(command).parseArgs(withPort);
        return command.options();
    }

    @Test
    void keepsTheDefaultNumberOfRequestsUnlessToldOtherwise() {
        assertThat(parsed().recordLimit()).isEqualTo(MockOptions.DEFAULT_RECORD_LIMIT);
        assertThat(parsed("--record-limit", "25").recordLimit()).isEqualTo(25);
        assertThat(parsed("--record-limit", "0").recordLimit()).isZero();
        assertThat(parsed("--no-record").recordLimit()).isZero();
    }
}
