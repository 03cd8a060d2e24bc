package io.leadsync.connector.salesforce;

import io.leadsync.connector.ConfigException;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.Secret;
import io.leadsync.connector.Setting;
import io.leadsync.connector.WriteField;
import io.leadsync.connector.salesforce.internal.SalesforceRecords;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The settings of one Salesforce org, from {@code sync.connectors.<name>} (see docs/connectors/salesforce.md).
 *
 * @param name           the connector instance name
 * @param loginUrl       {@code https://login.salesforce.com}, {@code https://test.salesforce.com} for sandboxes, a
 *                       My Domain URL, or a simulator
 * @param apiVersion     REST API version, e.g. {@code 60.0}
 * @param auth           how leadsync logs in
 * @param maxDailyShare  the share of the org's daily API requests leadsync may use (0 &lt; share &lt;= 1); a job
 *                       stops cleanly when {@code Sforce-Limit-Info} shows it reached
 * @param budgetRecheckInterval how often, once the share is reached, {@code /limits} is asked whether the rolling
 *                       24-hour window has freed requests
 * @param maxAttempts    attempts per call on 5xx answers and broken connections
 * @param read           reading settings, or null if this org is not read
 * @param write          write-back settings, or null if nothing is written to it
 */
public record SalesforceSettings(String name, URI loginUrl, String apiVersion, Auth auth, double maxDailyShare,
                                 Duration budgetRecheckInterval, int maxAttempts, Read read, Write write) {

    public static final String TYPE = "salesforce";
    public static final String LEADS = "leads";
    public static final String CONTACTS = "contacts";
    public static final String TASKS = "tasks";
    public static final String EVENTS = "events";
    public static final String CAMPAIGN_MEMBERS = "campaign_members";
    public static final String OPPORTUNITIES = "opportunities";
    /** Every stream, persons first. */
    public static final List<String> STREAMS = List.of(LEADS, CONTACTS, TASKS, EVENTS, CAMPAIGN_MEMBERS,
            OPPORTUNITIES);
    /** Read unless configured otherwise; opportunities are conversion labels for evaluation, read on request. */
    public static final List<String> DEFAULT_STREAMS = List.of(LEADS, CONTACTS, TASKS, EVENTS, CAMPAIGN_MEMBERS);
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*)?");
    private static final Pattern VERSION = Pattern.compile("\\d{2,3}\\.0");
    /** The channel of every change event of the objects selected for Change Data Capture. */
    public static final String ALL_CHANGE_EVENTS = "/data/ChangeEvents";
    private static final Pattern CHANNEL = Pattern.compile("/data/[A-Za-z][A-Za-z0-9_]*");
    private static final Map<String, String> WRITE_DEFAULTS = Map.of(WriteField.SCORE, "Lead_Score__c",
            WriteField.GRADE, "Lead_Grade__c", WriteField.REASONS, "Score_Reasons__c", WriteField.MODEL_VERSION,
            "Score_Model__c");

    // the settings of a Salesforce block, described as data (ConnectorFactory#settings, docs/configuration.md);
    // credentials a flow needs are read as required by that flow only
    static final Setting<URI> LOGIN_URL = Setting.of("login-url", Setting.URL)
            .withDefault(URI.create("https://login.salesforce.com"))
            .doc("Where to log in: https://test.salesforce.com for sandboxes, a My Domain URL, or a simulator.");
    static final Setting<String> API_VERSION = Setting.of("api-version", Setting.TEXT).withDefault("60.0")
            .validate(version -> VERSION.matcher(version).matches() ? null
                    : "must be a REST API version such as 60.0 but was '" + version + "'")
            .doc("The REST API version.");
    static final Setting<String> FLOW = Setting.of("auth.flow", Setting.custom(
            "one of password, refresh-token, jwt, client-credentials", text -> {
                for (Flow flow : Flow.values()) {
                    if (flow.configName().equals(text.strip())) {
                        return flow.configName();
                    }
                }
                throw new Setting.Invalid("password, refresh-token, jwt or client-credentials");
            })).withDefault(Flow.PASSWORD.configName()).doc("The OAuth flow of the connected app.");
    static final Setting<String> CLIENT_ID = Setting.of("auth.client-id", Setting.TEXT).required()
            .env("SALESFORCE_CLIENT_ID").doc("The connected app's consumer key.");
    static final Setting<String> CLIENT_SECRET = Setting.of("auth.client-secret", Setting.TEXT).secret()
            .env("SALESFORCE_CLIENT_SECRET")
            .doc("The connected app's consumer secret; required by the password, refresh-token and client-credentials"
                    + " flows.");
    static final Setting<String> USERNAME = Setting.of("auth.username", Setting.TEXT)
            .doc("The integration user; required by the password and jwt flows.");
    static final Setting<String> PASSWORD = Setting.of("auth.password", Setting.TEXT).secret()
            .env("SALESFORCE_PASSWORD").doc("The password with the security token appended; required by the password"
                    + " flow.");
    static final Setting<String> REFRESH_TOKEN = Setting.of("auth.refresh-token", Setting.TEXT).secret()
            .env("SALESFORCE_REFRESH_TOKEN").doc("A refresh token issued to the connected app; required by the"
                    + " refresh-token flow.");
    static final Setting<String> KEYSTORE_PATH = Setting.of("auth.keystore.path", Setting.TEXT)
            .doc("The Java keystore (PKCS12 or JKS) holding the JWT signing key; required by the jwt flow.");
    static final Setting<String> KEYSTORE_PASSWORD = Setting.of("auth.keystore.password", Setting.TEXT).secret()
            .env("SALESFORCE_KEYSTORE_PASSWORD").doc("The keystore's password; required by the jwt flow.");
    static final Setting<Integer> MAX_DAILY_PERCENT = Setting.of("limits.max-daily-percent", Setting.integer(1, 100))
            .withDefault(80).doc("The share of the org's daily API requests leadsync may use; a job pauses cleanly"
                    + " when Sforce-Limit-Info shows it reached.");
    static final Setting<Duration> RECHECK = Setting.of("limits.recheck-interval", Setting.DURATION)
            .withDefault(Duration.ofMinutes(5)).withDefaultText("5m")
            .validate(interval -> interval.isNegative() ? "must not be negative" : null)
            .doc("How often, once the share is reached, /limits is asked whether the rolling 24 hours freed requests.");
    static final Setting<Integer> MAX_ATTEMPTS = Setting.of("retry.max-attempts", Setting.integer(1, 20))
            .withDefault(3).doc("Attempts per call on 5xx answers and broken connections.");
    static final Setting<List<String>> READ_STREAMS = Setting.of("read.streams", Setting.LIST)
            .withDefault(DEFAULT_STREAMS).validate(Setting.itemsOf(STREAMS))
            .doc("Streams to read: " + String.join(", ", STREAMS) + " (opportunities, the conversion labels of"
                    + " evaluation, on request).");
    static final Setting<List<String>> LEAD_FIELDS = Setting.of("read.lead-fields", Setting.LIST)
            .withDefault(List.of()).validate(fields -> fieldProblem(fields))
            .doc("Lead fields to read beyond the defaults (custom fields included).");
    static final Setting<List<String>> CONTACT_FIELDS = Setting.of("read.contact-fields", Setting.LIST)
            .withDefault(List.of()).validate(fields -> fieldProblem(fields))
            .doc("Contact fields to read beyond the defaults (Account.Rating reaches the account).");
    static final Setting<Duration> OVERLAP = Setting.of("read.overlap", Setting.DURATION)
            .withDefault(Duration.ZERO).withDefaultText("0s")
            .validate(overlap -> overlap.isNegative() ? "must not be negative" : null)
            .doc("How far before the saved position an incremental read starts (0: exactly after the last record"
                    + " read, by SystemModstamp then Id).");
    static final Setting<Integer> BULK_THRESHOLD = Setting.of("read.bulk.threshold",
            Setting.integer(0, Integer.MAX_VALUE)).withDefault(50_000)
            .doc("First loads of more records than this use a Bulk API 2.0 query job; 0 never does.");
    static final Setting<Integer> BULK_PAGE_SIZE = Setting.of("read.bulk.page-size", Setting.integer(100, 1_000_000))
            .withDefault(50_000).doc("Records per Bulk API 2.0 results page (maxRecords).");
    static final Setting<Duration> BULK_POLL = Setting.of("read.bulk.poll-interval", Setting.DURATION)
            .withDefault(Duration.ofSeconds(5)).withDefaultText("5s")
            .validate(poll -> poll.isNegative() || poll.isZero() ? "must be positive" : null)
            .doc("How often a Bulk API 2.0 job's state is polled.");
    static final Setting<Duration> BULK_TIMEOUT = Setting.of("read.bulk.timeout", Setting.DURATION)
            .withDefault(Duration.ofHours(2)).withDefaultText("2h")
            .doc("How long a Bulk API 2.0 job may take before the read fails.");
    static final Setting<Boolean> CDC_ENABLED = Setting.of("cdc.enabled", Setting.BOOLEAN).withDefault(false)
            .doc("Subscribe to the org's Change Data Capture events through the Pub/Sub API, so changes to leads,"
                    + " contacts, tasks and events arrive in seconds; the scheduled read stays the safety net.");
    static final Setting<String> CDC_CHANNEL = Setting.of("cdc.channel", Setting.TEXT)
            .withDefault(ALL_CHANGE_EVENTS).validate(channel -> CHANNEL.matcher(channel).matches() ? null
                    : "must be a change event channel such as /data/ChangeEvents, /data/LeadChangeEvent or a custom"
                    + " channel /data/LeadSync__chn, but was '" + channel + "'")
            .doc("The change event channel to subscribe to: /data/ChangeEvents (every object selected for Change Data"
                    + " Capture), one object's /data/<Object>ChangeEvent, or a custom channel /data/<Name>__chn.");
    static final Setting<String> CDC_HOST = Setting.of("cdc.pubsub-host", Setting.TEXT)
            .withDefault("api.pubsub.salesforce.com").doc("The Pub/Sub API's host.");
    static final Setting<Integer> CDC_PORT = Setting.of("cdc.pubsub-port", Setting.integer(1, 65_535))
            .withDefault(7443).doc("The Pub/Sub API's port.");
    static final Setting<Boolean> CDC_PLAINTEXT = Setting.of("cdc.plaintext", Setting.BOOLEAN).withDefault(false)
            .doc("Speak to the Pub/Sub API without TLS: only for the sandbox's simulator; Salesforce requires TLS.");
    static final Setting<Integer> CDC_BATCH_SIZE = Setting.of("cdc.batch-size", Setting.integer(1, 100))
            .withDefault(100).doc("Events requested from the Pub/Sub API at a time (its flow control; at most 100).");
    static final Setting<Void> WRITE_FIELDS = Setting.of("write.fields", Setting.BLOCK)
            .doc("API name of the Lead and Contact field per value written: score, grade, reasons, model-version"
                    + " (default Lead_Score__c, Lead_Grade__c, Score_Reasons__c, Score_Model__c).");
    static final Setting<Integer> REASONS_MAX_LENGTH = Setting.of("write.reasons-max-length",
            Setting.integer(20, 131_072)).withDefault(255)
            .doc("The length of the reasons field; longer texts are cut at a reason boundary.");
    static final Setting<Boolean> TASKS_ENABLED = Setting.of("write.tasks.enabled", Setting.BOOLEAN).withDefault(true)
            .doc("A task for the record's owner when a person crosses the model's task-threshold.");
    static final Setting<String> TASK_STATUS = Setting.of("write.tasks.status", Setting.TEXT)
            .withDefault("Not Started").doc("The Status of a new task (a value of the org's Task Status picklist).");
    static final Setting<String> TASK_TYPE = Setting.of("write.tasks.type", Setting.TEXT)
            .doc("The Type of a new task (Call, Email, Meeting, Other...); empty by default.");

    /** Every setting of a Salesforce block. */
    public static final List<Setting<?>> SETTINGS = List.of(LOGIN_URL, API_VERSION, FLOW, CLIENT_ID, CLIENT_SECRET,
            USERNAME, PASSWORD, REFRESH_TOKEN, KEYSTORE_PATH, KEYSTORE_PASSWORD, MAX_DAILY_PERCENT, RECHECK,
            MAX_ATTEMPTS, READ_STREAMS, LEAD_FIELDS, CONTACT_FIELDS, OVERLAP, BULK_THRESHOLD, BULK_PAGE_SIZE,
            BULK_POLL, BULK_TIMEOUT, CDC_ENABLED, CDC_CHANNEL, CDC_HOST, CDC_PORT, CDC_PLAINTEXT, CDC_BATCH_SIZE,
            WRITE_FIELDS, REASONS_MAX_LENGTH, TASKS_ENABLED, TASK_STATUS, TASK_TYPE);

    /** The OAuth flows camel-salesforce speaks. */
    public enum Flow {
        PASSWORD("password"), REFRESH_TOKEN("refresh-token"), JWT("jwt"), CLIENT_CREDENTIALS("client-credentials");

        private final String configName;

        Flow(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }
    }

    /**
     * Credentials of the connected app and the integration user; secrets are masked in {@code toString()}.
     *
     * @param flow             the OAuth flow
     * @param clientId         the connected app's consumer key
     * @param clientSecret     its consumer secret (not used by the JWT flow)
     * @param username         the integration user (password and JWT flows)
     * @param password         password with the security token appended (password flow)
     * @param refreshToken     a refresh token issued to the connected app (refresh-token flow)
     * @param keystore         the Java keystore (PKCS12 or JKS) holding the JWT signing key (JWT flow)
     * @param keystorePassword its password
     */
    public record Auth(Flow flow, String clientId, Secret clientSecret, String username, Secret password,
                       Secret refreshToken, Path keystore, Secret keystorePassword) {
    }

    /**
     * @param streams       streams to read, persons first
     * @param leadFields    Lead fields to read beyond the defaults (custom fields included)
     * @param contactFields Contact fields to read beyond the defaults ({@code Account.Rating} reaches the account)
     * @param overlap       how far before the saved position an incremental read starts (zero: exactly after the
     *                      last record read, by SystemModstamp then Id)
     * @param bulkThreshold first loads of more records than this use a Bulk API 2.0 query job; 0 never does
     * @param bulkPageSize  records per Bulk API 2.0 results page ({@code maxRecords})
     * @param bulkPollInterval how often a Bulk API 2.0 job's state is polled
     * @param bulkTimeout   how long a Bulk API 2.0 job may take before the read fails
     * @param cdc           the Change Data Capture subscription, or null when it is off
     */
    public record Read(List<String> streams, List<String> leadFields, List<String> contactFields, Duration overlap,
                       int bulkThreshold, int bulkPageSize, Duration bulkPollInterval, Duration bulkTimeout,
                       Cdc cdc) {
    }

    /**
     * The Change Data Capture subscription (Pub/Sub API).
     *
     * @param channel   the change event channel, e.g. {@code /data/ChangeEvents}
     * @param host      the Pub/Sub API's host
     * @param port      its port
     * @param plaintext whether to speak without TLS (the sandbox's simulator only)
     * @param batchSize events requested at a time (1 to 100)
     * @param ownFields the Lead and Contact fields this org's sink writes (empty when nothing is written): an update
     *                  that changed only these (and Salesforce's audit fields) is leadsync's own write coming back,
     *                  not a change to read
     */
    public record Cdc(String channel, String host, int port, boolean plaintext, int batchSize,
                      java.util.Set<String> ownFields) {
        public Cdc {
            ownFields = java.util.Set.copyOf(ownFields);
        }
    }

    /**
     * @param fields           canonical field ({@link WriteField}) to the API name of the field on Lead and Contact
     * @param reasonsMaxLength the length of the reasons field; longer texts are cut at a reason boundary
     * @param tasks            follow-up task settings
     */
    public record Write(Map<String, String> fields, int reasonsMaxLength, Tasks tasks) {
    }

    /**
     * How follow-up tasks look in Salesforce; when they are due and their priority are the job's task policy.
     *
     * @param enabled whether tasks are created when a person crosses the task threshold
     * @param status  the Status of a new task (a value of the org's Task Status picklist)
     * @param type    the Type of a new task (Call, Email, Meeting, Other...), or null to leave it empty
     */
    public record Tasks(boolean enabled, String status, String type) {
    }

    public static SalesforceSettings forSource(ConnectorSettings settings) {
        return parse(settings, true, false);
    }

    public static SalesforceSettings forSink(ConnectorSettings settings) {
        return parse(settings, false, true);
    }

    private static SalesforceSettings parse(ConnectorSettings settings, boolean parseRead, boolean parseWrite) {
        URI loginUrl = settings.get(LOGIN_URL);
        String apiVersion = settings.get(API_VERSION);
        Auth auth = parseAuth(settings);
        double share = settings.get(MAX_DAILY_PERCENT) / 100.0;
        Duration recheck = settings.get(RECHECK);
        int maxAttempts = settings.get(MAX_ATTEMPTS);
        Read read = parseRead ? parseRead(settings) : null;
        Write write = parseWrite ? parseWrite(settings) : null;
        return new SalesforceSettings(settings.name(), loginUrl, apiVersion, auth, share, recheck, maxAttempts, read,
                write);
    }

    private static Auth parseAuth(ConnectorSettings settings) {
        String flowName = settings.get(FLOW);
        Flow flow = java.util.Arrays.stream(Flow.values()).filter(f -> f.configName().equals(flowName)).findFirst()
                .orElseThrow();
        String clientId = settings.get(CLIENT_ID);
        Secret clientSecret = null;
        String username = null;
        Secret password = null;
        Secret refreshToken = null;
        Path keystore = null;
        Secret keystorePassword = null;
        switch (flow) {
            case PASSWORD -> {
                clientSecret = Secret.of(settings.get(CLIENT_SECRET.required()));
                username = settings.get(USERNAME.required());
                password = Secret.of(settings.get(PASSWORD.required()));
            }
            case REFRESH_TOKEN -> {
                clientSecret = Secret.of(settings.get(CLIENT_SECRET.required()));
                refreshToken = Secret.of(settings.get(REFRESH_TOKEN.required()));
            }
            case CLIENT_CREDENTIALS -> clientSecret = Secret.of(settings.get(CLIENT_SECRET.required()));
            case JWT -> {
                username = settings.get(USERNAME.required());
                keystore = Path.of(settings.get(KEYSTORE_PATH.required()));
                if (!Files.isReadable(keystore)) {
                    throw new ConfigException(settings.key(KEYSTORE_PATH.name()), "'" + keystore
                            + "' is not a readable keystore file");
                }
                keystorePassword = Secret.of(settings.get(KEYSTORE_PASSWORD.required()));
            }
            default -> throw new IllegalStateException(flow.name());
        }
        return new Auth(flow, clientId, clientSecret, username, password, refreshToken, keystore, keystorePassword);
    }

    private static Read parseRead(ConnectorSettings settings) {
        List<String> streams = settings.get(READ_STREAMS);
        if (streams.isEmpty()) {
            throw new ConfigException(settings.key(READ_STREAMS.name()), "must name at least one of " + STREAMS);
        }
        List<String> ordered = STREAMS.stream().filter(streams::contains).toList();
        Cdc cdc = null;
        if (settings.get(CDC_ENABLED)) {
            if (ordered.stream().noneMatch(SalesforceRecords.CHANGE_EVENT_STREAMS::contains)) {
                throw new ConfigException(settings.key(CDC_ENABLED.name()), "is on, but none of the streams read ("
                        + ordered + ") has change events; Change Data Capture covers "
                        + SalesforceRecords.CHANGE_EVENT_STREAMS);
            }
            java.util.Set<String> own = settings.has("write") ? java.util.Set.copyOf(parseWrite(settings).fields()
                    .values()) : java.util.Set.of();
            cdc = new Cdc(settings.get(CDC_CHANNEL), settings.get(CDC_HOST), settings.get(CDC_PORT),
                    settings.get(CDC_PLAINTEXT), settings.get(CDC_BATCH_SIZE), own);
        }
        return new Read(ordered, settings.get(LEAD_FIELDS), settings.get(CONTACT_FIELDS), settings.get(OVERLAP),
                settings.get(BULK_THRESHOLD), settings.get(BULK_PAGE_SIZE), settings.get(BULK_POLL),
                settings.get(BULK_TIMEOUT), cdc);
    }

    /** The first item of a list of field names that is not a Salesforce field API name, as a problem; or null. */
    private static String fieldProblem(List<String> fields) {
        for (String field : fields) {
            if (!FIELD_NAME.matcher(field).matches()) {
                return "'" + field + "' is not a Salesforce field API name (such as Rating, Lead_Source_Detail__c or"
                        + " Account.Rating)";
            }
        }
        return null;
    }

    private static Write parseWrite(ConnectorSettings settings) {
        ConnectorSettings fields = settings.section("write").section("fields");
        Map<String, String> mapping = new LinkedHashMap<>();
        for (String field : WriteField.ALL) {
            String apiName = fields.string(field, WRITE_DEFAULTS.get(field));
            if (!FIELD_NAME.matcher(apiName).matches() || apiName.contains(".")) {
                throw new ConfigException(fields.key(field), "'" + apiName + "' is not a Salesforce field API name"
                        + " (such as Lead_Score__c)");
            }
            mapping.put(field, apiName);
        }
        for (String key : fields.keys()) {
            if (!WriteField.ALL.contains(key)) {
                throw new ConfigException(fields.key(key), "is not a field leadsync writes; expected some of "
                        + WriteField.ALL);
            }
        }
        return new Write(Map.copyOf(mapping), settings.get(REASONS_MAX_LENGTH), new Tasks(settings.get(TASKS_ENABLED),
                settings.get(TASK_STATUS), settings.get(TASK_TYPE)));
    }
}
