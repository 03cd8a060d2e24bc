package io.leadsync.connector;

/**
 * Who an activity belongs to: the person's id in a source, their email, or both. At least one is present.
 * An activity whose person is not known yet is kept and linked when the person arrives.
 */
public record PersonRef(ExternalId id, String email) {
    public PersonRef {
        email = Values.blankToNull(email);
        if (id == null && email == null) {
            throw new IllegalArgumentException("a person reference needs an id or an email");
        }
    }

    public static PersonRef of(ExternalId id) {
        return new PersonRef(id, null);
    }

    public static PersonRef ofEmail(String email) {
        return new PersonRef(null, email);
    }
}
