package io.leadsync.app;

import io.leadsync.app.internal.ConfigLoader;
import io.leadsync.app.internal.Connectors;
import io.leadsync.connector.ConfigException;
import io.leadsync.connector.ConnectorContext;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.SourceConnector;
import io.leadsync.routes.IdentityService;
import io.leadsync.routes.ModelRollout;
import io.leadsync.routes.ModelScoringService;
import io.leadsync.routes.ModelTraining;
import io.leadsync.routes.ChangeIntake;
import io.leadsync.routes.SyncEngine;
import io.leadsync.routes.SyncJob;
import io.leadsync.scoring.ModelValidationException;
import io.leadsync.store.Store;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.impl.DefaultCamelContext;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds leadsync's services from the validated configuration. There is no camel-micronaut artifact: the Camel
 * context is a bean built here and started and stopped with the application ({@link LeadsyncRuntime}).
 */
@Factory
public class LeadsyncFactory {

    @Singleton
    LeadsyncConfig config(Environment environment) {
        return ConfigLoader.load(environment);
    }

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    @Bean(preDestroy = "close")
    Store store(LeadsyncConfig config) {
        return Store.open(config.database());
    }

    @Singleton
    CamelContext camel(LeadsyncConfig config, Store store) {
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.getCamelContextExtension().setName("leadsync");
        // the jobs' cron triggers: Quartz's RAM store, or the cluster's JDBC store on the store's database
        io.leadsync.routes.ClusterScheduler.install(camel, store, config.cluster().scheduler(config.nodeId()),
                config.startSchedules());
        for (String scheme : List.of("http", "https")) {
            HttpComponent http = camel.getComponent(scheme, HttpComponent.class);
            http.setConnectTimeout(10_000);
            http.setConnectionRequestTimeout(10_000);
            http.setSoTimeout(60_000);
            http.setResponseTimeout(60_000);
            http.setAutomaticRetriesDisabled(true);   // connectors retry as each vendor's answers say
        }
        return camel;
    }

    @Singleton
    @Bean(preDestroy = "close")
    Connectors connectors(LeadsyncConfig config, CamelContext camel, Clock clock) {
        return Connectors.create(config.connectors(), Connectors.discoverFactories(config.connectorsDir()),
                ConnectorContext.of(clock, camel));
    }

    @Singleton
    @Named("champion")
    ModelScoringService scoring(LeadsyncConfig config) {
        return model(config.scoringModel(), "leadsync.scoring.model");
    }

    /** The challenger model, if one is configured; an empty service otherwise (see {@link Challenger}). */
    @Singleton
    Challenger challenger(LeadsyncConfig config) {
        Path file = config.scoring().challenger();
        return new Challenger(file == null ? null : model(file, "leadsync.scoring.challenger"));
    }

    /** The challenger model in shadow mode, or none. */
    public record Challenger(ModelScoringService service) {
    }

    private static ModelScoringService model(Path file, String key) {
        try {
            return ModelScoringService.load(file);
        } catch (ModelValidationException e) {
            throw new ConfigException(key, "names a model that is not valid: " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new ConfigException(key, e.getMessage());
        }
    }

    @Singleton
    IdentityService identity(LeadsyncConfig config, Store store, Clock clock) {
        return new IdentityService(store, clock, config.identity());
    }

    /** Where webhook, CDC and product events enter the pipeline. */
    @Singleton
    ChangeIntake changeIntake(SyncEngine engine) {
        return engine.changes();
    }

    @Singleton
    ModelRollout rollout(SyncEngine engine, Challenger challenger) {
        ModelRollout rollout = new ModelRollout(engine.store(), engine.clock(), engine.sinks(),
                engine.identity().survivorship());
        if (challenger.service() != null) {
            rollout.challengerStarted(challenger.service().modelId());
        }
        return rollout;
    }

    @Singleton
    ModelTraining training(SyncEngine engine) {
        return new ModelTraining(engine.store(), engine.clock(), engine.identity().survivorship());
    }

    @Singleton
    io.leadsync.app.ops.LeadsyncMetrics metrics(Connectors connectors) {
        io.leadsync.app.ops.LeadsyncMetrics metrics = new io.leadsync.app.ops.LeadsyncMetrics();
        java.util.Set<String> names = new java.util.LinkedHashSet<>(connectors.sources().keySet());
        names.addAll(connectors.sinks().keySet());
        for (String name : names) {
            String type = connectors.source(name).map(s -> s.descriptor().type())
                    .orElseGet(() -> connectors.sink(name).orElseThrow().descriptor().type());
            metrics.bindConnector(name, type, () -> connectors.source(name)
                    .flatMap(io.leadsync.connector.SourceConnector::callStats)
                    .or(() -> connectors.sink(name).flatMap(io.leadsync.connector.SinkConnector::callStats)));
        }
        return metrics;
    }

    @Singleton
    SyncEngine engine(LeadsyncConfig config, Store store, CamelContext camel, Connectors connectors,
                      @Named("champion") ModelScoringService scoring, Challenger challenger, Clock clock,
                      io.leadsync.app.ops.LeadsyncMetrics metrics) {
        SyncEngine.Builder builder = SyncEngine.builder().store(store).camel(camel).scoring(scoring).clock(clock)
                .listener(metrics)
                .challenger(challenger.service()).identity(config.identity())
                .startSchedules(config.startSchedules()).leaseTtl(config.runs().leaseTtl())
                .clustered(config.cluster().enabled()).events(config.events());
        if (config.nodeId() != null) {
            builder.nodeId(config.nodeId());
        }
        for (LeadsyncConfig.Job job : config.jobs().values()) {
            List<SourceConnector> sources = new ArrayList<>();
            List<SinkConnector> sinks = new ArrayList<>();
            for (String name : job.connectors()) {
                connectors.source(name).ifPresent(sources::add);
                connectors.sink(name).ifPresent(sinks::add);
            }
            builder.job(new SyncJob(job.name(), job.schedule(), sources, sinks,
                    new SyncJob.TaskPolicy(job.taskDueIn(), job.taskPriority()), job.completeness()));
        }
        return builder.build();
    }
}
