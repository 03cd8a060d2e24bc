-- A key's holders take slots 0, 1, 2... without gaps (a profile that leaves a key gives its slot to the key's last
-- row), so the first n holders of a key are the rows of its slots below n: a lookup reads only as many rows as the
-- engine looks at. Renumbers the slots of existing keys in their order. Runs unchanged on H2 and PostgreSQL.
create table identity_keys_renumbered (
    key_hash        bigint                   not null,
    slot            integer                  not null,
    profile_id      varchar(40)              not null,
    primary key (key_hash, slot)
);
insert into identity_keys_renumbered (key_hash, slot, profile_id)
    select key_hash, cast(row_number() over (partition by key_hash order by slot) - 1 as integer), profile_id
    from identity_keys;
drop table identity_keys;
alter table identity_keys_renumbered rename to identity_keys;
