package io.leadsync.identity.linkage;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the {@link RecordLinker} on a labelled data set and measures it against the truth, at the level of pairs:
 * with one file (deduplication), the pairs within each found cluster against the pairs within each true entity;
 * with two files (linkage), the matched pairs across them against the true cross pairs.
 *
 * <p>Field kinds come from the header: the FEBRL data sets ({@code rec_id, given_name, surname, ...}; the entity is
 * the number inside {@code rec_id}: {@code rec-123-org}, {@code rec-123-dup-0}) and Splink's synthetic persons
 * ({@code unique_id, first_name, surname, dob, city, email} with the truth in {@code cluster} or {@code group})
 * are known; other files name their fields and kinds explicitly.
 */
public final class LinkageEvaluation {
    private static final Pattern FEBRL_ENTITY = Pattern.compile("rec-(\\d+)-");
    private static final Pattern NON_SPACING_MARKS = Pattern.compile("\\p{Mn}+");

    /** FEBRL columns and how to compare them. */
    static final List<RecordLinker.Field> FEBRL = List.of(
            new RecordLinker.Field("given_name", FieldKind.NAME), new RecordLinker.Field("surname", FieldKind.NAME),
            new RecordLinker.Field("street_number", FieldKind.CODE), new RecordLinker.Field("address_1", FieldKind.TEXT),
            new RecordLinker.Field("address_2", FieldKind.TEXT), new RecordLinker.Field("suburb", FieldKind.NAME),
            new RecordLinker.Field("postcode", FieldKind.CODE), new RecordLinker.Field("state", FieldKind.EXACT),
            new RecordLinker.Field("date_of_birth", FieldKind.DATE), new RecordLinker.Field("soc_sec_id", FieldKind.CODE));

    /** Splink synthetic person columns. */
    static final List<RecordLinker.Field> SPLINK = List.of(
            new RecordLinker.Field("first_name", FieldKind.NAME), new RecordLinker.Field("surname", FieldKind.NAME),
            new RecordLinker.Field("dob", FieldKind.DATE), new RecordLinker.Field("city", FieldKind.NAME),
            new RecordLinker.Field("email", FieldKind.EMAIL));

    /**
     * The figures of one evaluation.
     *
     * @param records        records read
     * @param candidatePairs pairs compared after blocking
     * @param pairsFound     pairs judged the same person (within clusters, or matched across files)
     * @param truePairs      pairs that are the same person
     * @param truePositives  pairs found that are right
     * @param possible       pairs kept for review
     * @param seconds        time to link (reading excluded)
     */
    public record Figures(int records, long candidatePairs, long pairsFound, long truePairs, long truePositives,
                          int possible, double seconds) {
        public double precision() {
            return pairsFound == 0 ? 0 : (double) truePositives / pairsFound;
        }

        public double recall() {
            return truePairs == 0 ? 0 : (double) truePositives / truePairs;
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }

        /** One {@code name: value} per line, for scripts. */
        public String lines() {
            return String.format(Locale.ROOT, "records: %d%ncandidate_pairs: %d%npairs_found: %d%ntrue_pairs: %d%n"
                    + "precision: %.4f%nrecall: %.4f%nf1: %.4f%npossible_matches: %d%nseconds: %.2f%n", records,
                    candidatePairs, pairsFound, truePairs, precision(), recall(), f1(), possible, seconds);
        }
    }

    private LinkageEvaluation() {
    }

    /** Evaluates on one file (deduplication) or two (linkage across them). */
    public static Figures evaluate(List<Path> files, RecordLinker.Options options) throws IOException {
        if (files.isEmpty() || files.size() > 2) {
            throw new IllegalArgumentException("give one data set (deduplication) or two (linkage), not "
                    + files.size());
        }
        List<RecordLinker.Record> records = new ArrayList<>();
        List<String> truth = new ArrayList<>();
        List<RecordLinker.Field> fields = null;
        for (int source = 0; source < files.size(); source++) {
            List<RecordLinker.Field> found = read(files.get(source), source, records, truth);
            if (fields != null && !fields.equals(found)) {
                throw new IllegalArgumentException(files.get(source) + " has other columns than " + files.get(0));
            }
            fields = found;
        }
        boolean linkage = files.size() == 2;
        long started = System.nanoTime();
        RecordLinker.Result result = new RecordLinker(fields, linkage ? options.withOneToOne(true) : options)
                .link(records, linkage);
        double seconds = (System.nanoTime() - started) / 1e9;

        long found;
        long right;
        long truePairs;
        if (linkage) {
            found = result.matches().size();
            right = result.matches().stream().filter(pair -> truth.get(pair.a()).equals(truth.get(pair.b()))).count();
            Map<String, long[]> perEntity = new HashMap<>();
            for (int i = 0; i < records.size(); i++) {
                perEntity.computeIfAbsent(truth.get(i), key -> new long[2])[records.get(i).source()]++;
            }
            truePairs = perEntity.values().stream().mapToLong(counts -> counts[0] * counts[1]).sum();
        } else {
            Map<String, Map<String, Long>> clusters = new HashMap<>();
            Map<String, Long> entities = new HashMap<>();
            for (int i = 0; i < records.size(); i++) {
                clusters.computeIfAbsent(result.clusterIds()[i], key -> new HashMap<>())
                        .merge(truth.get(i), 1L, Long::sum);
                entities.merge(truth.get(i), 1L, Long::sum);
            }
            found = 0;
            right = 0;
            for (Map<String, Long> byEntity : clusters.values()) {
                long size = byEntity.values().stream().mapToLong(Long::longValue).sum();
                found += size * (size - 1) / 2;
                for (long same : byEntity.values()) {
                    right += same * (same - 1) / 2;
                }
            }
            truePairs = entities.values().stream().mapToLong(size -> size * (size - 1) / 2).sum();
        }
        return new Figures(records.size(), result.candidatePairs(), found, truePairs, right,
                result.possible().size(), seconds);
    }

    /** Reads a file's records and truth; the fields its header implies. */
    static List<RecordLinker.Field> read(Path file, int source, List<RecordLinker.Record> records, List<String> truth)
            throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                .setIgnoreSurroundingSpaces(true).setTrim(true).get();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.parse(reader, format)) {
            List<String> header = parser.getHeaderNames();
            List<RecordLinker.Field> fields;
            String idColumn;
            String truthColumn;
            if (header.contains("rec_id")) {
                fields = FEBRL;
                idColumn = "rec_id";
                truthColumn = "rec_id";
            } else if (header.contains("unique_id") && header.contains("first_name")) {
                fields = SPLINK;
                idColumn = "unique_id";
                truthColumn = header.contains("cluster") ? "cluster" : "group";
            } else {
                throw new IllegalArgumentException(file + ": unknown columns " + header + "; expected FEBRL"
                        + " (rec_id, given_name, ...) or Splink (unique_id, first_name, ..., cluster|group)");
            }
            for (RecordLinker.Field field : fields) {
                if (!header.contains(field.name())) {
                    throw new IllegalArgumentException(file + ": missing column " + field.name());
                }
            }
            for (CSVRecord row : parser) {
                String[] values = new String[fields.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = normalize(row.get(fields.get(i).name()));
                }
                String id = row.get(idColumn);
                String entity = row.get(truthColumn);
                if (truthColumn.equals("rec_id")) {
                    Matcher matcher = FEBRL_ENTITY.matcher(id);
                    if (!matcher.find()) {
                        throw new IllegalArgumentException(file + ":" + parser.getCurrentLineNumber()
                                + ": rec_id '" + id + "' holds no entity number (rec-<entity>-org|dup-<k>)");
                    }
                    entity = matcher.group(1);
                }
                records.add(new RecordLinker.Record(source + ":" + id, source, values));
                truth.add(entity);
            }
            return fields;
        }
    }

    /** Lower case, accents removed, spaces collapsed; blank is missing (null). */
    static String normalize(String value) {
        if (value == null) {
            return null;
        }
        String text = NON_SPACING_MARKS.matcher(Normalizer.normalize(value, Normalizer.Form.NFKD)).replaceAll("")
                .toLowerCase(Locale.ROOT).strip().replaceAll("\\s+", " ");
        return text.isEmpty() ? null : text;
    }

    /** {@code java ... LinkageEvaluation <csv> [<csv>]}: prints the figures. */
    public static void main(String[] args) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String arg : args) {
            files.add(Path.of(arg));
        }
        System.out.print(evaluate(files, RecordLinker.Options.defaults()).lines());
    }
}
