package io.leadsync.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The store contract on embedded H2 (PostgreSQL mode), leadsync's default database. */
class H2StoreIT extends StoreContract {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @Override
    Store openFreshStore() {
        return Store.open(DatabaseSettings.h2Memory("store-test-" + DATABASES.incrementAndGet()));
    }

    /**
     * Once H2 has statistics of a big ledger, a lookup whose leading index column is compared with a constant reads
     * every row of that sink; compared with a column of the keys table, it is one index lookup per key.
     */
    @Test
    void aLookupByKeysStartsAtTheKeysEvenWhenTheTableIsLargeAndAnalyzed() throws Exception {
        try (java.sql.Connection connection = store.connection();
             java.sql.Statement statement = connection.createStatement()) {
            statement.execute("insert into push_ledger (sink, record_id, field_name, field_value, pushed_at)"
                    + " select 'hubspot-main', 'r' || \"X\", 'leadsync_score', '50', current_timestamp"
                    + " from system_range(1, 20000)");
            statement.execute("analyze");
            String lookup = "explain select p.record_id from {keys} join push_ledger p on p.sink = k.c1"
                    + " and p.record_id = k.id";
            List<String> plan = io.leadsync.store.internal.Sql.queryByKeys(connection, lookup, List.of("r1", "r2"),
                    List.of("hubspot-main"), row -> row.getString(1));
            String text = String.join("\n", plan).toLowerCase(java.util.Locale.ROOT);
            assertThat(text.indexOf("from (values")).as(text).isGreaterThanOrEqualTo(0)
                    .isLessThan(text.indexOf("join \"public\".\"push_ledger\""));
            assertThat(text).contains("sink = k.c1").contains("record_id = k.id");
            assertThat(io.leadsync.store.internal.Sql.queryByKeys(connection, "select p.record_id from {keys}"
                    + " join push_ledger p on p.sink = k.c1 and p.record_id = k.id", List.of("r7", "r9", "none"),
                    List.of("hubspot-main"), row -> row.getString(1))).containsExactlyInAnyOrder("r7", "r9");
            connection.rollback();
        }
    }

    /**
     * The score stage, the push and the event run walk the marked profiles, records and changes a page at a time: H2
     * must read the page from the index, in its order, not every marked row after the page's start and sort them (n²
     * over a stage).
     */
    @Test
    void pagesOfMarkedProfilesAndRecordsAreReadInTheirIndexOrderAndNoFurther() throws Exception {
        try (java.sql.Connection connection = store.connection();
             java.sql.Statement statement = connection.createStatement()) {
            statement.execute("insert into profiles (profile_id, created_at, updated_at, needs_scoring, change_seq)"
                    + " select 'P' || lpad(\"X\", 6, '0'), current_timestamp, current_timestamp, true, 1"
                    + " from system_range(1, 5000)");
            statement.execute("insert into person_links (source, record_id, stream, profile_id, link_reason, linked_at,"
                    + " push_pending) select 'hubspot-main', lpad(\"X\", 6, '0'), 'contacts',"
                    + " 'P' || lpad(\"X\", 6, '0'), 'new', current_timestamp, true from system_range(1, 5000)");
            statement.execute("insert into change_inbox (source, stream, event_id, record_id, kind, changed_at,"
                    + " received_at, status) select 'hubspot-main', 'contacts', 'e' || \"X\", 'r' || \"X\", 'upsert',"
                    + " current_timestamp, current_timestamp, 'PENDING' from system_range(1, 5000)");
            statement.execute("analyze");
            assertReadsOnlyThePage(connection, ChangeInboxRepository.DUE, "PENDING",
                    java.sql.Timestamp.from(java.time.Instant.now()), 50);
            assertReadsOnlyThePage(connection, ProfileRepository.NEEDING_SCORE, "P000100", 50);
            assertReadsOnlyThePage(connection, PushLedgerRepository.PENDING, "hubspot-main", "000100", 50);
            assertThat(store.inTransaction((StoreTransaction tx) -> tx.profiles().needingScore("P000100", 3)))
                    .extracting(ProfileRepository.ProfileChange::profileId)
                    .containsExactly("P000101", "P000102", "P000103");
            connection.rollback();
        }
    }

    private static void assertReadsOnlyThePage(java.sql.Connection connection, String sql, Object... parameters)
            throws java.sql.SQLException {
        try (java.sql.PreparedStatement explain = connection.prepareStatement("explain analyze " + sql)) {
            for (int i = 0; i < parameters.length; i++) {
                explain.setObject(i + 1, parameters[i]);
            }
            try (java.sql.ResultSet plan = explain.executeQuery()) {
                plan.next();
                String text = plan.getString(1);
                int limit = (Integer) parameters[parameters.length - 1];
                assertThat(text).as(text).contains("index sorted");
                java.util.regex.Matcher scans = java.util.regex.Pattern.compile("scanCount: (\\d+)").matcher(text);
                assertThat(scans.find()).as(text).isTrue();
                assertThat(Integer.parseInt(scans.group(1))).as(text).isLessThanOrEqualTo(limit + 1);
            }
        }
    }

    @Test
    void keepsDataInAFileAcrossReopening(@TempDir Path dir) {
        DatabaseSettings file = DatabaseSettings.h2File(dir.resolve("leadsync").toString());
        try (Store first = Store.open(file)) {
            first.useTransaction(tx -> tx.sourceRecords().upsert(List.of(row(CONTACTS, person("101", "a@b.de"), T0)),
                    null, T0));
        }
        try (Store reopened = Store.open(file)) {
            assertThat(reopened.inTransaction((StoreTransaction tx) -> tx.sourceRecords().count())).isEqualTo(1);
        }
    }

    /**
     * On SIGTERM the runs under way still write (ABORTED, the lease released) while the process stops: H2 must not close
     * the database in a shutdown hook of its own under them. In a JVM of its own, since the test is an exit.
     */
    @Test
    void aStoreStaysOpenForWritesMadeWhileTheProcessStops(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("leadsync");
        Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), H2ShutdownProbe.class.getName(), db.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("probe.log").toFile()).start();
        try {
            assertThat(probe.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("the probe ended").isTrue();
        } finally {
            probe.destroyForcibly();
        }
        assertThat(java.nio.file.Files.readString(dir.resolve("probe.log")))
                .as("what the probe's shutdown hook printed").contains("written");
        assertThat(rowsAfterReopening(DatabaseSettings.h2File(db.toString()), "shutdown_probe")).isEqualTo(1);
    }

    private static int rowsAfterReopening(DatabaseSettings file, String table) throws java.sql.SQLException {
        try (Store reopened = Store.open(file);
             java.sql.Connection connection = reopened.connection();
             java.sql.Statement statement = connection.createStatement();
             java.sql.ResultSet rows = statement.executeQuery("select count(*) from " + table)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /**
     * Java closes a file channel under a thread interrupted while it uses it; H2 then closed the whole database, so a
     * run abandoned at shutdown (its threads interrupted to wake a hung call) took the store down with it.
     */
    @Test
    void aThreadInterruptedWhileWritingLeavesAFileStoreUsable(@TempDir Path dir) throws Exception {
        DatabaseSettings file = DatabaseSettings.h2File(dir.resolve("leadsync").toString());
        try (Store store = Store.open(file)) {
            try (java.sql.Connection connection = store.connection();
                 java.sql.Statement statement = connection.createStatement()) {
                statement.execute("create table interrupted_write (x int)");
                connection.commit();
                Thread.currentThread().interrupt();
                try {
                    statement.execute("insert into interrupted_write values (1)");
                    connection.commit();   // written through (WRITE_DELAY=0) by this interrupted thread
                } finally {
                    Thread.interrupted();
                }
            }
            try (java.sql.Connection connection = store.connection();
                 java.sql.Statement statement = connection.createStatement()) {
                statement.execute("insert into interrupted_write values (2)");
                connection.commit();
            }
        }
        assertThat(rowsAfterReopening(file, "interrupted_write")).isEqualTo(2);
    }

    /**
     * Updates spread over an index leave a few live pages in every chunk H2 writes, and with commits written through H2
     * rewrites none of them: the store compacts the file itself, so the same updates again reuse the file's space
     * instead of doubling it, and every row survives.
     */
    @Test
    void compactsAnH2FileThatUpdatesSpreadOverLeaveSparse(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("leadsync.mv.db");
        try (Store store = Store.open(DatabaseSettings.h2File(dir.resolve("leadsync").toString()))) {
            java.util.Random random = new java.util.Random(7);
            spreadUpdates(store, random, 0, false);
            long first = java.nio.file.Files.size(data);
            long rows = ledgerRows(store);

            // (whether this call rewrites chunks depends on whether the background round just did: not asserted)
            store.compactH2File();
            spreadUpdates(store, random, 1, true);
            long second = java.nio.file.Files.size(data);

            assertThat(second).as("bytes after the same updates again, compacting (%d after the first)", first)
                    .isLessThan(first + first / 2);
            assertThat(ledgerRows(store)).isGreaterThanOrEqualTo(rows);
        }
        try (Store memory = Store.open(DatabaseSettings.h2Memory("no-file-" + DATABASES.incrementAndGet()))) {
            assertThat(memory.compactH2File()).as("an in-memory H2 has no file to compact").isFalse();
        }
    }

    /** 200 commits of 200 ledger rows each, at random among 20,000 records (each commit touches most of the index). */
    private static void spreadUpdates(Store store, java.util.Random random, int round, boolean compacting)
            throws java.sql.SQLException {
        for (int commit = 0; commit < 200; commit++) {
            try (java.sql.Connection connection = store.connection();
                 java.sql.PreparedStatement merge = connection.prepareStatement("merge into push_ledger"
                         + " (sink, record_id, field_name, field_value, pushed_at) key (sink, record_id, field_name)"
                         + " values ('hubspot-main', ?, 'leadsync_score', ?, current_timestamp)")) {
                for (int row = 0; row < 200; row++) {
                    merge.setString(1, "r" + random.nextInt(20_000));
                    merge.setString(2, round + "-" + commit);
                    merge.addBatch();
                }
                merge.executeBatch();
                connection.commit();
            }
            if (compacting && commit % 10 == 9) {
                store.compactH2File();
            }
        }
    }

    private static long ledgerRows(Store store) throws java.sql.SQLException {
        try (java.sql.Connection connection = store.connection();
             java.sql.ResultSet count = connection.createStatement().executeQuery("select count(*) from push_ledger")) {
            count.next();
            return count.getLong(1);
        }
    }
}
