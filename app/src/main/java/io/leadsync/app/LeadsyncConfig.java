package io.leadsync.app;

import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.FollowUpTask;
import io.leadsync.store.DatabaseSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The validated configuration: {@code leadsync.*} (database, scoring model, node id) and {@code sync.*}
 * (connectors and jobs). See config/application.yml for an annotated example.
 *
 * @param database     where the store lives
 * @param scoring      the model in service, a challenger, and how a conversion is told
 * @param nodeId       this process's name in job leases, or null for host and pid
 * @param startSchedules whether the jobs' cron triggers start with the process ({@code leadsync.start-schedules},
 *                     default true); when false they wait for {@code SyncEngine.startSchedules()}, as in the demo
 * @param connectorsDir where declarative connector manifests live ({@code config/connectors})
 * @param connectors   each configured connector's settings block, by name
 * @param jobs         each configured job, by name
 * @param identity     how records are linked into profiles and golden records built ({@code leadsync.identity})
 * @param api          who may call the HTTP API ({@code leadsync.api.tokens})
 * @param runs         how runs hold their lease and stop ({@code leadsync.runs})
 * @param dailyCallBudgets each connector's daily allowance of vendor calls
 *                     ({@code sync.connectors.<name>.daily-call-budget}), where set
 * @param cluster      whether this is one instance of several on one PostgreSQL ({@code leadsync.cluster})
 * @param events       how change events are taken ({@code leadsync.events.*} and
 *                     {@code sync.connectors.<name>.events})
 */
public record LeadsyncConfig(DatabaseSettings database, Scoring scoring, String nodeId, boolean startSchedules,
                             Path connectorsDir,
                             Map<String, ConnectorSettings> connectors, Map<String, Job> jobs,
                             io.leadsync.identity.IdentitySettings identity, ApiAccess api, Runs runs,
                             Map<String, Long> dailyCallBudgets, Cluster cluster,
                             io.leadsync.routes.EventSettings events) {

    /**
     * {@code leadsync.cluster}: several instances on one PostgreSQL (see {@code ClusterScheduler}).
     *
     * @param enabled          whether this instance joins the cluster
     * @param checkinInterval  how often it checks in with the others
     * @param misfireThreshold how late a fire may be before it counts as missed
     * @param threads          Quartz worker threads
     */
    public record Cluster(boolean enabled, Duration checkinInterval, Duration misfireThreshold, int threads) {
        public static Cluster single() {
            return new Cluster(false, Duration.ofSeconds(5), Duration.ofSeconds(60), 4);
        }

        /** The scheduler's settings, with this instance's id ({@code leadsync.node-id}, or null for Quartz's AUTO). */
        public io.leadsync.routes.ClusterScheduler.Settings scheduler(String nodeId) {
            return new io.leadsync.routes.ClusterScheduler.Settings(enabled, nodeId, checkinInterval, misfireThreshold,
                    threads);
        }
    }

    /**
     * @param leaseTtl      how long a run's lease outlives its last heartbeat ({@code lease-ttl}, default 60 s): how
     *                      long a job stays blocked by a process that died on another host
     * @param shutdownGrace how long a stopping process waits for its runs to reach a safe point before abandoning
     *                      the call under way ({@code shutdown-grace}, default 20 s)
     */
    public record Runs(Duration leaseTtl, Duration shutdownGrace) {
        public static Runs defaults() {
            return new Runs(Duration.ofSeconds(60), Duration.ofSeconds(20));
        }
    }

    /** The scoring model in service. */
    public Path scoringModel() {
        return scoring.model();
    }

    /**
     * @param model          the model file in service (watched: a valid new version is activated)
     * @param modelsDir      the only folder the API reads candidate model files from ({@code models-dir}, by default
     *                       the folder of {@code model})
     * @param challenger     a model scored in shadow beside it, or null
     * @param reloadInterval how often the model file is checked for changes; zero turns the watch off
     * @param outcomeField   the person field that tells a conversion (for the shadow report), or null
     * @param converted      the values of that field that mean converted (others mean not converted)
     * @param convertedActivities activity types that mean a person converted (e.g. {@code opportunity_won} from
     *                            Salesforce), whatever the field says
     * @param lostActivities      activity types that mean a person did not convert ({@code opportunity_lost}),
     *                            unless one of {@code convertedActivities} is there too
     * @param outcomeDateField    the person field with the date of the conversion (training on the store's history
     *                            needs conversions dated by it or by an activity), or null
     * @param verdicts            the field where reps judge leads good or bad, or null
     * @param recalibration       the periodic recalibration report
     */
    public record Scoring(Path model, Path modelsDir, Path challenger, java.time.Duration reloadInterval,
                          String outcomeField, List<String> converted, List<String> convertedActivities,
                          List<String> lostActivities, String outcomeDateField, Verdicts verdicts,
                          Recalibration recalibration) {
        /** Without dated outcomes, verdicts or recalibration settings (their defaults). */
        public Scoring(Path model, Path modelsDir, Path challenger, java.time.Duration reloadInterval,
                       String outcomeField, List<String> converted, List<String> convertedActivities,
                       List<String> lostActivities) {
            this(model, modelsDir, challenger, reloadInterval, outcomeField, converted, convertedActivities,
                    lostActivities, null, null, Recalibration.defaults());
        }

        /** Whether any outcome is configured. */
        public boolean knowsOutcomes() {
            return outcomeField != null || !convertedActivities.isEmpty();
        }

        /** The outcome as training on the store's history reads it. */
        public io.leadsync.routes.TrainingHistory.Outcome trainingOutcome() {
            return new io.leadsync.routes.TrainingHistory.Outcome(outcomeField, converted, outcomeDateField,
                    convertedActivities);
        }
    }

    /**
     * {@code leadsync.scoring.verdicts}: a CRM field where reps judge leads.
     *
     * @param field the person field (a picklist such as {@code lead_quality})
     * @param good  its values that mean a good lead
     * @param bad   its values that mean a bad lead
     */
    public record Verdicts(String field, List<String> good, List<String> bad) {
    }

    /**
     * {@code leadsync.scoring.recalibration}: the periodic check of the model in service against the latest outcomes.
     *
     * @param schedule    Quartz cron of the report, or null for on demand only (default: 06:00 on the 1st of each
     *                    month)
     * @param horizon     the period checked: conversions within it after its start count (default 90 days)
     * @param challenger  where the challenger trained on the latest outcomes is written, ready for
     *                    {@code leadsync.scoring.challenger}; null to write none
     * @param maxCriteria the challenger's budget of criteria
     * @param exclude     attributes training leaves out (fields filled in after contact, running totals)
     */
    public record Recalibration(String schedule, java.time.Duration horizon, Path challenger, int maxCriteria,
                                List<String> exclude) {
        public static final String DEFAULT_SCHEDULE = "0 0 6 1 * ?";

        public static Recalibration defaults() {
            return new Recalibration(DEFAULT_SCHEDULE, java.time.Duration.ofDays(90), null, 40, List.of());
        }
    }

    /**
     * @param schedule   Quartz cron, or null for on demand only
     * @param connectors the connectors it reads from (those with a {@code read} block) and writes to (those with a
     *                   {@code write} block)
     */
    public record Job(String name, String schedule, List<String> connectors, Duration taskDueIn,
                      FollowUpTask.Priority taskPriority, io.leadsync.routes.SyncJob.Completeness completeness) {
        public Job(String name, String schedule, List<String> connectors, Duration taskDueIn,
                   FollowUpTask.Priority taskPriority) {
            this(name, schedule, connectors, taskDueIn, taskPriority,
                    io.leadsync.routes.SyncJob.Completeness.defaults());
        }
    }
}
