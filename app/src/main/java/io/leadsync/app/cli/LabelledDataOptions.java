package io.leadsync.app.cli;

import io.leadsync.scoring.eval.LabelledCase;
import io.leadsync.scoring.eval.LabelledCsv;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The labelled history {@code score-train} and {@code score-eval} read: a CSV, its label, the columns to leave out. */
public final class LabelledDataOptions {
    @Option(names = "--data", description = "Labelled history as CSV (comma or semicolon"
            + " separated), one person per row; every column is an attribute a criterion can test.")
    Path data;

    @Option(names = "--label", description = "The outcome column, e.g. Converted or y"
            + " (1/yes/true = converted, 0/no/false = not).")
    String label;

    @Option(names = "--exclude", split = ",", description = "Columns to leave out, comma separated: identifiers,"
            + " and columns filled in after contact (leakage), e.g. Tags,Lead Quality.")
    List<String> exclude = new ArrayList<>();

    /** Where the cases come from, for headers and titles. */
    String describe() {
        return data.getFileName().toString();
    }

    /** The cases; prints how many rows were skipped for an unreadable label. */
    List<LabelledCase> load() throws IOException {
        if (data == null || label == null) {
            throw new IllegalArgumentException("give --data <csv> and --label <column>, or --from-store");
        }
        if (!Files.isRegularFile(data)) {
            throw new IllegalArgumentException("--data " + data + " is not a file");
        }
        Set<String> excluded = new LinkedHashSet<>();
        exclude.forEach(column -> excluded.add(column.strip()));
        LabelledCsv.Loaded loaded = LabelledCsv.withLabel(label, excluded).load(data);
        if (loaded.skipped() > 0) {
            System.err.println("skipped " + loaded.skipped() + " rows of " + data + " whose " + label
                    + " is neither converted (1, yes, true) nor not (0, no, false)");
        }
        return loaded.cases();
    }
}
