package io.leadsync.app.internal;

import io.leadsync.app.ApiAccess;
import io.leadsync.app.LeadsyncSettings;
import io.leadsync.app.LeadsyncConfig;
import io.leadsync.connector.ConfigException;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.FollowUpTask;
import io.leadsync.connector.Secret;
import io.leadsync.identity.EmailNormalizer;
import io.leadsync.identity.IdentitySettings;
import io.leadsync.identity.MatchSettings;
import io.leadsync.identity.PhoneNormalizer;
import io.leadsync.identity.SurvivorshipRules;
import io.leadsync.store.DatabaseSettings;
import io.micronaut.core.convert.ConversionContext;
import io.micronaut.core.value.PropertyResolver;
import org.quartz.CronExpression;

import java.nio.file.Path;
import java.text.ParseException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads and validates {@code leadsync.*} and {@code sync.*} from Micronaut's environment (YAML files, system
 * properties, environment variables, with placeholders resolved). Every error is a {@link ConfigException} that
 * names the full key; unknown keys are errors.
 */
public final class ConfigLoader {
    // the known keys of each block come from the description of every setting (LeadsyncSettings)
    static final Set<String> LEADSYNC_KEYS = LeadsyncSettings.LEADSYNC.names();
    static final Set<String> RUNS_KEYS = LeadsyncSettings.RUNS.names();
    static final Set<String> CLUSTER_KEYS = LeadsyncSettings.CLUSTER.names();
    static final Set<String> EVENTS_KEYS = LeadsyncSettings.EVENTS.names();
    static final Set<String> API_KEYS = LeadsyncSettings.API.names();
    static final Set<String> TOKEN_KEYS = LeadsyncSettings.TOKEN.names();
    static final Set<String> DATABASE_KEYS = LeadsyncSettings.DATABASE.names();
    static final Set<String> SCORING_KEYS = LeadsyncSettings.SCORING.names();
    static final Set<String> OUTCOME_KEYS = LeadsyncSettings.OUTCOME.names();
    static final Set<String> VERDICT_KEYS = LeadsyncSettings.VERDICTS.names();
    static final Set<String> RECALIBRATION_KEYS = LeadsyncSettings.RECALIBRATION.names();
    static final Set<String> SYNC_KEYS = LeadsyncSettings.SYNC.names();
    static final Set<String> JOB_KEYS = LeadsyncSettings.JOB.names();
    static final Set<String> TASK_KEYS = LeadsyncSettings.TASKS.names();
    static final Set<String> COMPLETENESS_KEYS = LeadsyncSettings.COMPLETENESS.names();

    private ConfigLoader() {
    }

    public static LeadsyncConfig load(PropertyResolver properties) {
        Map<String, Object> leadsync = block(properties, "leadsync");
        rejectUnknown("leadsync", leadsync, LEADSYNC_KEYS);
        micronaut(block(properties, "micronaut"), "micronaut");
        Map<String, Object> sync = block(properties, "sync");
        if (sync.isEmpty()) {
            throw new ConfigException("sync", "is missing: configure sync.connectors and sync.jobs (see config/application.yml)");
        }
        rejectUnknown("sync", sync, SYNC_KEYS);

        DatabaseSettings database = database(nested(leadsync, "database", "leadsync.database"));
        Map<String, Object> scoring = nested(leadsync, "scoring", "leadsync.scoring");
        rejectUnknown("leadsync.scoring", scoring, SCORING_KEYS);
        Path model = Path.of(text(scoring, "model", "config/scoring/default-model.yml"));
        String challenger = text(scoring, "challenger", null);
        ConnectorSettings scoringSettings = ConnectorSettings.of("scoring", "leadsync.scoring", scoring);
        java.time.Duration reload = scoringSettings.duration("reload-interval", java.time.Duration.ofSeconds(10));
        Map<String, Object> outcome = nested(scoring, "outcome", "leadsync.scoring.outcome");
        rejectUnknown("leadsync.scoring.outcome", outcome, OUTCOME_KEYS);
        String outcomeField = text(outcome, "field", null);
        ConnectorSettings outcomeSettings = ConnectorSettings.of("outcome", "leadsync.scoring.outcome", outcome);
        List<String> converted = outcomeSettings.stringList("converted", List.of());
        List<String> convertedActivities = outcomeSettings.stringList("converted-activities", List.of());
        List<String> lostActivities = outcomeSettings.stringList("lost-activities", List.of());
        if (!lostActivities.isEmpty() && convertedActivities.isEmpty()) {
            throw new ConfigException("leadsync.scoring.outcome.converted-activities", "must list the activity types"
                    + " that mean converted (e.g. [opportunity_won]) when lost-activities is set");
        }
        if (outcomeField != null && converted.isEmpty()) {
            throw new ConfigException("leadsync.scoring.outcome.converted", "must list the values of "
                    + outcomeField + " that mean converted, e.g. [customer]");
        }
        Path modelsDir = Path.of(text(scoring, "models-dir", model.toAbsolutePath().getParent().toString()));
        LeadsyncConfig.Scoring scoringConfig = new LeadsyncConfig.Scoring(model, modelsDir,
                challenger == null ? null : Path.of(challenger), reload, outcomeField, converted, convertedActivities,
                lostActivities, text(outcome, "date-field", null), verdicts(scoring), recalibration(scoring));
        String nodeId = LeadsyncSettings.read(LeadsyncSettings.LEADSYNC, "leadsync", leadsync, "node-id");
        boolean startSchedules = LeadsyncSettings.read(LeadsyncSettings.LEADSYNC, "leadsync", leadsync,
                "start-schedules");
        Path connectorsDir = Path.of((String) LeadsyncSettings.read(LeadsyncSettings.LEADSYNC, "leadsync", leadsync,
                "connectors-dir"));

        Map<String, Object> connectorBlocks = nested(sync, "connectors", "sync.connectors");
        if (connectorBlocks.isEmpty()) {
            throw new ConfigException("sync.connectors", "is empty: configure at least one connector");
        }
        Map<String, ConnectorSettings> connectors = new LinkedHashMap<>();
        Map<String, Long> budgets = new LinkedHashMap<>();
        Set<String> eventsOff = new TreeSet<>();
        connectorBlocks.forEach((name, block) -> {
            String key = "sync.connectors." + name;
            if (!(block instanceof Map<?, ?> map)) {
                throw new ConfigException(key, "must be a block of settings");
            }
            Map<String, Object> settings = withoutIndexedKeys(map);
            // the host's own setting of every connector: its vendor's daily allowance of calls (the budget)
            Long budget = LeadsyncSettings.read(LeadsyncSettings.CONNECTOR, key, settings, "daily-call-budget");
            settings.remove("daily-call-budget");
            if (budget != null) {
                budgets.put(name, budget);
            }
            // and whether its change events are taken
            boolean events = LeadsyncSettings.read(LeadsyncSettings.CONNECTOR, key, settings, "events");
            settings.remove("events");
            if (!events) {
                eventsOff.add(name);
            }
            connectors.put(name, ConnectorSettings.of(name, key, settings));
        });

        Map<String, Object> jobBlocks = nested(sync, "jobs", "sync.jobs");
        if (jobBlocks.isEmpty()) {
            throw new ConfigException("sync.jobs", "is empty: configure at least one job");
        }
        Map<String, LeadsyncConfig.Job> jobs = new LinkedHashMap<>();
        jobBlocks.forEach((name, block) -> jobs.put(name, job(name, block, connectors.keySet())));
        IdentitySettings identity = identity(nested(leadsync, "identity", "leadsync.identity"));
        ApiAccess api = api(nested(leadsync, "api", "leadsync.api"));
        Map<String, Object> runsBlock = nested(leadsync, "runs", "leadsync.runs");
        rejectUnknown("leadsync.runs", runsBlock, RUNS_KEYS);
        LeadsyncConfig.Runs runs = new LeadsyncConfig.Runs(
                LeadsyncSettings.read(LeadsyncSettings.RUNS, "leadsync.runs", runsBlock, "lease-ttl"),
                LeadsyncSettings.read(LeadsyncSettings.RUNS, "leadsync.runs", runsBlock, "shutdown-grace"));
        Map<String, Object> eventsBlock = nested(leadsync, "events", "leadsync.events");
        rejectUnknown("leadsync.events", eventsBlock, EVENTS_KEYS);
        io.leadsync.routes.EventSettings events = new io.leadsync.routes.EventSettings(
                LeadsyncSettings.read(LeadsyncSettings.EVENTS, "leadsync.events", eventsBlock, "enabled"),
                LeadsyncSettings.read(LeadsyncSettings.EVENTS, "leadsync.events", eventsBlock, "debounce"),
                LeadsyncSettings.<Integer>read(LeadsyncSettings.EVENTS, "leadsync.events", eventsBlock, "max-batch"),
                LeadsyncSettings.<Integer>read(LeadsyncSettings.EVENTS, "leadsync.events", eventsBlock, "max-attempts"),
                eventsOff);
        return new LeadsyncConfig(database, scoringConfig, nodeId, startSchedules, connectorsDir, connectors, jobs,
                identity, api, runs, Map.copyOf(budgets), cluster(nested(leadsync, "cluster", "leadsync.cluster"),
                database), events);
    }

    /**
     * {@code leadsync.api.tokens: [{name, role: read|admin, token}]}; empty when not set (the HTTP server then refuses
     * to start, see {@code Server}).
     */
    static ApiAccess api(Map<String, Object> block) {
        rejectUnknown("leadsync.api", block, API_KEYS);
        Object list = block.get("tokens");
        if (list == null) {
            return ApiAccess.none();
        }
        if (!(list instanceof Collection<?> entries)) {
            throw new ConfigException("leadsync.api.tokens", "must be a list of {name, role, token}");
        }
        List<ApiAccess.Token> tokens = new java.util.ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        Set<String> values = new java.util.HashSet<>();
        int index = 0;
        for (Object entry : entries) {
            String key = "leadsync.api.tokens[" + index++ + "]";
            if (!(entry instanceof Map<?, ?> raw)) {
                throw new ConfigException(key, "must be a block {name, role, token}");
            }
            Map<String, Object> map = withoutIndexedKeys(raw);
            rejectUnknown(key, map, TOKEN_KEYS);
            String name = text(map, "name", null);
            if (name == null) {
                throw new ConfigException(key + ".name", "is required: a name for the caller, shown in the log");
            }
            String role = text(map, "role", "read");
            String token = text(map, "token", null);
            if (token == null) {
                throw new ConfigException(key + ".token", "is empty: set it, e.g. token: ${LEADSYNC_ADMIN_TOKEN:} and"
                        + " export LEADSYNC_ADMIN_TOKEN (at least " + ApiAccess.MIN_TOKEN_LENGTH + " characters,"
                        + " e.g. from 'openssl rand -hex 24')");
            }
            if (!names.add(name)) {
                throw new ConfigException(key + ".name", "'" + name + "' names two tokens");
            }
            if (!values.add(token)) {
                throw new ConfigException(key + ".token", "is the same as an earlier token");
            }
            try {
                tokens.add(new ApiAccess.Token(name, role, token));
            } catch (IllegalArgumentException e) {
                String field = e.getMessage().startsWith("role") ? ".role" : ".token";
                throw new ConfigException(key + field, e.getMessage().substring(e.getMessage().indexOf(' ') + 1));
            }
        }
        return ApiAccess.of(tokens);
    }

    /** {@code leadsync.cluster}: refused on H2, which one process holds. */
    private static LeadsyncConfig.Cluster cluster(Map<String, Object> block, DatabaseSettings database) {
        rejectUnknown("leadsync.cluster", block, CLUSTER_KEYS);
        String prefix = "leadsync.cluster";
        boolean enabled = LeadsyncSettings.read(LeadsyncSettings.CLUSTER, prefix, block, "enabled");
        if (enabled && database.isH2()) {
            throw new ConfigException("leadsync.cluster.enabled", "is true but leadsync.database.url is an H2"
                    + " database, which only one process can use: a cluster needs PostgreSQL (set"
                    + " leadsync.database.url to jdbc:postgresql://<host>:<port>/<database>), or set"
                    + " leadsync.cluster.enabled to false");
        }
        return new LeadsyncConfig.Cluster(enabled,
                LeadsyncSettings.read(LeadsyncSettings.CLUSTER, prefix, block, "checkin-interval"),
                LeadsyncSettings.read(LeadsyncSettings.CLUSTER, prefix, block, "misfire-threshold"),
                LeadsyncSettings.read(LeadsyncSettings.CLUSTER, prefix, block, "threads"));
    }

    /** {@code leadsync.scoring.verdicts}: {@code field}, {@code good} and {@code bad} values; null when absent. */
    private static LeadsyncConfig.Verdicts verdicts(Map<String, Object> scoring) {
        Map<String, Object> verdicts = nested(scoring, "verdicts", "leadsync.scoring.verdicts");
        if (verdicts.isEmpty()) {
            return null;
        }
        rejectUnknown("leadsync.scoring.verdicts", verdicts, VERDICT_KEYS);
        String field = text(verdicts, "field", null);
        if (field == null) {
            throw new ConfigException("leadsync.scoring.verdicts.field", "is required: the field where reps judge"
                    + " leads, e.g. lead_quality");
        }
        ConnectorSettings settings = ConnectorSettings.of("verdicts", "leadsync.scoring.verdicts", verdicts);
        List<String> good = settings.stringList("good", List.of("good"));
        List<String> bad = settings.stringList("bad", List.of("bad"));
        if (good.isEmpty() || bad.isEmpty()) {
            throw new ConfigException("leadsync.scoring.verdicts." + (good.isEmpty() ? "good" : "bad"),
                    "must list at least one value of " + field);
        }
        return new LeadsyncConfig.Verdicts(field, good, bad);
    }

    /** {@code leadsync.scoring.recalibration}: schedule, horizon, where the challenger goes, its budget. */
    private static LeadsyncConfig.Recalibration recalibration(Map<String, Object> scoring) {
        Map<String, Object> block = nested(scoring, "recalibration", "leadsync.scoring.recalibration");
        rejectUnknown("leadsync.scoring.recalibration", block, RECALIBRATION_KEYS);
        LeadsyncConfig.Recalibration defaults = LeadsyncConfig.Recalibration.defaults();
        ConnectorSettings settings = ConnectorSettings.of("recalibration", "leadsync.scoring.recalibration", block);
        String schedule = block.containsKey("schedule") ? text(block, "schedule", null) : defaults.schedule();
        if (schedule != null && !org.quartz.CronExpression.isValidExpression(schedule)) {
            throw new ConfigException("leadsync.scoring.recalibration.schedule", "'" + schedule + "' is no Quartz"
                    + " cron expression, e.g. \"" + LeadsyncConfig.Recalibration.DEFAULT_SCHEDULE + "\" (06:00 on"
                    + " the 1st of each month)");
        }
        java.time.Duration horizon = settings.duration("horizon", defaults.horizon());
        if (horizon.isZero() || horizon.isNegative()) {
            throw new ConfigException("leadsync.scoring.recalibration.horizon", "must be above 0, e.g. 90d");
        }
        String challenger = text(block, "challenger", null);
        int maxCriteria = settings.integer("max-criteria", defaults.maxCriteria(), 1, 500);
        return new LeadsyncConfig.Recalibration(schedule, horizon, challenger == null ? null : Path.of(challenger),
                maxCriteria, settings.stringList("exclude", List.of()));
    }

    /**
     * {@code leadsync.identity}: {@code phone-region}, {@code email-rules: [gmail, plus-tags]} (default
     * {@code [gmail]}), {@code matching: {enabled, match-probability, review-probability, max-profile-records,
     * candidates-per-key, learn-weights}}, {@code weights-schedule} (Quartz cron, or {@code never}),
     * {@code survivorship: {default, source-priority: [sources], fields: [{field, rule}]}}.
     */
    static IdentitySettings identity(Map<String, Object> block) {
        ConnectorSettings identity = ConnectorSettings.of("identity", "leadsync.identity", block);
        String region = identity.string("phone-region", "US");
        try {
            new PhoneNormalizer(region);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("leadsync.identity.phone-region", e.getMessage());
        }
        List<String> rules = identity.stringList("email-rules", List.of("gmail"),
                List.of("gmail", "gmail-dots", "plus-tags"));
        EmailNormalizer.Rules emailRules = new EmailNormalizer.Rules(
                rules.contains("gmail") || rules.contains("gmail-dots"), rules.contains("plus-tags"));

        Optional<MatchSettings> matching = Optional.empty();
        ConnectorSettings match = identity.section("matching");
        MatchSettings defaults = MatchSettings.defaults();
        double matchProbability = decimal(match, "match-probability", defaults.matchProbability());
        double reviewProbability = decimal(match, "review-probability", defaults.reviewProbability());
        int maxProfileRecords = match.integer("max-profile-records", defaults.maxProfileRecords(), 2, 100_000);
        int candidatesPerKey = match.integer("candidates-per-key", defaults.candidatesPerKey(), 1, 1_000);
        boolean learn = match.bool("learn-weights", defaults.learnWeights());
        if (match.bool("enabled", true)) {
            try {
                matching = Optional.of(new MatchSettings(matchProbability, reviewProbability, maxProfileRecords,
                        candidatesPerKey, learn));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("leadsync.identity.matching", e.getMessage());
            }
        }
        String schedule = identity.string("weights-schedule", IdentitySettings.DEFAULT_WEIGHTS_SCHEDULE).strip();
        if (schedule.equalsIgnoreCase("never")) {
            schedule = null;
        } else {
            try {
                new CronExpression(schedule);
            } catch (java.text.ParseException e) {
                throw new ConfigException("leadsync.identity.weights-schedule", "'" + schedule + "' is not a valid"
                        + " Quartz cron expression (" + e.getMessage() + "); e.g. '0 0 3 * * ?', or never");
            }
        }

        ConnectorSettings survivorship = identity.section("survivorship");
        SurvivorshipRules.Rule defaultRule = rule(survivorship, "default", "most-recent");
        List<String> priority = survivorship.stringList("source-priority", List.of());
        Map<String, SurvivorshipRules.Rule> byField = new LinkedHashMap<>();
        for (ConnectorSettings field : survivorship.sectionList("fields")) {
            byField.put(field.requiredString("field"), rule(field, "rule", null));
            field.rejectUnknownKeys();
        }
        SurvivorshipRules survivorshipRules;
        try {
            survivorshipRules = new SurvivorshipRules(defaultRule, byField, priority);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("leadsync.identity.survivorship.source-priority", e.getMessage());
        }
        identity.rejectUnknownKeys();
        return new IdentitySettings(matching, region, emailRules, survivorshipRules, schedule);
    }

    private static SurvivorshipRules.Rule rule(ConnectorSettings settings, String key, String defaultValue) {
        String name = defaultValue == null ? settings.requiredString(key) : settings.string(key, defaultValue);
        try {
            return SurvivorshipRules.Rule.parse(name);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(settings.key(key), e.getMessage());
        }
    }

    private static double decimal(ConnectorSettings settings, String key, double defaultValue) {
        Optional<String> text = settings.string(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(text.get().strip());
        } catch (NumberFormatException e) {
            throw new ConfigException(settings.key(key), "must be a number but is '" + text.get() + "'");
        }
    }

    private static DatabaseSettings database(Map<String, Object> database) {
        rejectUnknown("leadsync.database", database, DATABASE_KEYS);
        String url = LeadsyncSettings.read(LeadsyncSettings.DATABASE, "leadsync.database", database, "url");
        if (url.startsWith("jdbc:h2:") && !url.toUpperCase(Locale.ROOT).contains("MODE=POSTGRESQL")) {
            url = url + DatabaseSettings.H2_OPTIONS;
        }
        String user = text(database, "user", url.startsWith("jdbc:h2:") ? "sa" : null);
        if (user == null) {
            throw new ConfigException("leadsync.database.user", "is required for PostgreSQL");
        }
        String password = LeadsyncSettings.read(LeadsyncSettings.DATABASE, "leadsync.database", database, "password");
        int pool = LeadsyncSettings.read(LeadsyncSettings.DATABASE, "leadsync.database", database, "max-pool-size");
        return new DatabaseSettings(url, user, Secret.of(password), pool);
    }

    private static LeadsyncConfig.Job job(String name, Object block, Set<String> connectorNames) {
        String key = "sync.jobs." + name;
        if (!(block instanceof Map<?, ?> raw)) {
            throw new ConfigException(key, "must be a block with schedule and connectors");
        }
        Map<String, Object> job = withoutIndexedKeys(raw);
        rejectUnknown(key, job, JOB_KEYS);
        String schedule = text(job, "schedule", null);
        if (schedule != null) {
            try {
                new CronExpression(schedule);
            } catch (ParseException e) {
                throw new ConfigException(key + ".schedule", "'" + schedule + "' is not a valid Quartz cron expression ("
                        + e.getMessage() + "); expected six or seven fields, e.g. \"0 */15 * * * ?\"");
            }
        }
        Object list = job.get("connectors");
        if (!(list instanceof Collection<?> names) || names.isEmpty()) {
            throw new ConfigException(key + ".connectors", "must list the connectors the job syncs, e.g. [hubspot-main]");
        }
        List<String> connectors = names.stream().map(String::valueOf).toList();
        for (String connector : connectors) {
            if (!connectorNames.contains(connector)) {
                throw new ConfigException(key + ".connectors", "names '" + connector
                        + "', which is not configured; configured connectors are " + new TreeSet<>(connectorNames));
            }
        }
        Map<String, Object> tasks = nested(job, "tasks", key + ".tasks");
        rejectUnknown(key + ".tasks", tasks, TASK_KEYS);
        java.time.Duration dueIn = LeadsyncSettings.read(LeadsyncSettings.TASKS, key + ".tasks", tasks, "due-in");
        FollowUpTask.Priority priority = FollowUpTask.Priority.valueOf(LeadsyncSettings.read(LeadsyncSettings.TASKS,
                key + ".tasks", tasks, "priority"));
        Map<String, Object> completeness = nested(job, "completeness", key + ".completeness");
        rejectUnknown(key + ".completeness", completeness, COMPLETENESS_KEYS);
        return new LeadsyncConfig.Job(name, schedule, connectors, dueIn, priority,
                new io.leadsync.routes.SyncJob.Completeness(
                        LeadsyncSettings.read(LeadsyncSettings.COMPLETENESS, key + ".completeness", completeness,
                                "check"),
                        LeadsyncSettings.read(LeadsyncSettings.COMPLETENESS, key + ".completeness", completeness,
                                "reread-gaps")));
    }

    /**
     * Micronaut's own keys under {@code micronaut.server}, {@code .security} and {@code .application}: each must be one
     * leadsync accepts ({@link LeadsyncSettings#MICRONAUT}), with a valid value, so that a typo in
     * {@code micronaut.server.*} stops start-up instead of being ignored.
     */
    static void micronaut(Map<String, Object> block, String prefix) {
        Map<String, Object> flat = new LinkedHashMap<>();
        flatten("", block, flat);
        Set<String> known = LeadsyncSettings.MICRONAUT.names();
        for (Map.Entry<String, Object> entry : flat.entrySet()) {
            if (!LeadsyncSettings.CHECKED_MICRONAUT_BLOCKS.contains(entry.getKey().split("\\.")[0])) {
                continue;   // Micronaut's own internals (micronaut.classloader.*...) are not an admin's to set
            }
            if (!known.contains(entry.getKey())) {
                String parent = entry.getKey().contains(".") ? entry.getKey().substring(0, entry.getKey().indexOf('.'))
                        + "." : "";
                throw new ConfigException(prefix + "." + entry.getKey(), "is not a setting leadsync accepts; known"
                        + " settings are " + known.stream().filter(k -> k.startsWith(parent))
                        .map(k -> prefix + "." + k).toList());
            }
            LeadsyncSettings.read(LeadsyncSettings.MICRONAUT, prefix, flat, entry.getKey());
        }
    }

    private static void flatten(String path, Map<String, Object> block, Map<String, Object> flat) {
        block.forEach((key, value) -> {
            String name = path.isEmpty() ? key : path + "." + key;
            if (value instanceof Map<?, ?> nested) {
                flatten(name, withoutIndexedKeys(nested), flat);
            } else {
                flat.put(name, value);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> block(PropertyResolver properties, String name) {
        try {
            return withoutIndexedKeys(properties.getProperty(name, Map.class, ConversionContext.MAP).orElse(Map.of()));
        } catch (io.micronaut.context.exceptions.ConfigurationException e) {
            throw unresolvedPlaceholder(properties, name, e);
        }
    }

    private static final java.util.regex.Pattern PLACEHOLDER = java.util.regex.Pattern.compile(
            "Could not resolve placeholder \\$\\{([^}:]+)}");

    /**
     * A placeholder ({@code ${HUBSPOT_TOKEN}}) whose variable is not set, named with the key that holds it: the
     * property sources are searched for the raw value that names it.
     */
    static RuntimeException unresolvedPlaceholder(PropertyResolver properties, String block,
                                                  io.micronaut.context.exceptions.ConfigurationException failure) {
        java.util.regex.Matcher matcher = PLACEHOLDER.matcher(String.valueOf(failure.getMessage()));
        if (!matcher.find()) {
            return failure;
        }
        String variable = matcher.group(1).strip();
        String key = block;
        if (properties instanceof io.micronaut.context.env.Environment environment) {
            for (io.micronaut.context.env.PropertySource source : environment.getPropertySources()) {
                for (String name : source) {
                    Object raw = source.get(name);
                    if (name.startsWith(block + ".") && raw != null && raw.toString().contains("${" + variable)) {
                        key = name;
                        break;
                    }
                }
            }
        }
        return new ConfigException(key, "reads the environment variable " + variable + " (${" + variable + "}),"
                + " which is not set: export " + variable + ", or write ${" + variable + ":} for an empty default");
    }

    private static Map<String, Object> nested(Map<String, Object> parent, String name, String key) {
        Object value = parent.get(name);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new ConfigException(key, "must be a block of settings but is '" + value + "'");
        }
        return withoutIndexedKeys(map);
    }

    /** Micronaut lists a YAML list both as {@code name} and as {@code name[0]}, {@code name[1]}...; keep the list. */
    static Map<String, Object> withoutIndexedKeys(Map<?, ?> map) {
        Map<String, Object> clean = new LinkedHashMap<>();
        map.forEach((key, value) -> {
            String name = String.valueOf(key);
            if (name.matches(".*\\[\\d+]")) {
                return;
            }
            clean.put(name, value instanceof Map<?, ?> nested ? withoutIndexedKeys(nested) : value);
        });
        return clean;
    }

    private static void rejectUnknown(String prefix, Map<String, Object> block, Set<String> known) {
        for (String key : block.keySet()) {
            if (!known.contains(key)) {
                throw new ConfigException(prefix + "." + key, "is not a known setting; known settings are "
                        + new TreeSet<>(known));
            }
        }
    }

    private static String text(Map<String, Object> block, String name, String defaultValue) {
        Object value = block.get(name);
        if (value == null || value.toString().isBlank()) {
            return defaultValue;
        }
        return value.toString().strip();
    }


}
