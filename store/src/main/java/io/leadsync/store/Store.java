package io.leadsync.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.leadsync.store.internal.H2FileCompaction;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * leadsync's database: source records, cursors, profiles, scores, push and task ledgers, runs, dead letters.
 *
 * <p>Opening a store applies the schema migrations (Flyway), so the same build runs on a new or an older
 * database. All work happens in {@link #inTransaction transactions}; a unit of work that must be atomic (a page
 * of records and the cursor that ends it) is one transaction. Thread-safe; each transaction is confined to the
 * thread that runs it.
 */
public final class Store implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Store.class);

    static {
        // H2 hashes every string it reads from a page or is given as a parameter, up to 4,096 characters (a record's
        // payload, its canonical JSON), to share equal values through a small cache of its own ("h2.objectCache").
        // leadsync's long values are rarely equal, so the cache saves little memory and cost 6 to 7% of a first
        // sync's CPU on H2 (docs/performance.md, sixth round). It is read once, when H2 loads: set it off before,
        // unless the operator set it.
        if (System.getProperty("h2.objectCache") == null) {
            System.setProperty("h2.objectCache", "false");
        }
    }

    private final DataSource dataSource;
    private final HikariDataSource owned;
    private final H2FileCompaction compaction;

    private Store(DataSource dataSource, HikariDataSource owned, H2FileCompaction compaction) {
        this.dataSource = dataSource;
        this.owned = owned;
        this.compaction = compaction;
    }

    /**
     * Opens a connection pool on the settings and migrates the schema. An embedded H2 file is compacted in the
     * background ({@link H2FileCompaction}).
     */
    public static Store open(DatabaseSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.connectionUrl());
        config.setUsername(settings.user());
        config.setPassword(settings.password().reveal());
        config.setMaximumPoolSize(settings.maxPoolSize());
        config.setPoolName("leadsync-store");
        config.setAutoCommit(false);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to the database at " + redact(settings.url()) + ": "
                    + rootMessage(e), e);
        }
        try {
            migrate(pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        boolean h2File = settings.url().startsWith("jdbc:h2:file:");
        return new Store(pool, pool, h2File ? H2FileCompaction.start(pool) : null);
    }

    /** Uses a data source the caller owns (and closes), after migrating the schema. */
    public static Store attach(DataSource dataSource) {
        migrate(dataSource);
        return new Store(dataSource, null, null);
    }

    /**
     * Applies the migrations: {@code db/migration} on every database, and {@code db/vendor/<vendor>} on that database
     * only ({@code postgresql}: Quartz's clustered job store tables; {@code h2}: none so far).
     */
    private static void migrate(DataSource dataSource) {
        var result = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration", "classpath:db/vendor/" + vendor(dataSource))
                .load()
                .migrate();
        if (result.migrationsExecuted > 0) {
            LOG.info("Database schema migrated to version {} ({} migrations applied)", result.targetSchemaVersion,
                    result.migrationsExecuted);
        }
    }

    /**
     * A connection of the store's pool, for a library that runs its own transactions on the store's database (Quartz's
     * clustered job store) instead of a second pool; the caller closes it. Everything else uses
     * {@link #inTransaction}.
     */
    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** Whether the database is PostgreSQL (the one several processes can share). */
    public boolean isPostgres() {
        return vendor(dataSource).equals("postgresql");
    }

    /** {@code postgresql} or {@code h2}: the folder of the vendor's own migrations under {@code db/vendor}. */
    private static String vendor(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            String product = connection.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT);
            return product.contains("postgres") ? "postgresql" : product.contains("h2") ? "h2" : product;
        } catch (SQLException e) {
            throw new StoreException("database connection failed: " + e.getMessage(), e);
        }
    }

    /** The connection of the rollback session bound to this thread, if any (see {@link #openRollbackSession}). */
    private final ThreadLocal<Connection> session = new ThreadLocal<>();

    /**
     * Runs work in one transaction: committed if it returns, rolled back if it throws. Inside a
     * {@link RollbackSession} the work runs on the session's connection instead, between savepoints (so a failure
     * still undoes only its own transaction), and nothing is ever committed.
     */
    public <T> T inTransaction(Function<StoreTransaction, T> work) {
        Connection bound = session.get();
        if (bound != null) {
            return inSavepoint(bound, work);
        }
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                T result = work.apply(new StoreTransaction(connection));
                connection.commit();
                return result;
            } catch (RuntimeException | Error e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new StoreException("database connection failed: " + e.getMessage(), e);
        }
    }

    private static <T> T inSavepoint(Connection connection, Function<StoreTransaction, T> work) {
        java.sql.Savepoint savepoint;
        try {
            savepoint = connection.setSavepoint();
        } catch (SQLException e) {
            throw new StoreException("database connection failed: " + e.getMessage(), e);
        }
        try {
            T result = work.apply(new StoreTransaction(connection));
            connection.releaseSavepoint(savepoint);
            return result;
        } catch (RuntimeException | Error e) {
            try {
                connection.rollback(savepoint);
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        } catch (SQLException e) {
            throw new StoreException("database connection failed: " + e.getMessage(), e);
        }
    }

    /**
     * Opens a session whose work is never committed: what runs {@link RollbackSession#run inside it} reads and writes
     * the store as usual, sees its own writes, and is rolled back when the session closes. A dry run uses it to run
     * the real stages without changing anything. The session holds one connection (and its locks) until closed.
     */
    public RollbackSession openRollbackSession() {
        try {
            Connection connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            return new RollbackSession(connection);
        } catch (SQLException e) {
            throw new StoreException("database connection failed: " + e.getMessage(), e);
        }
    }

    /** A unit of work that is rolled back at the end; see {@link #openRollbackSession()}. */
    public final class RollbackSession implements AutoCloseable {
        private final Connection connection;

        private RollbackSession(Connection connection) {
            this.connection = connection;
        }

        /** Runs work on this thread with every transaction of the store joining the session. */
        public <T> T run(java.util.function.Supplier<T> work) {
            Connection previous = session.get();
            session.set(connection);
            try {
                return work.get();
            } finally {
                if (previous == null) {
                    session.remove();
                } else {
                    session.set(previous);
                }
            }
        }

        public void run(Runnable work) {
            run(() -> {
                work.run();
                return null;
            });
        }

        /** Rolls everything back and returns the connection. */
        @Override
        public void close() {
            try (connection) {
                connection.rollback();
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                throw new StoreException("rolling back a dry run failed: " + e.getMessage(), e);
            }
        }
    }

    public void useTransaction(Consumer<StoreTransaction> work) {
        inTransaction(tx -> {
            work.accept(tx);
            return null;
        });
    }

    /**
     * Takes a job's lease in a transaction of its own; false if another owner holds it (including when a
     * concurrent process took it at the same moment).
     */
    public boolean tryAcquireJobLock(String job, JobLockRepository.Holder holder, java.time.Instant now,
                                     java.time.Duration ttl) {
        try {
            return inTransaction(tx -> tx.jobLocks().tryAcquire(job, holder, now, ttl));
        } catch (StoreException e) {
            if (e.getCause() instanceof SQLException sql && sql.getSQLState() != null
                    && sql.getSQLState().startsWith("23")) {
                return false;
            }
            throw e;
        }
    }

    private static void rollbackQuietly(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    private static String redact(String url) {
        return io.leadsync.connector.Secrets.mask(url);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    /**
     * Compacts an embedded H2 file now, as the background compaction does while the file's chunks are mostly garbage.
     *
     * @return whether chunks were rewritten (false on PostgreSQL, in memory, or when the file is dense)
     */
    public boolean compactH2File() {
        return compaction != null && compaction.compactNow();
    }

    @Override
    public void close() {
        if (compaction != null) {
            compaction.close();
        }
        if (owned != null) {
            owned.close();
        }
    }
}
