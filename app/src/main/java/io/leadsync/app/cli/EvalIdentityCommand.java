package io.leadsync.app.cli;

import io.leadsync.app.internal.MappingFile;
import io.leadsync.connector.Secret;
import io.leadsync.identity.IdentityResolver;
import io.leadsync.identity.IdentitySettings;
import io.leadsync.identity.MatchSettings;
import io.leadsync.identity.eval.ColumnMapping;
import io.leadsync.identity.eval.IdentityReplay;
import io.leadsync.identity.eval.LabelledData;
import io.leadsync.store.DatabaseSettings;
import io.leadsync.store.IdentityRepository;
import io.leadsync.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code leadsync eval-identity --dataset <csv> [--dataset <csv>] (--mapping <yml> | --map column=field ...)}:
 * replays labelled records through identity resolution exactly as a sync resolves them (pages of records resolved
 * through the store, the weights learned from the store's own records as it grows) on a fresh database, and prints
 * precision, recall and F1 over pairs of records, per kind when the data names kinds, as {@code name: value} lines.
 */
@Command(name = "eval-identity", mixinStandardHelpOptions = true,
        description = "Measure identity resolution on labelled CSV data, replayed through the sync's own resolution:"
                + " prints precision, recall, F1 (and per kind) as name: value lines.")
public final class EvalIdentityCommand implements Callable<Integer> {
    @Option(names = "--dataset", required = true, description = "A labelled CSV; give several to resolve them in turn"
            + " (each its own source, as connectors would be).")
    List<Path> datasets;

    @Option(names = "--mapping", description = "A YAML file naming the columns (see docs/identity/*.yml).")
    Path mapping;

    @Option(names = "--map", description = "column=field, repeatable: first_name, last_name, full_name, email, phone,"
            + " company, website, title, address, city, postal_code, country, date_of_birth; id, truth, kind, source.")
    List<String> maps = new ArrayList<>();

    @Option(names = "--truth-pattern", description = "With --map: a regular expression whose first group is the"
            + " entity within the truth column (e.g. rec-(\\\\d+)- for FEBRL).")
    String truthPattern;

    @Option(names = "--match-probability", description = "A record joins a profile at or above this probability"
            + " (default: the service's, 0.9).")
    Double matchProbability;

    @Option(names = "--page-size", defaultValue = "1000", description = "Records per page (default 1000).")
    int pageSize;

    @Option(names = "--database", description = "JDBC URL of an empty database to resolve into (default: a fresh"
            + " in-memory H2 database).")
    String database;

    @Override
    public Integer call() throws Exception {
        for (Path dataset : datasets) {
            if (!Files.isRegularFile(dataset)) {
                System.err.println("eval-identity: --dataset " + dataset + " is not a file");
                return 2;
            }
        }
        ColumnMapping columns;
        try {
            if (mapping != null && !maps.isEmpty()) {
                throw new IllegalArgumentException("give --mapping or --map, not both");
            }
            if (mapping != null) {
                columns = MappingFile.read(mapping, datasets.get(0).toAbsolutePath().getParent());
            } else if (!maps.isEmpty()) {
                columns = ColumnMapping.ofPairs(maps, truthPattern);
            } else {
                throw new IllegalArgumentException("name the columns with --mapping <file.yml> or --map column=field");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("eval-identity: " + e.getMessage());
            return 2;
        }
        LabelledData data;
        try {
            data = LabelledData.read(datasets, columns);
        } catch (IllegalArgumentException e) {
            System.err.println("eval-identity: " + e.getMessage());
            return 2;
        }
        IdentitySettings defaults = IdentitySettings.defaults();
        MatchSettings match = MatchSettings.defaults();
        if (matchProbability != null) {
            match = new MatchSettings(matchProbability, Math.min(match.reviewProbability(), matchProbability),
                    match.maxProfileRecords(), match.candidatesPerKey(), match.learnWeights());
        }
        IdentityResolver resolver = new IdentitySettings(Optional.of(match), defaults.phoneRegion(),
                defaults.emailRules(), defaults.survivorship(), null).resolver();
        String url = database != null ? database
                : "jdbc:h2:mem:eval-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1" + DatabaseSettings.H2_OPTIONS;
        Clock clock = Clock.systemUTC();
        try (Store store = Store.open(new DatabaseSettings(url, "sa", Secret.of(""), 2))) {
            ProgressBar bar = ProgressBar.onStandardError("records");
            long total = data.records().size();
            long[] resolved = {0};
            IdentityReplay.Result result;
            try {
                result = IdentityReplay.replay(data, pageSize, page -> {
                    List<io.leadsync.identity.LinkDecision> decisions = store.inTransaction(tx -> resolver.resolve(page,
                            tx.identity(clock.instant())));
                    resolved[0] += page.size();
                    bar.update("records resolved", resolved[0], total);
                    return decisions;
                });
            } finally {
                bar.finish();
            }
            System.out.print(result.figures().lines());
            System.out.printf(Locale.ROOT, "reviews: %d%nseconds: %.2f%n", result.reviews(), result.seconds());
            List<IdentityRepository.StoredWeights> estimates = store.inTransaction(tx -> tx.identity().estimates(1));
            for (IdentityRepository.StoredWeights weights : estimates) {
                System.out.printf(Locale.ROOT, "weights: version %d from %d records, %s%n", weights.version(),
                        weights.records(), weights.accepted() ? "in service" : "refused: "
                                + String.join("; ", weights.warnings()));
            }
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("eval-identity: " + e.getMessage());
            return 2;
        }
    }
}
