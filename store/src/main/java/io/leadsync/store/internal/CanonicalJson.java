package io.leadsync.store.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.leadsync.connector.Activity;
import io.leadsync.connector.Person;
import io.leadsync.connector.ScoreReason;
import io.leadsync.store.StoreException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * JSON for canonical values as the store keeps them. Sorted keys and ISO instants make the text stable, so equal
 * values have equal hashes ({@link #hash}).
 */
public final class CanonicalJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addMixIn(Person.class, PersonFieldsAddedLater.class)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };
    private static final TypeReference<List<ScoreReason>> REASONS = new TypeReference<>() { };

    private CanonicalJson() {
    }

    /**
     * Person fields added after persons were first stored are written only when they have a value, so a person
     * stored before keeps its text and its hash ({@link #hash}): an upgrade does not make every record look changed.
     */
    private abstract static class PersonFieldsAddedLater {
        @JsonInclude(JsonInclude.Include.NON_NULL)
        abstract String address();

        @JsonInclude(JsonInclude.Include.NON_NULL)
        abstract String city();

        @JsonInclude(JsonInclude.Include.NON_NULL)
        abstract String postalCode();

        @JsonInclude(JsonInclude.Include.NON_NULL)
        abstract String dateOfBirth();
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot write " + value.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    public static Person person(String json) {
        return read(json, Person.class);
    }

    public static Activity activity(String json) {
        return read(json, Activity.class);
    }

    public static Map<String, String> stringMap(String json) {
        try {
            return MAPPER.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored JSON is not a map of strings: " + e.getOriginalMessage(), e);
        }
    }

    public static List<ScoreReason> reasons(String json) {
        try {
            return MAPPER.readValue(json, REASONS);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored score reasons are not readable: " + e.getOriginalMessage(), e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored " + type.getSimpleName() + " is not readable: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** SHA-256 of a text, hex. */
    public static String hash(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
