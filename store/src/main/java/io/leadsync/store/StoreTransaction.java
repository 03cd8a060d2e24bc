package io.leadsync.store;

import java.sql.Connection;

/**
 * The repositories, bound to one open transaction. Obtained from {@link Store#inTransaction}; never kept after
 * the work returns.
 */
public final class StoreTransaction {
    private final Connection connection;

    StoreTransaction(Connection connection) {
        this.connection = connection;
    }

    public SourceRecordRepository sourceRecords() {
        return new SourceRecordRepository(connection);
    }

    public CursorRepository cursors() {
        return new CursorRepository(connection);
    }

    public ProfileRepository profiles() {
        return new ProfileRepository(connection);
    }

    public ActivityRepository activities() {
        return new ActivityRepository(connection);
    }

    public ScoreRepository scores() {
        return new ScoreRepository(connection);
    }

    public PushLedgerRepository pushLedger() {
        return new PushLedgerRepository(connection);
    }

    public TaskRepository tasks() {
        return new TaskRepository(connection);
    }

    public RunRepository runs() {
        return new RunRepository(connection);
    }

    public DeadLetterRepository deadLetters() {
        return new DeadLetterRepository(connection);
    }

    /** Identity resolution's state; what it writes is stamped with the current time. */
    public IdentityRepository identity() {
        return identity(java.time.Instant.now());
    }

    /** Identity resolution's state; what it writes is stamped with {@code now}. */
    public IdentityRepository identity(java.time.Instant now) {
        return new IdentityRepository(connection, now);
    }

    public ModelRepository models() {
        return new ModelRepository(connection);
    }

    public JobScheduleRepository jobSchedules() {
        return new JobScheduleRepository(connection);
    }

    public OperationsRepository operations() {
        return new OperationsRepository(connection);
    }

    /** The work of runs the instances of a cluster share (PostgreSQL only). */
    public RunWorkRepository runWork() {
        return new RunWorkRepository(connection);
    }

    public ChangeInboxRepository changeInbox() {
        return new ChangeInboxRepository(connection);
    }

    public JobLockRepository jobLocks() {
        return new JobLockRepository(connection);
    }
}
