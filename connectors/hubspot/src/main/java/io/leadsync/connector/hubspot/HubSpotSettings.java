package io.leadsync.connector.hubspot;

import io.leadsync.connector.ConfigException;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.Secret;
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
    public static final List<String> STREAMS = List.of("contacts", "emails", "meetings", "calls", "email_events");
    private static final Pattern PROPERTY_NAME = Pattern.compile("[a-z][a-z0-9_]*");

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
     */
    public record Read(List<String> streams, int pageSize, Duration overlap, List<String> extraProperties,
                       Map<String, String> linkedIdProperties, int searchResultCap) {
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
        URI baseUrl = settings.url("base-url", "https://api.hubapi.com");
        Secret token = settings.requiredSecret("token", "HUBSPOT_TOKEN");
        int maxAttempts = settings.section("retry").integer("max-attempts", 5, 1, 20);
        ConnectorSettings limits = settings.section("rate-limit");
        int perTenSeconds = limits.integer("requests-per-ten-seconds", 190, 0, 10_000);
        int searchesPerSecond = limits.integer("searches-per-second", 4, 0, 100);
        // spread evenly, 4 a second puts at most 5 into any one second: HubSpot's limit
        Read read = parseRead ? parseRead(settings.section("read")) : null;
        Write write = parseWrite ? parseWrite(settings.section("write")) : null;
        return new HubSpotSettings(settings.name(), baseUrl, token, maxAttempts, perTenSeconds, searchesPerSecond, read,
                write);
    }

    private static Read parseRead(ConnectorSettings read) {
        List<String> streams = read.stringList("streams", STREAMS, STREAMS);
        if (streams.isEmpty()) {
            throw new ConfigException(read.key("streams"), "must name at least one of " + STREAMS);
        }
        List<String> ordered = STREAMS.stream().filter(streams::contains).toList();
        int pageSize = read.integer("page-size", 100, 1, 200);
        Duration overlap = read.duration("overlap", Duration.ofMinutes(5));
        if (overlap.isNegative()) {
            throw new ConfigException(read.key("overlap"), "must not be negative");
        }
        List<String> extra = read.stringList("properties", List.of());
        for (String property : extra) {
            requirePropertyName(read, "properties", property);
        }
        Map<String, String> linkedIds = new LinkedHashMap<>();
        for (ConnectorSettings linked : read.sectionList("linked-ids")) {
            String property = linked.requiredString("property");
            requirePropertyName(linked, "property", property);
            linkedIds.put(property, linked.requiredString("source"));
        }
        int cap = read.integer("search-result-cap", 10_000, 10, 10_000);
        return new Read(ordered, pageSize, overlap, extra, Map.copyOf(linkedIds), cap);
    }

    private static Write parseWrite(ConnectorSettings write) {
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
        String group = write.string("property-group", "contactinformation");
        boolean create = write.bool("create-properties", true);
        ConnectorSettings tasks = write.section("tasks");
        boolean enabled = tasks.bool("enabled", true);
        String taskType = tasks.string("type", "TODO").toUpperCase(Locale.ROOT);
        if (!List.of("TODO", "CALL", "EMAIL").contains(taskType)) {
            throw new ConfigException(tasks.key("type"), "must be TODO, CALL or EMAIL but was '" + taskType + "'");
        }
        return new Write(Map.copyOf(mapping), group, create, new Tasks(enabled, taskType));
    }

    private static void requirePropertyName(ConnectorSettings settings, String key, String property) {
        if (!PROPERTY_NAME.matcher(property).matches()) {
            throw new ConfigException(settings.key(key), "'" + property
                    + "' is not a HubSpot property name (lower case letters, digits and _ , starting with a letter)");
        }
    }
}
