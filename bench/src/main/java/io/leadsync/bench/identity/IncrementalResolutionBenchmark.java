package io.leadsync.bench.identity;

import io.leadsync.bench.PeakHeap;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Person;
import io.leadsync.connector.Secret;
import io.leadsync.identity.IdentityRecord;
import io.leadsync.identity.IdentityResolver;
import io.leadsync.identity.IdentitySettings;
import io.leadsync.identity.LinkDecision;
import io.leadsync.identity.eval.ClusterFigures;
import io.leadsync.identity.eval.ColumnMapping;
import io.leadsync.sandbox.IdentityDataGenerator;
import io.leadsync.store.DatabaseSettings;
import io.leadsync.store.Store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Resolves N CRM records (default 1,000,000) incrementally through the store, a page at a time, exactly as the
 * sync's pull stage does: each page in one transaction, {@link IdentityResolver#resolve} reading the page's
 * candidates by blocking keys from the identity tables and writing the decisions back; weights learned from the
 * store as it grows. Nothing is held in memory beyond the page: the records stream from the sandbox's
 * {@link IdentityDataGenerator} (the CRM export with every kind of difficulty) into a file database, like the
 * service's default store. Prints time, throughput, peak heap, and precision and recall against the generator's truth.
 *
 * <pre>{@code java -Xmx1g -cp bench/target/leadsync-bench.jar \
 *     io.leadsync.bench.identity.IncrementalResolutionBenchmark --records 1000000}</pre>
 */
public final class IncrementalResolutionBenchmark {
    private static final ColumnMapping CRM = ColumnMapping.ofPairs(List.of("first_name=first_name",
            "last_name=last_name", "email=email", "phone=phone", "company=company", "website=website", "title=title",
            "country=country", "entity_id=truth"), null);
    private static final Instant UPDATED = Instant.parse("2026-11-01T00:00:00Z");

    private IncrementalResolutionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int records = 1_000_000;
        int pageSize = 1_000;
        long seed = 7;
        String url = null;
        String user = "sa";
        String password = "";
        int showErrors = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--records" -> records = Integer.parseInt(args[i + 1]);
                case "--page-size" -> pageSize = Integer.parseInt(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--database" -> url = args[i + 1];
                case "--user" -> user = args[i + 1];
                case "--password" -> password = args[i + 1];
                case "--show-errors" -> showErrors = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: --records N --page-size N --seed N --database JDBC-URL --user U --password P"
                        + " --show-errors N");
            }
        }
        Path folder = Files.createTempDirectory("leadsync-identity-bench");
        if (url == null) {
            url = "jdbc:h2:file:" + folder.resolve("store") + DatabaseSettings.H2_OPTIONS;
        }
        int[] entityOf = new int[records + 16];
        int[] profileOf = new int[records + 16];
        String[] kindOf = new String[records + 16];
        String[] reasonOf = showErrors > 0 ? new String[records + 16] : null;

        // The generator runs ahead on its own thread, a few pages at most, so its time is not the resolver's.
        BlockingQueue<List<Person>> pages = new LinkedBlockingQueue<>(4);
        int total = records;
        int size = pageSize;
        long generatorSeed = seed;
        Thread producer = new Thread(() -> produce(generatorSeed, total, size, pages, entityOf, kindOf), "generator");
        producer.setDaemon(true);

        IdentityResolver resolver = IdentitySettings.defaults().resolver();
        Map<String, Integer> profileNumbers = new java.util.HashMap<>();
        long resolved = 0;
        long probable = 0;
        long merged = 0;
        long reviews = 0;
        double seconds;
        try (Store store = Store.open(new DatabaseSettings(url, user, Secret.of(password), 2))) {
            System.gc();
            PeakHeap.reset();
            producer.start();
            long started = System.nanoTime();
            long cpuStarted = processCpuNanos();
            long gcStarted = gcMillis();
            while (resolved < records) {
                List<Person> page = pages.poll(60, TimeUnit.SECONDS);
                if (page == null) {
                    throw new IllegalStateException("the generator stopped after " + resolved + " records");
                }
                if (page.isEmpty()) {
                    break;
                }
                List<LinkDecision> decisions = store.inTransaction(tx -> resolver.resolve(page, tx.identity()));
                for (LinkDecision decision : decisions) {
                    int index = Integer.parseInt(decision.record().id());
                    profileOf[index] = profileNumbers.computeIfAbsent(decision.profileId(), p -> profileNumbers.size());
                    probable += decision.kind() == LinkDecision.Kind.PROBABLE_MATCH ? 1 : 0;
                    if (reasonOf != null) {
                        reasonOf[index] = decision.reason();
                    }
                    merged += decision.merged().size();
                    reviews += decision.reviews().size();
                }
                resolved += page.size();
            }
            seconds = (System.nanoTime() - started) / 1e9;
            double cpuSeconds = (processCpuNanos() - cpuStarted) / 1e9;
            double gcSeconds = (gcMillis() - gcStarted) / 1e3;
            long peak = PeakHeap.bytes();
            long records2 = resolved;
            // merges move earlier records: their final profile is the store's
            // (and counting them tells how many the store holds, exactly); a transaction per chunk bounds the heap
            long stored = 0;
            for (int from = 0; from < records2; from += 10_000) {
                List<ExternalId> ids = new ArrayList<>();
                for (int i = from; i < Math.min(records2, from + 10_000); i++) {
                    ids.add(new ExternalId("crm", Integer.toString(i)));
                }
                var read = store.inTransaction(tx -> tx.identity().records(ids));
                read.forEach((id, record) -> profileOf[Integer.parseInt(id.id())] =
                        profileNumbers.computeIfAbsent(record.profileId(), p -> profileNumbers.size()));
                stored += read.size();
            }
            List<String> entities = new ArrayList<>((int) resolved);
            List<String> profiles = new ArrayList<>((int) resolved);
            List<String> kinds = new ArrayList<>((int) resolved);
            for (int i = 0; i < resolved; i++) {
                entities.add(Integer.toString(entityOf[i]));
                profiles.add(Integer.toString(profileOf[i]));
                kinds.add(kindOf[i]);
            }
            ClusterFigures figures = ClusterFigures.of(entities, profiles, kinds);
            System.out.printf(Locale.ROOT, "records: %d%nstored_identity_records: %d%nprofiles: %d%n"
                            + "probable_matches: %d%nprofiles_merged: %d%nreview_items: %d%nseconds: %.1f%n"
                            + "records_per_second: %.0f%nprocess_cpu_seconds: %.1f%ngc_seconds: %.1f%npeak_heap_mb: %.1f%n"
                            + "max_heap_mb: %.0f%ndatabase: %s%n", resolved, stored, profileNumbers.size(), probable,
                    merged, reviews, seconds, resolved / seconds, cpuSeconds, gcSeconds, peak / 1048576.0,
                    Runtime.getRuntime().maxMemory() / 1048576.0, url.replaceFirst(";.*", ""));
            System.out.print(figures.lines());
            if (showErrors > 0) {
                showErrors(store, profileOf, entityOf, kindOf, reasonOf, (int) resolved, showErrors);
            }
        } finally {
            deleteQuietly(folder);
        }
    }

    /**
     * Where the false pairs are: by the size of the profile that holds them and by how many people it joins, and
     * the records of the {@code count} profiles with the most false pairs and of {@code count} profiles that wrongly
     * join exactly two people (the most common mistake), as the store holds them.
     */
    private static void showErrors(Store store, int[] profileOf, int[] entityOf, String[] kindOf, String[] reasonOf,
                                   int records, int count) {
        System.out.println("weights: " + store.inTransaction(tx -> tx.identity().weights())
                .map(w -> w.toText()).orElse("built-in"));
        Map<Integer, List<Integer>> byProfile = new java.util.HashMap<>();
        for (int i = 0; i < records; i++) {
            byProfile.computeIfAbsent(profileOf[i], p -> new ArrayList<>()).add(i);
        }
        java.util.TreeMap<String, long[]> bySize = new java.util.TreeMap<>();
        List<long[]> wrong = new ArrayList<>();
        for (var entry : byProfile.entrySet()) {
            List<Integer> members = entry.getValue();
            Map<Integer, Integer> people = new java.util.HashMap<>();
            members.forEach(i -> people.merge(entityOf[i], 1, Integer::sum));
            if (people.size() < 2) {
                continue;
            }
            long all = (long) members.size() * (members.size() - 1) / 2;
            long right = people.values().stream().mapToLong(n -> (long) n * (n - 1) / 2).sum();
            long falsePairs = all - right;
            String bucket = String.format(Locale.ROOT, "size %s, %s people", bucket(members.size()),
                    bucket(people.size()));
            long[] figures = bySize.computeIfAbsent(bucket, b -> new long[2]);
            figures[0]++;
            figures[1] += falsePairs;
            wrong.add(new long[] {entry.getKey(), falsePairs, people.size()});
        }
        System.out.println("false_pairs_by_profile:");
        bySize.forEach((bucket, figures) -> System.out.printf(Locale.ROOT, "  %-28s profiles %7d  false pairs %9d%n",
                bucket, figures[0], figures[1]));
        wrong.sort((x, y) -> Long.compare(y[1], x[1]));
        List<long[]> shown = new ArrayList<>(wrong.subList(0, Math.min(count, wrong.size())));
        wrong.stream().filter(w -> w[2] == 2).skip(count).limit(count).forEach(shown::add);
        for (long[] profile : shown) {
            List<ExternalId> ids = byProfile.get((int) profile[0]).stream()
                    .map(i -> new ExternalId("crm", Integer.toString(i))).toList();
            var read = store.inTransaction(tx -> tx.identity().records(ids));
            System.out.printf(Locale.ROOT, "profile with %d records, %d people, %d false pairs:%n", ids.size(),
                    profile[2], profile[1]);
            ids.stream().sorted(java.util.Comparator.comparingInt(id -> entityOf[Integer.parseInt(id.id())]))
                    .forEach(id -> {
                        int i = Integer.parseInt(id.id());
                        IdentityRecord record = read.get(id);
                        System.out.printf(Locale.ROOT, "  person %d (%s) %s%n      %s%n", entityOf[i], kindOf[i],
                                record == null ? id : describe(record), reasonOf[i]);
                    });
        }
    }

    private static String bucket(int n) {
        return n <= 3 ? Integer.toString(n) : n <= 5 ? "4-5" : n <= 10 ? "6-10" : n <= 50 ? "11-50" : "51+";
    }

    private static String describe(IdentityRecord record) {
        StringBuilder text = new StringBuilder();
        for (IdentityRecord.Field field : new IdentityRecord.Field[] {IdentityRecord.Field.FIRST,
            IdentityRecord.Field.LAST, IdentityRecord.Field.EMAIL, IdentityRecord.Field.PHONE,
            IdentityRecord.Field.COMPANY, IdentityRecord.Field.DOMAIN, IdentityRecord.Field.COUNTRY,
            IdentityRecord.Field.FLAGS}) {
            String value = record.value(field);
            if (value != null) {
                text.append(text.length() == 0 ? "" : " ").append(field.name().toLowerCase(Locale.ROOT)).append('=')
                        .append(value);
            }
        }
        return text.toString();
    }

    /** CPU time of this whole process (every thread: resolver, generator, JDBC, garbage collector, compiler). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long gcMillis() {
        long total = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    /** Streams the generator's CRM records into pages of persons; an empty page ends the stream. */
    private static void produce(long seed, int records, int pageSize, BlockingQueue<List<Person>> pages,
                                int[] entityOf, String[] kindOf) {
        int[] index = {0};
        List<Person>[] page = new List[] {new ArrayList<Person>(pageSize)};
        try {
            new IdentityDataGenerator(seed).crmExport(records, row -> {
                if (index[0] >= records) {
                    return;
                }
                int i = index[0]++;
                entityOf[i] = Integer.parseInt(row.get("entity_id").substring(1));
                kindOf[i] = row.get("kind");
                page[0].add(CRM.person(new ExternalId("crm", Integer.toString(i)), row.values(), UPDATED));
                if (page[0].size() == pageSize) {
                    put(pages, page[0]);
                    page[0] = new ArrayList<>(pageSize);
                }
            });
            if (!page[0].isEmpty()) {
                put(pages, page[0]);
            }
            put(pages, List.of());
        } catch (RuntimeException e) {
            e.printStackTrace();
        }
    }

    private static void put(BlockingQueue<List<Person>> pages, List<Person> page) {
        try {
            pages.put(page);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void deleteQuietly(Path folder) {
        try (var files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + folder + ": " + e.getMessage());
        }
    }
}
