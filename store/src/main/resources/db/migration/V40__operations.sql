-- Operating leadsync without its log (issue 17). Runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL 15+.

-- A job's schedule as changed over the API or the command line, and whether its cron trigger is paused; a job
-- without a row runs on the schedule of its configuration.
create table job_schedules (
    job             varchar(100)             not null primary key,
    schedule        varchar(200),
    paused          boolean                  not null,
    updated_at      timestamp with time zone not null,
    updated_by      varchar(120)
);

-- A dead letter stays until an operator replays it (a replay that succeeds resolves it; one that fails again leaves
-- a new letter with the new reason) or discards it. Resolved letters are kept for the record.
alter table dead_letters add column status varchar(16) default 'OPEN' not null;
alter table dead_letters add column resolved_at timestamp with time zone;
alter table dead_letters add column resolved_by varchar(120);
alter table dead_letters add column resolution text;
create index dead_letters_status on dead_letters (status, id);
