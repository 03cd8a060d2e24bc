package io.leadsync.identity.eval;

import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Labelled records read from one or more CSV files through a {@link ColumnMapping}: each row a canonical person with
 * its true entity (and kind, if the mapping names one). Records of each file come from a source named after the file
 * (or the mapping's source column), in file order, as a sync would read them.
 *
 * @param records the records, files in the order given
 */
public record LabelledData(List<LabelledRecord> records) {
    /** Records carry modification times one second apart from here, in reading order. */
    static final Instant FIRST_UPDATE = Instant.parse("2026-01-01T00:00:00Z");

    /**
     * A person and the truth about it.
     *
     * @param person the person, as a connector would give it
     * @param entity the true entity
     * @param kind   the record's kind for figures per kind, or null
     */
    public record LabelledRecord(Person person, String entity, String kind) {
    }

    public LabelledData {
        records = List.copyOf(records);
    }

    /** Reads the files; a missing column or an unreadable truth is an error naming the file and line. */
    public static LabelledData read(List<Path> files, ColumnMapping mapping) throws IOException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no data set given");
        }
        List<LabelledRecord> records = new ArrayList<>();
        List<Map<String, String>> pairs = mapping.truthPairs() == null ? null : truthPairs(mapping.truthPairs());
        Map<String, String> entityOf = new HashMap<>();
        if (pairs != null) {
            if (files.size() != 2) {
                throw new IllegalArgumentException("a file of true pairs needs two data sets, got " + files.size());
            }
            for (Map<String, String> pair : pairs) {
                String left = "0:" + pair.get(mapping.truthPairs().columns().get(0));
                String right = "1:" + pair.get(mapping.truthPairs().columns().get(1));
                String entity = entityOf.getOrDefault(left, entityOf.getOrDefault(right, left));
                entityOf.put(left, entity);
                entityOf.put(right, entity);
            }
        }
        long row = 0;
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            String fileSource = sourceName(file);
            try (Reader reader = reader(file); CSVParser parser = CSVParser.parse(reader, format(file))) {
                List<String> header = parser.getHeaderNames();
                for (String column : mapping.columns()) {
                    if (!header.contains(column)) {
                        throw new IllegalArgumentException(file + ": no column '" + column + "' (columns: " + header
                                + ")");
                    }
                }
                for (CSVRecord csv : parser) {
                    Map<String, String> values = new LinkedHashMap<>();
                    for (String column : header) {
                        values.put(column, csv.isMapped(column) && csv.isSet(column) ? csv.get(column) : null);
                    }
                    String id = mapping.id() == null ? Long.toString(csv.getRecordNumber()) : values.get(mapping.id());
                    if (id == null || id.isBlank()) {
                        throw new IllegalArgumentException(file + ":" + parser.getCurrentLineNumber() + ": no id in "
                                + mapping.id());
                    }
                    id = id.strip();
                    String source = mapping.source() != null && values.get(mapping.source()) != null
                            ? values.get(mapping.source()).strip() : fileSource;
                    String entity;
                    if (pairs != null) {
                        entity = entityOf.getOrDefault(f + ":" + id, f + ":" + id);
                    } else {
                        String truth = values.get(mapping.truth());
                        entity = mapping.entity(truth == null ? null : truth.strip());
                        if (entity == null || entity.isEmpty()) {
                            throw new IllegalArgumentException(file + ":" + parser.getCurrentLineNumber()
                                    + ": no entity in " + mapping.truth() + " ('" + truth + "')"
                                    + (mapping.truthPattern() == null ? "" : " for " + mapping.truthPattern()));
                        }
                    }
                    Person person = mapping.person(new ExternalId(source, id), values, FIRST_UPDATE.plusSeconds(row++));
                    records.add(new LabelledRecord(person, entity,
                            mapping.kind() == null ? null : values.get(mapping.kind())));
                }
            }
        }
        return new LabelledData(records);
    }

    private static List<Map<String, String>> truthPairs(ColumnMapping.TruthPairs pairs) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (Reader reader = reader(pairs.file()); CSVParser parser = CSVParser.parse(reader, format(pairs.file()))) {
            for (String column : pairs.columns()) {
                if (!parser.getHeaderNames().contains(column)) {
                    throw new IllegalArgumentException(pairs.file() + ": no column '" + column + "'");
                }
            }
            for (CSVRecord csv : parser) {
                Map<String, String> row = new HashMap<>();
                for (String column : pairs.columns()) {
                    row.put(column, csv.get(column).strip());
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** UTF-8, malformed bytes replaced rather than failing (public data sets are not all clean). */
    private static Reader reader(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8));
    }

    /** Comma separated, or semicolon when the header has more semicolons than commas. */
    private static CSVFormat format(Path file) throws IOException {
        String header;
        try (BufferedReader reader = new BufferedReader(reader(file))) {
            header = reader.readLine();
        }
        if (header == null) {
            throw new IllegalArgumentException(file + " is empty");
        }
        char delimiter = header.chars().filter(c -> c == ';').count() > header.chars().filter(c -> c == ',').count()
                ? ';' : ',';
        return CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setHeader().setSkipHeaderRecord(true)
                .setIgnoreSurroundingSpaces(true).setTrim(true).setAllowMissingColumnNames(true).get();
    }

    /** A source name from a file name: {@code dataset4a.csv} is {@code dataset4a}. */
    static String sourceName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        return base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-");
    }
}
