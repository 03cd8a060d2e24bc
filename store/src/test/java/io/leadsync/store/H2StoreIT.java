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
}
