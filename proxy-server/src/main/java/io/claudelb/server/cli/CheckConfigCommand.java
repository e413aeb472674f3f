package io.claudelb.server.cli;

import io.claudelb.core.config.ConfigDescriber;
import io.claudelb.core.config.ConfigLoader;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.route.RoutingWarnings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import io.claudelb.server.databricks.DiscoveryReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code claude-lb check-config [--discover] FILE}: validate a config (native, seed A or seed B) and print what it
 * means; with {@code --discover}, also what each discovering Databricks workspace serves. Every error of the file is
 * printed, one line each naming its key (by {@link Main}'s handler, exit 2); a valid file's routes that no request
 * can reach and upstreams no route uses are printed as warnings (exit 0).
 */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = {"Validate a config file and print the effective upstreams and routes (no secrets).",
                "Lists every error (exit 2), and warns about routes no request can reach and unused upstreams."})
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
        PrintWriter out = spec.commandLine().getOut();
        out.println(ConfigDescriber.describe(config));
        if (discover) {
            out.print(DiscoveryReport.describe(config));
        }
        List<String> warnings = RoutingWarnings.of(config);
        warnings.forEach(w -> spec.commandLine().getErr().println("claude-lb: warning: " + w));
        out.println("OK: " + file + " is valid" + (warnings.isEmpty() ? "." : ", with " + warnings.size()
                + " warning" + (warnings.size() == 1 ? "" : "s") + "."));
        return 0;
    }
}
