package io.leadsync.app.api;

import io.leadsync.app.ApiAccess;
import io.leadsync.app.LeadsyncConfig;
import io.leadsync.app.internal.DashboardSessions;
import io.leadsync.app.ops.DashboardOps;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard: a page and its script and style ({@code /dashboard}, anyone may load them: they hold no data), a
 * sign-in with an API token that opens a session ({@code POST /dashboard/sign-in}; the token is sent once in the
 * body and never kept, the session is an {@code HttpOnly; SameSite=Strict} cookie), and {@code GET /api/dashboard}
 * for the figures no other endpoint gives. The page reads everything else from the same API as any client, with the
 * session's roles.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class DashboardController {
    private static final Map<String, String> ASSETS = Map.of("app.js", "application/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8");
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final ApiAccess access;
    private final DashboardSessions sessions;
    private final DashboardOps dashboard;

    public DashboardController(LeadsyncConfig config, DashboardSessions sessions, DashboardOps dashboard) {
        this.access = config.api();
        this.sessions = sessions;
        this.dashboard = dashboard;
    }

    /** The token to sign in with. */
    @Introspected
    public record SignIn(@Nullable String token) {
    }

    @Hidden
    @Get("/dashboard")
    @Secured(SecurityRule.IS_ANONYMOUS)
    public HttpResponse<String> page() {
        return asset("index.html", "text/html; charset=utf-8");
    }

    @Hidden
    @Get("/dashboard/{name}")
    @Secured(SecurityRule.IS_ANONYMOUS)
    public HttpResponse<String> asset(@PathVariable String name) {
        String type = ASSETS.get(name);
        if (type == null) {
            throw ApiProblem.notFound("no dashboard file " + name);
        }
        return asset(name, type);
    }

    /** Signs in with an API token: 200 with the caller's name, roles and CSRF value, and the session cookie. */
    @Post("/dashboard/sign-in")
    @Secured(SecurityRule.IS_ANONYMOUS)
    public HttpResponse<Map<String, Object>> signIn(@Body SignIn body, HttpRequest<?> request) {
        if (body.token() == null || body.token().isBlank()) {
            throw ApiProblem.badInput("token", "token is required: an API token from leadsync.api.tokens");
        }
        Optional<ApiAccess.Caller> caller = access.caller(body.token());
        if (caller.isEmpty()) {
            return HttpResponse.<Map<String, Object>>status(HttpStatus.UNAUTHORIZED)
                    .body(ApiProblem.body(HttpStatus.UNAUTHORIZED, "token", "this token is not one of"
                            + " leadsync.api.tokens"));
        }
        DashboardSessions.Session session = sessions.open(caller.get());
        return HttpResponse.ok(view(session)).cookie(cookie(session.id(), request, DashboardSessions.TTL));
    }

    /** The signed-in caller (the page asks after a reload, for its CSRF value). */
    @Get("/dashboard/session")
    @Secured(ApiAccess.READ)
    public Map<String, Object> session(HttpRequest<?> request) {
        return request.getCookies().findCookie(DashboardSessions.COOKIE).map(Cookie::getValue)
                .flatMap(sessions::find).map(DashboardController::view)
                .orElseThrow(() -> ApiProblem.notFound("no dashboard session: this call came with a token"));
    }

    @Post("/dashboard/sign-out")
    @Secured(SecurityRule.IS_ANONYMOUS)
    public MutableHttpResponse<Map<String, Object>> signOut(HttpRequest<?> request) {
        request.getCookies().findCookie(DashboardSessions.COOKIE).map(Cookie::getValue).ifPresent(sessions::close);
        return HttpResponse.ok(Map.<String, Object>of("signedOut", true))
                .cookie(cookie("", request, java.time.Duration.ZERO));
    }

    /** Score bands, grades, top reasons, conversion by band, identity reviews and dead letters waiting. */
    @Get("/api/dashboard")
    @Secured(ApiAccess.READ)
    public Map<String, Object> summary() {
        return dashboard.summary();
    }

    private static Map<String, Object> view(DashboardSessions.Session session) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", session.caller().name());
        view.put("roles", session.caller().roles());
        view.put("csrf", session.csrf());
        return view;
    }

    private static Cookie cookie(String value, HttpRequest<?> request, java.time.Duration maxAge) {
        return Cookie.of(DashboardSessions.COOKIE, value).httpOnly(true).sameSite(SameSite.Strict).path("/")
                .secure(request.isSecure()).maxAge(maxAge);
    }

    private static HttpResponse<String> asset(String name, String type) {
        try (InputStream in = DashboardController.class.getClassLoader().getResourceAsStream("dashboard/" + name)) {
            if (in == null) {
                throw ApiProblem.notFound("no dashboard file " + name);
            }
            return HttpResponse.ok(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .contentType(MediaType.of(type)).header("Content-Security-Policy", CSP)
                    .header("X-Content-Type-Options", "nosniff").header("Cache-Control", "no-cache");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
