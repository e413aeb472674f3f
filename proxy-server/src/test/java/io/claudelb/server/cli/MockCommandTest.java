package io.claudelb.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.server.mock.MockBehaviour;
import io.claudelb.server.mock.MockOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code claude-lb mock}'s flags: how many requests it keeps, and that a flag left out is the mock's default. */
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

    @Test
    void withoutFlagsTheMockRunsWithItsOwnDefaults() {
        assertThat(parsed()).isEqualTo(MockOptions.defaults());
    }

    @Test
    void eachFlagChangesOnlyItsSetting() {
        MockBehaviour behaviour = parsed("--events", "3", "--text-bytes", "30", "--pace-ms", "5", "--no-thinking",
                "--tool-use", "--error-status", "529", "--retry-after", "7").behaviour();

        assertThat(behaviour).isEqualTo(MockBehaviour.builder().textEvents(3).textBytes(30)
                .pace(Duration.ofMillis(5)).thinking(false).toolUse(true).errorStatus(529).retryAfter("7").build());
        assertThat(parsed("--name", "east", "--host", "0.0.0.0", "--io-threads", "2"))
                .isEqualTo(MockOptions.builder().name("east").host("0.0.0.0").ioThreads(2).build());
    }

    @Test
    void helpShowsTheDefaultsTheMockItselfUses() {
        String usage = new CommandLine(new MockCommand()).getUsageMessage();
        MockOptions defaults = MockOptions.defaults();

        assertThat(usage).contains("Text delta events per answer (default: " + defaults.behaviour().textEvents() + ")")
                .contains("Total text bytes per answer (default: " + defaults.behaviour().textBytes() + ")")
                .contains("Address to listen on (default: " + defaults.host() + ")")
                .contains("(default: " + defaults.recordLimit() + "; 0 = none)");
    }
}
