package io.leadsync.sandbox.faults;

import io.leadsync.sandbox.SandboxDataGenerator;
import io.leadsync.sandbox.hubspot.HubSpotSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hooks run at the Nth matching request, before it is processed or after its write and before its answer. */
class RequestHookIT {
    private static final String TOKEN = HubSpotSimulator.Options.DEFAULT_TOKEN;
    private static final String UPDATE = "/crm/v3/objects/contacts/batch/update";
    private HubSpotSimulator hubspot;
    private String id;

    @BeforeEach
    void start() {
        hubspot = HubSpotSimulator.start(HubSpotSimulator.Options.defaults().withoutRateLimits());
        hubspot.seed(new SandboxDataGenerator(3).generate(1));
        id = hubspot.contacts().get(0).id();
    }

    @AfterEach
    void stop() {
        hubspot.close();
    }

    private CompletableFuture<HttpResponse<String>> update(String jobTitle) {
        return Http.sendAsync("POST", URI.create(hubspot.baseUrl() + UPDATE), "{\"inputs\":[{\"id\":\"" + id
                + "\",\"properties\":{\"jobtitle\":\"" + jobTitle + "\"}}]}", "Authorization", "Bearer " + TOKEN,
                "Content-Type", "application/json");
    }

    private String jobTitle() {
        return hubspot.contact(id).orElseThrow().properties().get("jobtitle");
    }

    @Test
    void anAfterHookRunsOnceTheWriteIsDoneAndBeforeTheClientHasItsAnswer() throws Exception {
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<String> seen = new AtomicReference<>();
        RequestHook hook = hubspot.faults().onRequest("POST", UPDATE, 2, RequestHook.Phase.AFTER, request -> {
            seen.set(jobTitle() + " / " + request.status() + " / " + request.body().contains("Second"));
            reached.countDown();
            release.await();
        });

        assertThat(update("First").get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        CompletableFuture<HttpResponse<String>> second = update("Second");

        assertThat(reached.await(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(100);
        assertThat(hook.seen()).isEqualTo(2);
        assertThat(seen.get()).as("the write is done when the hook runs").isEqualTo("Second / 200 / true");
        assertThat(second).as("and the answer not sent").isNotDone();
        release.countDown();
        assertThat(second.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(hook.awaitFired(Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void aBeforeHookRunsBeforeTheRequestIsProcessed() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        RequestHook hook = hubspot.faults().onRequest("POST", UPDATE, 1, RequestHook.Phase.BEFORE,
                request -> seen.set(jobTitle() + " / " + request.status()));
        String before = jobTitle();

        assertThat(update("Third").get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);

        assertThat(hook.fired()).isTrue();
        assertThat(seen.get()).isEqualTo(before + " / -1");
        assertThat(jobTitle()).isEqualTo("Third");
    }

    @Test
    void aHookCanDropTheConnectionBeforeOrAfterTheWrite() throws Exception {
        String before = jobTitle();
        hubspot.faults().onRequest("POST", UPDATE, 1, RequestHook.Phase.BEFORE, HookedRequest::dropConnection);
        // the request dropped before never reaches the AFTER phase: the next one is the first to count there
        hubspot.faults().onRequest("POST", UPDATE, 1, RequestHook.Phase.AFTER, HookedRequest::dropConnection);

        assertThatThrownBy(() -> update("Never").get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IOException.class);
        assertThat(jobTitle()).as("dropped before: not processed").isEqualTo(before);
        assertThatThrownBy(() -> update("Lost answer").get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IOException.class);
        assertThat(jobTitle()).as("dropped after: processed").isEqualTo("Lost answer");
        assertThat(hubspot.requests()).extracting(HubSpotSimulator.RecordedRequest::status).containsExactly(-1, -1);
    }

    @Test
    void onlyMatchingRequestsCountTowardsTheNthAndACancelledHookNeverRuns() throws Exception {
        List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        RequestHook cancelled = hubspot.faults().onRequest(null, "/crm/v3/objects/contacts", 1,
                RequestHook.Phase.BEFORE, request -> calls.add("cancelled"));
        cancelled.cancel();
        RequestHook patch = hubspot.faults().onRequest("PATCH", "/crm/v3/objects/contacts/", 1,
                RequestHook.Phase.AFTER, request -> calls.add(request.method() + " " + request.path()));

        update("Fourth").get(10, TimeUnit.SECONDS);
        Http.send("PATCH", URI.create(hubspot.baseUrl() + "/crm/v3/objects/contacts/" + id),
                "{\"properties\":{\"jobtitle\":\"CFO\"}}", "Authorization", "Bearer " + TOKEN,
                "Content-Type", "application/json");

        assertThat(calls).containsExactly("PATCH /crm/v3/objects/contacts/" + id);
        assertThat(patch.seen()).isEqualTo(1);
        assertThat(cancelled.fired()).isFalse();
    }
}
