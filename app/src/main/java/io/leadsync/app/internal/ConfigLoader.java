package io.leadsync.app.internal;

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
    static final Set<String> LEADSYNC_KEYS = Set.of("database", "scoring", "node-id", "connectors-dir", "identity",
            "start-schedules");
    static final Set<String> DATABASE_KEYS = Set.of("url", "user", "password", "max-pool-size");
    static final Set<String> SCORING_KEYS = Set.of("model", "challenger", "reload-interval", "outcome");
    static final Set<String> OUTCOME_KEYS = Set.of("field", "converted", "converted-activities", "lost-activities");
    static final Set<String> SYNC_KEYS = Set.of("connectors", "jobs");
    static final Set<String> JOB_KEYS = Set.of("schedule", "connectors", "tasks");
    static final Set<String> TASK_KEYS = Set.of("due-in", "priority");

    private ConfigLoader() {
    }

    public static LeadsyncConfig load(PropertyResolver properties) {
        Map<String, Object> leadsync = block(properties, "leadsync");
        rejectUnknown("leadsync", leadsync, LEADSYNC_KEYS);
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
        LeadsyncConfig.Scoring scoringConfig = new LeadsyncConfig.Scoring(model,
                challenger == null ? null : Path.of(challenger), reload, outcomeField, converted, convertedActivities,
                lostActivities);
        String nodeId = text(leadsync, "node-id", null);
        boolean startSchedules = ConnectorSettings.of("leadsync", "leadsync", leadsync).bool("start-schedules", true);
        Path connectorsDir = Path.of(text(leadsync, "connectors-dir", "config/connectors"));

        Map<String, Object> connectorBlocks = nested(sync, "connectors", "sync.connectors");
        if (connectorBlocks.isEmpty()) {
            throw new ConfigException("sync.connectors", "is empty: configure at least one connector");
        }
        Map<String, ConnectorSettings> connectors = new LinkedHashMap<>();
        connectorBlocks.forEach((name, block) -> {
            String key = "sync.connectors." + name;
            if (!(block instanceof Map<?, ?> map)) {
                throw new ConfigException(key, "must be a block of settings");
            }
            connectors.put(name, ConnectorSettings.of(name, key, withoutIndexedKeys(map)));
        });

        Map<String, Object> jobBlocks = nested(sync, "jobs", "sync.jobs");
        if (jobBlocks.isEmpty()) {
            throw new ConfigException("sync.jobs", "is empty: configure at least one job");
        }
        Map<String, LeadsyncConfig.Job> jobs = new LinkedHashMap<>();
        jobBlocks.forEach((name, block) -> jobs.put(name, job(name, block, connectors.keySet())));
        IdentitySettings identity = identity(nested(leadsync, "identity", "leadsync.identity"));
        return new LeadsyncConfig(database, scoringConfig, nodeId, startSchedules, connectorsDir, connectors, jobs,
                identity);
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
        String url = text(database, "url", "jdbc:h2:file:./data/leadsync");
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw new ConfigException("leadsync.database.url", "must be an H2 (jdbc:h2:...) or PostgreSQL"
                    + " (jdbc:postgresql:...) JDBC URL but was '" + url + "'");
        }
        if (url.startsWith("jdbc:h2:") && !url.toUpperCase(Locale.ROOT).contains("MODE=POSTGRESQL")) {
            url = url + DatabaseSettings.H2_OPTIONS;
        }
        String user = text(database, "user", url.startsWith("jdbc:h2:") ? "sa" : null);
        if (user == null) {
            throw new ConfigException("leadsync.database.user", "is required for PostgreSQL");
        }
        String password = text(database, "password", "");
        int pool = integer(database, "max-pool-size", 10, "leadsync.database.max-pool-size");
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
        ConnectorSettings taskSettings = ConnectorSettings.of(name, key + ".tasks", tasks);
        var dueIn = taskSettings.duration("due-in", java.time.Duration.ofDays(1));
        String priorityText = taskSettings.string("priority", "HIGH").toUpperCase(Locale.ROOT);
        FollowUpTask.Priority priority;
        try {
            priority = FollowUpTask.Priority.valueOf(priorityText);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ".tasks.priority", "must be HIGH, MEDIUM or LOW but was '" + priorityText + "'");
        }
        return new LeadsyncConfig.Job(name, schedule, connectors, dueIn, priority);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> block(PropertyResolver properties, String name) {
        return withoutIndexedKeys(properties.getProperty(name, Map.class, ConversionContext.MAP).orElse(Map.of()));
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

    private static int integer(Map<String, Object> block, String name, int defaultValue, String key) {
        String text = text(block, name, null);
        if (text == null) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text);
            if (value < 1) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "must be a positive whole number but was '" + text + "'");
        }
    }
}
