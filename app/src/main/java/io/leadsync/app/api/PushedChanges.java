package io.leadsync.app.api;

import io.leadsync.connector.Change;
import io.leadsync.connector.ReceivedChanges;
import io.leadsync.connector.Secrets;
import io.leadsync.routes.ChangeIntake;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands changes pushed by a vendor (a webhook batch, a Segment call) to the {@link ChangeIntake} and says so in the
 * answer senders understand: 200 with the counts when stored; 503 when the pipeline cannot take them now (the sender
 * retries); 404 when no job reads the source (a retry would not help: the configuration must change).
 */
final class PushedChanges {
    private static final Logger LOG = LoggerFactory.getLogger(PushedChanges.class);

    private PushedChanges() {
    }

    /**
     * Reads a request with its intake, hands the changes to the pipeline and answers: 200 with the counts; 400 for a
     * body the intake does not take, or naming each item that could not be read (the others stored); 503 or 404 as
     * above.
     *
     * @param read    the intake's reading of the request body
     * @param idField how the vendor calls an item's id in the answer ({@code eventId}, {@code messageId})
     */
    static HttpResponse<Map<String, Object>> answer(ChangeIntake intake, String source,
                                                    java.util.function.Supplier<ReceivedChanges> read, String idField) {
        ReceivedChanges received;
        try {
            received = read.get();
        } catch (ReceivedChanges.Malformed e) {
            throw ApiProblem.badInput("body", e.getMessage());
        }
        Map<String, Object> stored = deliver(intake, source, received.changes(), received.ignored());
        if (received.problems().isEmpty()) {
            return HttpResponse.ok(stored);
        }
        List<Map<String, Object>> rejected = new ArrayList<>();
        for (ReceivedChanges.Problem problem : received.problems()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("index", problem.index());
            item.put(idField, problem.id());
            item.put("reason", Secrets.mask(problem.reason()));
            rejected.add(item);
        }
        LOG.warn("{}: {} pushed items could not be read: {}", source, rejected.size(), rejected);
        Map<String, Object> body = ApiProblem.body(HttpStatus.BAD_REQUEST, null, rejected.size()
                + (rejected.size() == 1 ? " item" : " items") + " could not be read (named in rejected); the "
                + stored.get("accepted") + " others were accepted");
        stored.forEach((key, value) -> {
            if (!"success".equals(key)) {
                body.put(key, value);
            }
        });
        body.put("rejected", rejected);
        return HttpResponse.<Map<String, Object>>status(HttpStatus.BAD_REQUEST)
                .contentType(MediaType.of(ApiProblems.PROBLEM_JSON)).body(body);
    }

    /** Stores the changes and returns the answer's counts; throws {@link ApiProblem} 503 or 404 as above. */
    private static Map<String, Object> deliver(ChangeIntake intake, String source, List<Change> changes, int ignored) {
        Map<String, Object> body = new LinkedHashMap<>();
        int accepted = 0;
        int duplicates = 0;
        if (!changes.isEmpty()) {
            try {
                ChangeIntake.Receipt receipt = intake.accept(changes);
                accepted = receipt.accepted();
                duplicates = receipt.duplicates();
            } catch (IllegalArgumentException e) {
                LOG.warn("{}: {} pushed changes refused: {}", source, changes.size(), Secrets.mask(e.getMessage()));
                throw ApiProblem.notFound("source '" + source + "' takes no changes: " + e.getMessage()
                        + " (add it to a job's connectors)");
            } catch (RuntimeException e) {
                LOG.warn("{}: {} pushed changes not stored, the sender will retry: {}", source, changes.size(),
                        Secrets.mask(String.valueOf(e.getMessage())));
                throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, null, "the changes could not be stored now ("
                        + e.getMessage() + "); send them again");
            }
        }
        body.put("success", true);
        body.put("source", source);
        body.put("accepted", accepted);
        body.put("duplicates", duplicates);
        body.put("ignored", ignored);
        return body;
    }
}
