package io.leadsync.app.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --config} option every command that starts the service takes. */
public final class ConfigOption {
    @Option(names = "--config", defaultValue = "config/application.yml",
            description = "Config file (default: ${DEFAULT-VALUE}).")
    Path file;
}
