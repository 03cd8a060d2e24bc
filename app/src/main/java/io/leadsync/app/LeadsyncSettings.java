package io.leadsync.app;

import io.leadsync.connector.ConfigException;
import io.leadsync.connector.Setting;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every setting of the host, described as data ({@link Setting}): {@code leadsync.*}, {@code sync.jobs.<job>.*},
 * what every connector block has ({@code sync.connectors.<name>.type}, {@code daily-call-budget}), and the
 * {@code micronaut.*} keys leadsync accepts. {@code ConfigLoader} reads and checks the configuration through these
 * descriptions (an unknown key is one no group describes); {@code docs/configuration.md} is written from them with the
 * connector types' own ({@code ConnectorFactory#settings}) by {@code leadsync config-reference}.
 *
 * <p>Environment variables map to keys in one way: {@code LEADSYNC_} followed by the key after {@code leadsync.},
 * upper case, dots and dashes as underscores ({@code LEADSYNC_DATABASE_PASSWORD} sets
 * {@code leadsync.database.password}), for the single-valued {@code leadsync.*} settings below. Everything else takes
 * a variable through a placeholder in the file ({@code token: ${HUBSPOT_TOKEN}}); a variable that names no setting is
 * left to placeholders and is never an unknown key.
 */
public final class LeadsyncSettings {
    private LeadsyncSettings() {
    }

    /**
     * A block of settings.
     *
     * @param prefix the block's key: {@code leadsync.database}; {@code <name>} stands for a name the admin chooses
     *               ({@code sync.jobs.<job>}), {@code []} for each block of a list
     * @param title  the reference's heading
     * @param doc    what the block is for
     */
    public record Group(String prefix, String title, String doc, List<Setting<?>> settings) {
        /** The names of the settings of this block. */
        public Set<String> names() {
            return settings.stream().map(Setting::name).collect(Collectors.toCollection(java.util.TreeSet::new));
        }

        public Setting<?> setting(String name) {
            return settings.stream().filter(s -> s.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(prefix + "." + name + " is not described"));
        }
    }

    /** A Quartz cron expression, checked by Quartz itself. */
    public static final Setting.Type<String> CRON = Setting.custom("Quartz cron (six or seven fields)", text -> {
        try {
            new org.quartz.CronExpression(text.strip());
            return text.strip();
        } catch (java.text.ParseException e) {
            throw new Setting.Invalid("a Quartz cron expression with six or seven fields, e.g. \"0 */15 * * * ?\" ("
                    + e.getMessage() + ")");
        }
    });

    public static final Group LEADSYNC = new Group("leadsync", "leadsync", "The service itself.", List.of(
            Setting.of("node-id", Setting.TEXT).withDefaultText("host name and pid")
                    .doc("This process's name in job leases and runs (which process runs a job); in a cluster also its"
                            + " Quartz instance id, so it must differ per instance (default there: Quartz's AUTO)."),
            Setting.of("start-schedules", Setting.BOOLEAN).withDefault(true)
                    .doc("Whether the jobs' cron triggers start with the process; false: runs start only on demand."),
            Setting.of("connectors-dir", Setting.TEXT).withDefault("config/connectors")
                    .doc("Where declarative connector manifests live (docs/connectors/adding-a-connector.md)."),
            Setting.of("database", Setting.BLOCK).doc("Where the store lives."),
            Setting.of("scoring", Setting.BLOCK).doc("The scoring model in service and how outcomes are told."),
            Setting.of("identity", Setting.BLOCK).doc("How records become one profile per person."),
            Setting.of("api", Setting.BLOCK).doc("Who may call the HTTP API."),
            Setting.of("runs", Setting.BLOCK).doc("How runs hold their lease and stop."),
            Setting.of("cluster", Setting.BLOCK).doc("Several instances on one PostgreSQL (docs/deployment.md)."),
            Setting.of("events", Setting.BLOCK).doc("How change events (webhooks, CDC, product events) are taken.")));

    public static final Group DATABASE = new Group("leadsync.database", "leadsync.database",
            "The embedded H2 file by default; PostgreSQL 15 or later for production and clustering.", List.of(
            Setting.of("url", Setting.TEXT).withDefault("jdbc:h2:file:./data/leadsync")
                    .validate(url -> url.startsWith("jdbc:h2:") || url.startsWith("jdbc:postgresql:") ? null
                            : "must be an H2 (jdbc:h2:...) or PostgreSQL (jdbc:postgresql:...) JDBC URL but was '"
                            + url + "'")
                    .doc("JDBC URL: jdbc:h2:file:<path> or jdbc:postgresql://<host>:<port>/<database>."),
            Setting.of("user", Setting.TEXT).withDefaultText("sa for H2; required for PostgreSQL")
                    .doc("Database user."),
            Setting.of("password", Setting.TEXT).secret().withDefault("").env("LEADSYNC_DATABASE_PASSWORD")
                    .doc("Database password."),
            Setting.of("max-pool-size", Setting.integer(1, 1000)).withDefault(10)
                    .doc("Connections in the pool.")));

    public static final Group SCORING = new Group("leadsync.scoring", "leadsync.scoring",
            "The model in service (docs/scoring.md).", List.of(
            Setting.of("model", Setting.TEXT).withDefault("config/scoring/default-model.yml")
                    .doc("The model file in service; checked every reload-interval, a valid change is activated."),
            Setting.of("models-dir", Setting.TEXT).withDefaultText("the folder of model")
                    .doc("The only folder the API reads candidate model files from."),
            Setting.of("challenger", Setting.TEXT).doc("A model scored in shadow beside the one in service."),
            Setting.of("reload-interval", Setting.DURATION).withDefault(java.time.Duration.ofSeconds(10))
                    .withDefaultText("10s").doc("How often the model file is checked; 0s turns the watch off."),
            Setting.of("outcome", Setting.BLOCK).doc("How a conversion is told (shadow reports, conversion by band)."),
            Setting.of("verdicts", Setting.BLOCK).doc("Reps' judgement of leads, read back from a CRM field."),
            Setting.of("recalibration", Setting.BLOCK)
                    .doc("The periodic recalibration report: conversion by score band against calibration.")));

    public static final Group OUTCOME = new Group("leadsync.scoring.outcome", "leadsync.scoring.outcome",
            "Which people converted.", List.of(
            Setting.of("field", Setting.TEXT).doc("The person field that tells a conversion, e.g. lifecyclestage."),
            Setting.of("converted", Setting.LIST).doc("The values of field that mean converted, e.g. [customer]."),
            Setting.of("converted-activities", Setting.LIST)
                    .doc("Activity types that mean converted, e.g. [opportunity_won]."),
            Setting.of("lost-activities", Setting.LIST)
                    .doc("Activity types that mean not converted, e.g. [opportunity_lost]."),
            Setting.of("date-field", Setting.TEXT)
                    .doc("The person field with the date of the conversion, for training on the store's history.")));

    public static final Group VERDICTS = new Group("leadsync.scoring.verdicts", "leadsync.scoring.verdicts",
            "Reps' verdicts on leads (a CRM picklist), as labels and a disagreement report.", List.of(
            Setting.of("field", Setting.TEXT).doc("The person field where reps judge leads, e.g. lead_quality."),
            Setting.of("good", Setting.LIST).withDefaultText("[good]").doc("The values that mean a good lead."),
            Setting.of("bad", Setting.LIST).withDefaultText("[bad]").doc("The values that mean a bad lead.")));

    public static final Group RECALIBRATION = new Group("leadsync.scoring.recalibration",
            "leadsync.scoring.recalibration", "Conversion by score band in the last period against the model's"
            + " calibration, drift flagged, and a challenger trained on the latest outcomes.", List.of(
            Setting.of("schedule", CRON).withDefaultText("0 0 6 1 * ? (06:00 UTC on the 1st of each month)")
                    .doc("When the report runs; empty turns it off."),
            Setting.of("horizon", Setting.DURATION).withDefaultText("90d")
                    .doc("How long after being scored a lead counts as converted."),
            Setting.of("challenger", Setting.TEXT).doc("Where the challenger trained on the latest outcomes is written."),
            Setting.of("max-criteria", Setting.integer(1, 500)).withDefaultText("40")
                    .doc("The challenger's budget of criteria."),
            Setting.of("exclude", Setting.LIST).doc("Attributes left out of training (running totals leak the future).")));

    public static final Group IDENTITY = new Group("leadsync.identity", "leadsync.identity",
            "How records become one profile per person (docs/identity.md).", List.of(
            Setting.of("phone-region", Setting.TEXT).withDefault("US")
                    .doc("The region of phone numbers written without a country code."),
            Setting.of("email-rules", Setting.LIST).withDefaultText("[gmail]")
                    .doc("Email normalizations: gmail (dots, +tags and googlemail.com at Gmail; gmail-dots is the"
                            + " same), plus-tags (+tags at every provider)."),
            Setting.of("matching", Setting.BLOCK).doc("Probable matches for records no id or email links."),
            Setting.of("weights-schedule", Setting.TEXT).withDefaultText("0 0 3 * * ? (03:00 UTC daily)")
                    .doc("When the match weights are re-estimated from the store's records: a Quartz cron"
                            + " expression, or never (on demand only: POST /api/identity/weights/estimate)."),
            Setting.of("survivorship", Setting.BLOCK).doc("Which value of a field the golden record keeps.")));

    public static final Group MATCHING = new Group("leadsync.identity.matching", "leadsync.identity.matching",
            "Fellegi-Sunter matching of records no id or email links, with weights learned from the store"
                    + " (docs/identity.md).", List.of(
            Setting.of("enabled", Setting.BOOLEAN).withDefault(true).doc("Whether probable matches are looked for."),
            Setting.of("match-probability", Setting.DECIMAL).withDefault(0.9)
                    .doc("At or above: the record joins the profile."),
            Setting.of("review-probability", Setting.DECIMAL).withDefault(0.3)
                    .doc("At or above: kept for review, never merged."),
            Setting.of("max-profile-records", Setting.integer(2, 100_000)).withDefault(25)
                    .doc("A profile this large takes no more records automatically: matches go to the review queue."),
            Setting.of("candidates-per-key", Setting.integer(1, 1_000)).withDefault(10)
                    .doc("A blocking key held by more profiles than this is too common to find candidates by."),
            Setting.of("learn-weights", Setting.BOOLEAN).withDefault(true)
                    .doc("Whether weights are re-estimated as the store grows (each doubling from 1,000 records).")));

    public static final Group SURVIVORSHIP = new Group("leadsync.identity.survivorship",
            "leadsync.identity.survivorship", "Which value of a field the golden record keeps.", List.of(
            Setting.of("default", Setting.choice(List.of("most-recent", "source-priority", "most-complete")))
                    .withDefault("most-recent").doc("The rule for every field without its own."),
            Setting.of("source-priority", Setting.LIST).doc("Connectors from most to least trusted."),
            Setting.of("fields", Setting.BLOCK_LIST).doc("Rules per field: [{field: title, rule: source-priority}].")));

    public static final Group SURVIVORSHIP_FIELD = new Group("leadsync.identity.survivorship.fields[]",
            "leadsync.identity.survivorship.fields[]", "A field's own rule.", List.of(
            Setting.of("field", Setting.TEXT).required().doc("A canonical field or attribute name."),
            Setting.of("rule", Setting.choice(List.of("most-recent", "source-priority", "most-complete")))
                    .required().doc("The rule for the field.")));

    public static final Group API = new Group("leadsync.api", "leadsync.api",
            "Who may call the HTTP API; the API is not served without a token.", List.of(
            Setting.of("tokens", Setting.BLOCK_LIST).doc("Bearer tokens: [{name, role, token}].")));

    public static final Group TOKEN = new Group("leadsync.api.tokens[]", "leadsync.api.tokens[]",
            "One caller of the API (docs/admin-api.md).", List.of(
            Setting.of("name", Setting.TEXT).required().doc("The caller's name, shown in the log and on runs."),
            Setting.of("role", Setting.choice(List.of("read", "admin"))).withDefault("read")
                    .doc("read: every GET; admin: also runs, schedules, checks, replays, model changes."),
            Setting.of("token", Setting.TEXT).secret().required().env("LEADSYNC_ADMIN_TOKEN")
                    .doc("At least 16 characters, e.g. from 'openssl rand -hex 24'.")));

    public static final Group RUNS = new Group("leadsync.runs", "leadsync.runs", "How runs hold their lease and stop.",
            List.of(
            Setting.of("lease-ttl", Setting.DURATION).withDefault(java.time.Duration.ofSeconds(60))
                    .withDefaultText("60s")
                    .validate(ttl -> ttl.toMillis() < 300 ? "must be at least 300ms but is " + ttl : null)
                    .doc("How long a run's lease outlives its last heartbeat (how long a dead process blocks a job)."),
            Setting.of("shutdown-grace", Setting.DURATION).withDefault(java.time.Duration.ofSeconds(20))
                    .withDefaultText("20s")
                    .doc("How long a stopping process waits for its runs to reach a safe point.")));

    public static final Group CLUSTER = new Group("leadsync.cluster", "leadsync.cluster",
            "Several identical instances on one PostgreSQL: the jobs' cron triggers in Quartz's clustered JDBC store, each"
                    + " fire run by one instance, a dead instance's run resumed by another (docs/deployment.md).",
            List.of(
            Setting.of("enabled", Setting.BOOLEAN).withDefault(false)
                    .doc("Join the cluster of the instances on this database; needs PostgreSQL (refused on H2)."),
            Setting.of("checkin-interval", Setting.DURATION).withDefault(java.time.Duration.ofSeconds(5))
                    .withDefaultText("5s")
                    .validate(d -> d.toMillis() < 500 ? "must be at least 500ms but is " + d : null)
                    .doc("How often an instance tells the others it is alive; one silent for this plus 7.5 s is taken"
                            + " as dead and its triggers are freed."),
            Setting.of("misfire-threshold", Setting.DURATION).withDefault(java.time.Duration.ofSeconds(60))
                    .withDefaultText("60s")
                    .doc("How late a fire may be before it counts as missed; a missed fire fires once, at once."),
            Setting.of("threads", Setting.integer(1, 100)).withDefault(4)
                    .doc("Quartz worker threads: jobs that can run at once on this instance (each holds one while"
                            + " its run lasts).")));

    public static final Group EVENTS = new Group("leadsync.events", "leadsync.events", "Change events: webhooks, CDC"
            + " and product events stored in the inbox and run through the pipeline seconds later (docs/events.md).",
            List.of(
            Setting.of("enabled", Setting.BOOLEAN).withDefault(true)
                    .doc("Whether change events are taken at all; false: every batch is refused (the senders retry"
                            + " or give up), no change feed is opened, and the scheduled runs read the changes."),
            Setting.of("debounce", Setting.DURATION).withDefault(java.time.Duration.ofSeconds(1)).withDefaultText("1s")
                    .validate(window -> window.isNegative() || window.compareTo(java.time.Duration.ofMinutes(5)) > 0
                            ? "must be between 0s and 5m but is " + window : null)
                    .doc("How long the event worker waits after the first pending change, so that a burst becomes"
                            + " one event run."),
            Setting.of("max-batch", Setting.integer(1, 100_000)).withDefault(1000)
                    .doc("The most changes one event run takes; more go in the next run, which starts at once."),
            Setting.of("max-attempts", Setting.integer(1, 100)).withDefault(5)
                    .doc("How often a change whose record cannot be read is tried (2 s, 4 s, 8 s... apart) before it"
                            + " goes to the dead letters with the reason.")));

    public static final Group SYNC = new Group("sync", "sync", "What to sync: connectors and jobs.", List.of(
            Setting.of("connectors", Setting.BLOCK).required().doc("Each configured connector, by name."),
            Setting.of("jobs", Setting.BLOCK).required().doc("Each job, by name.")));

    public static final Group CONNECTOR = new Group("sync.connectors.<name>", "sync.connectors.<name>",
            "Every connector block has these; the rest is the connector type's (below).", List.of(
            Setting.of("type", Setting.TEXT).required()
                    .doc("hubspot, salesforce, mixpanel, or a manifest's type (config/connectors)."),
            Setting.of("daily-call-budget", Setting.wholeNumber(1))
                    .doc("The vendor's daily allowance of calls for this connector: the budget the API, the metrics and"
                            + " the dashboard measure use and forecasts against (a warning when a schedule would"
                            + " exhaust it)."),
            Setting.of("events", Setting.BOOLEAN).withDefault(true)
                    .doc("Whether this connector's change events (its webhooks, its change feed, product events sent"
                            + " for it) are taken; false: they are refused and the scheduled runs read its changes."),
            Setting.of("read", Setting.BLOCK).doc("Present when the connector is read from."),
            Setting.of("write", Setting.BLOCK).doc("Present when scores and tasks are written to it.")));

    public static final Group JOB = new Group("sync.jobs.<job>", "sync.jobs.<job>", "A sync: pull, resolve, score,"
            + " push.", List.of(
            Setting.of("schedule", CRON).withDefaultText("on demand only")
                    .doc("When the job runs, e.g. \"0 */15 * * * ?\"; can be changed and paused over the API."),
            Setting.of("connectors", Setting.LIST).required()
                    .doc("The connectors it reads from (those with read) and writes to (those with write)."),
            Setting.of("tasks", Setting.BLOCK).doc("Follow-up tasks for leads crossing the task threshold."),
            Setting.of("completeness", Setting.BLOCK).doc("Each read checked against the vendor's own count.")));

    public static final Group TASKS = new Group("sync.jobs.<job>.tasks", "sync.jobs.<job>.tasks",
            "Follow-up tasks.", List.of(
            Setting.of("due-in", Setting.DURATION).withDefault(java.time.Duration.ofDays(1)).withDefaultText("1d")
                    .doc("How long after the crossing a task is due."),
            Setting.of("priority", Setting.custom("HIGH, MEDIUM or LOW", text -> {
                String value = text.strip().toUpperCase(Locale.ROOT);
                if (!List.of("HIGH", "MEDIUM", "LOW").contains(value)) {
                    throw new Setting.Invalid("HIGH, MEDIUM or LOW");
                }
                return value;
            })).withDefault("HIGH").doc("The task's priority.")));

    public static final Group COMPLETENESS = new Group("sync.jobs.<job>.completeness",
            "sync.jobs.<job>.completeness", "Completeness per stream (docs/operations.md).", List.of(
            Setting.of("check", Setting.BOOLEAN).withDefault(true)
                    .doc("Ask the vendor for its own count of the window each read covered (one call a stream, and"
                            + " one before a first load for its progress) and compare it with what the store holds."),
            Setting.of("reread-gaps", Setting.BOOLEAN).withDefault(false)
                    .doc("Read a window showing a gap again, once, in the same run.")));

    /** The blocks of {@code micronaut.*} an admin sets, whose keys are checked against {@link #MICRONAUT}. */
    public static final Set<String> CHECKED_MICRONAUT_BLOCKS = Set.of("server", "security", "application");

    /**
     * The {@code micronaut.*} keys leadsync accepts: a key under {@code micronaut.server}, {@code micronaut.security} or
     * {@code micronaut.application} not listed is an error, so a typo in {@code micronaut.server.*} stops start-up
     * instead of being ignored.
     */
    public static final Group MICRONAUT = new Group("micronaut", "micronaut", "The HTTP server: Micronaut's own keys"
            + " that leadsync accepts. Any other key under micronaut.server, micronaut.security or"
            + " micronaut.application is refused.", List.of(
            Setting.of("server.port", Setting.integer(-1, 65535)).withDefault(8080).doc("HTTP port (-1: random)."),
            Setting.of("server.host", Setting.TEXT).withDefault("127.0.0.1")
                    .doc("The address the API listens on; 0.0.0.0 (behind TLS) opens it to a network."),
            Setting.of("server.max-request-size", Setting.TEXT).withDefaultText("10MB")
                    .doc("The largest request body accepted."),
            Setting.of("server.read-timeout", Setting.DURATION).withDefaultText("30s").doc("Read timeout."),
            Setting.of("server.idle-timeout", Setting.DURATION).withDefaultText("5m").doc("Idle connection timeout."),
            Setting.of("server.ssl.enabled", Setting.BOOLEAN).withDefault(false).doc("Serve HTTPS."),
            Setting.of("server.ssl.port", Setting.integer(-1, 65535)).withDefault(8443).doc("HTTPS port."),
            Setting.of("server.ssl.key-store.path", Setting.TEXT).doc("Key store (file: or classpath:)."),
            Setting.of("server.ssl.key-store.password", Setting.TEXT).secret().doc("Key store password."),
            Setting.of("server.ssl.key-store.type", Setting.TEXT).doc("Key store type, e.g. PKCS12."),
            Setting.of("server.ssl.key.alias", Setting.TEXT).doc("The key's alias."),
            Setting.of("server.ssl.key.password", Setting.TEXT).secret().doc("The key's password."),
            Setting.of("server.cors.enabled", Setting.BOOLEAN).withDefault(false).doc("CORS (off: same origin only)."),
            Setting.of("application.name", Setting.TEXT).withDefault("leadsync").doc("The application's name."),
            Setting.of("banner.enabled", Setting.BOOLEAN).withDefault(false).doc("Micronaut's start-up banner."),
            Setting.of("security.enabled", Setting.BOOLEAN).withDefault(true)
                    .validate(on -> on ? null : "must stay true: every call but /health needs a token")
                    .doc("Always on."),
            Setting.of("security.basic-auth.enabled", Setting.BOOLEAN).withDefault(false)
                    .validate(on -> on ? "must stay false: callers send bearer tokens" : null).doc("Always off."),
            Setting.of("security.reject-not-found", Setting.BOOLEAN).withDefault(false)
                    .doc("Whether unknown paths answer 401 rather than 404."),
            Setting.of("config.files", Setting.TEXT).doc("Set by --config.")));

    /** Every group, in the reference's order. */
    public static List<Group> groups() {
        return List.of(LEADSYNC, DATABASE, SCORING, OUTCOME, VERDICTS, RECALIBRATION, IDENTITY, MATCHING, SURVIVORSHIP, SURVIVORSHIP_FIELD, API,
                TOKEN, RUNS, CLUSTER, EVENTS, SYNC, CONNECTOR, JOB, TASKS, COMPLETENESS, MICRONAUT);
    }

    /** Reads a described setting of a block; errors name {@code prefix.name}. */
    @SuppressWarnings("unchecked")
    public static <T> T read(Group group, String prefix, Map<String, Object> block, String name) {
        Setting<T> setting = (Setting<T>) group.setting(name);
        Object value = block.get(name);
        if (value instanceof Map<?, ?> || value instanceof java.util.Collection<?>) {
            throw new ConfigException(prefix + "." + name, "must be a single value but is "
                    + (value instanceof Map<?, ?> ? "a block of settings" : "a list"));
        }
        return setting.read(prefix + "." + name, value == null ? null : value.toString());
    }

    /** Fails on the first key of a block its group does not describe. */
    public static void rejectUnknown(Group group, String prefix, Map<String, Object> block) {
        Set<String> known = group.names();
        for (String key : block.keySet()) {
            if (!known.contains(key)) {
                throw new ConfigException(prefix + "." + key, "is not a known setting; known settings are " + known);
            }
        }
    }

    /**
     * The {@code leadsync.*} settings environment variables set, by the one mapping: {@code LEADSYNC_DATABASE_URL}
     * sets {@code leadsync.database.url}. Only single-valued settings map; other variables are left to placeholders.
     */
    public static Map<String, Object> fromEnvironment(Map<String, String> environment) {
        Map<String, String> byVariable = new LinkedHashMap<>();
        for (Group group : groups()) {
            if (!group.prefix().startsWith("leadsync") || group.prefix().contains("[]")) {
                continue;
            }
            for (Setting<?> setting : group.settings()) {
                if (!setting.isBlock() && setting.type() != Setting.LIST) {
                    String key = group.prefix() + "." + setting.name();
                    byVariable.put(variable(key), key);
                }
            }
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        environment.forEach((name, value) -> Optional.ofNullable(byVariable.get(name))
                .ifPresent(key -> properties.put(key, value)));
        return properties;
    }

    /** The environment variable of a {@code leadsync.*} key: {@code LEADSYNC_DATABASE_PASSWORD}. */
    public static String variable(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
