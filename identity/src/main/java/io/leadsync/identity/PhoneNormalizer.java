package io.leadsync.identity;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

import java.util.Locale;

/**
 * Normalizes phone numbers to E.164 ({@code +4930123456}) with Google's libphonenumber: national formats are read
 * in the default region (a German {@code 030 123456} with region {@code DE}), international ones in their own;
 * extensions are dropped. Numbers that cannot be real (too short, an impossible prefix) are invalid with the
 * reason; nothing throws.
 */
public final class PhoneNormalizer {
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private final String defaultRegion;

    /**
     * @param defaultRegion ISO 3166 alpha-2 region for numbers written without a country code, e.g. {@code US}
     * @throws IllegalArgumentException if libphonenumber does not know the region
     */
    public PhoneNormalizer(String defaultRegion) {
        String region = defaultRegion == null ? "" : defaultRegion.strip().toUpperCase(Locale.ROOT);
        if (!PHONES.getSupportedRegions().contains(region)) {
            throw new IllegalArgumentException("unknown phone region '" + defaultRegion
                    + "'; expected an ISO 3166 alpha-2 code such as US, DE or GB");
        }
        this.defaultRegion = region;
    }

    public String defaultRegion() {
        return defaultRegion;
    }

    public Normalized<String> normalize(String raw) {
        if (raw == null || raw.isBlank()) {
            return Normalized.absent();
        }
        String text = raw.strip();
        if (text.startsWith("00")) {
            text = "+" + text.substring(2);
        }
        Phonenumber.PhoneNumber number;
        try {
            number = PHONES.parse(text, defaultRegion);
        } catch (NumberParseException e) {
            return Normalized.invalid("'" + abbreviate(raw) + "' is not a phone number ("
                    + e.getErrorType().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")");
        }
        if (!PHONES.isPossibleNumber(number)) {
            return Normalized.invalid("'" + abbreviate(raw) + "' cannot be a phone number in "
                    + PHONES.getRegionCodeForCountryCode(number.getCountryCode()) + " (wrong length)");
        }
        number.clearExtension();
        return Normalized.of(PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164));
    }

    private static String abbreviate(String raw) {
        String text = raw.strip();
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }
}
