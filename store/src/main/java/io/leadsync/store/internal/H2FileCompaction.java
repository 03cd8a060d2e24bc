package io.leadsync.store.internal;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps an embedded H2 file from filling the disk with its own garbage.
 *
 * <p>H2 never updates a page in place: each commit writes the pages it changed into a new chunk at the end of the file,
 * and an old chunk's space is reused only once none of its pages is live. leadsync's writes are spread over large
 * indexes (identity keys, ledgers: every row at a random place of its B-tree), so every chunk keeps a few live pages
 * and almost none frees. H2's background writer would rewrite such chunks, but the store writes each commit through
 * ({@code WRITE_DELAY=0}, so that a killed process keeps what it committed), and then H2 runs no background writer at
 * all. Measured: 30,000 identity records left a 250 MB file holding 11 MB of data, 100,000 a 1.2 GB file (162 MB
 * with this compaction), a first sync of 100,000 contacts a 26.6 GB file.
 *
 * <p>So the store does the background writer's compaction itself: every {@value #PERIOD_SECONDS} s, while the chunks
 * hold less than {@value #TARGET_FILL_RATE}% live data, it flushes the file to disk ({@code fsync}) and lets H2 rewrite
 * the live pages of the emptiest chunks, at most {@value #WRITE_LIMIT_MB} MB a time ({@code MVStore.compact}, the call
 * H2's own writer makes); then, with no chunk being written, it flushes again and frees the chunks left empty. H2's
 * retention time of old chunks (45 s, kept against a power loss that would leave the newest writes unwritten) is
 * lifted while it runs, as H2's own {@code SHUTDOWN COMPACT} does, and restored afterwards: the flushes put what
 * replaced a freed chunk on disk first, except what other transactions commit during the rewrite itself. It
 * does not move chunks ({@code compactFile}, what {@code SHUTDOWN COMPACT} does): with the database open, H2's own
 * checks fail there. The calls go through H2's engine classes, which are public but not JDBC: if a later H2 changes
 * them, compaction stops with one warning and the store works on.
 */
public final class H2FileCompaction implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(H2FileCompaction.class);
    /** How often the file's fill is looked at. */
    static final int PERIOD_SECONDS = 2;
    /**
     * Below this share of live data in the chunks, chunks are rewritten. Freeing a chunk with a share {@code f} of live
     * data rewrites {@code f / (1 - f)} of the space it frees: at 40% the file is at most 2.5 times its data, for
     * less than half the rewriting of 60% (measured: 9 to 13% less CPU for a sync or resolution, 25% more file).
     */
    static final int TARGET_FILL_RATE = 40;
    /** The most one compaction writes. */
    static final int WRITE_LIMIT_MB = 64;

    private final DataSource dataSource;
    private final ScheduledExecutorService timer;
    private volatile boolean stopped;

    private H2FileCompaction(DataSource dataSource) {
        this.dataSource = dataSource;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "leadsync-store:h2-compaction");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts compacting the H2 file behind {@code dataSource} in the background. */
    public static H2FileCompaction start(DataSource dataSource) {
        H2FileCompaction compaction = new H2FileCompaction(dataSource);
        compaction.timer.scheduleWithFixedDelay(compaction::compactIfSparse, PERIOD_SECONDS, PERIOD_SECONDS,
                TimeUnit.SECONDS);
        return compaction;
    }

    private void compactIfSparse() {
        compactNow();
    }

    /**
     * Compacts now if the chunks hold less than the target share of live data.
     *
     * @return whether chunks were rewritten
     */
    public synchronized boolean compactNow() {
        if (stopped) {
            return false;
        }
        try (Connection connection = dataSource.getConnection()) {
            var store = ((SessionLocal) connection.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore();
            MVStore mvStore = store == null ? null : store.getMvStore();
            FileStore<?> file = mvStore == null || mvStore.isClosed() ? null : mvStore.getFileStore();
            if (file == null || file.isReadOnly() || file.getChunksFillRate() >= TARGET_FILL_RATE) {
                return false;
            }
            file.sync();
            int retention = mvStore.getRetentionTime();
            mvStore.setRetentionTime(0);
            try {
                boolean rewritten = mvStore.compact(TARGET_FILL_RATE, WRITE_LIMIT_MB << 20);
                // the chunks it emptied free once what replaced them is on disk, with nothing written meanwhile
                mvStore.executeFilestoreOperation(() -> {
                    file.sync();
                    file.dropUnusedChunks();
                });
                return rewritten;
            } finally {
                mvStore.setRetentionTime(retention);
            }
        } catch (java.sql.SQLException e) {
            // no connection free now (the pool busy, or closing at shutdown): the next round tries again
            LOG.debug("H2 file compaction skipped: {}", e.getMessage());
            return false;
        } catch (RuntimeException | LinkageError e) {
            // anything else means H2's engine is not what this was made for (or the store is closing)
            if (!timer.isShutdown()) {
                stopped = true;
                LOG.warn("H2 file compaction stopped (the store works on; its file may grow): {}", e.toString());
            }
            return false;
        }
    }

    /** Stops compacting; a compaction under way ends first (interrupted, H2 would close its file). */
    @Override
    public void close() {
        timer.shutdown();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
