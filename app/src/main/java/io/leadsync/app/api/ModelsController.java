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
import io.micronaut.security.annotation.Secured;
import io.leadsync.app.ApiAccess;

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
@Secured(ApiAccess.READ)
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

    @Secured(ApiAccess.ADMIN)
    @Post("/reload")
    public HttpResponse<ModelWatcher.Check> reload() {
        ModelWatcher.Check check = watcher.check();
        return check.problem() != null && !check.activated()
                ? HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY).body(check) : HttpResponse.ok(check);
    }

    @Secured(ApiAccess.ADMIN)
    @Post("/preview")
    public HttpResponse<?> preview(@Body Map<String, String> body) {
        ModelScoringService candidate;
        try {
            if (body.containsKey("yaml")) {
                candidate = ModelScoringService.parse(body.get("yaml"), "preview");
            } else if (body.containsKey("model")) {
                Optional<Path> file = modelFile(body.get("model"));
                if (file.isEmpty()) {
                    return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY).body(Map.of("message", "model files are"
                            + " read only from the models folder (leadsync.scoring.models-dir); name a .yml file in it,"
                            + " e.g. {\"model\": \"candidate.yml\"}, or send the text as {\"yaml\": \"...\"}"));
                }
                candidate = ModelScoringService.load(file.get());
            } else {
                return HttpResponse.badRequest(Map.of("message", "give the candidate as {\"model\": \"<path>\"} or"
                        + " {\"yaml\": \"<model text>\"}"));
            }
        } catch (ModelValidationException | UncheckedIOException e) {
            return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY).body(Map.of("message", e.getMessage()));
        }
        return HttpResponse.ok(rollout.preview(candidate, champion.modelId()));
    }

    /**
     * The file a preview names, if it lies in the models folder: a name or path relative to the folder, or an
     * absolute path inside it; links are followed before the check. Anything else is refused the same way whether it
     * exists or not, so the API tells nothing of the rest of the file system.
     */
    Optional<Path> modelFile(String named) {
        if (named == null || named.isBlank() || named.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        Path folder = config.scoring().modelsDir().toAbsolutePath().normalize();
        Path file;
        try {
            Path given = Path.of(named.strip());
            file = (given.isAbsolute() ? given : folder.resolve(given)).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            return Optional.empty();
        }
        if (!file.startsWith(folder)) {
            return Optional.empty();
        }
        try {
            Path real = file.toRealPath();
            Path realFolder = folder.toRealPath();
            return real.startsWith(realFolder) && java.nio.file.Files.isRegularFile(real) ? Optional.of(real)
                    : Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.of(file);  // inside the folder and missing: the loader says no such model file
        }
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
