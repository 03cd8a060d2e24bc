package io.leadsync.app.api;

import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import io.leadsync.app.LeadsyncConfig;
import io.leadsync.identity.Survivorship;
import io.leadsync.identity.SurvivorshipRules;
import io.leadsync.store.PersonLink;
import io.leadsync.store.Store;
import io.leadsync.store.StoredScore;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.security.annotation.Secured;
import io.leadsync.app.ApiAccess;

import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A profile as a rep or an auditor asks about it: {@code GET /api/profiles/{id}} and
 * {@code GET /api/profiles/by-record/{source}/{recordId}} give the golden record, the linked CRM records, the current
 * score with its reasons, and every change of the score with the model and reasons that produced it ("why did this
 * lead become an MQL on Tuesday").
 */
@Controller("/api/profiles")
@Secured(ApiAccess.READ)
public class ProfilesController {
    private final Store store;
    private final SurvivorshipRules survivorship;

    public ProfilesController(Store store, LeadsyncConfig config) {
        this.store = store;
        this.survivorship = config.identity().survivorship();
    }

    @Get("/{id}")
    public HttpResponse<Map<String, Object>> profile(@PathVariable String id) {
        return store.inTransaction(tx -> {
            if (!tx.profiles().exists(id)) {
                return HttpResponse.<Map<String, Object>>notFound(Map.of("message", "no profile " + id));
            }
            List<Person> persons = tx.profiles().persons(id);
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("profileId", id);
            view.put("golden", persons.isEmpty() ? null : person(Survivorship.golden(persons, survivorship)));
            view.put("records", tx.profiles().links(id).stream().map(ProfilesController::link).toList());
            view.put("score", tx.scores().current(id).map(ProfilesController::score).orElse(null));
            view.put("history", tx.scores().history(id).stream().map(ProfilesController::score).toList());
            view.put("activities", tx.activities().forProfile(id).size());
            return HttpResponse.ok(view);
        });
    }

    @Get("/by-record/{source}/{recordId}")
    public HttpResponse<Map<String, Object>> byRecord(@PathVariable String source, @PathVariable String recordId) {
        return store.inTransaction(tx -> tx.profiles().link(new ExternalId(source, recordId)))
                .map(link -> profile(link.profileId()))
                .orElseGet(() -> HttpResponse.notFound(Map.of("message", "no profile holds " + source + ":" + recordId)));
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
