package io.leadsync.app.ops;

import io.leadsync.app.LeadsyncConfig;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import io.leadsync.identity.Survivorship;
import io.leadsync.identity.SurvivorshipRules;
import io.leadsync.store.PersonLink;
import io.leadsync.store.Store;
import io.leadsync.store.StoredScore;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Profiles as a rep or an auditor asks about them: search by email, name, CRM id or profile id; one profile's golden
 * record with the record each value came from (by the configured survivorship rules), its linked records, its score
 * with the reasons, and every change of the score. Used by the API and the command line alike.
 */
@Singleton
public class ProfileOps {
    private final Store store;
    private final SurvivorshipRules survivorship;

    public ProfileOps(Store store, LeadsyncConfig config) {
        this.store = store;
        this.survivorship = config.identity().survivorship();
    }

    /** Profiles matching a query (see {@code OperationsRepository#searchProfiles}), each summarized. */
    public List<Map<String, Object>> search(String query, int limit) {
        return store.inTransaction(tx -> tx.operations().searchProfiles(query, limit)).stream()
                .map(id -> store.inTransaction(tx -> {
                    Map<String, Object> summary = new LinkedHashMap<>();
                    List<Person> persons = tx.profiles().persons(id);
                    Person golden = persons.isEmpty() ? null : Survivorship.golden(persons, survivorship);
                    summary.put("profileId", id);
                    summary.put("email", golden == null ? null : golden.email());
                    summary.put("name", golden == null ? null : name(golden));
                    summary.put("company", golden == null ? null : golden.company());
                    Optional<StoredScore> score = tx.scores().current(id);
                    summary.put("score", score.map(s -> s.result().score()).orElse(null));
                    summary.put("grade", score.map(s -> s.result().grade()).orElse(null));
                    summary.put("records", tx.profiles().links(id).stream().map(l -> l.person().toString()).toList());
                    return summary;
                })).toList();
    }

    /** One profile in full, or empty when there is none with this id. */
    public Optional<Map<String, Object>> profile(String id) {
        return store.inTransaction(tx -> {
            if (!tx.profiles().exists(id)) {
                return Optional.empty();
            }
            List<Person> persons = tx.profiles().persons(id);
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("profileId", id);
            if (persons.isEmpty()) {
                view.put("golden", null);
                view.put("sources", Map.of());
            } else {
                Survivorship.Golden golden = Survivorship.build(persons, survivorship);
                view.put("golden", person(golden.person()));
                Map<String, String> sources = new LinkedHashMap<>();
                golden.sources().forEach((field, record) -> sources.put(field, record.toString()));
                view.put("sources", sources);
            }
            view.put("records", tx.profiles().links(id).stream().map(ProfileOps::link).toList());
            view.put("score", tx.scores().current(id).map(ProfileOps::score).orElse(null));
            view.put("history", tx.scores().history(id).stream().map(ProfileOps::score).toList());
            view.put("activities", tx.activities().forProfile(id).size());
            return Optional.of(view);
        });
    }

    /** The profile holding a CRM record. */
    public Optional<String> profileOf(ExternalId record) {
        return store.inTransaction(tx -> tx.profiles().link(record)).map(PersonLink::profileId);
    }

    private static String name(Person person) {
        String name = ((person.firstName() == null ? "" : person.firstName()) + " "
                + (person.lastName() == null ? "" : person.lastName())).strip();
        return name.isEmpty() ? null : name;
    }

    private static Map<String, Object> person(Person person) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", person.id().toString());
        view.put("email", person.email());
        view.put("firstName", person.firstName());
        view.put("lastName", person.lastName());
        view.put("title", person.title());
        view.put("company", person.company());
        view.put("country", person.country());
        view.put("linkedIds", person.linkedIds().stream().map(ExternalId::toString).toList());
        view.put("attributes", person.attributes());
        return view;
    }

    private static Map<String, Object> link(PersonLink link) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("record", link.person().toString());
        view.put("stream", link.stream());
        view.put("reason", link.reason());
        view.put("linkedAt", link.linkedAt().toString());
        return view;
    }

    private static Map<String, Object> score(StoredScore stored) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("score", stored.result().score());
        view.put("grade", stored.result().grade());
        view.put("stage", stored.result().stage());
        view.put("model", stored.result().modelVersion());
        view.put("reasons", stored.result().reasonText());
        view.put("criteria", stored.result().reasons());
        view.put("changedAt", stored.changedAt().toString());
        return view;
    }
}
