package io.leadsync.bench.mixpanel;

import io.leadsync.bench.PeakHeap;
import io.leadsync.connector.ConnectorContext;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.Page;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import io.leadsync.connector.mixpanel.MixpanelConnectorFactory;
import io.leadsync.sandbox.mixpanel.MixpanelSimulator;
import org.apache.camel.impl.DefaultCamelContext;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Streams a Mixpanel export of N events (default 1,000,000, over 10 days) from the simulator through the Mixpanel
 * connector, mapping every line to an activity, and reports events/s and peak heap. Run it for growing N with a
 * small heap to see the heap stay flat:
 * <pre>
 * java -Xmx256m -cp bench/target/leadsync-bench.jar io.leadsync.bench.mixpanel.MixpanelExportBenchmark 1000000
 * </pre>
 */
public final class MixpanelExportBenchmark {
    private MixpanelExportBenchmark() {
    }

    public static void main(String[] args) {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int days = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        LocalDate first = LocalDate.parse("2026-11-01");
        Instant now = first.plusDays(days).atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(1);
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        try (MixpanelSimulator simulator = MixpanelSimulator.start(MixpanelSimulator.Options.defaults()
                .withoutRateLimits().withClock(clock))) {
            simulator.generateDaily((int) (events / days), 20_000, 42);
            DefaultCamelContext camel = new DefaultCamelContext();
            camel.start();
            Map<String, Object> settings = new HashMap<>();
            settings.put("type", "mixpanel");
            settings.put("export-url", simulator.exportUrl().toString());
            settings.put("query-url", simulator.queryUrl().toString());
            settings.put("project-id", MixpanelSimulator.PROJECT);
            settings.put("service-account-user", MixpanelSimulator.USER);
            settings.put("service-account-secret", MixpanelSimulator.SECRET);
            settings.put("read", Map.of("streams", List.of("events"), "start-date", first.toString(),
                    "page-size", "1000", "unmapped", "product_usage"));
            SourceConnector source = new MixpanelConnectorFactory().createSource(ConnectorSettings.of("mixpanel-main",
                    "sync.connectors.mixpanel-main", settings), ConnectorContext.of(clock, camel));

            PeakHeap.reset();
            long started = System.nanoTime();
            long activities = 0;
            long rejected = 0;
            long pages = 0;
            try (Stream<Page<SourceRecord>> read = source.read(new StreamId("mixpanel-main", "events"), null)) {
                var iterator = read.iterator();
                while (iterator.hasNext()) {
                    Page<SourceRecord> page = iterator.next();
                    activities += page.items().size();
                    rejected += page.rejected().size();
                    pages++;
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long peak = PeakHeap.bytes();
            System.out.printf("events_requested: %d%n", events);
            System.out.printf("days: %d%n", days);
            System.out.printf("activities: %d%n", activities);
            System.out.printf("rejected: %d%n", rejected);
            System.out.printf("pages: %d%n", pages);
            System.out.printf("seconds: %.2f%n", seconds);
            System.out.printf("events_per_second: %.0f%n", activities / seconds);
            System.out.printf("peak_heap_mb: %.1f%n", peak / (1024.0 * 1024.0));
            System.out.printf("peak_old_generation_mb: %.1f%n", PeakHeap.oldGenerationBytes() / (1024.0 * 1024.0));
            System.out.printf("max_heap_mb: %.0f%n", Runtime.getRuntime().maxMemory() / (1024.0 * 1024.0));
            camel.stop();
        }
    }
}
