package io.leadsync.app.cli;

import io.leadsync.app.ConfigurationReference;
import io.leadsync.app.internal.Connectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code leadsync config-reference}: prints docs/configuration.md, written from the description of every setting. */
@Command(name = "config-reference", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = "Print the configuration reference (docs/configuration.md) from the description of every setting.")
public final class ConfigReferenceCommand implements Callable<Integer> {
    @Option(names = "--connectors-dir", defaultValue = "config/connectors",
            description = "Where the connector manifests are (default: ${DEFAULT-VALUE}).")
    Path connectorsDir;

    @Override
    public Integer call() {
        System.out.print(ConfigurationReference.markdown(Connectors.discoverFactories(connectorsDir)));
        return ExitCodes.OK;
    }
}
