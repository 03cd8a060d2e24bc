package io.leadsync.identity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class EmailNormalizerTest {
    private final EmailNormalizer normalizer = new EmailNormalizer();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "  Zoe.Muller@ACME.de  | zoe.muller@acme.de",
        "mailto:Sales@Example.COM | sales@example.com",
        "Zoë Müller <zoe@acme.de> | zoe@acme.de",
        "first+tag@sub.example.co.uk | first+tag@sub.example.co.uk",
        "trailing.dot@acme.de. | trailing.dot@acme.de",
    })
    void normalizesCaseWhitespaceAndWrappers(String raw, String expected) {
        assertThat(normalizer.normalize(raw).orNull()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-an-email", "two@@acme.de", "no-domain@", "@acme.de", "spaces in@acme.de",
        "dots..twice@acme.de", "nodot@localhost"})
    void rejectsMalformedAddressesWithAReasonInsteadOfThrowing(String raw) {
        Normalized<String> result = normalizer.normalize(raw);
        assertThat(result.isValid()).isFalse();
        assertThat(result.problem()).get().asString().contains("is not an email address");
    }

    @Test
    void treatsBlankAsAbsentNotInvalid() {
        assertThat(normalizer.normalize("   ").problem()).isEmpty();
        assertThat(normalizer.normalize(null).isValid()).isFalse();
    }

    @Test
    void rejectsOverlongAddresses() {
        assertThat(normalizer.normalize("a".repeat(250) + "@acme.de").problem()).get().asString()
                .contains("longer than 254");
    }

    @Test
    void extractsTheDomainOfANormalizedEmail() {
        assertThat(EmailNormalizer.domainOf("zoe@acme.de")).isEqualTo("acme.de");
        assertThat(EmailNormalizer.domainOf(null)).isNull();
    }
}
