package io.leadsync.app.internal;

import io.leadsync.identity.eval.ColumnMapping;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A column mapping for {@code eval-identity} from YAML:
 * <pre>{@code
 * id: rec_id
 * truth: rec_id
 * truth-pattern: "rec-(\\d+)-"
 * fields:
 *   first_name: given_name
 *   address: [street_number, address_1]
 * }</pre>
 * with optional {@code source} and {@code kind} columns, or {@code truth-pairs: {file, columns: [left, right]}}
 * instead of {@code truth} (the file relative to the first data set's folder). Unknown keys are errors.
 */
public final class MappingFile {
    private static final Set<String> KEYS = Set.of("id", "source", "truth", "truth-pattern", "kind", "fields",
            "truth-pairs");

    private MappingFile() {
    }

    public static ColumnMapping read(Path file, Path dataFolder) throws IOException {
        Object root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " is not valid YAML: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(file + ": expected a block with fields and truth");
        }
        for (Object key : map.keySet()) {
            if (!KEYS.contains(String.valueOf(key))) {
                throw new IllegalArgumentException(file + ": unknown key '" + key + "'; expected " + KEYS);
            }
        }
        Map<String, List<String>> fields = new LinkedHashMap<>();
        if (!(map.get("fields") instanceof Map<?, ?> fieldMap)) {
            throw new IllegalArgumentException(file + ": 'fields' must map person fields to columns");
        }
        fieldMap.forEach((field, columns) -> fields.put(String.valueOf(field), columns(file, field, columns)));
        Pattern pattern = null;
        if (map.get("truth-pattern") != null) {
            try {
                pattern = Pattern.compile(String.valueOf(map.get("truth-pattern")));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(file + ": truth-pattern is not a regular expression: "
                        + e.getDescription());
            }
        }
        ColumnMapping.TruthPairs pairs = null;
        if (map.get("truth-pairs") instanceof Map<?, ?> pairMap) {
            Object pairFile = pairMap.get("file");
            if (pairFile == null) {
                throw new IllegalArgumentException(file + ": truth-pairs needs a file");
            }
            pairs = new ColumnMapping.TruthPairs(dataFolder.resolve(String.valueOf(pairFile)),
                    columns(file, "truth-pairs.columns", pairMap.get("columns")));
        }
        try {
            return new ColumnMapping(fields, text(map, "id"), text(map, "source"), text(map, "truth"), pattern,
                    text(map, "kind"), pairs);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    private static List<String> columns(Path file, Object field, Object value) {
        List<String> columns = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(item -> columns.add(String.valueOf(item)));
        } else if (value != null) {
            columns.add(String.valueOf(value));
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException(file + ": " + field + " names no column");
        }
        return columns;
    }

    private static String text(Map<?, ?> map, String key) {
        Object value = map.get(key);
        return value == null ? null : String.valueOf(value);
    }
}
