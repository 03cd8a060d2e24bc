-- Run leases held by a heartbeat, with the owning process named so that a restart on the same host can tell a dead
-- owner at once; runs remember their lease owner so that only a dead owner's runs are closed as ABORTED.
alter table job_locks add column heartbeat_at timestamp with time zone;
alter table job_locks add column owner_host varchar(255);
alter table job_locks add column owner_pid bigint;
alter table job_locks add column owner_started_at timestamp with time zone;

alter table sync_runs add column owner varchar(200);
-- runs started over the API record the caller: api:<token name>
alter table sync_runs alter column trigger_type set data type varchar(120);

-- one name for a run its process never finished
update sync_runs set status = 'ABORTED' where status = 'ABANDONED';
