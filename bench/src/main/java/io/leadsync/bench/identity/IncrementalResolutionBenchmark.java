package io.leadsync.bench.identity;

import io.leadsync.bench.PeakHeap;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import io.leadsync.identity.EmailNormalizer;
import io.leadsync.identity.IdentityResolver;
import io.leadsync.identity.LinkDecision;
import io.leadsync.identity.PersonMatcher;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Resolves N generated contacts (default 1,000,000) one by one, as the pipeline does: deterministic links by id and
 * email, then probable matches against the profiles sharing a blocking key, with the links kept in memory indexes
 * in place of the store. About 3% of contacts are planted duplicates of earlier ones: a re-cased email, a nickname
 * with a personal email, or a typo in the last name with the same phone. Prints time, throughput, peak heap, and
 * precision and recall of the planted duplicates.
 *
 * <pre>{@code java -Xms8g -Xmx8g -XX:+UseParallelGC -cp bench/target/leadsync-bench.jar \
 *     io.leadsync.bench.identity.IncrementalResolutionBenchmark --records 1000000}</pre>
 */
public final class IncrementalResolutionBenchmark {
    private static final Instant NOW = Instant.parse("2026-11-01T00:00:00Z");
    private static final String[] FIRST = {"James", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "William",
            "Linda", "David", "Elizabeth", "Richard", "Barbara", "Joseph", "Susan", "Thomas", "Jessica", "Daniel",
            "Sarah", "Matthew", "Karen", "Anthony", "Nancy", "Andrew", "Lisa", "Joshua", "Sandra", "Kenneth", "Ana",
            "Lucas", "Sofia", "Mateo", "Emma", "Noah", "Olivia", "Liam", "Mia", "Arjun", "Priya", "Wei", "Yuki"};
    private static final Map<String, String> NICKNAMES = Map.of("James", "Jim", "Robert", "Bob", "Michael", "Mike",
            "William", "Bill", "Elizabeth", "Liz", "Joseph", "Joe", "Thomas", "Tom", "Daniel", "Dan", "Andrew",
            "Andy");
    private static final String[] SYLLABLES = {"ka", "ro", "mi", "tan", "sel", "ber", "vo", "lin", "dra", "mo",
            "ne", "gar", "sto", "pe", "wil", "son", "ha", "ri", "zu", "lo", "fer", "chi", "an", "da"};
    private static final String[] COUNTRIES = {"US", "US", "US", "GB", "DE", "FR", "IN", "BR", "CA", "AU"};

    private IncrementalResolutionBenchmark() {
    }

    public static void main(String[] args) {
        int records = 1_000_000;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--records")) {
                records = Integer.parseInt(args[++i]);
            }
        }
        List<Person> contacts = new ArrayList<>(records);
        Map<Integer, Integer> duplicateOf = new HashMap<>();
        generate(records, contacts, duplicateOf);
        System.gc();
        PeakHeap.reset();

        IdentityResolver resolver = new IdentityResolver(new PersonMatcher(PersonMatcher.Settings.defaults(), "US"));
        EmailNormalizer emails = new EmailNormalizer();
        Map<ExternalId, String> profileOf = new HashMap<>();
        Map<String, List<String>> byEmail = new HashMap<>();
        Map<String, List<String>> byKey = new HashMap<>();
        Map<String, List<Person>> persons = new HashMap<>();
        IdentityResolver.Links links = new IdentityResolver.Links() {
            @Override
            public Optional<String> profileOf(ExternalId person) {
                return Optional.ofNullable(profileOf.get(person));
            }

            @Override
            public List<String> profilesWithEmail(String normalizedEmail) {
                return byEmail.getOrDefault(normalizedEmail, List.of());
            }

            @Override
            public List<String> profilesWithKeys(Set<String> keys) {
                List<String> found = new ArrayList<>();
                for (String key : keys) {
                    for (String profile : byKey.getOrDefault(key, List.of())) {
                        if (found.size() == 20) {
                            return found;   // as the store's query: at most 20 candidates
                        }
                        if (!found.contains(profile)) {
                            found.add(profile);
                        }
                    }
                }
                return found;
            }

            @Override
            public List<Person> personsOf(String profileId) {
                return persons.getOrDefault(profileId, List.of());
            }
        };

        long started = System.nanoTime();
        String[] profileOfIndex = new String[records];
        long probable = 0;
        long possible = 0;
        for (int i = 0; i < records; i++) {
            Person person = contacts.get(i);
            String email = emails.normalize(person.email()).orNull();
            LinkDecision decision = resolver.resolve(person, email, links);
            profileOfIndex[i] = decision.profileId();
            profileOf.put(person.id(), decision.profileId());
            persons.computeIfAbsent(decision.profileId(), id -> new ArrayList<>(1)).add(person);
            if (email != null && decision.newProfile()) {
                byEmail.computeIfAbsent(email, e -> new ArrayList<>(1)).add(decision.profileId());
            }
            for (String key : resolver.blockingKeys(person)) {
                List<String> holders = byKey.computeIfAbsent(key, k -> new ArrayList<>(1));
                if (!holders.contains(decision.profileId())) {
                    holders.add(decision.profileId());
                }
            }
            probable += decision.reason().startsWith("probable match") ? 1 : 0;
            possible += decision.possibleMatches().size();
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        long truePositives = 0;
        long joined = 0;
        for (int i = 0; i < records; i++) {
            if (!profileOfIndex[i].equals(profileOf.get(new ExternalId("gen", "c" + i)))) {
                throw new IllegalStateException("index and map disagree at " + i);
            }
        }
        Map<String, Integer> firstOfProfile = new HashMap<>();
        for (int i = 0; i < records; i++) {
            Integer first = firstOfProfile.putIfAbsent(profileOfIndex[i], i);
            if (first != null) {
                joined++;
                Integer original = duplicateOf.get(i);
                if (original != null && profileOfIndex[original].equals(profileOfIndex[i])) {
                    truePositives++;
                }
            }
        }
        System.out.printf(Locale.ROOT, "records: %d%nplanted_duplicates: %d%nprofiles: %d%nprobable_matches: %d%n"
                        + "possible_matches: %d%nprecision: %.4f%nrecall: %.4f%nseconds: %.1f%nrecords_per_second: %.0f%n"
                        + "peak_heap_mb: %s%n", records, duplicateOf.size(), firstOfProfile.size(), probable, possible,
                joined == 0 ? 0 : (double) truePositives / joined, (double) truePositives / duplicateOf.size(),
                seconds, records / seconds, PeakHeap.megabytes(PeakHeap.bytes()));
    }

    private static void generate(int records, List<Person> contacts, Map<Integer, Integer> duplicateOf) {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < records; i++) {
            Person.Builder builder = Person.builder(new ExternalId("gen", "c" + i), NOW);
            if (i > 100 && random.nextInt(100) < 3) {
                int original = random.nextInt(i);
                Person source = contacts.get(original);
                builder.firstName(source.firstName()).lastName(source.lastName()).company(source.company())
                        .domain(source.domain()).country(source.country()).phone(source.phone())
                        .email(source.email());
                int kind = random.nextInt(3);
                switch (source.email() == null ? 2 : kind) {
                    case 0 -> builder.email(source.email().toUpperCase(Locale.ROOT));
                    case 1 -> {
                        String nickname = NICKNAMES.getOrDefault(source.firstName(), source.firstName());
                        builder.firstName(nickname).email(nickname.toLowerCase(Locale.ROOT) + "."
                                + source.lastName().toLowerCase(Locale.ROOT) + random.nextInt(100) + "@gmail.com");
                    }
                    default -> builder.lastName(typo(source.lastName(), random)).email(null);
                }
                duplicateOf.put(i, original);
            } else {
                String first = FIRST[random.nextInt(FIRST.length)];
                String last = name(random);
                String company = name(random) + " " + (random.nextBoolean() ? "Systems" : "Labs");
                String domain = company.toLowerCase(Locale.ROOT).replace(" ", "") + ".com";
                builder.firstName(first).lastName(last).company(company).domain(domain)
                        .country(COUNTRIES[random.nextInt(COUNTRIES.length)])
                        .phone(String.format(Locale.ROOT, "+1 %03d %03d %04d", 201 + random.nextInt(700),
                                200 + random.nextInt(700), random.nextInt(10_000)))
                        .email(first.toLowerCase(Locale.ROOT) + "." + last.toLowerCase(Locale.ROOT) + "@" + domain);
            }
            contacts.add(builder.build());
        }
    }

    private static String name(SplittableRandom random) {
        StringBuilder name = new StringBuilder();
        int syllables = 3 + random.nextInt(2);   // about 350,000 names, a long tail like real surnames
        for (int s = 0; s < syllables; s++) {
            name.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
        }
        name.setCharAt(0, Character.toUpperCase(name.charAt(0)));
        return name.toString();
    }

    private static String typo(String text, SplittableRandom random) {
        int at = 1 + random.nextInt(text.length() - 1);
        return text.substring(0, at) + (char) ('a' + random.nextInt(26)) + text.substring(at + 1);
    }
}
