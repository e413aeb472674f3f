package io.claudelb.server.cli;

import io.claudelb.core.config.ConfigDescriber;
import io.claudelb.core.config.ConfigLoader;
import io.claudelb.core.config.GatewayConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code claude-lb check-config FILE}: validate a config (native, seed A or seed B) and print what it means. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate a config file and print the effective upstreams and routes (no secrets).")
final class CheckConfigCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The config file to check.")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        GatewayConfig config = ConfigLoader.load(file);
        spec.commandLine().getOut().println(ConfigDescriber.describe(config));
        spec.commandLine().getOut().println("OK: " + file + " is valid.");
        return 0;
    }
}
