package io.leadsync.sandbox.hubspot.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The marketing forms the HubSpot simulator holds and their submissions. Synchronized: the simulator serves
 * concurrent requests.
 */
public final class FormsState {
    /** HubSpot's form types ({@code formType} of the v3 forms API). */
    public static final List<String> FORM_TYPES = List.of("hubspot", "captured", "flow", "blog_comment");

    /** A form: its GUID, name, type, when it was created and last updated, whether it is archived. */
    public record Form(String id, String name, String formType, Instant createdAt, Instant updatedAt,
                       boolean archived) {
    }

    /**
     * One submission of a form: {@code conversionId} is HubSpot's id of the submission, {@code values} the fields
     * as submitted (name to value, in the form's order).
     */
    public record Submission(String conversionId, String formId, Instant submittedAt, Map<String, String> values,
                             String pageUrl) {
        public Submission {
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }
    }

    private final Map<String, Form> forms = new LinkedHashMap<>();
    private final Map<String, List<Submission>> submissions = new LinkedHashMap<>();

    /** Adds a form (seeding or a user creating one); its id is a GUID, given or made. */
    public synchronized Form addForm(String id, String name, String formType, Instant createdAt) {
        if (!FORM_TYPES.contains(formType)) {
            throw ApiError.validation("formType must be one of " + FORM_TYPES + " but was '" + formType + "'");
        }
        String guid = id != null ? id : UUID.randomUUID().toString();
        Instant at = createdAt.truncatedTo(ChronoUnit.MILLIS);
        Form form = new Form(guid, name, formType, at, at, false);
        forms.put(guid, form);
        submissions.putIfAbsent(guid, new ArrayList<>());
        return form;
    }

    public synchronized Optional<Form> form(String id) {
        return Optional.ofNullable(forms.get(id));
    }

    /** A live form by name (the first created, as names need not be unique in HubSpot). */
    public synchronized Optional<Form> formNamed(String name) {
        return forms.values().stream().filter(form -> !form.archived() && form.name().equals(name)).findFirst();
    }

    /** Forms in creation order. */
    public synchronized List<Form> forms() {
        return List.copyOf(forms.values());
    }

    public synchronized void archive(String id) {
        Form form = forms.get(id);
        if (form != null) {
            forms.put(id, new Form(form.id(), form.name(), form.formType(), form.createdAt(), form.updatedAt(), true));
        }
    }

    /** Records a submission; its conversion id is made from the form, the time and the count, so seeding is stable. */
    public synchronized Submission submit(String formId, Instant submittedAt, Map<String, String> values,
                                          String pageUrl) {
        List<Submission> list = submissions.get(formId);
        if (list == null) {
            throw ApiError.notFound("Form " + formId + " does not exist");
        }
        Instant at = submittedAt.truncatedTo(ChronoUnit.MILLIS);
        String conversionId = UUID.nameUUIDFromBytes((formId + "/" + at.toEpochMilli() + "/" + list.size())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        Submission submission = new Submission(conversionId, formId, at, values, pageUrl);
        list.add(submission);
        return submission;
    }

    /** A form's submissions, newest first (ties by conversion id), as the submissions API orders them. */
    public synchronized List<Submission> submissions(String formId) {
        List<Submission> list = submissions.get(formId);
        if (list == null) {
            return List.of();
        }
        return list.stream().sorted(NEWEST_FIRST).toList();
    }

    /** Every submission of every form, newest first. */
    public synchronized List<Submission> allSubmissions() {
        return submissions.values().stream().flatMap(List::stream).sorted(NEWEST_FIRST).toList();
    }

    public static final Comparator<Submission> NEWEST_FIRST = Comparator.comparing(Submission::submittedAt)
            .reversed().thenComparing(Submission::conversionId);
}
