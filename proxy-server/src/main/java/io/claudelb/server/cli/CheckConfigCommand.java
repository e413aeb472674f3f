package io.claudelb.server.cli;

import io.claudelb.core.config.ConfigDescriber;
import io.claudelb.core.config.ConfigLoader;
import io.claudelb.core.config.GatewayConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import io.claudelb.server.databricks.DiscoveryReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code claude-lb check-config [--discover] FILE}: validate a config (native, seed A or seed B) and print what it
 * means; with {@code --discover}, also what each discovering Databricks workspace serves.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate a config file and print the effective upstreams and routes (no secrets).")
final class CheckConfigCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The config file to check.")
    Path file;

    @Option(names = "--discover", description = "Also list each discovering Databricks workspace's serving endpoints "
            + "(a network call per workspace) and show where Claude Code's model names go.")
    boolean discover;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        GatewayConfig config = ConfigLoader.load(file);
        spec.commandLine().getOut().println(ConfigDescriber.describe(config));
        if (discover) {
            spec.commandLine().getOut().print(DiscoveryReport.describe(config));
        }
        spec.commandLine().getOut().println("OK: " + file + " is valid.");
        return 0;
    }
}
