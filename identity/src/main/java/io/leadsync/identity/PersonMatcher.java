package io.leadsync.identity;

import io.leadsync.connector.Person;
import io.leadsync.identity.linkage.Similarity;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Probabilistic matching of a person record against a profile's golden record, for records no deterministic link
 * joins (another email, a nickname, a typo). Fellegi-Sunter: each field's agreement level multiplies the odds by
 * {@code m/u} (how much likelier that level is between records of one person than between two people), starting
 * from the prior odds that two records sharing a blocking key are one person. The weights are set for CRM person
 * data and can be given in config; {@code eval-identity} estimates them from labelled data.
 *
 * <p>Fields, normalized first: given name (nicknames to the formal name), last name, company (legal forms
 * dropped), company domain, phone (E.164), country (ISO code). A missing value on either side is no evidence.
 * Thread-safe; it keeps the normalized values of the last 50,000 persons it saw, since one golden record is
 * compared with many new records.
 */
public final class PersonMatcher {

    /**
     * A profile the record may be.
     *
     * @param profileId   the candidate profile
     * @param probability that the record is that person
     * @param evidence    which fields agree and disagree, e.g. {@code first name, last name, company agree; phone
     *                    differs}
     */
    public record Match(String profileId, double probability, String evidence) {
    }

    /**
     * The decision thresholds and the prior.
     *
     * @param matchProbability  at or above it, the record joins the profile
     * @param reviewProbability at or above it (below a match), the pair is kept for review
     * @param priorOdds         odds that two records sharing a blocking key are one person
     */
    public record Settings(double matchProbability, double reviewProbability, double priorOdds) {
        public Settings {
            if (!(reviewProbability > 0 && reviewProbability <= matchProbability && matchProbability < 1)) {
                throw new IllegalArgumentException("need 0 < review-probability <= match-probability < 1, got "
                        + reviewProbability + " and " + matchProbability);
            }
            if (!(priorOdds > 0)) {
                throw new IllegalArgumentException("prior odds must be above 0, got " + priorOdds);
            }
        }

        public static Settings defaults() {
            return new Settings(0.9, 0.3, 1e-4);
        }
    }

    /** Per field: m and u for each level (exact, close, far, different); names as reasons show them. */
    private static final String[] FIELD_NAMES = {"first name", "last name", "company", "domain", "phone", "country"};
    private static final double[][] M = {{0.88, 0.06, 0.03, 0.03}, {0.90, 0.05, 0.02, 0.03}, {0.75, 0.15, 0.10},
            {0.85, 0.15}, {0.75, 0.10, 0.15}, {0.95, 0.05}};
    private static final double[][] U = {{0.02, 0.005, 0.01, 0.965}, {0.005, 0.002, 0.005, 0.988},
            {0.01, 0.005, 0.985}, {0.01, 0.99}, {0.0001, 0.0005, 0.9994}, {0.30, 0.70}};

    private final Settings settings;
    private final NameNormalizer names = new NameNormalizer();
    private final CompanyNormalizer companies = new CompanyNormalizer();
    private final DomainNormalizer domains = new DomainNormalizer();
    private final CountryNormalizer countries = new CountryNormalizer();
    private final PhoneNormalizer phones;

    /** @param defaultRegion the region of phone numbers written without a country code */
    public PersonMatcher(Settings settings, String defaultRegion) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.phones = new PhoneNormalizer(defaultRegion);
    }

    public Settings settings() {
        return settings;
    }

    /**
     * The keys a record is found by: records sharing one are compared, no others. Last name with the given name's
     * initial, the phone, and the company with the last name's start.
     */
    public Set<String> blockingKeys(Person person) {
        String[] values = values(person);
        Set<String> keys = new LinkedHashSet<>();
        if (values[1] != null && values[0] != null) {
            keys.add("n:" + values[1] + "|" + values[0].charAt(0));
        }
        if (values[4] != null) {
            keys.add("p:" + values[4]);
        }
        if (values[2] != null && values[1] != null) {
            keys.add("c:" + values[2] + "|" + values[1].substring(0, Math.min(3, values[1].length())));
        }
        return keys;
    }

    /** How likely the record is the person of the golden record. */
    public Match compare(Person record, Person golden, String profileId) {
        String[] a = values(record);
        String[] b = values(golden);
        double logOdds = Math.log(settings.priorOdds());
        List<String> agree = new ArrayList<>();
        List<String> differ = new ArrayList<>();
        for (int i = 0; i < FIELD_NAMES.length; i++) {
            if (a[i] == null || b[i] == null) {
                continue;
            }
            int level = level(i, a[i], b[i]);
            logOdds += Math.log(M[i][level] / U[i][level]);
            if (level == M[i].length - 1) {
                differ.add(FIELD_NAMES[i]);
            } else {
                agree.add(FIELD_NAMES[i]);
            }
        }
        double probability = 1 / (1 + Math.exp(-logOdds));
        String evidence = (agree.isEmpty() ? "nothing agrees" : String.join(", ", agree) + " agree")
                + (differ.isEmpty() ? "" : "; " + String.join(", ", differ) + " differ");
        return new Match(profileId, probability, evidence);
    }

    private static int level(int field, String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        switch (field) {
            case 0, 1 -> {
                double similarity = Similarity.jaroWinkler(a, b);
                return similarity >= 0.94 ? 1 : similarity >= 0.85 || Similarity.soundsAlike(a, b) ? 2 : 3;
            }
            case 2 -> {
                return Similarity.jaroWinkler(a, b) >= 0.92 || Similarity.tokenOverlap(a, b) == 1 ? 1 : 2;
            }
            case 4 -> {
                return Similarity.editDistance(a, b, 1) <= 1 ? 1 : 2;
            }
            default -> {
                return M[field].length - 1;
            }
        }
    }

    /** Normalized values of recently seen persons: a profile's golden record is compared with many records. */
    private final Map<Person, String[]> recent = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Person, String[]> eldest) {
                    return size() > RECENT_PERSONS;
                }
            });
    private static final int RECENT_PERSONS = 50_000;

    /** The record's normalized values: given name, last name, company, domain, phone, country (null if none). */
    private String[] values(Person person) {
        String[] cached = recent.get(person);
        if (cached == null) {
            cached = normalizedValues(person);
            recent.put(person, cached);
        }
        return cached;
    }

    private String[] normalizedValues(Person person) {
        String domain = domains.fromWebsite(person.domain()).orNull();
        if (domain == null) {
            domain = domains.fromEmail(person.email()).orNull();
        }
        String phone = person.phone();
        if (phone == null) {
            phone = person.attributes().get("mobilephone");
        }
        return new String[] {names.givenName(person.firstName()).orNull(), names.normalize(person.lastName()).orNull(),
                companies.normalize(person.company()).orNull(), domain, phones.normalize(phone).orNull(),
                countries.normalize(person.country()).orNull()};
    }

    @Override
    public String toString() {
        return "PersonMatcher" + settings.toString().toLowerCase(Locale.ROOT).replace("settings", "");
    }
}
