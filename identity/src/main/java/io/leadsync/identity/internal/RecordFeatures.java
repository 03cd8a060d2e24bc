package io.leadsync.identity.internal;

import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import io.leadsync.identity.AddressNormalizer;
import io.leadsync.identity.CompanyNormalizer;
import io.leadsync.identity.CountryNormalizer;
import io.leadsync.identity.DateOfBirthNormalizer;
import io.leadsync.identity.DomainNormalizer;
import io.leadsync.identity.EmailNormalizer;
import io.leadsync.identity.IdentityRecord;
import io.leadsync.identity.IdentityRecord.Field;
import io.leadsync.identity.NameNormalizer;
import io.leadsync.identity.PhoneNormalizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a canonical person into the values identity resolution compares and the keys it finds candidates by.
 *
 * <p>Names: honorifics and suffixes dropped, a full name typed into the first-name field split ({@code Jennifer
 * Brown} with no last name; {@code Brown, Jennifer}), the given name's nickname mapped to the formal name, both
 * names' Double Metaphone codes. A record without names gets them from a personal email address ({@code
 * jen.brown@...} is Jen Brown) so nameless analytics profiles are found by name too. A role inbox ({@code info@},
 * {@code sales@}: see {@code role-inboxes.txt}) is no email of a person: it is neither compared nor a key.
 *
 * <p>Blocking keys (hashed to 64 bits; the first letter names the family): the ids it stores for other systems
 * ({@code i}), the mailbox ({@code e}) and its local part ({@code l}), last name with the
 * given name's initial ({@code n}), given name with the last name's initial ({@code f}), both names' sounds
 * ({@code s}), both names in alphabetical order (found when they were typed into each other's field, for records
 * without both an email and a phone, which find their duplicates by those: {@code w}),
 * date of birth ({@code b}), phone ({@code p}), company domain with the given name's initial
 * ({@code d}), company with the start of the last name ({@code c}), postal code with the last name's initial
 * ({@code z}), and the street address ({@code a}). Thread-safe.
 */
public final class RecordFeatures {
    private static final Set<String> ROLE_WORDS = load("/io/leadsync/identity/role-inboxes.txt");
    private static final Set<String> HONORIFICS = Set.of("mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir",
            "madam", "herr", "frau", "mme", "mlle", "m");
    private static final Set<String> SUFFIXES = Set.of("jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "mba",
            "dds", "cpa");

    private final NameNormalizer names = new NameNormalizer();
    private final EmailNormalizer emails;
    private final PhoneNormalizer phones;
    private final CompanyNormalizer companies = new CompanyNormalizer();
    private final DomainNormalizer domains = new DomainNormalizer();
    private final CountryNormalizer countries = new CountryNormalizer();
    private final AddressNormalizer addresses = new AddressNormalizer();
    private final DateOfBirthNormalizer dates = new DateOfBirthNormalizer();

    public RecordFeatures(EmailNormalizer emails, PhoneNormalizer phones) {
        this.emails = emails;
        this.phones = phones;
    }

    /** The record of a person, in no profile yet. */
    public IdentityRecord record(Person person) {
        String[] values = new String[Field.values().length];
        StringBuilder flags = new StringBuilder(2);

        String mailbox = emails.mailbox(person.email()).orNull();
        if (mailbox != null) {
            String local = mailbox.substring(0, mailbox.lastIndexOf('@'));
            if (isRoleInbox(local)) {
                flags.append('r');
            } else {
                values[Field.EMAIL.ordinal()] = mailbox;
                values[Field.LOCAL.ordinal()] = local;
            }
        }

        String[] parsed = names(person.firstName(), person.lastName());
        if (parsed[0] == null && parsed[1] == null && values[Field.LOCAL.ordinal()] != null) {
            parsed = namesFromLocalPart(values[Field.LOCAL.ordinal()]);
            if (parsed[0] != null) {
                flags.append('e');
            }
        }
        String first = parsed[0];
        String last = parsed[1];
        values[Field.FIRST.ordinal()] = first;
        if (first != null) {
            String formal = NameNormalizer.formal(first);
            values[Field.FORMAL.ordinal()] = formal;
            values[Field.FIRST_CODE.ordinal()] = first.length() > 1 ? Similarity.phonetic(formal) : null;
        }
        values[Field.LAST.ordinal()] = last;
        values[Field.LAST_CODE.ordinal()] = last == null ? null : Similarity.phonetic(last);

        String phone = person.phone() != null ? person.phone() : person.attributes().get("mobilephone");
        values[Field.PHONE.ordinal()] = phones.normalize(phone).orNull();
        values[Field.COMPANY.ordinal()] = companies.normalize(person.company()).orNull();
        String domain = domains.fromWebsite(person.domain()).orNull();
        if (domain == null && mailbox != null) {
            domain = domains.fromEmail(mailbox).orNull();
            if (domain != null) {
                flags.append('m');
            }
        }
        values[Field.DOMAIN.ordinal()] = domain;
        values[Field.ADDRESS.ordinal()] = addresses.normalize(person.address()).orNull();
        values[Field.CITY.ordinal()] = names.normalize(person.city()).orNull();
        values[Field.POSTAL.ordinal()] = addresses.postalCode(person.postalCode()).orNull();
        values[Field.COUNTRY.ordinal()] = countries.normalize(person.country()).orNull();
        values[Field.DOB.ordinal()] = dates.normalize(person.dateOfBirth()).orNull();
        values[Field.FLAGS.ordinal()] = flags.length() == 0 ? null : flags.toString();
        return new IdentityRecord(person.id(), null, values, keys(person, values));
    }

    /** Given name and family name, cleaned and split; either may be null. */
    String[] names(String firstRaw, String lastRaw) {
        if (firstRaw != null && lastRaw == null && firstRaw.indexOf(',') > 0) {
            int comma = firstRaw.indexOf(',');
            lastRaw = firstRaw.substring(0, comma);
            firstRaw = firstRaw.substring(comma + 1);
        }
        List<String> given = words(names.normalize(firstRaw).orNull());
        List<String> family = words(names.normalize(lastRaw).orNull());
        while (!given.isEmpty() && HONORIFICS.contains(given.get(0)) && given.size() > 1) {
            given.remove(0);
        }
        while (!family.isEmpty() && SUFFIXES.contains(family.get(family.size() - 1)) && family.size() > 1) {
            family.remove(family.size() - 1);
        }
        while (given.size() > 1 && SUFFIXES.contains(given.get(given.size() - 1))) {
            given.remove(given.size() - 1);
        }
        if (family.isEmpty() && given.size() >= 2) {
            family.add(given.remove(given.size() - 1));
        } else if (!family.isEmpty() && given.size() >= 2
                && String.join("", given.subList(1, given.size())).equals(String.join("", family))) {
            given = new ArrayList<>(given.subList(0, 1));
        }
        String first = given.isEmpty() ? null : given.get(0);
        String last = family.isEmpty() ? null : String.join("", family);
        return new String[] {first, last};
    }

    /** Names read from an address's local part: {@code jen.brown}, {@code jen_brown}, {@code j.brown}. */
    static String[] namesFromLocalPart(String local) {
        int plus = local.indexOf('+');
        String text = plus > 0 ? local.substring(0, plus) : local;
        List<String> words = new ArrayList<>();
        for (String word : text.split("[._-]+")) {
            String letters = word.replaceAll("[^a-z]", "");
            if (!letters.isEmpty()) {
                words.add(letters);
            }
        }
        if (words.size() < 2 || words.get(words.size() - 1).length() < 2) {
            return new String[2];
        }
        return new String[] {words.get(0), words.get(words.size() - 1)};
    }

    /** Whether an address's local part names a team rather than a person. */
    public static boolean isRoleInbox(String local) {
        boolean role = false;
        for (String word : local.split("[._+\\-0-9]+")) {
            if (word.isEmpty()) {
                continue;
            }
            if (ROLE_WORDS.contains(word)) {
                role = true;
            } else if (word.length() > 2) {
                return false;
            }
        }
        return role;
    }

    private static List<String> words(String text) {
        return text == null ? new ArrayList<>() : new ArrayList<>(Arrays.asList(text.split(" ")));
    }

    private static long[] keys(Person person, String[] values) {
        List<String> keys = new ArrayList<>(14);
        for (ExternalId linked : person.linkedIds()) {
            keys.add("i|" + linked.source() + ":" + linked.id());
        }
        String formal = values[Field.FORMAL.ordinal()];
        String last = values[Field.LAST.ordinal()];
        String email = values[Field.EMAIL.ordinal()];
        String local = values[Field.LOCAL.ordinal()];
        if (email != null) {
            keys.add("e|" + email);
            if (local.length() >= 2) {
                keys.add("l|" + local);
            }
        }
        if (formal != null && last != null) {
            keys.add("n|" + last + "|" + formal.charAt(0));
            String first = values[Field.FIRST.ordinal()];
            boolean identified = values[Field.PHONE.ordinal()] != null && email != null;
            if (formal.length() > 1) {
                keys.add("f|" + formal + "|" + last.charAt(0));
            }
            if (first.length() > 1 && !identified) {
                keys.add(first.compareTo(last) < 0 ? "w|" + first + "|" + last : "w|" + last + "|" + first);
            }
            String firstCode = values[Field.FIRST_CODE.ordinal()];
            String lastCode = values[Field.LAST_CODE.ordinal()];
            if (firstCode != null && lastCode != null) {
                keys.add("s|" + lastCode + "|" + firstCode);
            }
        }
        add(keys, "b|", values[Field.DOB.ordinal()]);
        String city = values[Field.CITY.ordinal()];
        if (city != null && formal != null) {
            keys.add("t|" + city + "|" + formal);
        }
        if (city != null && last != null) {
            keys.add("u|" + city + "|" + last);
        }
        add(keys, "p|", values[Field.PHONE.ordinal()]);
        String domain = values[Field.DOMAIN.ordinal()];
        if (domain != null && formal != null) {
            keys.add("d|" + domain + "|" + formal.charAt(0));
        }
        String company = values[Field.COMPANY.ordinal()];
        if (company != null && last != null) {
            keys.add("c|" + company + "|" + last.substring(0, Math.min(3, last.length())));
        }
        String postal = values[Field.POSTAL.ordinal()];
        if (postal != null && last != null) {
            keys.add("z|" + postal + "|" + last.charAt(0));
        }
        add(keys, "a|", values[Field.ADDRESS.ordinal()]);
        long[] hashes = new long[keys.size()];
        int count = 0;
        for (String key : keys) {
            long hash = BlockingKeys.hash(key);
            boolean seen = false;
            for (int i = 0; i < count && !seen; i++) {
                seen = hashes[i] == hash;
            }
            if (!seen) {
                hashes[count++] = hash;
            }
        }
        return Arrays.copyOf(hashes, count);
    }

    /**
     * The key of a record id. A record holds the keys of the ids it stores for other systems; a record arriving looks
     * up the key of its own id to find the records that store it.
     */
    public static long idKey(ExternalId id) {
        return BlockingKeys.hash("i|" + id.source() + ":" + id.id());
    }

    private static void add(List<String> keys, String prefix, String value) {
        if (value != null) {
            keys.add(prefix + value);
        }
    }

    private static Set<String> load(String resource) {
        Set<String> words = new HashSet<>();
        try (InputStream in = RecordFeatures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String word = line.strip().toLowerCase(Locale.ROOT);
                if (!word.isEmpty() && !word.startsWith("#")) {
                    words.add(word);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(words);
    }
}
