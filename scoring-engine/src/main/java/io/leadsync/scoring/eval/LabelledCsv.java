package io.leadsync.scoring.eval;

import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads labelled history from a CSV export: one person per row, every column an attribute of the person (so a model's
 * field criteria test it by the column's name), one column the outcome. Comma or semicolon separated (detected from
 * the header); quoted values as RFC 4180.
 *
 * <p>Rows whose label is neither a positive nor a negative value are skipped and counted, never guessed.
 *
 * @param label    the outcome column, e.g. {@code Converted} or {@code y}
 * @param positive values of the label meaning converted, ignoring case ({@code 1}, {@code yes}, {@code true}...)
 * @param negative values meaning not converted ({@code 0}, {@code no}, {@code false}...)
 * @param exclude  columns to leave out: identifiers, and columns filled in after the outcome (leakage)
 */
public record LabelledCsv(String label, Set<String> positive, Set<String> negative, Set<String> exclude) {
    /** The scoring instant of cases read from a CSV: rows carry no activities, so any fixed instant will do. */
    public static final Instant AS_OF = Instant.parse("2025-01-01T00:00:00Z");

    public LabelledCsv {
        Objects.requireNonNull(label, "label");
        positive = lower(positive);
        negative = lower(negative);
        exclude = Set.copyOf(exclude);
    }

    /** The label column with the usual positive and negative values. */
    public static LabelledCsv withLabel(String label, Set<String> exclude) {
        return new LabelledCsv(label, Set.of("1", "yes", "true", "y", "converted", "won"),
                Set.of("0", "no", "false", "n", "lost"), exclude);
    }

    /**
     * The cases of a file, with the number of rows skipped for an unreadable label.
     *
     * @throws IllegalArgumentException if the label column or an excluded column is not in the header
     */
    public Loaded load(Path file) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            reader.mark(1 << 16);
            String header = reader.readLine();
            if (header == null) {
                throw new IllegalArgumentException(file + " is empty; expected a header row with " + label);
            }
            reader.reset();
            char delimiter = count(header, ';') > count(header, ',') ? ';' : ',';
            return load(reader, delimiter, file.toString());
        }
    }

    private Loaded load(Reader reader, char delimiter, String source) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setHeader().setSkipHeaderRecord(true)
                .setIgnoreSurroundingSpaces(true).setTrim(true).get();
        List<LabelledCase> cases = new ArrayList<>();
        int skipped = 0;
        try (CSVParser parser = CSVParser.parse(reader, format)) {
            List<String> columns = parser.getHeaderNames();
            if (!columns.contains(label)) {
                throw new IllegalArgumentException(source + ": label column '" + label + "' is not in the header "
                        + columns);
            }
            for (String excluded : exclude) {
                if (!columns.contains(excluded)) {
                    throw new IllegalArgumentException(source + ": excluded column '" + excluded
                            + "' is not in the header " + columns);
                }
            }
            for (CSVRecord row : parser) {
                String outcome = row.isMapped(label) && row.isSet(label) ? row.get(label).toLowerCase(Locale.ROOT) : "";
                boolean converted;
                if (positive.contains(outcome)) {
                    converted = true;
                } else if (negative.contains(outcome)) {
                    converted = false;
                } else {
                    skipped++;
                    continue;
                }
                Map<String, String> attributes = new LinkedHashMap<>();
                for (String column : columns) {
                    if (column.equals(label) || exclude.contains(column) || !row.isSet(column)) {
                        continue;
                    }
                    String value = row.get(column);
                    if (!value.isEmpty()) {
                        attributes.put(column, value);
                    }
                }
                Person person = Person.builder(new ExternalId("csv", Long.toString(row.getRecordNumber())), AS_OF)
                        .attributes(attributes).build();
                cases.add(new LabelledCase(person, List.of(), AS_OF, converted));
            }
        }
        return new Loaded(cases, skipped);
    }

    /**
     * What a file gave.
     *
     * @param cases   the rows with a readable label, in file order
     * @param skipped rows whose label was neither positive nor negative
     */
    public record Loaded(List<LabelledCase> cases, int skipped) {
    }

    private static int count(String text, char c) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }

    private static Set<String> lower(Set<String> values) {
        Set<String> lowered = new java.util.HashSet<>();
        for (String value : values) {
            lowered.add(value.strip().toLowerCase(Locale.ROOT));
        }
        return Set.copyOf(lowered);
    }
}
