package io.leadsync.identity;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Country names and codes to ISO 3166-1 alpha-2 ({@code "Germany"}, {@code "Deutschland"}, {@code "DEU"},
 * {@code "de"} → {@code DE}): codes of both lengths, the English, German, French and Spanish names the JDK knows,
 * and common aliases (USA, UK, Holland...).
 */
public final class CountryNormalizer {
    private static final Pattern NOT_ALPHANUMERIC = Pattern.compile("[^a-z0-9]+");
    private static final Map<String, String> BY_NAME = names();

    public Normalized<String> normalize(String raw) {
        if (raw == null || raw.isBlank()) {
            return Normalized.absent();
        }
        String code = BY_NAME.get(key(raw));
        return code != null ? Normalized.of(code)
                : Normalized.invalid("'" + raw.strip() + "' is no country name or ISO 3166 code");
    }

    private static String key(String text) {
        String plain = Accents.strip(text.strip());
        return NOT_ALPHANUMERIC.matcher(plain.toLowerCase(Locale.ROOT).replace('.', ' ')).replaceAll(" ").strip();
    }

    private static Map<String, String> names() {
        Map<String, String> names = new HashMap<>();
        Locale[] languages = {Locale.ENGLISH, Locale.GERMAN, Locale.FRENCH, Locale.forLanguageTag("es")};
        for (String code : Locale.getISOCountries()) {
            Locale country = new Locale("", code);
            names.put(key(code), code);
            names.put(key(country.getISO3Country()), code);
            for (Locale language : languages) {
                names.putIfAbsent(key(country.getDisplayCountry(language)), code);
            }
        }
        String[][] aliases = {{"usa", "US"}, {"u s a", "US"}, {"u s", "US"}, {"united states of america", "US"},
                {"america", "US"}, {"uk", "GB"}, {"u k", "GB"}, {"great britain", "GB"}, {"britain", "GB"},
                {"england", "GB"}, {"scotland", "GB"}, {"wales", "GB"}, {"northern ireland", "GB"},
                {"holland", "NL"}, {"the netherlands", "NL"}, {"south korea", "KR"}, {"korea", "KR"},
                {"north korea", "KP"}, {"russia", "RU"}, {"czech republic", "CZ"}, {"uae", "AE"},
                {"ivory coast", "CI"}, {"vietnam", "VN"}, {"turkey", "TR"}, {"deutschland", "DE"},
                {"schweiz", "CH"}, {"suisse", "CH"}, {"osterreich", "AT"}, {"espana", "ES"}, {"brasil", "BR"},
                {"mexico", "MX"}, {"italia", "IT"}, {"nederland", "NL"}, {"sverige", "SE"}, {"norge", "NO"},
                {"danmark", "DK"}, {"polska", "PL"}, {"bharat", "IN"}, {"hong kong sar", "HK"}};
        for (String[] alias : aliases) {
            names.put(key(alias[0]), alias[1]);
        }
        return Map.copyOf(names);
    }
}
