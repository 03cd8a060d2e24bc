package io.leadsync.connector.mixpanel;

import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.EventTypeMapping;
import io.leadsync.connector.Secret;
import io.leadsync.connector.Setting;

import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

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
 * @param exportDelay    how long after Mixpanel processes an event its export may still leave it out: re-read days
 *                       leave out the events processed this long before the last complete read began (it had them)
 * @param pageSize       events per page handed to the pipeline
 * @param events         Mixpanel event name to canonical activity type, and what other events become
 * @param profileProperties profile properties read as attributes, beyond name and email
 */
public record MixpanelSettings(String name, URI exportUrl, URI queryUrl, String projectId, String user, Secret secret,
                               int maxAttempts, List<String> streams, LocalDate startDate, int lateDays,
                               java.time.Duration exportDelay, int pageSize, EventTypeMapping events, List<String> profileProperties) {
    public static final String TYPE = "mixpanel";
    public static final List<String> STREAMS = List.of("profiles", "events");

    // the settings of a Mixpanel block, described as data (ConnectorFactory#settings, docs/configuration.md)
    static final Setting<URI> EXPORT_URL = Setting.of("export-url", Setting.URL)
            .withDefault(URI.create("https://data.mixpanel.com/api/2.0"))
            .doc("The export API (https://data-eu.mixpanel.com/api/2.0 for EU data residency), or a simulator.");
    static final Setting<URI> QUERY_URL = Setting.of("query-url", Setting.URL)
            .withDefault(URI.create("https://mixpanel.com/api/query"))
            .doc("The query API, whose engage endpoint lists profiles (https://eu.mixpanel.com/api/query in the EU).");
    static final Setting<String> PROJECT_ID = Setting.of("project-id", Setting.TEXT).required()
            .validate(id -> id.strip().matches("\\d+") ? null
                    : "must be the numeric project id but was '" + id.strip() + "'")
            .doc("The project's numeric id (Project settings > Overview).");
    static final Setting<String> USER = Setting.of("service-account-user", Setting.TEXT).required()
            .env("MIXPANEL_SA_USER").doc("The service account's user name (role Consumer, member of the project).");
    static final Setting<String> SECRET = Setting.of("service-account-secret", Setting.TEXT).secret().required()
            .env("MIXPANEL_SA_SECRET").doc("The service account's secret.");
    static final Setting<Integer> MAX_ATTEMPTS = Setting.of("retry.max-attempts", Setting.integer(1, 20))
            .withDefault(5).doc("Attempts per call on 429 and 5xx answers, and per export cut short, before the"
                    + " stream fails.");
    static final Setting<List<String>> READ_STREAMS = Setting.of("read.streams", Setting.LIST).withDefault(STREAMS)
            .validate(Setting.itemsOf(STREAMS)).doc("Streams to read: profiles, events (read in that order).");
    static final Setting<LocalDate> START_DATE = Setting.of("read.start-date", Setting.custom("date (2026-10-01)",
            text -> {
                try {
                    return LocalDate.parse(text.strip());
                } catch (DateTimeParseException e) {
                    throw new Setting.Invalid("a date such as 2026-10-01");
                }
            })).withDefaultText("30 days back").doc("The first day of events read when there is no cursor yet.");
    static final Setting<Integer> LATE_DAYS = Setting.of("read.late-days", Setting.integer(0, 30)).withDefault(2)
            .doc("Complete days read again on every run, for events Mixpanel accepts late.");
    static final Setting<java.time.Duration> EXPORT_DELAY = Setting.of("read.export-delay", Setting.DURATION)
            .withDefault(java.time.Duration.ofHours(1)).withDefaultText("1h")
            .validate(delay -> delay.isNegative() ? "must not be negative" : null)
            .doc("How long after Mixpanel processes an event (mp_processing_time_ms) its export may still leave it"
                    + " out. Re-read days skip the events processed this long before the last complete read began.");
    static final Setting<Integer> PAGE_SIZE = Setting.of("read.page-size", Setting.integer(1, 100_000))
            .withDefault(1000).doc("Events per page handed to the pipeline (a page is stored in one transaction).");
    static final Setting<List<String>> PROFILE_PROPERTIES = Setting.of("read.profile-properties", Setting.LIST)
            .withDefault(List.of()).doc("Profile properties read as attributes, beyond name, email, city and country.");

    /** Every setting of a Mixpanel block. */
    public static final List<Setting<?>> SETTINGS = List.of(EXPORT_URL, QUERY_URL, PROJECT_ID, USER, SECRET,
            MAX_ATTEMPTS, READ_STREAMS, START_DATE, LATE_DAYS, EXPORT_DELAY, PAGE_SIZE, EventTypeMapping.EVENTS, EventTypeMapping.UNMAPPED,
            PROFILE_PROPERTIES);

    public static MixpanelSettings parse(ConnectorSettings settings) {
        URI exportUrl = settings.get(EXPORT_URL);
        URI queryUrl = settings.get(QUERY_URL);
        String projectId = settings.get(PROJECT_ID).strip();
        String user = settings.get(USER);
        Secret secret = Secret.of(settings.get(SECRET));
        int maxAttempts = settings.get(MAX_ATTEMPTS);
        List<String> requested = settings.get(READ_STREAMS);
        List<String> streams = STREAMS.stream().filter(requested::contains).toList();
        LocalDate startDate = settings.get(START_DATE);
        int lateDays = settings.get(LATE_DAYS);
        java.time.Duration exportDelay = settings.get(EXPORT_DELAY);
        int pageSize = settings.get(PAGE_SIZE);
        EventTypeMapping events = EventTypeMapping.read(settings);
        List<String> profileProperties = settings.get(PROFILE_PROPERTIES);
        return new MixpanelSettings(settings.name(), exportUrl, queryUrl, projectId, user, secret, maxAttempts, streams,
                startDate, lateDays, exportDelay, pageSize, events, profileProperties);
    }
}
