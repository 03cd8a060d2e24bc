package io.leadsync.identity;

import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which golden profile a person record joins, incrementally: against the links already stored, never by
 * re-clustering everything.
 *
 * <p>Deterministic links, strongest first: the profile the record is already linked to (a record never jumps
 * profiles on its own: splits and merges are explicit), a profile holding a record whose id this one stores for
 * another system (a Salesforce id kept in a HubSpot property, a merged-away id), a profile holding the same
 * normalized email (the oldest, if several). Then, with a {@link PersonMatcher}, a probable match: the profiles
 * sharing a blocking key with the record are compared with it, and the most probable joins it if it reaches the
 * match threshold; those in the review band are reported as possible matches and never merged. Otherwise a new
 * profile, whose id derives from this record.
 */
public final class IdentityResolver {
    private final PersonMatcher matcher;

    /** What the resolver needs to know of the stored links. */
    public interface Links {
        Optional<String> profileOf(ExternalId person);

        List<String> profilesWithEmail(String normalizedEmail);

        /** Profiles holding a record with one of these blocking keys (a bounded number). */
        default List<String> profilesWithKeys(Set<String> keys) {
            return List.of();
        }

        /** The person records of a profile. */
        default List<Person> personsOf(String profileId) {
            return List.of();
        }
    }

    /** Deterministic links only. */
    public IdentityResolver() {
        this(null);
    }

    /** Deterministic links, then probable matches by the matcher (none if null). */
    public IdentityResolver(PersonMatcher matcher) {
        this.matcher = matcher;
    }

    /** The blocking keys of a record, to store with its link; empty without a matcher. */
    public Set<String> blockingKeys(Person person) {
        return matcher == null ? Set.of() : matcher.blockingKeys(person);
    }

    public LinkDecision resolve(Person person, String normalizedEmail, Links links) {
        Optional<String> current = links.profileOf(person.id());
        if (current.isPresent()) {
            return new LinkDecision(current.get(), false, false, "already linked");
        }
        for (ExternalId linked : person.linkedIds()) {
            Optional<String> viaId = links.profileOf(linked);
            if (viaId.isPresent()) {
                return new LinkDecision(viaId.get(), false, true, "stores the id of " + linked);
            }
        }
        if (normalizedEmail != null) {
            List<String> sameEmail = links.profilesWithEmail(normalizedEmail);
            if (!sameEmail.isEmpty()) {
                return new LinkDecision(sameEmail.get(0), false, true, "same email");
            }
        }
        List<PersonMatcher.Match> possible = new ArrayList<>();
        if (matcher != null) {
            PersonMatcher.Match best = null;
            for (String candidate : links.profilesWithKeys(matcher.blockingKeys(person))) {
                List<Person> persons = links.personsOf(candidate);
                if (persons.isEmpty()) {
                    continue;
                }
                PersonMatcher.Match match = matcher.compare(person, Survivorship.golden(persons), candidate);
                if (best == null || match.probability() > best.probability()) {
                    best = match;
                }
                if (match.probability() >= matcher.settings().reviewProbability()
                        && match.probability() < matcher.settings().matchProbability()) {
                    possible.add(match);
                }
            }
            if (best != null && best.probability() >= matcher.settings().matchProbability()) {
                return new LinkDecision(best.profileId(), false, true, String.format(Locale.ROOT,
                        "probable match p=%.3f: %s", best.probability(), best.evidence()));
            }
        }
        return new LinkDecision(ProfileIds.foundedBy(person.id()), true, true, "new profile", possible);
    }
}
