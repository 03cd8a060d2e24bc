package io.leadsync.app.api;

import io.leadsync.app.ApiAccess;
import io.leadsync.connector.ExternalId;
import io.leadsync.identity.Comparison;
import io.leadsync.identity.MatchWeights;
import io.leadsync.identity.WeightEstimator;
import io.leadsync.routes.IdentityService;
import io.leadsync.routes.SyncEngine;
import io.leadsync.store.IdentityRepository;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Identity resolution for the people who look after it: the review queue ({@code GET /api/identity/reviews},
 * {@code POST .../{id}/confirm}, {@code POST .../{id}/reject}), splitting records off a profile
 * ({@code POST /api/identity/profiles/{id}/split} with {@code {"records": ["source:id", ...]}}), and the learned
 * weights ({@code GET /api/identity/weights}, {@code POST /api/identity/weights/estimate}). A confirmation or split
 * starts a run of every job, which scores the changed profiles again and pushes their scores. Reads need a
 * {@code read} token, changes an {@code admin} one; refusals are problem bodies ({@link ApiProblem}).
 */
@Controller("/api/identity")
@Secured(ApiAccess.READ)
@ExecuteOn(TaskExecutors.BLOCKING)
public class IdentityController {
    private static final Set<String> STATUSES = Set.of("open", "confirmed", "rejected");

    private final IdentityService identity;
    private final SyncEngine engine;

    public IdentityController(IdentityService identity, SyncEngine engine) {
        this.identity = identity;
        this.engine = engine;
    }

    @Get("/reviews")
    public List<Map<String, Object>> reviews(@QueryValue(defaultValue = "open") String status,
                                             @QueryValue(defaultValue = "50") int limit) {
        if (!STATUSES.contains(status)) {
            throw ApiProblem.badInput("status", "status must be one of open, confirmed, rejected but is '" + status
                    + "'");
        }
        if (limit < 1 || limit > 1000) {
            throw ApiProblem.badInput("limit", "limit must be between 1 and 1000 but is " + limit);
        }
        return identity.reviews(status, limit).stream().map(IdentityController::review).toList();
    }

    @Secured(ApiAccess.ADMIN)
    @Post("/reviews/{id}/confirm")
    public HttpResponse<Map<String, Object>> confirm(@PathVariable long id, Authentication caller) {
        return decide(() -> identity.confirm(id), caller);
    }

    @Secured(ApiAccess.ADMIN)
    @Post("/reviews/{id}/reject")
    public HttpResponse<Map<String, Object>> reject(@PathVariable long id, Authentication caller) {
        return decide(() -> identity.reject(id), caller);
    }

    /** The body of a split: the records leaving the profile, each as {@code source:id}. */
    public record SplitRequest(List<String> records) {
    }

    @Secured(ApiAccess.ADMIN)
    @Post("/profiles/{id}/split")
    public HttpResponse<Map<String, Object>> split(@PathVariable String id, @Body SplitRequest request,
                                                   Authentication caller) {
        if (request == null || request.records() == null || request.records().isEmpty()) {
            throw ApiProblem.badInput("records", "name the records to split off: {\"records\": [\"source:id\","
                    + " ...]}");
        }
        List<ExternalId> records = new ArrayList<>();
        for (String record : request.records()) {
            int colon = record.indexOf(':');
            if (colon <= 0 || colon == record.length() - 1) {
                throw ApiProblem.badInput("records", "'" + record + "' is not source:id");
            }
            records.add(new ExternalId(record.substring(0, colon), record.substring(colon + 1)));
        }
        return decide(() -> identity.split(id, records), caller);
    }

    @Get("/weights")
    public Map<String, Object> weights() {
        List<IdentityRepository.StoredWeights> estimates = identity.estimates(20);
        Map<String, Object> view = new LinkedHashMap<>();
        IdentityRepository.StoredWeights inService = estimates.stream()
                .filter(IdentityRepository.StoredWeights::accepted).findFirst().orElse(null);
        view.put("inService", inService == null ? builtIn() : estimate(inService));
        view.put("estimates", estimates.stream().map(IdentityController::summary).toList());
        return view;
    }

    @Secured(ApiAccess.ADMIN)
    @Post("/weights/estimate")
    public HttpResponse<Map<String, Object>> estimate() {
        WeightEstimator.Estimate estimate = identity.estimate("on-demand");
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("accepted", estimate.accepted());
        view.put("records", estimate.records());
        view.put("pairs", estimate.pairs());
        view.put("matches", Math.round(estimate.matches()));
        view.put("warnings", estimate.warnings());
        if (estimate.weights() != null) {
            view.put("levels", levels(estimate.weights()));
        }
        return HttpResponse.ok(view);
    }

    private HttpResponse<Map<String, Object>> decide(java.util.function.Supplier<IdentityService.Outcome> decision,
                                                     Authentication caller) {
        IdentityService.Outcome outcome;
        try {
            outcome = decision.get();
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound(e.getMessage());
        } catch (IllegalStateException e) {
            throw ApiProblem.conflict(e.getMessage());
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("message", outcome.message());
        view.put("profilesChanged", outcome.profilesChanged());
        List<Map<String, Object>> runs = new ArrayList<>();
        if (!outcome.profilesChanged().isEmpty()) {
            for (String job : engine.jobNames()) {
                SyncEngine.RunRequest run = engine.trigger(job, "identity:api:" + caller.getName());
                Map<String, Object> started = new LinkedHashMap<>();
                started.put("job", job);
                started.put("runId", run.runId());
                started.put("started", run.started());
                runs.add(started);
            }
        }
        view.put("runs", runs);
        return HttpResponse.ok(view);
    }

    private static Map<String, Object> review(IdentityRepository.Review review) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", review.id());
        view.put("kind", review.item().kind().key());
        view.put("record", review.item().record().toString());
        view.put("profileId", review.item().profileId());
        view.put("candidateId", review.item().candidateId());
        view.put("probability", Math.round(review.item().probability() * 1000) / 1000.0);
        view.put("evidence", review.item().evidence());
        view.put("status", review.status());
        view.put("createdAt", review.createdAt().toString());
        view.put("decidedAt", review.decidedAt() == null ? null : review.decidedAt().toString());
        view.put("note", review.note());
        return view;
    }

    private static Map<String, Object> builtIn() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("version", 0);
        view.put("trigger", "built-in");
        view.put("matchesPerRecord", MatchWeights.defaults().matchesPerRecord());
        view.put("levels", levels(MatchWeights.defaults()));
        return view;
    }

    private static Map<String, Object> estimate(IdentityRepository.StoredWeights weights) {
        Map<String, Object> view = summary(weights);
        view.put("matchesPerRecord", Math.round(weights.weights().matchesPerRecord() * 1000) / 1000.0);
        view.put("levels", levels(weights.weights()));
        Map<String, Integer> frequent = new LinkedHashMap<>();
        for (Comparison comparison : Comparison.values()) {
            int values = weights.weights().frequencies(comparison).size();
            if (values > 0) {
                frequent.put(comparison.key(), values);
            }
        }
        view.put("frequentValues", frequent);
        return view;
    }

    private static Map<String, Object> summary(IdentityRepository.StoredWeights weights) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("version", weights.version());
        view.put("createdAt", weights.createdAt().toString());
        view.put("trigger", weights.trigger());
        view.put("accepted", weights.accepted());
        view.put("records", weights.records());
        view.put("pairs", weights.pairs());
        view.put("matches", Math.round(weights.matches()));
        view.put("warnings", weights.warnings());
        return view;
    }

    /** Per comparison, each level's weight in bits. */
    private static Map<String, Map<String, Double>> levels(MatchWeights weights) {
        return WeightEstimator.describe(weights);
    }
}
