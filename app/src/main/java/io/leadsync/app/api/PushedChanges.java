package io.leadsync.app.api;

import io.leadsync.connector.Change;
import io.leadsync.connector.Secrets;
import io.leadsync.routes.ChangeIntake;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
     * Stores the changes and returns the answer's counts.
     *
     * @throws ApiProblem 503 or 404 as above
     */
    static Map<String, Object> deliver(ChangeIntake intake, String source, List<Change> changes, int ignored) {
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

    /**
     * 400 naming the items of a batch that could not be read, with the counts of the others, which were stored.
     *
     * @param stored   what {@link #deliver} answered for the good items
     * @param rejected each bad item: its index, its id, and why
     */
    static HttpResponse<Map<String, Object>> partly(Map<String, Object> stored, List<Map<String, Object>> rejected) {
        Map<String, Object> body = ApiProblem.body(HttpStatus.BAD_REQUEST, null, rejected.size()
                + (rejected.size() == 1 ? " message" : " messages") + " could not be read (named in rejected); the "
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

    /** One rejected item for {@link #partly}. */
    static Map<String, Object> rejected(int index, String idField, String id, String reason) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("index", index);
        item.put(idField, id);
        item.put("reason", Secrets.mask(reason));
        return item;
    }
}
