package io.leadsync.identity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NormalizersTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "030 1234567|DE|+49301234567",
            "+1 (415) 555-2671|DE|+14155552671",
            "(415) 555-2671 ext. 12|US|+14155552671",
            "0044 20 7946 0958|US|+442079460958"})
    void phonesBecomeE164InTheDefaultRegion(String raw, String region, String expected) {
        assertThat(new PhoneNormalizer(region).normalize(raw).orNull()).isEqualTo(expected);
    }

    @Test
    void aBadPhoneIsInvalidWithItsReasonNeverAnException() {
        PhoneNormalizer phones = new PhoneNormalizer("US");
        assertThat(phones.normalize("call me").problem()).hasValueSatisfying(
                reason -> assertThat(reason).startsWith("'call me' is not a phone number"));
        assertThat(phones.normalize("12").problem()).hasValueSatisfying(
                reason -> assertThat(reason).contains("'12'"));
        assertThat(phones.normalize("  ").isValid()).isFalse();
        assertThat(phones.normalize("  ").problem()).isEmpty();
        assertThatThrownBy(() -> new PhoneNormalizer("XX")).hasMessageContaining("unknown phone region 'XX'");
    }

    @Test
    void namesLoseAccentsCaseAndPunctuationAndNicknamesBecomeFormal() {
        NameNormalizer names = new NameNormalizer();
        assertThat(names.normalize("  José  Ramírez ").orNull()).isEqualTo("jose ramirez");
        assertThat(names.normalize("O'Brien-Smith").orNull()).isEqualTo("o brien smith");
        assertThat(names.givenName("Bill").orNull()).isEqualTo("william");
        assertThat(names.givenName("Liz Ann").orNull()).isEqualTo("elizabeth ann");
        assertThat(names.givenName("Zoë").orNull()).isEqualTo("zoe");
        assertThat(names.normalize("--").problem()).hasValue("'--' holds no letters");
    }

    @Test
    void companiesLoseLegalForms() {
        CompanyNormalizer companies = new CompanyNormalizer();
        assertThat(companies.normalize("ACME, Inc.").orNull()).isEqualTo("acme");
        assertThat(companies.normalize("Acme GmbH & Co. KG").orNull()).isEqualTo("acme");
        assertThat(companies.normalize("The Acme Company Ltd").orNull()).isEqualTo("acme");
        assertThat(companies.normalize("Société Générale S.A.").orNull()).isEqualTo("societe generale");
        assertThat(companies.normalize("Inc.").orNull()).as("a legal form alone is kept: it is all there is").isEqualTo("inc");
        assertThat(companies.normalize(" ., ").problem()).hasValue("' ., ' holds no company name".replace("' ., '", "'.,'"));
    }

    @Test
    void domainsComeFromWebsitesAndBusinessEmailsButNotFreeMail() {
        DomainNormalizer domains = new DomainNormalizer();
        assertThat(domains.fromWebsite("https://www.Acme.com/about?x=1").orNull()).isEqualTo("acme.com");
        assertThat(domains.fromWebsite("acme.co.uk:443").orNull()).isEqualTo("acme.co.uk");
        assertThat(domains.fromEmail("jo@EU.Acme.com").orNull()).isEqualTo("eu.acme.com");
        assertThat(domains.fromEmail("jo@gmail.com").isValid()).isFalse();
        assertThat(domains.fromEmail("jo@gmail.com").problem()).as("free mail is no problem, just no company")
                .isEmpty();
        assertThat(domains.fromWebsite("not a site").problem()).hasValue("'not a site' holds no valid domain");
    }

    @Test
    void countriesBecomeIsoCodes() {
        CountryNormalizer countries = new CountryNormalizer();
        assertThat(countries.normalize("Germany").orNull()).isEqualTo("DE");
        assertThat(countries.normalize("Deutschland").orNull()).isEqualTo("DE");
        assertThat(countries.normalize("deu").orNull()).isEqualTo("DE");
        assertThat(countries.normalize("U.S.A.").orNull()).isEqualTo("US");
        assertThat(countries.normalize("United Kingdom").orNull()).isEqualTo("GB");
        assertThat(countries.normalize("Côte d’Ivoire").orNull()).isEqualTo("CI");
        assertThat(countries.normalize("Atlantis").problem())
                .hasValue("'Atlantis' is no country name or ISO 3166 code");
    }

    @Test
    void mailboxesFollowTheConfiguredProviderRules() {
        EmailNormalizer all = new EmailNormalizer(EmailNormalizer.Rules.all());
        assertThat(all.mailbox("Jo.Doe+crm@GoogleMail.com").orNull()).isEqualTo("jodoe@gmail.com");
        assertThat(all.mailbox("jo.doe+news@acme.com").orNull()).isEqualTo("jo.doe@acme.com");
        assertThat(new EmailNormalizer().mailbox("Jo.Doe+news@googlemail.com").orNull())
                .as("Gmail's rules apply by default").isEqualTo("jodoe@gmail.com");
        assertThat(new EmailNormalizer().mailbox("jo.doe+news@acme.com").orNull())
                .as("other providers keep their tags by default").isEqualTo("jo.doe+news@acme.com");
        assertThat(new EmailNormalizer(EmailNormalizer.Rules.none()).mailbox("jo.doe+news@gmail.com").orNull())
                .isEqualTo("jo.doe+news@gmail.com");
    }
}
