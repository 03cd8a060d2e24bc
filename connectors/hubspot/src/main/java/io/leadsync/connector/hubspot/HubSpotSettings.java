package io.leadsync.connector.hubspot;

import io.leadsync.connector.ConfigException;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.Secret;
import io.leadsync.connector.Setting;
import io.leadsync.connector.WriteField;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The settings of one HubSpot portal, from {@code sync.connectors.<name>} (see docs/connectors/hubspot.md).
 *
 * @param name        the connector instance name
 * @param baseUrl     {@code https://api.hubapi.com}, or a simulator
 * @param token       private app token (or OAuth access token), masked in logs
 * @param maxAttempts attempts per call on 429 and 5xx answers before the run fails
 * @param requestsPerTenSeconds the portal's burst limit to keep under (100 Starter, 190 Professional/Enterprise)
 * @param searchesPerSecond     search calls per second to keep under (HubSpot allows about 5 per account)
 * @param read        reading settings, or null if this portal is not read
 * @param write       write-back settings, or null if nothing is written to it
 */
public record HubSpotSettings(String name, URI baseUrl, Secret token, int maxAttempts, int requestsPerTenSeconds,
                              int searchesPerSecond, Read read, Write write) {

    public static final String TYPE = "hubspot";
    public static final List<String> STREAMS = List.of("contacts", "emails", "meetings", "calls", "email_events",
            "form_submissions");
    private static final Pattern SNAKE = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern PROPERTY_NAME = Pattern.compile("[a-z][a-z0-9_]*");

    // the settings of a HubSpot block, described as data (ConnectorFactory#settings, docs/configuration.md)
    static final Setting<java.net.URI> BASE_URL = Setting.of("base-url", Setting.URL)
            .withDefault(java.net.URI.create("https://api.hubapi.com")).doc("HubSpot's API, or a simulator.");
    static final Setting<String> TOKEN = Setting.of("token", Setting.TEXT).secret().required().env("HUBSPOT_TOKEN")
            .doc("A private app token with crm.objects.contacts.read/write, crm.schemas.contacts.write and forms"
                    + " (for form_submissions).");
    static final Setting<Integer> MAX_ATTEMPTS = Setting.of("retry.max-attempts", Setting.integer(1, 20))
            .withDefault(5).doc("Attempts per call on 429 and 5xx answers before the run fails.");
    static final Setting<Integer> PER_TEN_SECONDS = Setting.of("rate-limit.requests-per-ten-seconds",
            Setting.integer(0, 10_000)).withDefault(190)
            .doc("The portal's burst limit to keep under (100 Starter, 190 Professional and Enterprise); 0: none.");
    static final Setting<Integer> SEARCHES_PER_SECOND = Setting.of("rate-limit.searches-per-second",
            Setting.integer(0, 100)).withDefault(4).doc("Search calls per second to keep under (HubSpot allows 5).");
    static final Setting<List<String>> READ_STREAMS = Setting.of("read.streams", Setting.LIST)
            .withDefault(STREAMS).validate(Setting.itemsOf(STREAMS)).doc("Streams to read: " + String.join(", ", STREAMS) + ".");
    static final Setting<Integer> PAGE_SIZE = Setting.of("read.page-size", Setting.integer(1, 200)).withDefault(100)
            .doc("Search page size (fewer calls at 200).");
    static final Setting<Duration> OVERLAP = Setting.of("read.overlap", Setting.DURATION)
            .withDefault(Duration.ofMinutes(5)).withDefaultText("5m")
            .validate(overlap -> overlap.isNegative() ? "must not be negative" : null)
            .doc("How far before the saved cursor each read starts (records indexed late by HubSpot's search).");
    static final Setting<List<String>> PROPERTIES = Setting.of("read.properties", Setting.LIST)
            .withDefault(List.of()).validate(HubSpotSettings::propertyProblem).doc("Contact properties to read beyond the defaults.");
    static final Setting<Void> LINKED_IDS = Setting.of("read.linked-ids", Setting.BLOCK_LIST)
            .doc("Properties holding another system's id: [{property: salesforceleadid, source: salesforce-main}].");
    static final Setting<Void> FORMS = Setting.of("read.forms", Setting.BLOCK_LIST)
            .doc("Activity type of a form's submissions: [{form: Request a demo, type: demo_request}] (form id or name;"
                    + " a list, since keys would be normalized); other forms by name: demo -> demo_request, contact"
                    + " sales/pricing/quote -> contact_sales, webinar -> webinar, ebook/case study/download ->"
                    + " content_download, else form_submit.");
    static final Setting<Integer> SEARCH_CAP = Setting.of("read.search-result-cap", Setting.integer(10, 10_000))
            .withDefault(10_000).doc("HubSpot's cap of results per search query; reads restart before reaching it.");
    static final Setting<Void> WRITE_PROPERTIES = Setting.of("write.properties", Setting.BLOCK)
            .doc("Contact property per field written: score, grade, reasons, model-version (default leadsync_<field>);"
                    + " created at the first sync if missing.");
    static final Setting<String> PROPERTY_GROUP = Setting.of("write.property-group", Setting.TEXT)
            .withDefault("contactinformation").doc("The group custom properties are created in.");
    static final Setting<Boolean> CREATE_PROPERTIES = Setting.of("write.create-properties", Setting.BOOLEAN)
            .withDefault(true).doc("Whether missing properties are created at the start of a job.");
    static final Setting<Boolean> TASKS_ENABLED = Setting.of("write.tasks.enabled", Setting.BOOLEAN).withDefault(true)
            .doc("A task for the contact owner when a lead crosses the model's task-threshold.");
    static final Setting<String> TASK_TYPE = Setting.of("write.tasks.type", Setting.choice(List.of("TODO", "CALL",
            "EMAIL"))).withDefault("TODO").doc("The task's type.");

    /** Every setting of a HubSpot block. */
    public static final List<Setting<?>> SETTINGS = List.of(BASE_URL, TOKEN, MAX_ATTEMPTS, PER_TEN_SECONDS,
            SEARCHES_PER_SECOND, READ_STREAMS, PAGE_SIZE, OVERLAP, PROPERTIES, LINKED_IDS, FORMS, SEARCH_CAP,
            WRITE_PROPERTIES, PROPERTY_GROUP, CREATE_PROPERTIES, TASKS_ENABLED, TASK_TYPE,
            HubSpotWebhooks.CLIENT_SECRET, HubSpotWebhooks.TARGET_URL);

    /**
     * @param streams            streams to read, persons first
     * @param pageSize           search page size (HubSpot allows up to 200)
     * @param overlap            how far before the saved cursor each read starts, to catch records modified
     *                           during the last read or indexed late by HubSpot's search
     * @param extraProperties    contact properties to read beyond the defaults
     * @param linkedIdProperties contact properties that hold another system's id, to the source name of that
     *                           system (configured as {@code [{property: salesforceleadid, source: salesforce-main}]})
     * @param searchResultCap    HubSpot's cap of results per search query (10,000); reads restart from the last
     *                           seen timestamp before reaching it
     * @param formTypes          form id or name to the activity type of its submissions (configured as
     *                           {@code [{form: Request a demo, type: demo_request}]}); other forms by their name
     */
    public record Read(List<String> streams, int pageSize, Duration overlap, List<String> extraProperties,
                       Map<String, String> linkedIdProperties, int searchResultCap, Map<String, String> formTypes) {
    }

    /**
     * @param properties       canonical field ({@link WriteField}) to HubSpot contact property name
     * @param propertyGroup    the group custom properties are created in
     * @param createProperties whether missing properties are created at start of a job
     * @param tasks            follow-up task settings
     */
    public record Write(Map<String, String> properties, String propertyGroup, boolean createProperties, Tasks tasks) {
    }

    /**
     * How tasks look in HubSpot; when they are due and their priority are the job's task policy.
     *
     * @param enabled  whether tasks are created when a contact crosses the task threshold
     * @param taskType TODO, CALL or EMAIL
     */
    public record Tasks(boolean enabled, String taskType) {
    }

    public static HubSpotSettings forSource(ConnectorSettings settings) {
        return parse(settings, true, false);
    }

    public static HubSpotSettings forSink(ConnectorSettings settings) {
        return parse(settings, false, true);
    }

    private static HubSpotSettings parse(ConnectorSettings settings, boolean parseRead, boolean parseWrite) {
        URI baseUrl = settings.get(BASE_URL);
        Secret token = Secret.of(settings.get(TOKEN));
        int maxAttempts = settings.get(MAX_ATTEMPTS);
        int perTenSeconds = settings.get(PER_TEN_SECONDS);
        int searchesPerSecond = settings.get(SEARCHES_PER_SECOND);
        // spread evenly, 4 a second puts at most 5 into any one second: HubSpot's limit
        Read read = parseRead ? parseRead(settings) : null;
        Write write = parseWrite ? parseWrite(settings) : null;
        return new HubSpotSettings(settings.name(), baseUrl, token, maxAttempts, perTenSeconds, searchesPerSecond, read,
                write);
    }

    private static Read parseRead(ConnectorSettings settings) {
        ConnectorSettings read = settings.section("read");
        List<String> streams = settings.get(READ_STREAMS);
        if (streams.isEmpty()) {
            throw new ConfigException(read.key("streams"), "must name at least one of " + STREAMS);
        }
        List<String> ordered = STREAMS.stream().filter(streams::contains).toList();
        int pageSize = settings.get(PAGE_SIZE);
        Duration overlap = settings.get(OVERLAP);
        List<String> extra = settings.get(PROPERTIES);
        Map<String, String> linkedIds = new LinkedHashMap<>();
        for (ConnectorSettings linked : read.sectionList("linked-ids")) {
            String property = linked.requiredString("property");
            requirePropertyName(linked, "property", property);
            linkedIds.put(property, linked.requiredString("source"));
        }
        int cap = settings.get(SEARCH_CAP);
        Map<String, String> formTypes = new LinkedHashMap<>();
        for (ConnectorSettings form : read.sectionList("forms")) {
            String name = form.requiredString("form").strip();
            String type = form.requiredString("type").strip();
            if (!SNAKE.matcher(type).matches()) {
                throw new ConfigException(form.key("type"), "'" + type + "' is not a snake_case activity type"
                        + " (demo_request, contact_sales, webinar, content_download, form_submit...)");
            }
            if (formTypes.put(name.toLowerCase(Locale.ROOT), type) != null) {
                throw new ConfigException(form.key("form"), "'" + name + "' is mapped twice");
            }
        }
        return new Read(ordered, pageSize, overlap, extra, Map.copyOf(linkedIds), cap, Map.copyOf(formTypes));
    }

    private static Write parseWrite(ConnectorSettings settings) {
        ConnectorSettings write = settings.section("write");
        ConnectorSettings properties = write.section("properties");
        Map<String, String> mapping = new LinkedHashMap<>();
        for (String field : WriteField.ALL) {
            String property = properties.string(field, "leadsync_" + field.replace('-', '_'));
            requirePropertyName(properties, field, property);
            mapping.put(field, property);
        }
        for (String key : properties.keys()) {
            if (!WriteField.ALL.contains(key)) {
                throw new ConfigException(properties.key(key), "is not a field leadsync writes; expected some of "
                        + WriteField.ALL);
            }
        }
        String group = settings.get(PROPERTY_GROUP);
        boolean create = settings.get(CREATE_PROPERTIES);
        boolean enabled = settings.get(TASKS_ENABLED);
        ConnectorSettings tasks = write.section("tasks");
        String taskType = tasks.string("type", "TODO").toUpperCase(Locale.ROOT);
        if (!List.of("TODO", "CALL", "EMAIL").contains(taskType)) {
            throw new ConfigException(tasks.key("type"), "must be TODO, CALL or EMAIL but was '" + taskType + "'");
        }
        return new Write(Map.copyOf(mapping), group, create, new Tasks(enabled, taskType));
    }

    private static void requirePropertyName(ConnectorSettings settings, String key, String property) {
        String problem = propertyProblem(List.of(property));
        if (problem != null) {
            throw new ConfigException(settings.key(key), problem);
        }
    }

    /** The first of the names that is not a HubSpot property name, as a problem; or null. */
    private static String propertyProblem(List<String> properties) {
        for (String property : properties) {
            if (!PROPERTY_NAME.matcher(property).matches()) {
                return "'" + property + "' is not a HubSpot property name (lower case letters, digits and _ ,"
                        + " starting with a letter)";
            }
        }
        return null;
    }
}
