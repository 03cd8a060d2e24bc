package io.leadsync.connector;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A person as one source knows them: a HubSpot contact, a Salesforce lead or contact, a Mixpanel profile.
 *
 * <p>Every text field is null when unknown (never blank). Values are as the source holds them after trimming;
 * the identity module normalizes them (case, accents, E.164 phones) for matching.
 *
 * @param id         the record's id in its source
 * @param email      primary email address
 * @param firstName  given name
 * @param lastName   family name
 * @param title      job title
 * @param company    company or account name
 * @param domain     company web domain, e.g. {@code acme.com}
 * @param country    country name or ISO code as the source gives it
 * @param phone      phone number as the source gives it
 * @param address    street address (number, street, unit) as the source gives it
 * @param city       city or town
 * @param postalCode postal or ZIP code
 * @param dateOfBirth date of birth as the source gives it (ISO {@code 1984-03-07} where the vendor has a date field)
 * @param ownerId    the CRM user who owns the record (follow-up tasks are assigned to them)
 * @param updatedAt  when the source last modified the record
 * @param linkedIds  ids this source stores for the same person in other systems (e.g. a Salesforce id kept in a
 *                   HubSpot property), and ids of records merged into this one
 * @param attributes further fields by the source's field name (industry, lifecycle stage, employees...)
 */
public record Person(
        ExternalId id,
        String email,
        String firstName,
        String lastName,
        String title,
        String company,
        String domain,
        String country,
        String phone,
        String address,
        String city,
        String postalCode,
        String dateOfBirth,
        String ownerId,
        Instant updatedAt,
        Set<ExternalId> linkedIds,
        Map<String, String> attributes) implements CanonicalRecord {

    public Person {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(updatedAt, "updatedAt");
        email = Values.blankToNull(email);
        firstName = Values.blankToNull(firstName);
        lastName = Values.blankToNull(lastName);
        title = Values.blankToNull(title);
        company = Values.blankToNull(company);
        domain = Values.blankToNull(domain);
        country = Values.blankToNull(country);
        phone = Values.blankToNull(phone);
        address = Values.blankToNull(address);
        city = Values.blankToNull(city);
        postalCode = Values.blankToNull(postalCode);
        dateOfBirth = Values.blankToNull(dateOfBirth);
        ownerId = Values.blankToNull(ownerId);
        linkedIds = linkedIds == null ? Set.of() : java.util.Collections.unmodifiableSet(new TreeSet<>(linkedIds));
        attributes = Values.copyWithoutNulls(attributes);
    }

    public static Builder builder(ExternalId id, Instant updatedAt) {
        return new Builder(id, updatedAt);
    }

    /** A builder that starts from this person's values. */
    public Builder toBuilder() {
        return new Builder(id, updatedAt).email(email).firstName(firstName).lastName(lastName).title(title)
                .company(company).domain(domain).country(country).phone(phone).address(address).city(city)
                .postalCode(postalCode).dateOfBirth(dateOfBirth).ownerId(ownerId)
                .linkedIds(linkedIds).attributes(attributes);
    }

    /** This person with another modification time. */
    public Person withUpdatedAt(Instant time) {
        return new Person(id, email, firstName, lastName, title, company, domain, country, phone, address, city,
                postalCode, dateOfBirth, ownerId, time, linkedIds, attributes);
    }

    /** The value of a canonical field by name ({@code email}, {@code title}...) or else of an attribute. */
    public String field(String name) {
        return switch (name) {
            case "email" -> email;
            case "first-name", "firstName" -> firstName;
            case "last-name", "lastName" -> lastName;
            case "title" -> title;
            case "company" -> company;
            case "domain" -> domain;
            case "country" -> country;
            case "phone" -> phone;
            case "address" -> address;
            case "city" -> city;
            case "postal-code", "postalCode" -> postalCode;
            case "date-of-birth", "dateOfBirth" -> dateOfBirth;
            case "owner-id", "ownerId" -> ownerId;
            default -> attributes.get(name);
        };
    }

    /** Builds a {@link Person}; every setter accepts null for "unknown". */
    public static final class Builder {
        private final ExternalId id;
        private final Instant updatedAt;
        private String email;
        private String firstName;
        private String lastName;
        private String title;
        private String company;
        private String domain;
        private String country;
        private String phone;
        private String address;
        private String city;
        private String postalCode;
        private String dateOfBirth;
        private String ownerId;
        private Set<ExternalId> linkedIds = Set.of();
        private Map<String, String> attributes = Map.of();

        private Builder(ExternalId id, Instant updatedAt) {
            this.id = id;
            this.updatedAt = updatedAt;
        }

        public Builder email(String value) { this.email = value; return this; }
        public Builder firstName(String value) { this.firstName = value; return this; }
        public Builder lastName(String value) { this.lastName = value; return this; }
        public Builder title(String value) { this.title = value; return this; }
        public Builder company(String value) { this.company = value; return this; }
        public Builder domain(String value) { this.domain = value; return this; }
        public Builder country(String value) { this.country = value; return this; }
        public Builder phone(String value) { this.phone = value; return this; }
        public Builder address(String value) { this.address = value; return this; }
        public Builder city(String value) { this.city = value; return this; }
        public Builder postalCode(String value) { this.postalCode = value; return this; }
        public Builder dateOfBirth(String value) { this.dateOfBirth = value; return this; }
        public Builder ownerId(String value) { this.ownerId = value; return this; }
        public Builder linkedIds(Set<ExternalId> value) { this.linkedIds = value; return this; }
        public Builder attributes(Map<String, String> value) { this.attributes = value; return this; }

        public Person build() {
            return new Person(id, email, firstName, lastName, title, company, domain, country, phone, address, city,
                    postalCode, dateOfBirth, ownerId, updatedAt, linkedIds, attributes);
        }
    }
}
