-- The task ledger becomes an outbox: a task is reserved PENDING with its idempotency key and the exact task to send,
-- in the same transaction as the record of its attempt; an attempt's outcome moves it to CONFIRMED (the CRM's task
-- id) or FAILED (a dead letter with the vendor's reason). A PENDING task from an earlier attempt is looked up in the
-- CRM by its key before it is sent again.
alter table task_ledger add column task_key varchar(40);
alter table task_ledger add column payload text;
alter table task_ledger add column attempts integer default 0 not null;
alter table task_ledger add column last_attempt_at timestamp with time zone;
update task_ledger set status = 'CONFIRMED' where status = 'CREATED';
create index task_ledger_status on task_ledger (sink, status, crossing_id);
