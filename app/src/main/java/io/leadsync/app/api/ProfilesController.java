package io.leadsync.app.api;

import io.leadsync.app.ApiAccess;
import io.leadsync.app.ops.ProfileOps;
import io.leadsync.connector.ExternalId;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

import java.util.List;
import java.util.Map;

/**
 * Profiles as a rep or an auditor asks about them: {@code GET /api/profiles?q=} searches by email, name, CRM id or
 * profile id; {@code GET /api/profiles/{id}} and {@code GET /api/profiles/by-record/{source}/{recordId}} give the
 * golden record with the record each value came from, the linked CRM records, the current score with its reasons,
 * and every change of the score ("why did this lead become an MQL on Tuesday").
 */
@Controller("/api/profiles")
@Secured(ApiAccess.READ)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ProfilesController {
    private final ProfileOps profiles;

    public ProfilesController(ProfileOps profiles) {
        this.profiles = profiles;
    }

    /** Search: {@code q} is an email, words of a name or company, a CRM record id (or source:id), or a profile id. */
    @Get
    public List<Map<String, Object>> search(@QueryValue @Nullable String q, @QueryValue(defaultValue = "20") int limit) {
        if (q == null || q.isBlank()) {
            throw ApiProblem.badInput("q", "q is required: an email, a name, a CRM record id or a profile id");
        }
        if (limit < 1 || limit > 200) {
            throw ApiProblem.badInput("limit", "limit must be between 1 and 200 but is " + limit);
        }
        return profiles.search(q, limit);
    }

    @Get("/{id}")
    public HttpResponse<Map<String, Object>> profile(@PathVariable String id) {
        return HttpResponse.ok(profiles.profile(id).orElseThrow(() -> ApiProblem.notFound("no profile " + id)));
    }

    @Get("/by-record/{source}/{recordId}")
    public HttpResponse<Map<String, Object>> byRecord(@PathVariable String source, @PathVariable String recordId) {
        String id = profiles.profileOf(new ExternalId(source, recordId))
                .orElseThrow(() -> ApiProblem.notFound("no profile holds " + source + ":" + recordId));
        return profile(id);
    }
}
