package io.leadsync.connector.salesforce;

import io.leadsync.connector.ConfigException;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.Secret;
import io.leadsync.connector.WriteField;

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
     */
    public record Read(List<String> streams, List<String> leadFields, List<String> contactFields, Duration overlap,
                       int bulkThreshold, int bulkPageSize, Duration bulkPollInterval, Duration bulkTimeout) {
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
        URI loginUrl = settings.url("login-url", "https://login.salesforce.com");
        String apiVersion = settings.string("api-version", "60.0");
        if (!VERSION.matcher(apiVersion).matches()) {
            throw new ConfigException(settings.key("api-version"), "must be a REST API version such as 60.0 but was '"
                    + apiVersion + "'");
        }
        Auth auth = parseAuth(settings.section("auth"));
        ConnectorSettings limits = settings.section("limits");
        double share = limits.integer("max-daily-percent", 80, 1, 100) / 100.0;
        Duration recheck = limits.duration("recheck-interval", Duration.ofMinutes(5));
        if (recheck.isNegative()) {
            throw new ConfigException(limits.key("recheck-interval"), "must not be negative");
        }
        int maxAttempts = settings.section("retry").integer("max-attempts", 3, 1, 20);
        Read read = parseRead ? parseRead(settings.section("read")) : null;
        Write write = parseWrite ? parseWrite(settings.section("write")) : null;
        return new SalesforceSettings(settings.name(), loginUrl, apiVersion, auth, share, recheck, maxAttempts, read,
                write);
    }

    private static Auth parseAuth(ConnectorSettings auth) {
        String flowName = auth.string("flow", Flow.PASSWORD.configName());
        Flow flow = null;
        for (Flow candidate : Flow.values()) {
            if (candidate.configName().equals(flowName)) {
                flow = candidate;
            }
        }
        if (flow == null) {
            throw new ConfigException(auth.key("flow"), "must be password, refresh-token, jwt or client-credentials"
                    + " but was '" + flowName + "'");
        }
        String clientId = auth.string("client-id").orElseThrow(() -> new ConfigException(auth.key("client-id"),
                "is required (the connected app's consumer key; set SALESFORCE_CLIENT_ID)"));
        Secret clientSecret = null;
        String username = null;
        Secret password = null;
        Secret refreshToken = null;
        Path keystore = null;
        Secret keystorePassword = null;
        switch (flow) {
            case PASSWORD -> {
                clientSecret = auth.requiredSecret("client-secret", "SALESFORCE_CLIENT_SECRET");
                username = auth.requiredString("username");
                password = auth.requiredSecret("password", "SALESFORCE_PASSWORD");
            }
            case REFRESH_TOKEN -> {
                clientSecret = auth.requiredSecret("client-secret", "SALESFORCE_CLIENT_SECRET");
                refreshToken = auth.requiredSecret("refresh-token", "SALESFORCE_REFRESH_TOKEN");
            }
            case CLIENT_CREDENTIALS -> clientSecret = auth.requiredSecret("client-secret", "SALESFORCE_CLIENT_SECRET");
            case JWT -> {
                username = auth.requiredString("username");
                ConnectorSettings store = auth.section("keystore");
                keystore = Path.of(store.requiredString("path"));
                if (!Files.isReadable(keystore)) {
                    throw new ConfigException(store.key("path"), "'" + keystore + "' is not a readable keystore file");
                }
                keystorePassword = store.requiredSecret("password", "SALESFORCE_KEYSTORE_PASSWORD");
            }
            default -> throw new IllegalStateException(flow.name());
        }
        return new Auth(flow, clientId, clientSecret, username, password, refreshToken, keystore, keystorePassword);
    }

    private static Read parseRead(ConnectorSettings read) {
        List<String> streams = read.stringList("streams", DEFAULT_STREAMS, STREAMS);
        if (streams.isEmpty()) {
            throw new ConfigException(read.key("streams"), "must name at least one of " + STREAMS);
        }
        List<String> ordered = STREAMS.stream().filter(streams::contains).toList();
        List<String> leadFields = fieldNames(read, "lead-fields");
        List<String> contactFields = fieldNames(read, "contact-fields");
        Duration overlap = read.duration("overlap", Duration.ZERO);
        if (overlap.isNegative()) {
            throw new ConfigException(read.key("overlap"), "must not be negative");
        }
        ConnectorSettings bulk = read.section("bulk");
        int threshold = bulk.integer("threshold", 50_000, 0, Integer.MAX_VALUE);
        int pageSize = bulk.integer("page-size", 50_000, 100, 1_000_000);
        Duration poll = bulk.duration("poll-interval", Duration.ofSeconds(5));
        Duration timeout = bulk.duration("timeout", Duration.ofHours(2));
        if (poll.isNegative() || poll.isZero()) {
            throw new ConfigException(bulk.key("poll-interval"), "must be positive");
        }
        return new Read(ordered, leadFields, contactFields, overlap, threshold, pageSize, poll, timeout);
    }

    private static List<String> fieldNames(ConnectorSettings read, String key) {
        List<String> fields = read.stringList(key, List.of());
        for (String field : fields) {
            if (!FIELD_NAME.matcher(field).matches()) {
                throw new ConfigException(read.key(key), "'" + field + "' is not a Salesforce field API name (such as"
                        + " Rating, Lead_Source_Detail__c or Account.Rating)");
            }
        }
        return fields;
    }

    private static Write parseWrite(ConnectorSettings write) {
        ConnectorSettings fields = write.section("fields");
        Map<String, String> defaults = Map.of(WriteField.SCORE, "Lead_Score__c", WriteField.GRADE, "Lead_Grade__c",
                WriteField.REASONS, "Score_Reasons__c", WriteField.MODEL_VERSION, "Score_Model__c");
        Map<String, String> mapping = new LinkedHashMap<>();
        for (String field : WriteField.ALL) {
            String apiName = fields.string(field, defaults.get(field));
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
        int reasonsLength = write.integer("reasons-max-length", 255, 20, 131_072);
        ConnectorSettings tasks = write.section("tasks");
        boolean enabled = tasks.bool("enabled", true);
        String status = tasks.string("status", "Not Started");
        String type = tasks.string("type").orElse(null);
        return new Write(Map.copyOf(mapping), reasonsLength, new Tasks(enabled, status, type));
    }
}
