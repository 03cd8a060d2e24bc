package io.leadsync.identity.eval;

import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the columns of a labelled CSV become canonical persons and their truth: which columns hold the person's fields
 * (several columns of one field are joined with spaces, e.g. a street number and a street), the record id, the true
 * entity (optionally the first group of a pattern matched against it), a kind (for figures per kind), or a file of
 * true pairs instead of an entity column.
 *
 * <p>Fields: {@code first_name}, {@code last_name}, {@code full_name} (split into given and family name as a name
 * typed into one field is), {@code email}, {@code phone}, {@code company}, {@code website} (or {@code domain}),
 * {@code title}, {@code address}, {@code city}, {@code postal_code}, {@code country}, {@code date_of_birth}.
 *
 * @param fields      per person field, the columns that hold it
 * @param id          the column of the record id, or null for the row number
 * @param source      the column naming the record's source system, or null for the file's name
 * @param truth       the column of the true entity, or null when {@code truthPairs} is given
 * @param truthPattern a pattern whose first group is the entity within the truth column, or null for the whole value
 * @param kind        the column naming the kind of each record, or null
 * @param truthPairs  a CSV of true matching pairs and its two id columns, or null
 */
public record ColumnMapping(Map<String, List<String>> fields, String id, String source, String truth,
                            Pattern truthPattern, String kind, TruthPairs truthPairs) {

    /** Person fields a column can map to. */
    public static final Set<String> FIELDS = Set.of("first_name", "last_name", "full_name", "email", "phone",
            "company", "website", "domain", "title", "address", "city", "postal_code", "country", "date_of_birth");

    /**
     * A file of true pairs: a row names one record of each data set (or two of one) that are the same entity.
     *
     * @param file    the CSV
     * @param columns its two id columns, in the order of the data sets
     */
    public record TruthPairs(Path file, List<String> columns) {
        public TruthPairs {
            Objects.requireNonNull(file, "file");
            if (columns.size() != 2) {
                throw new IllegalArgumentException("truth pairs need two id columns, got " + columns);
            }
            columns = List.copyOf(columns);
        }
    }

    public ColumnMapping {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        fields.forEach((field, columns) -> {
            String name = field.strip().toLowerCase(Locale.ROOT).replace('-', '_');
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown field '" + field + "'; expected one of "
                        + new java.util.TreeSet<>(FIELDS));
            }
            copy.computeIfAbsent(name, f -> new ArrayList<>()).addAll(columns);
        });
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("the mapping names no person field");
        }
        fields = java.util.Collections.unmodifiableMap(copy);
        if (truth == null && truthPairs == null) {
            throw new IllegalArgumentException("the mapping names no truth: a truth column or a file of true pairs");
        }
    }

    /**
     * A mapping from {@code column=field} pairs, as {@code --map} options give them; the fields {@code id},
     * {@code truth}, {@code kind} and {@code source} name those columns.
     */
    public static ColumnMapping ofPairs(List<String> pairs, String truthPattern) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        String id = null;
        String truth = null;
        String kind = null;
        String source = null;
        for (String pair : pairs) {
            int equals = pair.lastIndexOf('=');
            if (equals <= 0 || equals == pair.length() - 1) {
                throw new IllegalArgumentException("--map " + pair + ": expected column=field");
            }
            String column = pair.substring(0, equals).strip();
            String field = pair.substring(equals + 1).strip().toLowerCase(Locale.ROOT).replace('-', '_');
            switch (field) {
                case "id" -> id = column;
                case "truth" -> truth = column;
                case "kind" -> kind = column;
                case "source" -> source = column;
                default -> fields.computeIfAbsent(field, f -> new ArrayList<>()).add(column);
            }
        }
        return new ColumnMapping(fields, id, source, truth,
                truthPattern == null ? null : Pattern.compile(truthPattern), kind, null);
    }

    /** Every column the mapping reads from a data set. */
    public List<String> columns() {
        List<String> columns = new ArrayList<>();
        fields.values().forEach(columns::addAll);
        for (String column : new String[] {id, source, truth, kind}) {
            if (column != null) {
                columns.add(column);
            }
        }
        return columns;
    }

    /** The person of a row (column name to value; missing or blank values are absent). */
    public Person person(ExternalId id, Map<String, String> row, Instant updatedAt) {
        String fullName = value(row, "full_name");
        String first = value(row, "first_name");
        String last = value(row, "last_name");
        if (fullName != null && first == null && last == null) {
            first = fullName;
        }
        String website = value(row, "website");
        return Person.builder(id, updatedAt)
                .firstName(first).lastName(last)
                .email(value(row, "email")).phone(value(row, "phone"))
                .company(value(row, "company")).domain(website != null ? website : value(row, "domain"))
                .title(value(row, "title")).address(value(row, "address")).city(value(row, "city"))
                .postalCode(value(row, "postal_code")).country(value(row, "country"))
                .dateOfBirth(value(row, "date_of_birth"))
                .build();
    }

    /** The entity of a row's truth value; null when the pattern does not match (a problem the reader reports). */
    String entity(String value) {
        if (value == null || truthPattern == null) {
            return value;
        }
        Matcher matcher = truthPattern.matcher(value);
        return matcher.find() ? (matcher.groupCount() >= 1 ? matcher.group(1) : matcher.group()) : null;
    }

    private String value(Map<String, String> row, String field) {
        List<String> columns = fields.get(field);
        if (columns == null) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (String column : columns) {
            String value = row.get(column);
            if (value != null && !value.isBlank()) {
                if (text.length() > 0) {
                    text.append(' ');
                }
                text.append(value.strip());
            }
        }
        return text.length() == 0 ? null : text.toString();
    }
}
