package io.leadsync.connector.rest;

import io.leadsync.connector.Page;
import io.leadsync.connector.Person;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import io.leadsync.sandbox.SandboxDataGenerator;
import io.leadsync.sandbox.rest.PersonsApiSimulator;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The manifest in docs/connectors/adding-a-connector.md, followed verbatim, reads the persons simulator. */
class AddingAConnectorDocIT {
    private static final Path DOC = Path.of("../../docs/connectors/adding-a-connector.md");

    static String manifestOfTheDoc() throws Exception {
        Matcher block = Pattern.compile("```yaml\\n(# manifest: crm-x\\n.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(DOC));
        assertThat(block.find()).as("the doc holds the crm-x manifest").isTrue();
        return block.group(1);
    }

    @Test
    void theDocsManifestReadsEveryPersonOfThePersonsApi() throws Exception {
        RestConnectorFactory factory = RestConnectorFactory.of(manifestOfTheDoc(), "config/connectors/crm-x.yml");
        try (PersonsApiSimulator api = PersonsApiSimulator.start(); RestFixture fixture = new RestFixture()) {
            api.seed(new SandboxDataGenerator(21).generate(230), 230);
            Map<String, Object> settings = new HashMap<>();
            settings.put("type", "crm-x");
            settings.put("base-url", api.baseUrl().toString());
            settings.put("api-token", PersonsApiSimulator.TOKEN);
            settings.put("read", Map.of("streams", List.of("persons")));
            SourceConnector source = fixture.source(factory, "crm-x-main", settings);

            assertThat(source.check().ok()).isTrue();
            List<SourceRecord> records;
            try (Stream<Page<SourceRecord>> pages = source.read(new StreamId("crm-x-main", "persons"), null)) {
                records = pages.flatMap(page -> page.items().stream()).toList();
            }
            assertThat(records).hasSize(230);
            assertThat(records).filteredOn(r -> ((Person) r.value()).email() != null).hasSizeGreaterThan(200);
            assertThat(((Person) records.get(0).value()).ownerId()).startsWith("700");
        }
    }
}
