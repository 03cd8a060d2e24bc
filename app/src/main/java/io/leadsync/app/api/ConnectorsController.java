package io.leadsync.app.api;

import io.leadsync.app.ApiAccess;
import io.leadsync.app.ops.ConnectorOps;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

import java.util.List;
import java.util.Map;

/**
 * Connectors: {@code GET /api/connectors} (type, streams, status, last success, API usage against budget), {@code GET
 * /api/connectors/{name}} ({@code ?forecast=true} asks the vendor what waits, to forecast the next run's calls),
 * {@code POST /api/connectors/{name}/check} (credentials and reachability, one cheap call), {@code GET /api/budget}
 * (every connector's budget with the forecast and its warnings).
 */
@Controller
@Secured(ApiAccess.READ)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ConnectorsController {
    private final ConnectorOps connectors;

    public ConnectorsController(ConnectorOps connectors) {
        this.connectors = connectors;
    }

    @Get("/api/connectors")
    public List<Map<String, Object>> list() {
        return connectors.list();
    }

    @Get("/api/connectors/{name}")
    public Map<String, Object> connector(@PathVariable String name, @QueryValue(defaultValue = "false") boolean forecast) {
        return connectors.get(name, forecast).orElseThrow(() -> unknown(name));
    }

    /** Probes the connector's credentials and reachability now; admin only, as it spends a vendor call. */
    @Secured(ApiAccess.ADMIN)
    @Post("/api/connectors/{name}/check")
    public ConnectorOps.Check check(@PathVariable String name) {
        if (!connectors.names().contains(name)) {
            throw unknown(name);
        }
        return connectors.check(name);
    }

    /** Calls used per connector today against the daily allowance, the next run's forecast, and warnings. */
    @Get("/api/budget")
    public List<ConnectorOps.Budget> budget(@QueryValue(defaultValue = "true") boolean forecast) {
        return connectors.budgets(forecast);
    }

    private ApiProblem unknown(String name) {
        return ApiProblem.notFound("no connector named '" + name + "'; configured connectors are "
                + connectors.names());
    }
}
