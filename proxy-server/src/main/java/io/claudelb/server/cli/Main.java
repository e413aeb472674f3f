package io.claudelb.server.cli;

import io.claudelb.core.config.ConfigException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;

/**
 * {@code claude-lb [serve] [--config FILE] [--host H] [--port P] | demo | mock | check-config FILE | usage}. A
 * config file with errors prints one line per error, each naming its key, and exits 2, without a stack trace.
 */
@Command(name = "claude-lb", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "A gateway for the Anthropic Messages API: balances Claude Code traffic over many upstreams.",
        subcommands = {ServeCommand.class, DemoCommand.class, MockCommand.class, CheckConfigCommand.class,
            UsageCommand.class})
public final class Main implements Callable<Integer> {
    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Override
    public Integer call() throws Exception {
        return ServeCommand.run(options);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line on the process's stdout and stderr and returns the exit code. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the command line with its output and messages going to the given writers (tests capture them). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException ce) {
                for (ConfigException error : ce.errors()) {
                    commandLine.getErr().println("claude-lb: config error: " + error.getMessage());
                }
                return 2;
            }
            if (e instanceof java.net.SocketException || e instanceof java.io.IOException) {
                // Typically "Address already in use" when binding: a user error, not a crash.
                commandLine.getErr().println("claude-lb: cannot listen: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"claude-lb " + Version.get()};
        }
    }
}
