package io.leadsync.connector.rest.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A parsed, validated connector manifest. Text values may hold {@code {{settings.<name>}}} placeholders. */
public record Manifest(String file, String type, String description, Map<String, Setting> settings,
                       Requester requester, Map<String, Stream> streams) {

    /** A value an instance configures: {@code sync.connectors.<name>.<setting>}. */
    public record Setting(String name, String defaultValue, boolean secret, boolean required, String environment) {
    }

    public record Requester(String baseUrl, Auth auth, Map<String, String> headers, Set<Integer> retryStatuses,
                            int maxAttempts, Duration backoff, Map<Integer, String> failures) {
    }

    /** {@code type}: none, bearer, basic, api-key-header, api-key-query, oauth2-client-credentials. */
    public record Auth(String type, Map<String, String> values) {
    }

    public enum Kind { PERSON, ACTIVITY }

    public record Stream(String name, Kind kind, String method, String path, Map<String, String> params,
                         String records, Pagination pagination, Incremental incremental, String id, boolean sorted,
                         Fields fields) {
    }

    /** {@code type}: none, offset, page, cursor, next-url, link-header. */
    public record Pagination(String type, int pageSize, String offsetParam, String limitParam, String pageParam,
                             int startPage, String hasMore, String cursorParam, String nextCursor, String nextUrl) {
    }

    /**
     * @param field        pointer to the record's modification (or event) time
     * @param format       how that time is written
     * @param requestParam the request parameter that asks for records since a time, or null to filter client-side
     * @param paramFormat  how the time is written in that parameter
     */
    public record Incremental(String field, TimeFormat format, String requestParam, TimeFormat paramFormat,
                              Duration overlap) {
    }

    /** Pointers of a person's or an activity's fields. */
    public record Fields(Map<String, String> person, Map<String, String> attributes, Map<String, String> linkedIds,
                         ActivityType activityType, String occurredAt, TimeFormat occurredAtFormat, String personEmail,
                         String personId, Map<String, String> properties) {
    }

    /** An activity's canonical type: a constant, or a pointer whose values map to types. */
    public record ActivityType(String constant, String pointer, Map<String, String> map, String otherwise) {
    }

    public static final List<String> PERSON_FIELDS = List.of("email", "first-name", "last-name", "title", "company",
            "domain", "country", "phone", "address", "city", "postal-code", "date-of-birth", "owner-id");
}
