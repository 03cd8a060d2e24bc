package io.leadsync.connector.rest;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An invalid manifest stops start-up with the file, the line and the key. */
class ManifestValidationTest {
    private static final String VALID = """
            type: crm-x
            settings:
              token:
                secret: true
            requester:
              base-url: https://api.crm-x.io
              auth:
                type: bearer
                token: "{{settings.token}}"
            streams:
              people:
                kind: person
                request:
                  path: /people
                records: /data
                pagination:
                  type: page
                  page-param: page
                  page-size: 50
                id: /id
                fields:
                  email: /email
            """;

    private static String problem(String yaml) {
        try {
            RestConnectorFactory.of(yaml, "config/connectors/crm-x.yml");
        } catch (ManifestException e) {
            return e.getMessage();
        }
        throw new AssertionError("the manifest was accepted");
    }

    @Test
    void acceptsAValidManifest() {
        RestConnectorFactory factory = RestConnectorFactory.of(VALID, "crm-x.yml");
        assertThat(factory.type()).isEqualTo("crm-x");
        assertThat(factory.streams()).containsExactly("people");
    }

    @Test
    void acceptsTheShippedExamples() throws IOException {
        for (String file : new String[] {"pipedrive-persons.yml", "product-events.yml"}) {
            Path path = Path.of("../../config/connectors", file);
            assertThat(RestConnectorFactory.of(Files.readString(path), path.toString()).streams()).isNotEmpty();
        }
        assertThat(RestConnectorFactory.loadAll(Path.of("../../config/connectors")))
                .extracting(RestConnectorFactory::type).containsExactly("pipedrive", "product-events");
    }

    @Test
    void namesAnUnknownKeyWithItsLine() {
        assertThat(problem(VALID.replace("    page-size: 50", "    page-sise: 50")))
                .isEqualTo("config/connectors/crm-x.yml:19: streams.people.pagination.page-sise is not a known key"
                        + " here; known keys are [has-more, limit-param, page-param, page-size, start-page, type]");
    }

    @Test
    void namesAnUnknownPaginationType() {
        assertThat(problem(VALID.replace("type: page", "type: pages"))).isEqualTo("config/connectors/crm-x.yml:17:"
                + " streams.people.pagination.type 'pages' is not one of [none, offset, page, cursor, next-url, link-header]");
    }

    @Test
    void rejectsAPlaceholderOfAnUndeclaredSetting() {
        assertThat(problem(VALID.replace("{{settings.token}}", "{{settings.api-key}}")))
                .isEqualTo("config/connectors/crm-x.yml:9: requester.auth.token refers to {{settings.api-key}}, which"
                        + " is not declared under settings; declared settings are [token]");
    }

    @Test
    void rejectsSomethingThatIsNotAJsonPointer() {
        assertThat(problem(VALID.replace("records: /data", "records: data.items")))
                .isEqualTo("config/connectors/crm-x.yml:15: streams.people.records 'data.items' is not a JSON pointer"
                        + " (RFC 6901), e.g. /data/0/email");
    }

    @Test
    void rejectsAPersonStreamThatCouldNeverBeMatched() {
        assertThat(problem(VALID.replace("      email: /email", "      first-name: /name")))
                .isEqualTo("config/connectors/crm-x.yml:21: streams.people.fields maps no email and no linked-ids:"
                        + " persons could never be matched across sources");
    }

    @Test
    void rejectsABadTimeFormat() {
        String yaml = VALID.replace("    id: /id", "    incremental:\n      field: /updated\n      format: yyyy-QQQQ-bb\n    id: /id");
        assertThat(problem(yaml)).startsWith("config/connectors/crm-x.yml:22: streams.people.incremental.format"
                + " 'yyyy-QQQQ-bb' is not a time format");
    }

    @Test
    void rejectsAnActivityTypeThatIsNotSnakeCase() {
        String yaml = VALID.replace("kind: person", "kind: activity").replace("      email: /email",
                "      type: Page View\n      occurred-at: /at\n      person-email: /email");
        assertThat(problem(yaml)).isEqualTo("config/connectors/crm-x.yml:22: streams.people.fields.type 'Page View'"
                + " is not a snake_case activity type");
    }

    @Test
    void rejectsYamlThatDoesNotParseWithItsLine() {
        assertThat(problem("type: crm-x\nstreams: [unclosed\n")).startsWith("config/connectors/crm-x.yml:3: is not valid YAML");
    }

    @Test
    void rejectsAKeyGivenTwice() {
        assertThat(problem(VALID.replace("    id: /id", "    id: /id\n    id: /uuid")))
                .isEqualTo("config/connectors/crm-x.yml:21: streams.people.id is given twice");
    }
}
