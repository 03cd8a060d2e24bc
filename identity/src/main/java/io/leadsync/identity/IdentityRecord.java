package io.leadsync.identity;

import io.leadsync.connector.ExternalId;

import java.util.Arrays;
import java.util.Objects;

/**
 * A person record as identity resolution keeps it: the normalized values it is compared on, the blocking keys it is
 * found by, and the profile it belongs to. Built by {@link IdentityResolver#record} from a canonical person; stored
 * by the {@link IdentityStore} in its compact text form ({@link #encode()}), so candidates are compared without
 * normalizing them again. Immutable.
 */
public final class IdentityRecord {

    /** The normalized values, in the order of the encoded text. */
    public enum Field {
        /** First word of the given name as written ({@code bill}). */
        FIRST,
        /** That word with a nickname replaced by the formal name ({@code william}). */
        FORMAL,
        /** Family name, words joined ({@code de Vries} is {@code devries}). */
        LAST,
        /** Double Metaphone of the formal given name. */
        FIRST_CODE,
        /** Double Metaphone of the family name. */
        LAST_CODE,
        /** The mailbox (normalized, provider rules applied), null for none or a role inbox. */
        EMAIL,
        /** The local part of the mailbox. */
        LOCAL,
        /** E.164 phone number. */
        PHONE,
        /** Company name without legal forms. */
        COMPANY,
        /** Company web domain (from the website or a business email). */
        DOMAIN,
        /** Street address, abbreviations unified. */
        ADDRESS,
        CITY,
        /** Postal code, upper case without spaces. */
        POSTAL,
        /** ISO 3166 alpha-2. */
        COUNTRY,
        /** Date of birth as {@code yyyyMMdd} (digits as written when not a valid date). */
        DOB,
        /**
         * {@code e}: the names were read from the email address; {@code r}: the email is a role inbox; {@code m}:
         * the domain was read from the email address (there was no website).
         */
        FLAGS;

        private static final Field[] ALL = values();
    }

    private static final char SEPARATOR = '\u001f';

    private final ExternalId id;
    private final String profileId;
    private final String[] values;
    private final long[] keys;

    /**
     * @param id        the source record
     * @param profileId the profile it belongs to, or null while it is being resolved
     * @param values    normalized values by {@link Field} ordinal (null when missing)
     * @param keys      blocking keys (64-bit hashes)
     */
    public IdentityRecord(ExternalId id, String profileId, String[] values, long[] keys) {
        this.id = Objects.requireNonNull(id, "id");
        this.profileId = profileId;
        if (values.length != Field.ALL.length) {
            throw new IllegalArgumentException("expected " + Field.ALL.length + " values, got " + values.length);
        }
        this.values = values.clone();
        this.keys = keys.clone();
    }

    public ExternalId id() {
        return id;
    }

    /** The profile, or null while the record is being resolved. */
    public String profileId() {
        return profileId;
    }

    public String value(Field field) {
        return values[field.ordinal()];
    }

    /** The blocking keys, as 64-bit hashes. */
    public long[] keys() {
        return keys.clone();
    }

    int keyCount() {
        return keys.length;
    }

    long key(int index) {
        return keys[index];
    }

    boolean has(Field field) {
        return values[field.ordinal()] != null;
    }

    boolean flag(char flag) {
        String flags = values[Field.FLAGS.ordinal()];
        return flags != null && flags.indexOf(flag) >= 0;
    }

    /** This record in another profile. */
    public IdentityRecord withProfile(String profile) {
        return new IdentityRecord(id, profile, values, keys);
    }

    /** The values as one line of text (fields separated by U+001F), for the store. */
    public String encode() {
        StringBuilder text = new StringBuilder(128);
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                text.append(SEPARATOR);
            }
            if (values[i] != null) {
                text.append(values[i]);
            }
        }
        return text.toString();
    }

    /** A record from its stored parts; a text written by an older version (fewer fields) leaves the rest empty. */
    public static IdentityRecord decode(ExternalId id, String profileId, String text, long[] keys) {
        String[] values = new String[Field.ALL.length];
        int field = 0;
        int start = 0;
        for (int i = 0; i <= text.length() && field < values.length; i++) {
            if (i == text.length() || text.charAt(i) == SEPARATOR) {
                values[field++] = i > start ? text.substring(start, i) : null;
                start = i + 1;
            }
        }
        return new IdentityRecord(id, profileId, values, keys);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IdentityRecord that && id.equals(that.id) && Objects.equals(profileId, that.profileId)
                && Arrays.equals(values, that.values) && Arrays.equals(keys, that.keys);
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("IdentityRecord[").append(id).append(" in ").append(profileId);
        for (Field field : Field.ALL) {
            if (values[field.ordinal()] != null) {
                text.append(", ").append(field.name().toLowerCase(java.util.Locale.ROOT)).append('=')
                        .append(values[field.ordinal()]);
            }
        }
        return text.append(']').toString();
    }
}
