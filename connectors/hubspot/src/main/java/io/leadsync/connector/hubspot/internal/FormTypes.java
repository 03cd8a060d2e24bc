package io.leadsync.connector.hubspot.internal;

import io.leadsync.connector.ActivityTypes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The activity type a HubSpot form's submissions become: the one configured for the form (by its id, else by its
 * name ignoring case), else one guessed from the form's name:
 * <ul>
 *   <li>"demo" → {@code demo_request};</li>
 *   <li>"contact sales", "talk to sales", "pricing", "quote" → {@code contact_sales};</li>
 *   <li>"webinar" → {@code webinar};</li>
 *   <li>"ebook", "e-book", "whitepaper", "white paper", "case study", "download" → {@code content_download};</li>
 *   <li>anything else → {@code form_submit}.</li>
 * </ul>
 */
public final class FormTypes {
    private static final List<Map.Entry<List<String>, String>> BY_NAME = List.of(
            Map.entry(List.of("demo"), ActivityTypes.DEMO_REQUEST),
            Map.entry(List.of("contact sales", "talk to sales", "pricing", "quote"), ActivityTypes.CONTACT_SALES),
            Map.entry(List.of("webinar"), ActivityTypes.WEBINAR),
            Map.entry(List.of("ebook", "e-book", "whitepaper", "white paper", "case study", "download"),
                    ActivityTypes.CONTENT_DOWNLOAD));

    private final Map<String, String> configured;

    /** @param configured form id or name to activity type, as the connector's settings give it */
    public FormTypes(Map<String, String> configured) {
        Map<String, String> keys = new LinkedHashMap<>();
        configured.forEach((form, type) -> keys.put(form.strip().toLowerCase(Locale.ROOT), type));
        this.configured = Map.copyOf(keys);
    }

    /** The activity type of a form's submissions. */
    public String typeOf(String formId, String formName) {
        String byId = configured.get(formId.toLowerCase(Locale.ROOT));
        if (byId != null) {
            return byId;
        }
        String name = formName == null ? "" : formName.strip().toLowerCase(Locale.ROOT);
        String byName = configured.get(name);
        return byName != null ? byName : guess(name);
    }

    /** The type guessed from a form's name alone (see the class documentation). */
    public static String guess(String formName) {
        String name = formName == null ? "" : formName.toLowerCase(Locale.ROOT);
        for (Map.Entry<List<String>, String> rule : BY_NAME) {
            if (rule.getKey().stream().anyMatch(name::contains)) {
                return rule.getValue();
            }
        }
        return ActivityTypes.FORM_SUBMIT;
    }
}
