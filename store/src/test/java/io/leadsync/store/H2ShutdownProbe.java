package io.leadsync.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/**
 * Run in its own JVM by {@link H2StoreIT}: opens a file store, then exits, with a shutdown hook that writes to the store
 * a moment after the exit began, as a run stopping on SIGTERM does; prints "written" when the write committed.
 */
public final class H2ShutdownProbe {
    private H2ShutdownProbe() {
    }

    public static void main(String[] args) throws Exception {
        Store store = Store.open(DatabaseSettings.h2File(Path.of(args[0]).toString()));
        try (Connection connection = store.connection(); Statement statement = connection.createStatement()) {
            statement.execute("create table shutdown_probe (x int)");
            connection.commit();
        }
        Connection held = store.connection();   // a run's connection, taken before the stop began
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Thread.sleep(500);   // the other shutdown hooks have started by now
                try (Connection connection = held; Statement statement = connection.createStatement()) {
                    statement.execute("insert into shutdown_probe values (1)");
                    connection.commit();
                }
                store.close();
                System.out.println("written");
            } catch (Exception e) {
                System.out.println("failed: " + e);
            }
        }));
        System.exit(0);
    }
}
