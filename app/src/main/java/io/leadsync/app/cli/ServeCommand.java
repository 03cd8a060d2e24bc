package io.leadsync.app.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code leadsync serve}: runs the service with a config file until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the service: scheduled syncs, the HTTP API (/health, /api/jobs, /api/runs).")
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--port", description = "HTTP port (default: micronaut.server.port from the config, else 8080).")
    Integer port;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> overrides = new LinkedHashMap<>();
        if (port != null) {
            overrides.put("micronaut.server.port", port);
        }
        Server server;
        try {
            server = Server.start(config.file, overrides);
        } catch (Server.StartupFailure e) {
            System.err.println("leadsync cannot start: " + e.getMessage());
            return 2;
        }
        System.out.println("leadsync is serving on http://" + server.host() + ":" + server.port()
                + " (Ctrl-C stops it); every call but /health needs a token from leadsync.api.tokens");
        server.awaitShutdown();
        return 0;
    }
}
