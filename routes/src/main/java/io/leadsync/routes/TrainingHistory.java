package io.leadsync.routes;

import io.leadsync.connector.Activity;
import io.leadsync.connector.Person;
import io.leadsync.identity.Survivorship;
import io.leadsync.identity.SurvivorshipRules;
import io.leadsync.scoring.eval.LabelledCase;
import io.leadsync.store.Store;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Labelled cases from the CRM's own history in the store: each profile as it stood at a cut-off (its golden record,
 * its activities up to the cut-off), labelled by what happened after it. Training on the cases of one cut-off and
 * backtesting on those of a later one is a split in time: the model never sees what happened after the cases it is
 * measured on, and activity criteria (counts within N days, recency, decay) are computed at each cut-off exactly as
 * the pipeline's scorer computes them.
 *
 * <p>What the store cannot give: attribute values as they were at the cut-off. The golden record holds today's
 * values, so the outcome field, its date, the verdict field, every attribute whose name contains {@code date}, and
 * the columns the caller excludes (fields sales fill in after contact, running totals such as page views) are left
 * out of the cases.
 */
public final class TrainingHistory {
    private static final int BATCH = 500;
    /** Attributes that say when a record was created, in the connectors' spellings. */
    private static final List<String> CREATED = List.of("createdate", "CreatedDate", "created_at", "createdAt");

    /**
     * How a conversion is told and dated.
     *
     * @param field               the person field that says converted (e.g. {@code lifecyclestage}), or null
     * @param converted           its values that mean converted
     * @param dateField           the person field with the date of the conversion (e.g.
     *                            {@code hs_lifecyclestage_customer_date}), or null
     * @param convertedActivities activity types that mean converted, dated by the activity (e.g. {@code opportunity_won})
     */
    public record Outcome(String field, List<String> converted, String dateField, List<String> convertedActivities) {
        public Outcome {
            converted = List.copyOf(converted);
            convertedActivities = List.copyOf(convertedActivities);
            if (field == null && convertedActivities.isEmpty()) {
                throw new IllegalArgumentException("an outcome needs a field and its converted values, or activity"
                        + " types that mean converted (e.g. opportunity_won)");
            }
        }
    }

    /** One profile as loaded: its golden record and all its activities, oldest first. */
    public record Profile(String id, Person golden, List<Activity> activities) {
    }

    /**
     * Cases at one cut-off.
     *
     * @param cases     profiles known by the cut-off and not converted by it, labelled by a conversion within the
     *                  horizon after it
     * @param undated   converted profiles left out because their conversion has no date
     * @param converted profiles left out because they had converted by the cut-off
     * @param unknown   profiles left out because nothing shows they existed at the cut-off
     */
    public record Snapshot(Instant cutOff, Duration horizon, List<LabelledCase> cases, int undated, int converted,
                           int unknown) {
        public long conversions() {
            return cases.stream().filter(LabelledCase::converted).count();
        }
    }

    private final List<Profile> profiles;

    private TrainingHistory(List<Profile> profiles) {
        this.profiles = List.copyOf(profiles);
    }

    /** Loads every profile of the store with its golden record (built by the survivorship rules) and activities. */
    public static TrainingHistory load(Store store, SurvivorshipRules survivorship) {
        List<Profile> profiles = new ArrayList<>();
        String after = null;
        while (true) {
            String from = after;
            List<String> ids = store.inTransaction(tx -> tx.profiles().ids(from, BATCH));
            if (ids.isEmpty()) {
                break;
            }
            after = ids.get(ids.size() - 1);
            store.inTransaction(tx -> {
                for (String id : ids) {
                    List<Person> persons = tx.profiles().persons(id);
                    if (!persons.isEmpty()) {
                        profiles.add(new Profile(id, Survivorship.golden(persons, survivorship),
                                tx.activities().forProfile(id)));
                    }
                }
                return null;
            });
        }
        return new TrainingHistory(profiles);
    }

    /** Profiles given directly (tests, other stores). */
    public static TrainingHistory of(List<Profile> profiles) {
        return new TrainingHistory(profiles);
    }

    public List<Profile> profiles() {
        return profiles;
    }

    /**
     * The cases at a cut-off.
     *
     * @param exclude attributes to leave out besides those the class documentation names
     */
    public Snapshot at(Instant cutOff, Duration horizon, Outcome outcome, Set<String> exclude) {
        Objects.requireNonNull(cutOff, "cutOff");
        Instant end = cutOff.plus(horizon);
        List<LabelledCase> cases = new ArrayList<>();
        int undated = 0;
        int convertedBefore = 0;
        int unknown = 0;
        for (Profile profile : profiles) {
            Optional<Instant> known = firstKnown(profile);
            if (known.isEmpty() || known.get().isAfter(cutOff)) {
                unknown++;
                continue;
            }
            Conversion conversion = conversion(profile, outcome);
            if (conversion.undated) {
                undated++;
                continue;
            }
            if (conversion.at != null && !conversion.at.isAfter(cutOff)) {
                convertedBefore++;
                continue;
            }
            boolean label = conversion.at != null && !conversion.at.isAfter(end);
            cases.add(new LabelledCase(features(profile.golden(), outcome, exclude), before(profile, cutOff, outcome),
                    cutOff, label));
        }
        return new Snapshot(cutOff, horizon, cases, undated, convertedBefore, unknown);
    }

    /**
     * Cases labelled by reps' verdicts instead of outcomes: every profile whose verdict field holds a good or a bad
     * value, as it stands now (activities up to {@code asOf}).
     */
    public List<LabelledCase> verdicts(String field, Set<String> good, Set<String> bad, Instant asOf,
                                       Outcome outcome, Set<String> exclude) {
        List<LabelledCase> cases = new ArrayList<>();
        for (Profile profile : profiles) {
            String verdict = profile.golden().field(field);
            if (verdict == null) {
                continue;
            }
            String value = verdict.strip().toLowerCase(Locale.ROOT);
            if (good.contains(value) || bad.contains(value)) {
                Set<String> excluded = new java.util.HashSet<>(exclude);
                excluded.add(field);
                cases.add(new LabelledCase(features(profile.golden(), outcome, excluded),
                        before(profile, asOf, outcome), asOf, good.contains(value)));
            }
        }
        return cases;
    }

    /** Weekly arrivals of new profiles over the weeks before an instant: what a cut-off plan needs. */
    public double leadsPerWeek(Instant until, int weeks) {
        Instant from = until.minus(Duration.ofDays(7L * weeks));
        long arrived = profiles.stream().map(TrainingHistory::firstKnown).flatMap(Optional::stream)
                .filter(at -> at.isAfter(from) && !at.isAfter(until)).count();
        return (double) arrived / weeks;
    }

    private record Conversion(Instant at, boolean undated) {
    }

    private static Conversion conversion(Profile profile, Outcome outcome) {
        Instant earliest = null;
        for (Activity activity : profile.activities()) {
            if (outcome.convertedActivities().contains(activity.type())
                    && (earliest == null || activity.occurredAt().isBefore(earliest))) {
                earliest = activity.occurredAt();
            }
        }
        if (earliest != null) {
            return new Conversion(earliest, false);
        }
        if (outcome.field() == null) {
            return new Conversion(null, false);
        }
        String value = profile.golden().field(outcome.field());
        boolean converted = value != null && outcome.converted().stream()
                .anyMatch(c -> c.equalsIgnoreCase(value.strip()));
        if (!converted) {
            return new Conversion(null, false);
        }
        Optional<Instant> date = outcome.dateField() == null ? Optional.empty()
                : instant(profile.golden().field(outcome.dateField()));
        return date.map(at -> new Conversion(at, false)).orElse(new Conversion(null, true));
    }

    /** When the profile is first known to exist: its creation date if a record says so, else its first activity. */
    static Optional<Instant> firstKnown(Profile profile) {
        for (String field : CREATED) {
            Optional<Instant> created = instant(profile.golden().attributes().get(field));
            if (created.isPresent()) {
                return created;
            }
        }
        return profile.activities().stream().map(Activity::occurredAt).min(Instant::compareTo);
    }

    private static Person features(Person golden, Outcome outcome, Set<String> exclude) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, String> attribute : golden.attributes().entrySet()) {
            String name = attribute.getKey();
            if (name.equalsIgnoreCase(outcome.field()) || name.equalsIgnoreCase(outcome.dateField())
                    || name.toLowerCase(Locale.ROOT).contains("date")
                    || exclude.stream().anyMatch(name::equalsIgnoreCase)) {
                continue;
            }
            attributes.put(name, attribute.getValue());
        }
        return golden.toBuilder().attributes(attributes).build();
    }

    private static List<Activity> before(Profile profile, Instant cutOff, Outcome outcome) {
        List<Activity> kept = new ArrayList<>();
        for (Activity activity : profile.activities()) {
            if (!activity.occurredAt().isAfter(cutOff) && !outcome.convertedActivities().contains(activity.type())) {
                kept.add(activity);
            }
        }
        return kept;
    }

    /** An ISO instant, an ISO date, or epoch milliseconds (as HubSpot writes dates). */
    static Optional<Instant> instant(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String text = value.strip();
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException notAnInstant) {
            // try the other forms
        }
        try {
            return Optional.of(LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant());
        } catch (DateTimeParseException notADate) {
            // try milliseconds
        }
        try {
            return Optional.of(Instant.ofEpochMilli(Long.parseLong(text)));
        } catch (NumberFormatException notMillis) {
            return Optional.empty();
        }
    }
}
