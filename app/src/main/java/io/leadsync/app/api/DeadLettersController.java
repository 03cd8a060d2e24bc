package io.leadsync.app.api;

import io.leadsync.app.ApiAccess;
import io.leadsync.app.ops.DeadLetterOps;
import io.leadsync.store.DeadLetter;
import io.leadsync.store.DeadLetterRepository;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What could not be read, scored or written, and why: {@code GET /api/dead-letters} lists (open ones by default),
 * {@code GET /api/dead-letters/{id}} shows one with its payload, {@code POST /api/dead-letters/{id}/replay} runs it
 * through its stage again (a replay that goes through resolves it), {@code POST /api/dead-letters/{id}/discard}
 * resolves it without a replay.
 */
@Controller("/api/dead-letters")
@Secured(ApiAccess.READ)
@ExecuteOn(TaskExecutors.BLOCKING)
public class DeadLettersController {
    static final Set<String> STATUSES = Set.of("open", "replayed", "discarded", "all");
    static final Set<String> STAGES = Set.of("pull", "score", "push", "task");

    private final DeadLetterOps letters;

    public DeadLettersController(DeadLetterOps letters) {
        this.letters = letters;
    }

    /**
     * @param status open (default), replayed, discarded or all
     * @param stage  pull, score, push or task
     * @param source a connector (or {@code scoring})
     * @param run    the run that wrote them
     * @param before letters older than this id (paging)
     */
    @Get
    public List<Map<String, Object>> list(@QueryValue(defaultValue = "open") String status,
                                          @QueryValue @Nullable String stage, @QueryValue @Nullable String source,
                                          @QueryValue @Nullable Long run, @QueryValue @Nullable Long before,
                                          @QueryValue(defaultValue = "50") int limit) {
        String wanted = status.toLowerCase(Locale.ROOT);
        if (!STATUSES.contains(wanted)) {
            throw ApiProblem.badInput("status", "status must be one of open, replayed, discarded, all but is '"
                    + status + "'");
        }
        if (stage != null && !STAGES.contains(stage)) {
            throw ApiProblem.badInput("stage", "stage must be one of pull, score, push, task but is '" + stage + "'");
        }
        if (limit < 1 || limit > 500) {
            throw ApiProblem.badInput("limit", "limit must be between 1 and 500 but is " + limit);
        }
        DeadLetterRepository.Filter filter = new DeadLetterRepository.Filter(wanted.equals("all") ? null
                : wanted.toUpperCase(Locale.ROOT), stage, source, run, before);
        return letters.list(filter, limit).stream().map(RunViews::deadLetter).toList();
    }

    @Get("/{id}")
    public Map<String, Object> letter(@PathVariable long id) {
        return RunViews.deadLetter(find(id));
    }

    @Secured(ApiAccess.ADMIN)
    @Post("/{id}/replay")
    public Map<String, Object> replay(@PathVariable long id, Authentication caller) {
        DeadLetter letter = open(id);
        return outcome(letter, letters.replay(List.of(letter), "api:" + caller.getName()));
    }

    @Secured(ApiAccess.ADMIN)
    @Post("/{id}/discard")
    public Map<String, Object> discard(@PathVariable long id, Authentication caller) {
        DeadLetter letter = open(id);
        return outcome(letter, letters.discard(List.of(letter), "api:" + caller.getName()));
    }

    private DeadLetter find(long id) {
        return letters.get(id).orElseThrow(() -> ApiProblem.notFound("no dead letter " + id));
    }

    private DeadLetter open(long id) {
        DeadLetter letter = find(id);
        if (!letter.open()) {
            throw ApiProblem.conflict("dead letter " + id + " is already " + letter.status().toLowerCase(Locale.ROOT)
                    + " (" + letter.resolution() + ")");
        }
        return letter;
    }

    private Map<String, Object> outcome(DeadLetter letter, DeadLetterOps.Outcome outcome) {
        Map<String, Object> view = new java.util.LinkedHashMap<>();
        view.put("id", letter.id());
        view.put("resolved", outcome.resolved().contains(letter.id()));
        view.put("outcome", outcome.letters().get(letter.id()));
        view.put("runId", outcome.runs().isEmpty() ? null : outcome.runs().get(0));
        view.put("letter", letters.get(letter.id()).map(RunViews::deadLetter).orElse(null));
        return view;
    }
}
