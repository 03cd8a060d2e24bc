package io.leadsync.store;

import io.leadsync.connector.Secret;

import java.util.Objects;

/**
 * Where the store lives. The default is an embedded H2 file under {@code ./data/}; production uses PostgreSQL 15
 * or later (the schema relies on {@code MERGE}). An H2 file writes every commit through ({@code WRITE_DELAY=0}), so a
 * process killed at any moment keeps every transaction it committed. H2 does not close its database in a shutdown hook
 * of its own ({@code DB_CLOSE_ON_EXIT=FALSE}): the store is closed once the runs under way have stopped.
 *
 * @param url          JDBC URL ({@code jdbc:h2:file:...} or {@code jdbc:postgresql://...})
 * @param user         database user
 * @param password     database password, masked in logs
 * @param maxPoolSize  connections in the pool
 */
public record DatabaseSettings(String url, String user, Secret password, int maxPoolSize) {
    /** H2 in PostgreSQL mode: the same SQL runs on both. */
    public static final String H2_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    public DatabaseSettings {
        Objects.requireNonNull(url, "url");
        if (url.startsWith("jdbc:h2:file:") && !url.toUpperCase(java.util.Locale.ROOT).contains("WRITE_DELAY")) {
            // H2 keeps commits in memory for up to a second by default: a process killed then loses them (a task
            // reserved just before a call, the page just stored). Written through, a commit survives a kill -9.
            url = url + ";WRITE_DELAY=0";
        }
        if (url.startsWith("jdbc:h2:") && !url.toUpperCase(java.util.Locale.ROOT).contains("DB_CLOSE_ON_EXIT")) {
            // by default H2 closes its database in a JVM shutdown hook of its own, beside leadsync's: on SIGTERM it
            // then closed the store under the runs still stopping (their last writes failed with "Database is
            // already closed"), and a statement begun as it closed could spin in H2 for good, so that the process
            // never ended. leadsync closes the store itself once its runs have stopped (Store.close)
            url = url + ";DB_CLOSE_ON_EXIT=FALSE";
        }
        if (url.startsWith("jdbc:h2:") && !url.toUpperCase(java.util.Locale.ROOT).contains("LOCK_TIMEOUT")) {
            // H2 gives up on a row another transaction holds after a second; streams pulled beside each other may
            // both mark one profile changed, and the second page should wait for the first one's commit, as on
            // PostgreSQL, not fail
            url = url + ";LOCK_TIMEOUT=60000";
        }
        user = user == null ? "" : user;
        password = password == null ? Secret.of("") : password;
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("maxPoolSize must be >= 1 but was " + maxPoolSize);
        }
    }

    /** An embedded H2 database in a file, e.g. {@code h2File("./data/leadsync")}. */
    public static DatabaseSettings h2File(String path) {
        return new DatabaseSettings("jdbc:h2:file:" + path + H2_OPTIONS, "sa", Secret.of(""), 10);
    }

    /** A private in-memory H2 database that lives while the store is open (tests). */
    public static DatabaseSettings h2Memory(String name) {
        return new DatabaseSettings("jdbc:h2:mem:" + name + H2_OPTIONS + ";DB_CLOSE_DELAY=-1", "sa", Secret.of(""), 10);
    }

    /**
     * The URL the store connects with: {@link #url()}, and for an H2 file, through H2's {@code retry:} file system.
     * Java closes a file channel when a thread using it is interrupted, and H2 then closes the whole database: a run
     * abandoned at shutdown (its threads interrupted to wake a hung call) took the store down with it, so the run
     * could not be recorded ABORTED. The {@code retry:} file system reopens the file and goes on.
     */
    public String connectionUrl() {
        String file = "jdbc:h2:file:";
        if (url.startsWith(file) && !url.substring(file.length()).matches("(?s)[A-Za-z]{2,}:.*")) {
            return file + "retry:" + url.substring(file.length());
        }
        return url;
    }

    public boolean isH2() {
        return url.startsWith("jdbc:h2:");
    }
}
