package io.leadsync.sandbox.hubspot.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * HubSpot's forms endpoints over {@link FormsState}, as the real ones answer:
 * <ul>
 *   <li>{@code GET /marketing/v3/forms?after=&limit=&archived=&formTypes=}: forms, {@code hubspot} ones unless
 *       {@code formTypes} names others ({@code all} for every type), paged by an opaque {@code after}
 *       (default limit 20);</li>
 *   <li>{@code GET /marketing/v3/forms/{formId}}: one form, 404 when there is none;</li>
 *   <li>{@code GET /form-integrations/v1/submissions/forms/{formGuid}?after=&limit=}: a form's submissions newest
 *       first, each {@code {conversionId, submittedAt (epoch ms), values: [{name, value}], pageUrl}}; limit 1 to 50
 *       (default 20); an opaque {@code after} that stays valid when newer submissions arrive between pages.</li>
 * </ul>
 * Both need the token's {@code forms} scope: {@link #denyScope} makes them answer HubSpot's 403
 * {@code MISSING_SCOPES}. Rate limits, 401s and injected faults are the simulator's, as for every endpoint.
 */
public final class FormsApi {
    public static final String FORMS_PATH = "/marketing/v3/forms";
    public static final String SUBMISSIONS_PATH = "/form-integrations/v1/submissions/forms/";
    private static final int DEFAULT_LIMIT = 20;
    private static final int SUBMISSIONS_LIMIT = 50;

    private final FormsState forms;
    private final Supplier<String> baseUrl;
    private final Set<String> deniedScopes = ConcurrentHashMap.newKeySet();

    public FormsApi(FormsState forms, Supplier<String> baseUrl) {
        this.forms = forms;
        this.baseUrl = baseUrl;
    }

    /** Whether a path is one of the forms endpoints. */
    public static boolean handles(String path) {
        String trimmed = path.replaceAll("/+$", "");
        return trimmed.equals(FORMS_PATH) || trimmed.startsWith(FORMS_PATH + "/")
                || trimmed.startsWith(SUBMISSIONS_PATH);
    }

    /** Takes a scope from every token ({@code forms}): its endpoints answer 403 MISSING_SCOPES until restored. */
    public void denyScope(String scope) {
        deniedScopes.add(scope);
    }

    public void restoreScopes() {
        deniedScopes.clear();
    }

    public Api.Answer handle(String method, String path, Map<String, String> query) {
        if (!"GET".equals(method)) {
            throw new ApiError(405, "METHOD_NOT_ALLOWED", "Method " + method + " is not allowed on " + path);
        }
        if (deniedScopes.contains("forms")) {
            throw missingScope("forms");
        }
        String trimmed = path.replaceAll("/+$", "");
        if (trimmed.equals(FORMS_PATH)) {
            return list(query);
        }
        if (trimmed.startsWith(SUBMISSIONS_PATH)) {
            String guid = trimmed.substring(SUBMISSIONS_PATH.length());
            if (guid.isBlank() || guid.contains("/")) {
                throw new ApiError(404, "NOT_FOUND", "No endpoint at " + path);
            }
            return submissions(guid, query);
        }
        String id = trimmed.substring(FORMS_PATH.length() + 1);
        if (id.contains("/")) {
            throw new ApiError(404, "NOT_FOUND", "No endpoint at " + path);
        }
        FormsState.Form form = forms.form(id).filter(f -> !f.archived())
                .orElseThrow(() -> ApiError.notFound("Form " + id + " was not found"));
        return new Api.Answer(200, view(form));
    }

    private Api.Answer list(Map<String, String> query) {
        int limit = limit(query, Integer.MAX_VALUE);
        boolean archived = Boolean.parseBoolean(query.getOrDefault("archived", "false"));
        Set<String> types = formTypes(query.get("formTypes"));
        List<FormsState.Form> matching = forms.forms().stream()
                .filter(form -> form.archived() == archived && types.contains(form.formType())).toList();
        int from = 0;
        if (query.containsKey("after")) {
            from = offset(query.get("after"));
        }
        int to = (int) Math.min(matching.size(), (long) from + limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("results", matching.subList(Math.min(from, matching.size()), to).stream().map(FormsApi::view).toList());
        if (to < matching.size()) {
            String next = token(Integer.toString(to));
            body.put("paging", Map.of("next", Map.of("after", next,
                    "link", baseUrl.get() + FORMS_PATH + "?after=" + next)));
        }
        return new Api.Answer(200, body);
    }

    private Api.Answer submissions(String guid, Map<String, String> query) {
        forms.form(guid).orElseThrow(() -> ApiError.notFound("Form " + guid + " was not found"));
        int limit = limit(query, SUBMISSIONS_LIMIT);
        List<FormsState.Submission> all = forms.submissions(guid);
        int from = 0;
        if (query.containsKey("after")) {
            // keyset: the first submission older than the last one shown (newer arrivals do not shift the pages)
            String[] key = decode(query.get("after")).split(":", 2);
            long millis;
            try {
                millis = Long.parseLong(key[0]);
            } catch (NumberFormatException e) {
                throw ApiError.validation("after is not valid: '" + query.get("after") + "'");
            }
            String conversionId = key.length > 1 ? key[1] : "";
            while (from < all.size() && (all.get(from).submittedAt().toEpochMilli() > millis
                    || all.get(from).submittedAt().toEpochMilli() == millis
                    && all.get(from).conversionId().compareTo(conversionId) <= 0)) {
                from++;
            }
        }
        int to = Math.min(all.size(), from + limit);
        List<Map<String, Object>> results = new ArrayList<>();
        for (FormsState.Submission submission : all.subList(from, to)) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("conversionId", submission.conversionId());
            view.put("submittedAt", submission.submittedAt().toEpochMilli());
            view.put("values", submission.values().entrySet().stream()
                    .map(value -> Map.of("name", value.getKey(), "value", value.getValue())).toList());
            view.put("pageUrl", submission.pageUrl());
            results.add(view);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("results", results);
        if (to < all.size()) {
            FormsState.Submission last = all.get(to - 1);
            String next = token(last.submittedAt().toEpochMilli() + ":" + last.conversionId());
            body.put("paging", Map.of("next", Map.of("after", next,
                    "link", baseUrl.get() + SUBMISSIONS_PATH + guid + "?after=" + next)));
        }
        return new Api.Answer(200, body);
    }

    /** A form as the v3 API shows it: the fields that identify a contact, in one group each. */
    static Map<String, Object> view(FormsState.Form form) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", form.id());
        view.put("name", form.name());
        view.put("formType", form.formType());
        view.put("createdAt", form.createdAt().toString());
        view.put("updatedAt", form.updatedAt().toString());
        view.put("archived", form.archived());
        List<Map<String, Object>> groups = new ArrayList<>();
        for (String[] field : new String[][] {{"email", "Email", "email"}, {"firstname", "First name",
            "single_line_text"}, {"lastname", "Last name", "single_line_text"}, {"company", "Company name",
            "single_line_text"}}) {
            Map<String, Object> definition = new LinkedHashMap<>();
            definition.put("objectTypeId", "0-1");
            definition.put("name", field[0]);
            definition.put("label", field[1]);
            definition.put("required", "email".equals(field[0]));
            definition.put("hidden", false);
            definition.put("fieldType", field[2]);
            groups.add(Map.of("groupType", "default_group", "richTextType", "text", "fields", List.of(definition)));
        }
        view.put("fieldGroups", groups);
        view.put("configuration", Map.of("language", "en", "createNewContactForNewEmail", true, "editable", true,
                "archivable", true, "recaptchaEnabled", false, "notifyContactOwner", false));
        view.put("legalConsentOptions", Map.of("type", "none"));
        return view;
    }

    private static Set<String> formTypes(String requested) {
        if (requested == null || requested.isBlank()) {
            return Set.of("hubspot");
        }
        Set<String> types = new java.util.LinkedHashSet<>();
        for (String type : requested.split(",")) {
            String name = type.strip();
            if ("all".equals(name)) {
                return Set.copyOf(FormsState.FORM_TYPES);
            }
            if (!FormsState.FORM_TYPES.contains(name)) {
                throw ApiError.validation("formTypes: '" + name + "' is not one of " + FormsState.FORM_TYPES
                        + " or all");
            }
            types.add(name);
        }
        return types;
    }

    private static int limit(Map<String, String> query, int max) {
        String text = query.get("limit");
        int limit;
        try {
            limit = text == null ? DEFAULT_LIMIT : Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiError.validation("limit must be a number but was '" + text + "'");
        }
        if (limit < 1 || limit > max) {
            throw ApiError.validation("limit must be between 1 and " + (max == Integer.MAX_VALUE ? "its maximum"
                    : Integer.toString(max)) + " but was " + limit);
        }
        return limit;
    }

    private static int offset(String after) {
        try {
            return Integer.parseInt(decode(after));
        } catch (NumberFormatException e) {
            throw ApiError.validation("after is not valid: '" + after + "'");
        }
    }

    private static String token(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.validation("after is not valid: '" + token + "'");
        }
    }

    /** HubSpot's answer to a token without a scope the call needs. */
    static ApiError missingScope(String scope) {
        return new ApiError(403, "MISSING_SCOPES", "This app hasn't been granted all required scopes to make this"
                + " call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
                Map.of("errors", List.of(Map.of("message", "One or more of the following scopes are required.",
                        "context", Map.of("requiredGranularScopes", List.of(scope)))),
                        "links", Map.of("scopes", "https://developers.hubspot.com/scopes")));
    }
}
