-- Probabilistic identity matching. Runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL 15+.

-- The blocking keys of each linked person record: a record no deterministic link joins is compared only with the
-- profiles holding a record with one of its keys, found here, never with every profile.
create table identity_keys (
    block_key       varchar(300)             not null,
    source          varchar(100)             not null,
    record_id       varchar(255)             not null,
    profile_id      varchar(40)              not null,
    primary key (block_key, source, record_id)
);
create index identity_keys_record on identity_keys (source, record_id);

-- Possible matches: a record and a profile it may belong to, below the match threshold. Kept for a person to
-- review; never merged automatically.
create table identity_reviews (
    source          varchar(100)             not null,
    record_id       varchar(255)             not null,
    profile_id      varchar(40)              not null,
    candidate_id    varchar(40)              not null,
    probability     double precision         not null,
    evidence        varchar(500)             not null,
    created_at      timestamp with time zone not null,
    primary key (source, record_id, candidate_id)
);
