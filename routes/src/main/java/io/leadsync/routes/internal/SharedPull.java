package io.leadsync.routes.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.connector.StreamId;
import io.leadsync.routes.SyncJob;
import io.leadsync.store.RunWorkRepository;
import io.leadsync.store.Store;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The pull stage of a run shared by the instances of a cluster, through the database ({@link RunWorkRepository}): the
 * run's owner offers every stream of the job as an item; the owner and any other instance with nothing to do claim the
 * next open one ({@code FOR UPDATE SKIP LOCKED}) and pull it through the same pull route a run of one instance uses (its
 * pages stored with their cursors, so an item whose worker dies is opened again and resumes from its cursor). The
 * owner goes on to score and push once every item is DONE or FAILED, with the other instances' counts added to its run.
 * Identity work keeps its order across instances through an advisory lock per page (persons exclusive, activities
 * shared). A dry run is never shared: its store session is its own process's.
 */
public final class SharedPull {
    private static final Logger LOG = LoggerFactory.getLogger(SharedPull.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofMillis(250);

    private final Store store;
    private final Clock clock;
    private final String node;
    private final Duration staleAfter;
    private final Supplier<ProducerTemplate> template;
    /** The item this instance works on for another's run, and its run: kept alive by {@link #beat}. */
    private volatile Working working;

    private record Working(RunWorkRepository.Claim claim, RunContext run) {
    }

    /**
     * @param node       this instance's node id (the worker name on its claims)
     * @param staleAfter how long a claimed item may go without a heartbeat before another instance takes it over
     */
    public SharedPull(Store store, Clock clock, String node, Duration staleAfter, Supplier<ProducerTemplate> template) {
        this.store = store;
        this.clock = clock;
        this.node = node;
        this.staleAfter = staleAfter;
        this.template = template;
    }

    /** The id of the pull route of a stream (see {@link SyncRoutes}). */
    static String pullRoute(StreamId stream) {
        return "direct:" + SyncRoutes.pullRouteId(stream);
    }

    private static String item(StreamId stream) {
        return stream.source() + "/" + stream.stream();
    }

    private static List<StreamId> streams(SyncJob job) {
        return StreamPulls.streams(job);
    }

    private void pullHere(RunContext run, StreamId stream) {
        template.get().send(pullRoute(stream), exchange -> exchange.setProperty(RunContext.PROPERTY, run));
    }

    /**
     * The owner's pull stage: offers the job's streams, pulls those it claims, waits for those other instances claimed
     * (opening again an item whose worker stopped beating), and adds their counts and failures to the run.
     */
    public void pullAll(RunContext run) {
        List<StreamId> streams = streams(run.job());
        if (run.dryRun()) {
            streams.forEach(stream -> pullHere(run, stream));
            return;
        }
        run.shared(true);
        store.useTransaction(tx -> tx.runWork().offer(run.runId(), streams.stream().map(SharedPull::item).toList()));
        Map<String, StreamId> byItem = new java.util.HashMap<>();
        streams.forEach(stream -> byItem.put(item(stream), stream));
        while (!run.stopRequested()) {
            Instant now = clock.instant();
            Optional<RunWorkRepository.Claim> claim = store.inTransaction(tx -> tx.runWork().claim(run.runId(), node,
                    null, now));
            if (claim.isPresent()) {
                pullHere(run, byItem.get(claim.get().item()));
                store.useTransaction(tx -> tx.runWork().finish(run.runId(), claim.get().item(), node, true, null, null,
                        clock.instant()));
                continue;
            }
            List<RunWorkRepository.Item> items = store.inTransaction(tx -> tx.runWork().items(run.runId()));
            if (items.stream().allMatch(i -> i.state() == RunWorkRepository.State.DONE
                    || i.state() == RunWorkRepository.State.FAILED)) {
                merge(run, items);
                return;
            }
            int reopened = store.inTransaction(tx -> tx.runWork().reopenStale(run.runId(), now.minus(staleAfter)));
            if (reopened > 0) {
                LOG.warn("run {}: {} stream(s) claimed by an instance that stopped beating were opened again",
                        run.runId(), reopened);
            }
            sleep();
        }
    }

    /** Adds the counts of the items other instances pulled; a failed one fails the run as it would have here. */
    private void merge(RunContext run, List<RunWorkRepository.Item> items) {
        for (RunWorkRepository.Item item : items) {
            if (node.equals(item.worker())) {
                continue;
            }
            Map<String, Object> part = Map.of();
            if (item.statsJson() != null) {
                try {
                    part = JSON.readValue(item.statsJson(), new TypeReference<>() { });
                } catch (java.io.IOException e) {
                    run.stats().problem("the counts of " + item.item() + " pulled by " + item.worker()
                            + " are unreadable: " + e.getMessage());
                }
            }
            boolean failed = item.state() == RunWorkRepository.State.FAILED;
            run.merge(part, failed && !"PAUSED".equals(item.error()), "PAUSED".equals(item.error()));
            run.stats().add("shared", item.worker(), "streams", 1);
        }
        long helped = items.stream().filter(i -> !node.equals(i.worker())).count();
        if (helped > 0) {
            LOG.info("run {}: {} of {} streams were pulled by other instances of the cluster", run.runId(), helped,
                    items.size());
        }
    }

    /**
     * Helps another instance's run: claims the next open stream of a run under way that this instance does not own,
     * pulls it here and reports its counts; false when no stream was open.
     *
     * @param jobs this instance's jobs by name (the same configuration on every instance)
     */
    public boolean helpOnce(Map<String, SyncJob> jobs) {
        if (!store.inTransaction(tx -> tx.runWork().anyOpen())) {
            return false;
        }
        Instant now = clock.instant();
        Optional<RunWorkRepository.Claim> claimed = store.inTransaction(tx -> tx.runWork().claim(null, node, node,
                now));
        if (claimed.isEmpty()) {
            return false;
        }
        RunWorkRepository.Claim claim = claimed.get();
        SyncJob job = jobs.get(claim.job());
        StreamId stream = job == null ? null : streams(job).stream().filter(s -> item(s).equals(claim.item()))
                .findFirst().orElse(null);
        if (stream == null) {
            store.useTransaction(tx -> tx.runWork().finish(claim.runId(), claim.item(), node, false, null,
                    "instance " + node + " has no stream " + claim.item() + " in job " + claim.job()
                            + ": the instances of a cluster must share one configuration", clock.instant()));
            return true;
        }
        RunContext run = new RunContext(claim.runId(), job, "help", claim.owner(), now);
        run.helper(true);
        run.shared(true);
        working = new Working(claim, run);
        LOG.info("Pulling {} for run {} of job {} (owned by {})", claim.item(), claim.runId(), claim.job(),
                claim.owner());
        try {
            pullHere(run, stream);
        } finally {
            working = null;
            org.slf4j.MDC.remove("job");
            org.slf4j.MDC.remove("run");
            if (run.stopRequested()) {
                // not finished here: open again, resumed from its cursor by another instance or the owner
                store.useTransaction(tx -> tx.runWork().release(claim.runId(), claim.item(), node));
                LOG.info("Gave {} of run {} back: {}", claim.item(), claim.runId(), run.stopReason());
                return true;
            }
            run.recordCalls();
            String error = run.isPaused() ? "PAUSED" : run.hasFailed() ? String.join("; ", run.stats().problems())
                    : null;
            String stats;
            try {
                stats = JSON.writeValueAsString(run.stats().toMap());
            } catch (java.io.IOException e) {
                stats = null;
            }
            String counts = stats;
            store.useTransaction(tx -> tx.runWork().finish(claim.runId(), claim.item(), node, error == null, counts,
                    error, clock.instant()));
        }
        return true;
    }

    /** The heartbeat of the item this instance pulls for another's run (called with the lease heartbeat). */
    public void beat() {
        Working current = working;
        if (current != null && !store.inTransaction(tx -> tx.runWork().beat(current.claim().runId(),
                current.claim().item(), node, clock.instant()))) {
            current.run().requestStop("its stream was given to another instance");
        }
    }

    /** Asks the stream this instance pulls for another's run to stop at its next page (the process is stopping). */
    public void stop(String reason) {
        Working current = working;
        if (current != null) {
            current.run().requestStop(reason);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
