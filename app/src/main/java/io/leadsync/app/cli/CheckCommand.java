package io.leadsync.app.cli;

import io.leadsync.app.ops.ConnectorOps;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code leadsync check [connector]}: checks credentials and reachability of one or every connector. */
@Command(name = "check", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = "Check the credentials and reachability of one connector, or of every configured one (one cheap"
                + " call each).")
public final class CheckCommand extends ServiceCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "<connector>",
            description = "The connector to check (sync.connectors.<connector>); all when left out.")
    String connector;

    @Override
    int work(Server server) {
        ConnectorOps connectors = server.context().getBean(ConnectorOps.class);
        List<String> names = connector == null ? List.copyOf(connectors.names()) : List.of(connector);
        if (connector != null && !connectors.names().contains(connector)) {
            err.println("no connector named '" + connector + "'; configured connectors are " + connectors.names());
            return ExitCodes.NOT_FOUND;
        }
        boolean allOk = true;
        for (String name : names) {
            ConnectorOps.Check check = connectors.check(name);
            out.printf("%-24s %-6s %s%n", name, check.ok() ? "ok" : "FAILED", check.message());
            allOk &= check.ok();
        }
        return allOk ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
