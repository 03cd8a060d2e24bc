package io.leadsync.app;

import io.leadsync.routes.ModelRollout;
import io.leadsync.routes.ModelScoringService;
import io.leadsync.scoring.ModelValidationException;
import io.leadsync.scoring.ScoringModel;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Picks up a changed scoring model without a restart: checks the model file every {@code reload-interval}; a
 * version that validates is activated (every profile is re-scored on the next run, and only changed values are
 * pushed); one that does not is refused with its problems and the model in service stays.
 */
@Context
public class ModelWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(ModelWatcher.class);

    private final ModelScoringService scoring;
    private final ModelRollout rollout;
    private final ScheduledExecutorService timer;

    public ModelWatcher(@Named("champion") ModelScoringService scoring, ModelRollout rollout, LeadsyncConfig config) {
        this.scoring = scoring;
        this.rollout = rollout;
        long seconds = config.scoring().reloadInterval().toSeconds();
        if (seconds > 0) {
            timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "leadsync-model-watch");
                thread.setDaemon(true);
                return thread;
            });
            timer.scheduleWithFixedDelay(this::checkQuietly, seconds, seconds, TimeUnit.SECONDS);
        } else {
            timer = null;
        }
    }

    /** The outcome of a check: a model activated (with how many profiles it marked), nothing, or a refusal. */
    public record Check(boolean activated, String model, long profilesMarked, String problem) {
    }

    /** Checks the model file now. */
    public synchronized Check check() {
        String previous = scoring.modelId();
        try {
            Optional<ScoringModel> next = scoring.reloadIfChanged();
            if (next.isEmpty()) {
                return new Check(false, previous, 0, scoring.lastProblem().orElse(null));
            }
            long marked = rollout.activated(next.get().id(), previous, scoring.file().toString());
            LOG.info("Scoring model {} activated from {} (was {}); {} profiles will be re-scored on the next run,"
                    + " and only changed values pushed", next.get().id(), scoring.file(), previous, marked);
            return new Check(true, next.get().id(), marked, null);
        } catch (ModelValidationException e) {
            LOG.error("Scoring model file refused; {} stays in service: {}", previous, e.getMessage());
            return new Check(false, previous, 0, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Scoring model file could not be checked; {} stays in service: {}", previous, e.getMessage());
            return new Check(false, previous, 0, e.getMessage());
        }
    }

    private void checkQuietly() {
        check();
    }

    @PreDestroy
    void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
