package io.leadsync.app.api;

import io.leadsync.app.LeadsyncConfig;
import io.leadsync.app.LeadsyncFactory;
import io.leadsync.app.ModelWatcher;
import io.leadsync.connector.Activity;
import io.leadsync.connector.Person;
import io.leadsync.routes.ModelRollout;
import io.leadsync.routes.ModelScoringService;
import io.leadsync.scoring.ModelValidationException;
import io.leadsync.store.Store;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import jakarta.inject.Named;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Scoring models: {@code GET /api/models} (in service, last refusal, activations), {@code POST /api/models/reload}
 * (check the model file now), {@code POST /api/models/preview} (what a candidate would change, writing nothing;
 * body {@code {"model": "path"}} or {@code {"yaml": "..."}}), {@code GET /api/models/shadow} (champion against the
 * challenger on known outcomes).
 */
@Controller("/api/models")
public class ModelsController {
    private final ModelScoringService champion;
    private final LeadsyncFactory.Challenger challenger;
    private final ModelWatcher watcher;
    private final ModelRollout rollout;
    private final Store store;
    private final LeadsyncConfig config;

    public ModelsController(@Named("champion") ModelScoringService champion, LeadsyncFactory.Challenger challenger,
                            ModelWatcher watcher, ModelRollout rollout, Store store, LeadsyncConfig config) {
        this.champion = champion;
        this.challenger = challenger;
        this.watcher = watcher;
        this.rollout = rollout;
        this.store = store;
        this.config = config;
    }

    @Get
    public Map<String, Object> models() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("active", champion.modelId());
        view.put("file", champion.file().toString());
        view.put("refused", champion.lastProblem().orElse(null));
        view.put("challenger", challenger.service() == null ? null : challenger.service().modelId());
        view.put("activations", store.inTransaction(tx -> tx.models().activations(20)).stream().map(a -> {
            Map<String, Object> activation = new LinkedHashMap<>();
            activation.put("model", a.modelVersion());
            activation.put("replaced", a.previousVersion());
            activation.put("file", a.sourceFile());
            activation.put("profilesMarked", a.profilesMarked());
            activation.put("activatedAt", a.activatedAt().toString());
            return activation;
        }).toList());
        return view;
    }

    @Post("/reload")
    public HttpResponse<ModelWatcher.Check> reload() {
        ModelWatcher.Check check = watcher.check();
        return check.problem() != null && !check.activated()
                ? HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY).body(check) : HttpResponse.ok(check);
    }

    @Post("/preview")
    public HttpResponse<?> preview(@Body Map<String, String> body) {
        ModelScoringService candidate;
        try {
            if (body.containsKey("yaml")) {
                candidate = ModelScoringService.parse(body.get("yaml"), "preview");
            } else if (body.containsKey("model")) {
                candidate = ModelScoringService.load(Path.of(body.get("model")));
            } else {
                return HttpResponse.badRequest(Map.of("message", "give the candidate as {\"model\": \"<path>\"} or"
                        + " {\"yaml\": \"<model text>\"}"));
            }
        } catch (ModelValidationException | UncheckedIOException e) {
            return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY).body(Map.of("message", e.getMessage()));
        }
        return HttpResponse.ok(rollout.preview(candidate, champion.modelId()));
    }

    @Get("/shadow")
    public HttpResponse<?> shadow() {
        if (challenger.service() == null) {
            return HttpResponse.notFound(Map.of("message", "no challenger: set leadsync.scoring.challenger to a model"
                    + " file to score it in shadow"));
        }
        LeadsyncConfig.Scoring scoring = config.scoring();
        if (!scoring.knowsOutcomes()) {
            return HttpResponse.notFound(Map.of("message", "no outcome: set leadsync.scoring.outcome.field and"
                    + " .converted, or .converted-activities (e.g. [opportunity_won]), to say which people converted"));
        }
        return HttpResponse.ok(rollout.shadowReport(champion.modelId(), challenger.service().modelId(),
                (person, activities) -> outcome(person, activities, scoring)));
    }

    /** Converted if an activity says so (a won opportunity), else lost if one says that, else the person field. */
    public static Optional<Boolean> outcome(Person person, List<Activity> activities, LeadsyncConfig.Scoring scoring) {
        boolean lost = false;
        for (Activity activity : activities) {
            if (scoring.convertedActivities().contains(activity.type())) {
                return Optional.of(true);
            }
            lost |= scoring.lostActivities().contains(activity.type());
        }
        if (lost) {
            return Optional.of(false);
        }
        String value = scoring.outcomeField() == null ? null : person.field(scoring.outcomeField());
        if (value == null) {
            return Optional.empty();
        }
        return Optional.of(scoring.converted().stream().anyMatch(c -> c.toLowerCase(Locale.ROOT)
                .equals(value.toLowerCase(Locale.ROOT))));
    }
}
