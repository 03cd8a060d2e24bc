package io.leadsync.app.cli;

import io.leadsync.connector.ExternalId;
import io.leadsync.identity.WeightEstimator;
import io.leadsync.routes.IdentityService;
import io.leadsync.store.IdentityRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code leadsync identity ...}: the review queue, splits and the learned weights from the command line, on the
 * service's database ({@code --config}). What the HTTP API's {@code /api/identity} does, without a running service;
 * changed profiles are scored again by the next run of their jobs.
 */
@Command(name = "identity", mixinStandardHelpOptions = true,
        description = "Review possible matches, split profiles, and see or re-estimate the identity weights.",
        subcommands = {IdentityCommand.Reviews.class, IdentityCommand.Confirm.class, IdentityCommand.Reject.class,
            IdentityCommand.Split.class, IdentityCommand.Weights.class, IdentityCommand.Estimate.class})
public final class IdentityCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs work against the service's identity state, on a service started without its schedules. */
    static int withService(ConfigOption config, Function<IdentityService, Integer> work) {
        Server server;
        try {
            server = Server.start(config.file, Map.of("micronaut.server.port", 0, "leadsync.scoring.reload-interval",
                    "0s", "leadsync.start-schedules", false));
        } catch (Server.StartupFailure e) {
            System.err.println("leadsync cannot start: " + e.getMessage());
            return 2;
        }
        try {
            return work.apply(server.context().getBean(IdentityService.class));
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println(e.getMessage());
            return 2;
        } finally {
            server.close();
        }
    }

    @Command(name = "reviews", mixinStandardHelpOptions = true, description = "List the review queue.")
    static final class Reviews implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(names = "--status", defaultValue = "open", description = "open, confirmed or rejected.")
        String status;

        @Option(names = "--limit", defaultValue = "50", description = "At most this many (default 50).")
        int limit;

        @Override
        public Integer call() {
            return withService(config, identity -> {
                PrintStream out = System.out;
                List<IdentityRepository.Review> reviews = identity.reviews(status, limit);
                for (IdentityRepository.Review review : reviews) {
                    out.printf(Locale.ROOT, "%d  %s  %s in %s may be %s (p=%.3f): %s%n", review.id(),
                            review.item().kind().key(), review.item().record(), review.item().profileId(),
                            review.item().candidateId(), review.item().probability(), review.item().evidence());
                }
                out.printf("reviews: %d%n", reviews.size());
                return 0;
            });
        }
    }

    /** A person's decision on one queued pair. */
    abstract static class Decision implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "REVIEW", description = "The review's number.")
        long review;

        abstract IdentityService.Outcome decide(IdentityService identity, long review);

        @Override
        public Integer call() {
            return withService(config, identity -> {
                System.out.println(decide(identity, review).message());
                return 0;
            });
        }
    }

    @Command(name = "confirm", mixinStandardHelpOptions = true,
            description = "Confirm a queued pair: the record's profile merges into the candidate.")
    static final class Confirm extends Decision {
        @Override
        IdentityService.Outcome decide(IdentityService identity, long review) {
            return identity.confirm(review);
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true,
            description = "Reject a queued pair: the record and the candidate are kept apart from now on.")
    static final class Reject extends Decision {
        @Override
        IdentityService.Outcome decide(IdentityService identity, long review) {
            return identity.reject(review);
        }
    }

    @Command(name = "split", mixinStandardHelpOptions = true,
            description = "Split records off a profile: they return to the profiles they had before, kept apart.")
    static final class Split implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(names = "--profile", required = true, description = "The profile.")
        String profile;

        @Option(names = "--record", required = true, description = "source:id of a record leaving it; repeatable.")
        List<String> records;

        @Override
        public Integer call() {
            List<ExternalId> ids = new ArrayList<>();
            for (String record : records) {
                int colon = record.indexOf(':');
                if (colon <= 0 || colon == record.length() - 1) {
                    System.err.println("--record " + record + ": expected source:id");
                    return 2;
                }
                ids.add(new ExternalId(record.substring(0, colon), record.substring(colon + 1)));
            }
            return withService(config, identity -> {
                System.out.println(identity.split(profile, ids).message());
                return 0;
            });
        }
    }

    @Command(name = "weights", mixinStandardHelpOptions = true,
            description = "Show the weights in service and the latest estimates.")
    static final class Weights implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Override
        public Integer call() {
            return withService(config, identity -> {
                List<IdentityRepository.StoredWeights> estimates = identity.estimates(10);
                if (estimates.isEmpty()) {
                    System.out.println("no estimates yet: the built-in weights are in service");
                }
                for (IdentityRepository.StoredWeights weights : estimates) {
                    System.out.printf(Locale.ROOT, "version %d  %s  %s  %d records, %d pairs, %d matches%s%n",
                            weights.version(), weights.createdAt(), weights.accepted() ? "accepted" : "refused",
                            weights.records(), weights.pairs(), Math.round(weights.matches()),
                            weights.warnings().isEmpty() ? "" : "  " + String.join("; ", weights.warnings()));
                }
                estimates.stream().filter(IdentityRepository.StoredWeights::accepted).findFirst().ifPresent(
                        weights -> WeightEstimator.describe(weights.weights()).forEach((comparison, levels) ->
                                System.out.println("  " + comparison + ": " + levels)));
                return 0;
            });
        }
    }

    @Command(name = "estimate", mixinStandardHelpOptions = true,
            description = "Estimate the weights from the store's records now.")
    static final class Estimate implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Override
        public Integer call() {
            return withService(config, identity -> {
                WeightEstimator.Estimate estimate = identity.estimate("on-demand");
                System.out.printf(Locale.ROOT, "accepted: %s%nrecords: %d%npairs: %d%nmatches: %d%n",
                        estimate.accepted(), estimate.records(), estimate.pairs(), Math.round(estimate.matches()));
                estimate.warnings().forEach(warning -> System.out.println("warning: " + warning));
                return estimate.accepted() ? 0 : 1;
            });
        }
    }
}
