package io.leadsync.connector.mixpanel;

import io.leadsync.connector.ConfigException;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.Secret;

import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The settings of one Mixpanel project, from {@code sync.connectors.<name>} (see docs/connectors/mixpanel.md).
 *
 * @param exportUrl      the export API ({@code https://data.mixpanel.com/api/2.0}; {@code data-eu} for EU residency)
 * @param queryUrl       the query API ({@code https://mixpanel.com/api/query})
 * @param projectId      the project
 * @param user           the service account's user name
 * @param secret         the service account's secret, masked
 * @param maxAttempts    attempts per call on 429 and 5xx
 * @param streams        {@code profiles}, {@code events}, in that order
 * @param startDate      the first day of events read when there is no cursor yet, or null for 30 days back
 * @param lateDays       complete days read again on every run, for events that arrive late
 * @param pageSize       events per page handed to the pipeline
 * @param eventTypes     Mixpanel event name to canonical activity type
 * @param unmapped       what happens to other events: {@code skip}, or the canonical type they all get
 * @param profileProperties profile properties read as attributes, beyond name and email
 */
public record MixpanelSettings(String name, URI exportUrl, URI queryUrl, String projectId, String user, Secret secret,
                               int maxAttempts, List<String> streams, LocalDate startDate, int lateDays, int pageSize,
                               Map<String, String> eventTypes, String unmapped, List<String> profileProperties) {
    public static final String TYPE = "mixpanel";
    public static final List<String> STREAMS = List.of("profiles", "events");
    private static final Pattern SNAKE = Pattern.compile("[a-z][a-z0-9_]*");

    public static MixpanelSettings parse(ConnectorSettings settings) {
        URI exportUrl = settings.url("export-url", "https://data.mixpanel.com/api/2.0");
        URI queryUrl = settings.url("query-url", "https://mixpanel.com/api/query");
        String projectId = settings.requiredString("project-id");
        if (!projectId.matches("\\d+")) {
            throw new ConfigException(settings.key("project-id"), "must be the numeric project id but was '"
                    + projectId + "'");
        }
        String user = settings.string("service-account-user").orElseThrow(() -> new ConfigException(
                settings.key("service-account-user"), "is required (set MIXPANEL_SA_USER, which the example config"
                + " reads as ${MIXPANEL_SA_USER})"));
        Secret secret = settings.requiredSecret("service-account-secret", "MIXPANEL_SA_SECRET");
        int maxAttempts = settings.section("retry").integer("max-attempts", 5, 1, 20);
        ConnectorSettings read = settings.section("read");
        List<String> requested = read.stringList("streams", STREAMS, STREAMS);
        List<String> streams = STREAMS.stream().filter(requested::contains).toList();
        LocalDate startDate = null;
        String start = read.string("start-date", null);
        if (start != null) {
            try {
                startDate = LocalDate.parse(start);
            } catch (DateTimeParseException e) {
                throw new ConfigException(read.key("start-date"), "must be a date such as 2026-10-01 but was '" + start + "'");
            }
        }
        int lateDays = read.integer("late-days", 2, 0, 30);
        int pageSize = read.integer("page-size", 1000, 1, 100_000);
        Map<String, String> eventTypes = new LinkedHashMap<>();
        for (ConnectorSettings event : read.sectionList("events")) {
            String name = event.requiredString("name");
            String type = event.requiredString("type");
            if (!SNAKE.matcher(type).matches()) {
                throw new ConfigException(event.key("type"), "'" + type + "' is not a snake_case activity type");
            }
            if (eventTypes.put(name, type) != null) {
                throw new ConfigException(event.key("name"), "'" + name + "' is mapped twice");
            }
        }
        String unmapped = read.string("unmapped", "skip");
        if (!"skip".equals(unmapped) && !SNAKE.matcher(unmapped).matches()) {
            throw new ConfigException(read.key("unmapped"), "must be skip or a snake_case activity type but was '"
                    + unmapped + "'");
        }
        List<String> profileProperties = read.stringList("profile-properties", List.of());
        return new MixpanelSettings(settings.name(), exportUrl, queryUrl, projectId, user, secret, maxAttempts, streams,
                startDate, lateDays, pageSize, Map.copyOf(eventTypes), unmapped, profileProperties);
    }
}
