package io.leadsync.identity;

import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;

import java.util.List;
import java.util.Optional;

/**
 * Decides which golden profile a person record joins, incrementally: against the links already stored, never by
 * re-clustering everything.
 *
 * <p>Deterministic links, strongest first: the profile the record is already linked to (a record never jumps
 * profiles on its own: splits and merges are explicit), a profile holding a record whose id this one stores for
 * another system (a Salesforce id kept in a HubSpot property, a merged-away id), a profile holding the same
 * normalized email (the oldest, if several). Otherwise a new profile, whose id derives from this record.
 * Probabilistic matching comes with the identity resolution issue.
 */
public final class IdentityResolver {

    /** What the resolver needs to know of the stored links. */
    public interface Links {
        Optional<String> profileOf(ExternalId person);

        List<String> profilesWithEmail(String normalizedEmail);
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
        return new LinkDecision(ProfileIds.foundedBy(person.id()), true, true, "new profile");
    }
}
