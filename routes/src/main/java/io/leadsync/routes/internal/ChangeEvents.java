package io.leadsync.routes.internal;

import io.leadsync.connector.Change;
import io.leadsync.connector.ChangeFeed;
import io.leadsync.connector.Secrets;
import io.leadsync.connector.SourceConnector;
import io.leadsync.routes.ChangeIntake;
import io.leadsync.routes.EventSettings;
import io.leadsync.routes.SyncJob;
import io.leadsync.store.ChangeInboxRepository;
import io.leadsync.store.Store;
import io.leadsync.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The event path of one engine: the {@link ChangeIntake} that stores changes in the inbox, the change feeds of the
 * sources that offer one (their positions saved with the changes they deliver), and the debounce worker that turns
 * pending changes into event runs.
 *
 * <p>The worker (one thread, {@code leadsync-events}) waits for the first pending change, then for the rest of the
 * debounce window counted from that change's arrival, takes up to {@link EventSettings#maxBatch()} pending changes and asks for an event run of the job that
 * reads their source (the first such job by name). A job whose run is under way (here or in another process) is
 * tried again every 200 ms, so its changes go in the event run right after that run. A full batch is followed at once
 * by the next. Changes whose records could not be read wait for their retry time.
 */
public final class ChangeEvents implements ChangeIntake {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeEvents.class);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration BUSY_WAIT = Duration.ofMillis(200);
    private static final Duration KEEP_FINISHED = Duration.ofDays(7);

    /** Runs an event run; the engine implements it. */
    public interface Runner {
        /** Runs an event run of the job on the batch and waits for it; false when the job's run is under way. */
        boolean runEvents(String job, EventBatch batch);
    }

    private final Store store;
    private final Clock clock;
    private final EventSettings settings;
    private final Map<String, SourceConnector> sources = new LinkedHashMap<>();
    private final Map<String, String> jobOfSource = new LinkedHashMap<>();
    private final Runner runner;
    private final BooleanSupplier ready;
    private final AtomicLong duplicates = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final List<ChangeFeed> feeds = new ArrayList<>();
    private volatile boolean signalled;
    private volatile boolean stopped;
    private Thread worker;
    private long lastPrune;

    /**
     * @param jobs  the engine's jobs; a source's changes go to the first job by name that reads it
     * @param ready whether event runs can start now (the Camel context is started)
     */
    public ChangeEvents(Store store, Clock clock, EventSettings settings, List<SyncJob> jobs, Runner runner,
                        BooleanSupplier ready) {
        this.store = store;
        this.clock = clock;
        this.settings = settings;
        this.runner = runner;
        this.ready = ready;
        jobs.stream().sorted(java.util.Comparator.comparing(SyncJob::name)).forEach(job -> job.sources()
                .forEach(source -> {
                    sources.putIfAbsent(source.descriptor().name(), source);
                    jobOfSource.putIfAbsent(source.descriptor().name(), job.name());
                }));
    }

    @Override
    public Receipt accept(List<Change> changes) {
        if (changes.isEmpty()) {
            return new Receipt(0, 0);
        }
        check(changes);
        ChangeInboxRepository.Added added = add(changes, null, null);
        return new Receipt(added.added(), added.duplicates());
    }

    /** Refuses a batch naming a source no job reads, a stream its source lacks, or a source switched off. */
    private void check(List<Change> changes) {
        if (!settings.enabled()) {
            throw new IllegalStateException("change events are switched off (leadsync.events.enabled); the next "
                    + "scheduled run reads these changes");
        }
        for (Change change : changes) {
            String name = change.stream().source();
            SourceConnector source = sources.get(name);
            if (source == null) {
                throw new IllegalArgumentException("change " + change.eventId() + " names source '" + name
                        + "', which no job reads; sources read are " + sources.keySet());
            }
            if (!source.descriptor().streams().contains(change.stream().stream())) {
                throw new IllegalArgumentException("change " + change.eventId() + " names stream " + change.stream()
                        + ", which " + name + " does not read; its streams are " + source.descriptor().streams());
            }
            if (!settings.takes(name)) {
                throw new IllegalStateException("change events from " + name + " are switched off (sync.connectors."
                        + name + ".events); the next scheduled run reads these changes");
            }
        }
    }

    /** Adds changes (and a feed's position) in one transaction; a concurrent insert of the same event is retried. */
    private ChangeInboxRepository.Added add(List<Change> changes, String feedSource, String position) {
        for (int attempt = 1; ; attempt++) {
            try {
                ChangeInboxRepository.Added added = store.inTransaction(tx -> {
                    ChangeInboxRepository.Added result = tx.changeInbox().add(changes, clock.instant());
                    if (feedSource != null && position != null) {
                        tx.changeInbox().saveFeedPosition(feedSource, position, clock.instant());
                    }
                    return result;
                });
                duplicates.addAndGet(added.duplicates());
                if (added.added() > 0) {
                    signal();
                }
                return added;
            } catch (StoreException e) {
                if (attempt >= 3 || !(e.getCause() instanceof SQLException sql) || sql.getSQLState() == null
                        || !sql.getSQLState().startsWith("23")) {
                    throw e;
                }
                // another delivery of the same event was stored at the same moment: it is a repeat now
            }
        }
    }

    /**
     * Starts the worker, which opens the change feeds once event runs can start (the feeds subscribe through the
     * connectors' Camel components, which start with the Camel context).
     */
    public synchronized void start() {
        if (!settings.enabled()) {
            LOG.info("Change events are switched off (leadsync.events.enabled: false); the schedules read changes");
            return;
        }
        worker = new Thread(this::work, "leadsync-events");
        worker.setDaemon(true);
        worker.start();
    }

    /** Opens the feeds of the sources that offer one; a feed that cannot open is logged, the schedule covers it. */
    private void openFeeds() {
        sources.forEach((name, source) -> {
            if (stopped || !settings.takes(name)) {
                return;
            }
            try {
                Optional<ChangeFeed> feed = source.changeFeed();
                if (feed.isEmpty()) {
                    return;
                }
                String resumeAfter = store.inTransaction(tx -> tx.changeInbox().feedPosition(name)).orElse(null);
                feed.get().start(resumeAfter, new ChangeFeed.Listener() {
                    @Override
                    public void accept(List<Change> changes, String position) {
                        check(changes);
                        add(changes, name, position);
                    }

                    @Override
                    public void failed(Throwable cause) {
                        LOG.warn("The change feed of {} stopped: {}; the scheduled runs read its changes", name,
                                Secrets.mask(String.valueOf(cause.getMessage())));
                    }
                });
                synchronized (feeds) {
                    if (stopped) {
                        feed.get().close();
                        return;
                    }
                    feeds.add(feed.get());
                }
                LOG.info("Change feed of {} opened ({})", name, resumeAfter == null ? "from now"
                        : "resuming after " + resumeAfter);
            } catch (RuntimeException e) {
                LOG.warn("The change feed of {} could not open: {}; the scheduled runs read its changes", name,
                        Secrets.mask(String.valueOf(e.getMessage())), e);
            }
        });
    }

    /** Closes the feeds and stops the worker (an event run under way is stopped by the engine). */
    public synchronized void stop(Duration grace) {
        stopped = true;
        synchronized (feeds) {
            for (ChangeFeed feed : feeds) {
                try {
                    feed.close();
                } catch (RuntimeException e) {
                    LOG.warn("Closing a change feed failed: {}", e.toString());
                }
            }
            feeds.clear();
        }
        signal();
        if (worker != null) {
            try {
                worker.join(grace.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void signal() {
        lock.lock();
        try {
            signalled = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits for a signal or the timeout; false when stopped. */
    private boolean await(Duration timeout) {
        lock.lock();
        try {
            long left = timeout.toNanos();
            while (!signalled && !stopped && left > 0) {
                left = arrived.awaitNanos(left);
            }
            signalled = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        } finally {
            lock.unlock();
        }
        return !stopped;
    }

    private void sleep(Duration duration) {
        lock.lock();
        try {
            long left = duration.toNanos();
            while (!stopped && left > 0) {
                left = arrived.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        } finally {
            lock.unlock();
        }
    }

    private void work() {
        boolean backlog = false;
        int idleFailures = 0;
        boolean feedsOpened = false;
        while (!stopped) {
            try {
                if (!ready.getAsBoolean()) {
                    sleep(BUSY_WAIT);
                    continue;
                }
                if (!feedsOpened) {
                    feedsOpened = true;
                    openFeeds();
                }
                Optional<java.time.Instant> oldest = store.inTransaction(tx -> tx.changeInbox()
                        .oldestDue(clock.instant()));
                if (oldest.isEmpty()) {
                    backlog = false;
                    prune();
                    await(POLL);
                    continue;
                }
                if (!backlog) {
                    // the window runs from the oldest pending change's arrival: changes that arrived during the
                    // previous run have waited already
                    Duration waited = Duration.between(oldest.get(), clock.instant());
                    Duration left = settings.debounce().minus(waited.isNegative() ? Duration.ZERO : waited);
                    if (!left.isNegative() && !left.isZero()) {
                        sleep(left);
                    }
                }
                List<ChangeInboxRepository.Entry> due = store.inTransaction(tx -> tx.changeInbox()
                        .due(clock.instant(), settings.maxBatch()));
                boolean progressed = process(due);
                backlog = due.size() >= settings.maxBatch() || !progressed;
                if (!progressed) {
                    sleep(BUSY_WAIT.multipliedBy(Math.min(50, 1L << Math.min(idleFailures++, 6))));
                } else {
                    idleFailures = 0;
                }
            } catch (RuntimeException e) {
                if (stopped) {
                    return;
                }
                LOG.warn("The change-event worker failed: {}; trying again in {} s", Secrets.mask(String.valueOf(
                        e.getMessage())), POLL.toSeconds(), e);
                sleep(POLL);
            }
        }
    }

    /** Runs an event run per job; true when some change was settled (stored, retried later or given up). */
    private boolean process(List<ChangeInboxRepository.Entry> due) {
        Map<String, List<ChangeInboxRepository.Entry>> byJob = new LinkedHashMap<>();
        List<ChangeInboxRepository.Entry> orphans = new ArrayList<>();
        for (ChangeInboxRepository.Entry entry : due) {
            String job = jobOfSource.get(entry.change().stream().source());
            if (job == null) {
                orphans.add(entry);
            } else {
                byJob.computeIfAbsent(job, k -> new ArrayList<>()).add(entry);
            }
        }
        boolean progressed = false;
        if (!orphans.isEmpty()) {
            store.useTransaction(tx -> tx.changeInbox().failed(orphans.stream().map(ChangeInboxRepository.Entry::id)
                    .toList(), "no job reads this source any more", 0L, clock.instant()));
            LOG.warn("{} pending changes name sources no job reads any more; marked FAILED", orphans.size());
            progressed = true;
        }
        for (Map.Entry<String, List<ChangeInboxRepository.Entry>> job : byJob.entrySet()) {
            if (stopped) {
                break;
            }
            long repeats = duplicates.getAndSet(0);
            EventBatch batch = new EventBatch(job.getValue(), repeats);
            if (!runner.runEvents(job.getKey(), batch)) {
                duplicates.addAndGet(repeats);
                continue;
            }
            progressed |= batch.untouched() < batch.entries().size();
        }
        return progressed;
    }

    /** Forgets finished changes after a week, once an hour. */
    private void prune() {
        long now = System.nanoTime();
        if (lastPrune != 0 && now - lastPrune < TimeUnit.HOURS.toNanos(1)) {
            return;
        }
        lastPrune = now;
        int pruned = store.inTransaction(tx -> tx.changeInbox().prune(clock.instant().minus(KEEP_FINISHED)));
        if (pruned > 0) {
            LOG.info("Forgot {} change events finished more than {} days ago", pruned, KEEP_FINISHED.toDays());
        }
    }
}
