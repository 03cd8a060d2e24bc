package io.leadsync.bench.salesforce;

import io.leadsync.bench.PeakHeap;
import io.leadsync.connector.ConnectorContext;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.Cursor;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.FieldChange;
import io.leadsync.connector.Page;
import io.leadsync.connector.RecordResult;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import io.leadsync.connector.WriteField;
import io.leadsync.connector.salesforce.SalesforceConnectorFactory;
import io.leadsync.sandbox.salesforce.SalesforceSimulator;
import org.apache.camel.impl.DefaultCamelContext;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Salesforce connector end to end through camel-salesforce against the simulator (loopback HTTP, real JSON and
 * CSV): an incremental read of N changed leads (default 200,000; {@code queryAll}, 2,000 a page), the same leads
 * as a Bulk API 2.0 first load, and a push of 10,000 changed scores, with the API calls each took.
 * <pre>
 * java -Xmx3g -cp bench/target/leadsync-bench.jar io.leadsync.bench.salesforce.SalesforceSyncBenchmark 200000
 * </pre>
 */
public final class SalesforceSyncBenchmark {
    private static final String NAME = "salesforce-main";
    private static final String[] TITLES = {"VP Sales", "Marketing Manager", "Head of Growth", "Software Engineer",
            "Director of Operations", "Analyst"};
    private static final String[] INDUSTRIES = {"Technology", "Finance", "Healthcare", "Retail", "Manufacturing"};

    private SalesforceSyncBenchmark() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (RuntimeException e) {
            e.printStackTrace();
            // camel-salesforce's HTTP client threads must not keep the JVM alive after a failure
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run(String[] args) {
        int leads = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int pushes = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        try (SalesforceSimulator simulator = SalesforceSimulator.start(SalesforceSimulator.Options.defaults()
                .withDailyLimit(0))) {
            Instant base = Instant.parse("2026-11-01T00:00:00Z");
            List<String> ids = new ArrayList<>(leads);
            for (int i = 0; i < leads; i++) {
                // several leads share each timestamp, as a mass update stamps them
                Instant at = base.plusMillis((i / 4) * 250L);
                Map<String, Object> values = new HashMap<>();
                values.put("FirstName", "First" + i);
                values.put("LastName", "Last" + i);
                values.put("Email", "person" + i + "@company" + (i % 5000) + ".example");
                values.put("Title", TITLES[i % TITLES.length]);
                values.put("Company", "Company " + (i % 5000));
                values.put("Website", "https://www.company" + (i % 5000) + ".example");
                values.put("Country", i % 3 == 0 ? "Germany" : "United States");
                values.put("Industry", INDUSTRIES[i % INDUSTRIES.length]);
                values.put("NumberOfEmployees", 10 + (i % 2000));
                values.put("AnnualRevenue", 1_000_000L * (1 + i % 300));
                values.put("Status", "Open - Not Contacted");
                values.put("LeadSource", "Web");
                values.put("OwnerId", SalesforceSimulator.USER_ID);
                values.put("IsConverted", false);
                ids.add(simulator.insert("Lead", values, at, at));
            }
            DefaultCamelContext camel = new DefaultCamelContext();
            camel.start();
            Map<String, Object> settings = settings(simulator, 0);
            SourceConnector incremental = new SalesforceConnectorFactory().createSource(ConnectorSettings.of(NAME,
                    "sync.connectors." + NAME, settings), ConnectorContext.of(Clock.systemUTC(), camel));
            StreamId stream = new StreamId(NAME, "leads");
            Cursor before = new Cursor(stream, 1, "{\"modstamp\":\"2026-10-31T00:00:00Z\",\"id\":\"00Q000000000000AAA\"}");

            read(incremental, stream, null, "warmup_");
            long calls = simulator.apiCalls();
            PeakHeap.reset();
            read(incremental, stream, before, "incremental_");
            System.out.printf("incremental_api_calls: %d%n", simulator.apiCalls() - calls);
            System.out.printf("incremental_peak_heap_mb: %.0f%n", PeakHeap.bytes() / (1024.0 * 1024.0));

            DefaultCamelContext bulkCamel = new DefaultCamelContext();
            bulkCamel.start();
            SourceConnector bulk = new SalesforceConnectorFactory().createSource(ConnectorSettings.of(NAME,
                    "sync.connectors." + NAME, settings(simulator, 1)), ConnectorContext.of(Clock.systemUTC(), bulkCamel));
            calls = simulator.apiCalls();
            read(bulk, stream, null, "bulk_");
            System.out.printf("bulk_api_calls: %d%n", simulator.apiCalls() - calls);

            SinkConnector sink = new SalesforceConnectorFactory().createSink(ConnectorSettings.of(NAME,
                    "sync.connectors." + NAME, settings), ConnectorContext.of(Clock.systemUTC(), camel));
            List<FieldChange> changes = new ArrayList<>(pushes);
            for (int i = 0; i < pushes; i++) {
                changes.add(new FieldChange(new ExternalId(NAME, ids.get(i * (leads / pushes))), Map.of(
                        WriteField.SCORE, Integer.toString(i % 101), WriteField.GRADE, "B", WriteField.REASONS,
                        "+20 Senior decision maker; +15 Target industry; +10 Business email", WriteField.MODEL_VERSION,
                        "default@4")));
            }
            int collections = simulator.collectionCalls();
            long started = System.nanoTime();
            List<RecordResult> results = sink.write(changes);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("push_records: %d%n", results.size());
            System.out.printf("push_succeeded: %d%n", results.stream().filter(RecordResult::success).count());
            System.out.printf("push_api_calls: %d%n", simulator.collectionCalls() - collections);
            System.out.printf("push_minimum_api_calls: %d%n", (pushes + 199) / 200);
            System.out.printf("push_seconds: %.2f%n", seconds);
            System.out.printf("push_records_per_second: %.0f%n", results.size() / seconds);
            bulkCamel.stop();
            camel.stop();
        }
    }

    private static Map<String, Object> settings(SalesforceSimulator simulator, int bulkThreshold) {
        SalesforceSimulator.Options options = simulator.options();
        Map<String, Object> settings = new HashMap<>();
        settings.put("type", "salesforce");
        settings.put("login-url", simulator.baseUrl().toString());
        settings.put("auth", Map.of("client-id", options.clientId(), "client-secret", options.clientSecret(),
                "username", options.username(), "password", options.password()));
        settings.put("read", Map.of("streams", List.of("leads"), "bulk", Map.of("threshold",
                Integer.toString(bulkThreshold), "page-size", "50000", "poll-interval", "50ms")));
        settings.put("write", Map.of());
        return settings;
    }

    private static void read(SourceConnector source, StreamId stream, Cursor from, String prefix) {
        long started = System.nanoTime();
        long records = 0;
        long rejected = 0;
        long pages = 0;
        try (Stream<Page<SourceRecord>> read = source.read(stream, from)) {
            var iterator = read.iterator();
            while (iterator.hasNext()) {
                Page<SourceRecord> page = iterator.next();
                records += page.items().size();
                rejected += page.rejected().size();
                pages++;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("%srecords: %d%n", prefix, records);
        System.out.printf("%srejected: %d%n", prefix, rejected);
        System.out.printf("%spages: %d%n", prefix, pages);
        System.out.printf("%sseconds: %.2f%n", prefix, seconds);
        System.out.printf("%srecords_per_second: %.0f%n", prefix, records / seconds);
    }
}
