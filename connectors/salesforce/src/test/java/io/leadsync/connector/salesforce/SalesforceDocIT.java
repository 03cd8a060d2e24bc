package io.leadsync.connector.salesforce;

import io.leadsync.connector.ConnectorContext;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.Page;
import io.leadsync.connector.Person;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import io.leadsync.sandbox.salesforce.SalesforceSimulator;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The configuration in docs/connectors/salesforce.md, as written, works against the simulator. */
class SalesforceDocIT {
    private static final Path DOC = Path.of("../../docs/connectors/salesforce.md");

    @Test
    @SuppressWarnings("unchecked")
    void theDocsConfigurationReadsAndWrites() throws Exception {
        Matcher block = Pattern.compile("```yaml\\n(sync:\\n.*?)```", Pattern.DOTALL).matcher(Files.readString(DOC));
        assertThat(block.find()).as("the doc holds a sync: configuration block").isTrue();
        try (SalesforceFixture fixture = new SalesforceFixture(SalesforceSimulator.Options.defaults(), 30)) {
            SalesforceSimulator.Options options = fixture.simulator.options();
            String yaml = block.group(1)
                    .replace("https://login.salesforce.com", fixture.simulator.baseUrl().toString())
                    .replace("${SALESFORCE_CLIENT_ID}", options.clientId())
                    .replace("${SALESFORCE_CLIENT_SECRET}", options.clientSecret())
                    .replace("${SALESFORCE_USERNAME}", options.username())
                    .replace("${SALESFORCE_PASSWORD}", options.password());
            Map<String, Object> root = new Yaml().load(yaml);
            Map<String, Object> values = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                    root.get("sync")).get("connectors")).get("salesforce-main");
            ConnectorSettings settings = ConnectorSettings.of("salesforce-main", "sync.connectors.salesforce-main",
                    values);
            settings.string("type");
            SalesforceConnectorFactory factory = new SalesforceConnectorFactory();
            SourceConnector source = factory.createSource(settings, ConnectorContext.of(Clock.systemUTC(),
                    fixture.camel));
            SinkConnector sink = factory.createSink(settings, ConnectorContext.of(Clock.systemUTC(), fixture.camel));
            settings.rejectUnknownKeys();

            assertThat(source.check().ok()).as(source.check().message()).isTrue();
            assertThat(sink.supportsTasks()).isTrue();
            for (String stream : source.descriptor().streams()) {
                try (Stream<Page<SourceRecord>> pages = source.read(new StreamId("salesforce-main", stream), null)) {
                    List<SourceRecord> records = pages.flatMap(page -> page.items().stream()).toList();
                    assertThat(records).as(stream).isNotEmpty();
                    if (stream.equals("leads")) {
                        assertThat(records.get(0).value()).isInstanceOf(Person.class);
                    }
                }
            }
        }
    }
}
