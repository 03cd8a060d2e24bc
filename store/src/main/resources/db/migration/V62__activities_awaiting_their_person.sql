-- An activity needs looking up by its person only while it waits for that person: its person record is not linked
-- yet (the activity has no profile, or a profile found through its email for now), or it names only an email that no
-- profile had. Two indexes on every activity (by person record, by email) cost an embedded H2 store a third of an
-- activity's write (each is a B-tree written at random places); one index on the waiting key, empty (NULL) for the
-- attached activities that are nearly all of them, costs little: their entries follow one another.
--   await_source, await_id: the person record waited for (its source and id), or '' and the normalized email.
alter table activities add column await_source varchar(100);
alter table activities add column await_id varchar(320);

update activities a set await_source = a.person_source, await_id = a.person_record_id
 where a.person_source is not null
   and not exists (select 1 from person_links l where l.source = a.person_source and l.record_id = a.person_record_id);
update activities set await_source = '', await_id = person_email
 where person_source is null and profile_id is null and person_email is not null;

drop index activities_person;
drop index activities_person_email;
create index activities_awaiting on activities (await_source, await_id);
