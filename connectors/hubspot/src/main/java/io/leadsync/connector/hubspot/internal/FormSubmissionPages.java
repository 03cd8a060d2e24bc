package io.leadsync.connector.hubspot.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadsync.connector.Activity;
import io.leadsync.connector.ConnectorException;
import io.leadsync.connector.Cursor;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Page;
import io.leadsync.connector.PageIterator;
import io.leadsync.connector.PersonRef;
import io.leadsync.connector.RejectedRecord;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import io.leadsync.connector.http.ApiClient;
import io.leadsync.connector.http.ApiException;
import io.leadsync.connector.http.ApiResponse;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code form_submissions} stream: every form of the portal ({@code GET /marketing/v3/forms}, all types but blog
 * comments), then each form's submissions ({@code GET /form-integrations/v1/submissions/forms/{id}}, 50 a page,
 * newest first), back to the form's saved time less the overlap. A submission becomes an activity of the person
 * whose email it carries (HubSpot links a submission to its contact by the email value, not by an id), typed by
 * {@link FormTypes}; its id is HubSpot's {@code conversionId}. A submission without an email value is refused with
 * its reason.
 *
 * <p>Cursor (format version 1 of the HubSpot source): {@code {"submittedSince":{"<form id>":"<ISO instant>"}}}, the
 * latest submission time read per form. Since pages come newest first, a form's time advances with the last page
 * of that form: a read interrupted in the middle of a form reads that form again from its previous time.
 */
public final class FormSubmissionPages extends PageIterator<SourceRecord> {
    public static final String STREAM = "form_submissions";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE_SIZE = 50;
    private static final String FORMS = "/marketing/v3/forms";
    private static final String SUBMISSIONS = "/form-integrations/v1/submissions/forms/";

    private record Form(String id, String name, String formType) {
    }

    private final ApiClient client;
    private final String source;
    private final StreamId stream;
    private final FormTypes types;
    private final Duration overlap;
    private final int cursorVersion;
    private final TreeMap<String, Instant> since;
    private Deque<Form> forms;
    private Form current;
    private Instant currentLatest;
    private String after;

    /**
     * @param from    the saved cursor, or null for a first read of every submission
     * @param overlap how far before a form's saved time its read starts (submissions HubSpot records late)
     */
    public FormSubmissionPages(ApiClient client, String source, StreamId stream, Cursor from, FormTypes types,
                               Duration overlap, int cursorVersion) {
        this.client = client;
        this.source = source;
        this.stream = stream;
        this.types = types;
        this.overlap = overlap;
        this.cursorVersion = cursorVersion;
        this.since = from == null ? new TreeMap<>() : parse(from);
    }

    @Override
    protected Page<SourceRecord> fetch() {
        if (forms == null) {
            forms = new ArrayDeque<>(listForms());
        }
        while (true) {
            if (current == null) {
                current = forms.poll();
                if (current == null) {
                    return null;
                }
                currentLatest = since.get(current.id());
                after = null;
            }
            Instant start = since.containsKey(current.id()) ? since.get(current.id()).minus(overlap) : null;
            Map<String, String> query = new LinkedHashMap<>();
            query.put("limit", Integer.toString(PAGE_SIZE));
            if (after != null) {
                query.put("after", after);
            }
            String path = SUBMISSIONS + current.id();
            ApiResponse response = client.get(path, query);
            String call = "GET " + path + " (" + stream + ", form '" + current.name() + "')";
            if (response.status() == 404) {
                current = null;   // the form was deleted since it was listed: nothing of it to read
                continue;
            }
            if (!response.isSuccess()) {
                throw failure(call, response);
            }
            after = response.body().path("paging").path("next").path("after").asText(null);
            boolean formDone = after == null || after.isBlank();
            List<SourceRecord> items = new ArrayList<>();
            List<RejectedRecord> rejected = new ArrayList<>();
            for (JsonNode submission : response.list("results", "HubSpot", call)) {
                Instant submitted = submission.path("submittedAt").canConvertToLong()
                        ? Instant.ofEpochMilli(submission.path("submittedAt").asLong()) : null;
                if (submitted != null && start != null && submitted.isBefore(start)) {
                    formDone = true;   // newest first: everything after this is older still
                    break;
                }
                Object record = map(submission, submitted);
                if (record instanceof SourceRecord sourceRecord) {
                    items.add(sourceRecord);
                } else {
                    rejected.add((RejectedRecord) record);
                }
                if (submitted != null && (currentLatest == null || submitted.isAfter(currentLatest))) {
                    currentLatest = submitted;
                }
            }
            boolean advanced = false;
            if (formDone) {
                if (currentLatest != null && !currentLatest.equals(since.get(current.id()))) {
                    since.put(current.id(), currentLatest);
                    advanced = true;
                }
                current = null;
            }
            if (!items.isEmpty() || !rejected.isEmpty() || advanced) {
                return new Page<>(items, rejected, new Cursor(stream, cursorVersion, position(since)));
            }
        }
    }

    /** A submission as an activity of the person its email names, or refused with the reason. */
    private Object map(JsonNode submission, Instant submitted) {
        String raw = submission.toString();
        String conversionId = submission.path("conversionId").asText("").strip();
        Map<String, String> values = new LinkedHashMap<>();
        for (JsonNode value : submission.path("values")) {
            String name = value.path("name").asText("");
            if (!name.isBlank() && !value.path("value").isNull() && !values.containsKey(name)) {
                values.put(name, value.path("value").asText());
            }
        }
        String email = values.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("email"))
                .map(Map.Entry::getValue).map(String::strip).filter(v -> !v.isEmpty()).findFirst().orElse(null);
        if (submitted == null) {
            return new RejectedRecord(stream, conversionId.isEmpty() ? null : conversionId, raw,
                    "submittedAt: missing or not epoch milliseconds");
        }
        if (email == null) {
            return new RejectedRecord(stream, conversionId.isEmpty() ? null : conversionId, raw,
                    "values: no email; HubSpot links a submission to its contact by the email submitted, and form '"
                            + current.name() + "' (" + current.id() + ") sent none");
        }
        String id = conversionId.isEmpty() ? current.id() + "/" + submitted.toEpochMilli() + "/" + email : conversionId;
        Map<String, String> details = new LinkedHashMap<>();
        details.put("form_id", current.id());
        details.put("form_name", current.name());
        details.put("form_type", current.formType());
        details.put("page_url", submission.path("pageUrl").asText(null));
        Activity activity = new Activity(new ExternalId(source, id), types.typeOf(current.id(), current.name()),
                submitted, PersonRef.ofEmail(email), details);
        return SourceRecord.of(stream, activity, submitted, raw);
    }

    /** Every live form but blog comment forms, following the list's paging. */
    private List<Form> listForms() {
        List<Form> result = new ArrayList<>();
        String next = null;
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("limit", "100");
            query.put("formTypes", "all");
            if (next != null) {
                query.put("after", next);
            }
            ApiResponse response = client.get(FORMS, query);
            String call = "GET " + FORMS + " (" + stream + ")";
            if (!response.isSuccess()) {
                throw failure(call, response);
            }
            for (JsonNode form : response.list("results", "HubSpot", call)) {
                String id = form.path("id").asText("");
                String type = form.path("formType").asText("hubspot");
                if (!id.isBlank() && !form.path("archived").asBoolean(false) && !"blog_comment".equals(type)) {
                    result.add(new Form(id, form.path("name").asText(id), type));
                }
            }
            next = response.body().path("paging").path("next").path("after").asText(null);
        } while (next != null && !next.isBlank());
        return result;
    }

    private RuntimeException failure(String call, ApiResponse response) {
        if (response.status() == 403 && "MISSING_SCOPES".equals(response.category())) {
            return new ConnectorException(source + " cannot read " + STREAM + ": its token lacks HubSpot's 'forms'"
                    + " scope (HubSpot answered 403 MISSING_SCOPES to " + call + "). Add the forms scope to the private"
                    + " app, or remove " + STREAM + " from the connector's read.streams");
        }
        return new ApiException("HubSpot", call, response);
    }

    private static TreeMap<String, Instant> parse(Cursor cursor) {
        try {
            JsonNode node = JSON.readTree(cursor.position()).path("submittedSince");
            TreeMap<String, Instant> times = new TreeMap<>();
            node.fields().forEachRemaining(field -> times.put(field.getKey(), Instant.parse(field.getValue().asText())));
            return times;
        } catch (Exception e) {
            throw new ConnectorException("the saved cursor of " + cursor.stream() + " is not readable ('"
                    + cursor.position() + "'); reset it to re-read the stream");
        }
    }

    private static String position(Map<String, Instant> since) {
        ObjectNode forms = JSON.createObjectNode();
        since.forEach((form, time) -> forms.put(form, time.toString()));
        ObjectNode root = JSON.createObjectNode();
        root.set("submittedSince", forms);
        return root.toString();
    }
}
