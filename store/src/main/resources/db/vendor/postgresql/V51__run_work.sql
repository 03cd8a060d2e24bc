-- The work of one run that the instances of a cluster share (leadsync.cluster.enabled): the run's streams, each claimed
-- by one instance (SELECT ... FOR UPDATE SKIP LOCKED), pulled there, and marked DONE or FAILED with its counts, which the
-- run's owner adds to its own. PostgreSQL only, as the cluster is.
create table run_work (
    run_id       bigint       not null,
    item         varchar(255) not null,
    position     integer      not null,
    state        varchar(16)  not null,
    worker       varchar(200),
    claimed_at   timestamp with time zone,
    heartbeat_at timestamp with time zone,
    finished_at  timestamp with time zone,
    stats        text,
    error        text,
    primary key (run_id, item)
);
create index run_work_open on run_work (state, run_id, position);
