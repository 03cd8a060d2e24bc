package io.leadsync.identity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Normalizes person names for matching: Unicode compatibility form, accents removed ({@code José} → {@code jose}),
 * lower case, punctuation to spaces ({@code O'Brien} → {@code o brien}), spaces collapsed. {@link #givenName}
 * also maps common nicknames to the formal name ({@code Bill} → {@code william}), from
 * {@code io/leadsync/identity/nicknames.txt}.
 */
public final class NameNormalizer {
    private static final Pattern NOT_LETTERS = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Map<String, String> NICKNAMES = loadNicknames();

    /** A name in its matching form, or absent when nothing of it is left (only punctuation). */
    public Normalized<String> normalize(String raw) {
        if (raw == null || raw.isBlank()) {
            return Normalized.absent();
        }
        String text = Accents.strip(raw);
        text = NOT_LETTERS.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ").strip();
        if (text.isEmpty()) {
            return Normalized.invalid("'" + raw.strip() + "' holds no letters");
        }
        return Normalized.of(text);
    }

    /** A given name in its matching form, a known nickname replaced by the formal name. */
    public Normalized<String> givenName(String raw) {
        return normalize(raw).map(name -> {
            int space = name.indexOf(' ');
            String first = space < 0 ? name : name.substring(0, space);
            String formal = NICKNAMES.get(first);
            return formal == null ? name : formal + (space < 0 ? "" : name.substring(space));
        });
    }

    /** The formal name for a nickname (lower case), or the name itself. */
    public static String formal(String name) {
        return NICKNAMES.getOrDefault(name, name);
    }

    private static Map<String, String> loadNicknames() {
        Map<String, String> nicknames = new HashMap<>();
        try (InputStream in = NameNormalizer.class.getResourceAsStream("nicknames.txt")) {
            if (in == null) {
                throw new IllegalStateException("io/leadsync/identity/nicknames.txt is missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String entry = line.strip();
                if (entry.isEmpty() || entry.startsWith("#")) {
                    continue;
                }
                int equals = entry.indexOf('=');
                nicknames.put(entry.substring(0, equals).strip(), entry.substring(equals + 1).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(nicknames);
    }
}
