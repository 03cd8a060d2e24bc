package io.leadsync.app.api;

import io.leadsync.app.ModelLab;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.security.annotation.Secured;
import io.leadsync.app.ApiAccess;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Models from the store's own history: {@code POST /api/models/train} (a points table trained one horizon before a
 * cut-off and backtested at it, or trained on reps' verdicts), {@code GET /api/models/plan?mqls-per-week=} (the MQL
 * threshold for sales capacity), {@code GET /api/models/verdicts} (reps against the model), {@code GET|POST
 * /api/models/recalibration} (the latest reports, or one now).
 */
@Controller("/api/models")
@Secured(ApiAccess.READ)
public class TrainingController {
    private final ModelLab lab;

    public TrainingController(ModelLab lab) {
        this.lab = lab;
    }

    /**
     * Body, every key optional: {@code labels} ({@code outcomes} or {@code verdicts}), {@code cut-off} (a date),
     * {@code horizon-days}, {@code max-criteria}, {@code interactions}, {@code exclude} (attribute names).
     */
    @Secured(ApiAccess.ADMIN)
    @Post("/train")
    public HttpResponse<?> train(@Nullable @Body Map<String, Object> body) {
        Map<String, Object> request = body == null ? Map.of() : body;
        return answer(() -> {
            Optional<Instant> cutOff = Optional.ofNullable(request.get("cut-off")).map(Object::toString)
                    .map(TrainingController::date);
            Optional<Duration> horizon = number(request, "horizon-days").map(Duration::ofDays);
            @SuppressWarnings("unchecked")
            List<String> exclude = request.get("exclude") instanceof List<?> list
                    ? ((List<Object>) list).stream().map(Object::toString).toList() : List.of();
            boolean verdicts = "verdicts".equals(request.getOrDefault("labels", "outcomes"));
            return lab.train(new ModelLab.TrainingParameters(cutOff, horizon,
                    number(request, "max-criteria").map(Long::intValue),
                    number(request, "interactions").map(Long::intValue), exclude, verdicts));
        });
    }

    @Get("/plan")
    public HttpResponse<?> plan(@QueryValue("mqls-per-week") double mqlsPerWeek,
                                @Nullable @QueryValue("horizon-days") Integer horizonDays) {
        return answer(() -> lab.plan(mqlsPerWeek, Optional.ofNullable(horizonDays).map(Duration::ofDays)));
    }

    @Get("/verdicts")
    public HttpResponse<?> verdicts() {
        return answer(lab::verdicts);
    }

    @Get("/recalibration")
    public HttpResponse<?> recalibrations() {
        return answer(() -> Map.of("reports", lab.recalibrations(12)));
    }

    @Secured(ApiAccess.ADMIN)
    @Post("/recalibration")
    public HttpResponse<?> recalibrate() {
        return answer(lab::recalibrate);
    }

    private static HttpResponse<?> answer(Supplier<Object> work) {
        try {
            return HttpResponse.ok(work.get());
        } catch (IllegalStateException e) {
            return HttpResponse.status(HttpStatus.CONFLICT).body(Map.of("message", e.getMessage()));
        } catch (IllegalArgumentException e) {
            return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY).body(Map.of("message", e.getMessage()));
        }
    }

    private static Optional<Long> number(Map<String, Object> body, String key) {
        Object value = body.get(key);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(value.toString()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number but is '" + value + "'");
        }
    }

    private static Instant date(String text) {
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException notAnInstant) {
                throw new IllegalArgumentException("cut-off must be a date such as 2026-08-01 but is '" + text + "'");
            }
        }
    }
}
