package io.leadsync.sandbox;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The generator is deterministic and its data looks like a real CRM's. */
class SandboxDataGeneratorTest {
    private static final Instant NOW = Instant.parse("2026-11-01T00:00:00Z");
    private static final Set<String> PERSONAL = Set.of("gmail.com", "yahoo.com", "outlook.com", "hotmail.com",
            "icloud.com", "gmx.de", "web.de", "proton.me");

    @Test
    void givesTheSameDataForTheSameSeedAndOtherDataForAnother() {
        assertThat(new SandboxDataGenerator(7).generate(300, NOW)).isEqualTo(new SandboxDataGenerator(7).generate(300, NOW));
        assertThat(new SandboxDataGenerator(8).generate(300, NOW)).isNotEqualTo(new SandboxDataGenerator(7).generate(300, NOW));
    }

    @Test
    void plantsAboutThreePercentDuplicatesOfEarlierContacts() {
        SandboxData data = new SandboxDataGenerator(11).generate(2000, NOW);
        assertThat(data.duplicates().size()).isBetween(20, 120);
        data.duplicates().forEach((duplicate, original) -> {
            assertThat(original).isLessThan(duplicate);
            Map<String, String> copy = data.contacts().get(duplicate).properties();
            Map<String, String> source = data.contacts().get(original).properties();
            boolean sameEmail = Objects.equals(normalized(copy.get("email")), normalized(source.get("email")));
            boolean sameName = Objects.equals(copy.get("lastname"), source.get("lastname"));
            boolean sameCompanyAndPhone = Objects.equals(copy.get("company"), source.get("company"))
                    && Objects.equals(copy.get("phone"), source.get("phone"))
                    && Objects.equals(copy.get("mobilephone"), source.get("mobilephone"));
            assertThat(sameName && (sameEmail || sameCompanyAndPhone && copy.get("email").endsWith("@gmail.com")))
                    .as("duplicate %d of %d", duplicate, original).isTrue();
        });
    }

    @Test
    void looksLikeARealCrm() {
        SandboxData data = new SandboxDataGenerator(5).generate(2000, NOW);
        List<String> emails = data.contacts().stream().map(c -> c.properties().get("email")).toList();
        long missing = emails.stream().filter(Objects::isNull).count();
        long business = emails.stream().filter(Objects::nonNull).map(SandboxDataGeneratorTest::normalized)
                .filter(e -> !PERSONAL.contains(e.substring(e.indexOf('@') + 1)) && !e.contains(".edu") && !e.contains(".ac."))
                .count();
        assertThat(missing).isPositive();
        assertThat(business).isGreaterThan((long) (0.7 * (emails.size() - missing)));
        assertThat(data.contacts()).allSatisfy(contact -> {
            assertThat(contact.properties()).containsKeys("firstname", "jobtitle", "country", "industry");
            assertThat(contact.createdAt()).isBeforeOrEqualTo(contact.updatedAt());
            assertThat(contact.updatedAt()).isBeforeOrEqualTo(NOW);
        });
        assertThat(data.engagements()).isNotEmpty().allSatisfy(engagement -> {
            assertThat(engagement.objectType()).isIn("emails", "meetings", "calls");
            assertThat(engagement.contactIndex()).isBetween(0, data.contacts().size() - 1);
            Instant at = Instant.parse(engagement.properties().get("hs_timestamp"));
            assertThat(at).isBeforeOrEqualTo(NOW).isAfter(NOW.minus(Duration.ofDays(121)));
        });
    }

    @Test
    void givesEachConvertedContactTheFormSubmissionsItsConversionPropertiesDescribe() {
        SandboxData data = new SandboxDataGenerator(5).generate(2000, NOW);
        Map<String, String> formNames = new java.util.HashMap<>();
        data.forms().forEach(form -> formNames.put(form.id(), form.name()));
        Map<Integer, List<SandboxData.GeneratedFormSubmission>> byContact = new java.util.HashMap<>();
        data.formSubmissions().forEach(s -> byContact.computeIfAbsent(s.contactIndex(), k -> new java.util.ArrayList<>())
                .add(s));
        int checked = 0;
        for (int index = 0; index < data.contacts().size(); index++) {
            Map<String, String> properties = data.contacts().get(index).properties();
            List<SandboxData.GeneratedFormSubmission> own = byContact.getOrDefault(index, List.of());
            if (data.duplicates().containsKey(index) || properties.get("email") == null
                    || properties.get("recent_conversion_event_name") == null) {
                assertThat(own).as("contact %d", index).isEmpty();
                continue;
            }
            assertThat(own).hasSize(Integer.parseInt(properties.get("num_conversion_events")));
            SandboxData.GeneratedFormSubmission last = own.get(own.size() - 1);
            SandboxData.GeneratedFormSubmission first = own.get(0);
            assertThat(formNames.get(last.formId())).isEqualTo(properties.get("recent_conversion_event_name"));
            assertThat(last.submittedAt()).isEqualTo(Instant.parse(properties.get("recent_conversion_date")));
            assertThat(formNames.get(first.formId())).isEqualTo(properties.get("first_conversion_event_name"));
            assertThat(first.submittedAt()).isEqualTo(Instant.parse(properties.get("first_conversion_date")));
            assertThat(own).allSatisfy(s -> assertThat(s.values().get("email")).isEqualTo(properties.get("email").strip()));
            checked++;
        }
        assertThat(checked).isGreaterThan(300);
        assertThat(byContact.getOrDefault(-1, List.of())).isNotEmpty().allSatisfy(s -> assertThat(data.contacts())
                .noneMatch(c -> s.values().get("email").equalsIgnoreCase(String.valueOf(c.properties().get("email")).strip())));
        // the forms pass draws from its own random stream: the contacts' other properties do not move
        SandboxData.GeneratedContact contact = data.contacts().get(0);
        assertThat(contact.properties().get("jobtitle")).isNotNull();
    }

    private static String normalized(String email) {
        return email == null ? null : email.strip().toLowerCase(Locale.ROOT);
    }
}
