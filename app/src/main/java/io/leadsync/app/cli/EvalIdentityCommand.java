package io.leadsync.app.cli;

import io.leadsync.identity.linkage.LinkageEvaluation;
import io.leadsync.identity.linkage.RecordLinker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code leadsync eval-identity --dataset <csv> [--dataset <csv>]}: runs probabilistic matching on a labelled data
 * set (one file: duplicates within it; two: links across them) and prints pairs found, precision, recall, F1 and
 * time as {@code name: value} lines.
 */
@Command(name = "eval-identity", mixinStandardHelpOptions = true,
        description = "Measure identity resolution on a labelled data set (FEBRL, Splink synthetic persons):"
                + " prints precision, recall, F1 and time as name: value lines.")
public final class EvalIdentityCommand implements Callable<Integer> {
    @Option(names = "--dataset", required = true, description = "A labelled CSV; give two to link across them.")
    List<Path> datasets;

    @Option(names = "--match-probability", defaultValue = "0.5",
            description = "A pair at or above this probability is a match (default 0.5).")
    double matchProbability;

    @Override
    public Integer call() throws Exception {
        for (Path dataset : datasets) {
            if (!Files.isRegularFile(dataset)) {
                System.err.println("eval-identity: --dataset " + dataset + " is not a file");
                return 2;
            }
        }
        try {
            System.out.print(LinkageEvaluation.evaluate(datasets,
                    RecordLinker.Options.defaults().withMatchProbability(matchProbability)).lines());
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("eval-identity: " + e.getMessage());
            return 2;
        }
    }
}
