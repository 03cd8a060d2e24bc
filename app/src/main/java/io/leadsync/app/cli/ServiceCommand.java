package io.leadsync.app.cli;

import picocli.CommandLine.Mixin;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A command that works on the service's own store and connectors, in this process: starts the application without
 * its HTTP API, its cron triggers held and its model watch off, runs {@link #work}, and stops it. With PostgreSQL it
 * runs beside a serving process (job leases keep runs apart); an H2 file is one process's at a time.
 */
abstract class ServiceCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    final PrintStream out = System.out;
    final PrintStream err = System.err;

    abstract int work(Server server) throws Exception;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put("leadsync.start-schedules", false);
        overrides.put("leadsync.scoring.reload-interval", "0s");
        Server server;
        try {
            server = Server.start(config.file, overrides, false);
        } catch (Server.StartupFailure e) {
            err.println("leadsync cannot start: " + e.getMessage());
            return e.getMessage().contains("in use") || e.getMessage().contains("locked") ? ExitCodes.BUSY
                    : ExitCodes.USAGE;
        }
        try {
            return work(server);
        } finally {
            server.close();
        }
    }
}
