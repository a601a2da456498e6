-- 0031_security.sql - hardening (issue 14): rate-limit hits, initial-password expiry,
-- idempotency keys of creating POSTs.

-- One row per counted attempt of a rate-limited action (lib/core/ratelimit): bucket names the
-- action and the kind of key ("register.ip"), key the address or target. Real time
-- (clock_timestamp()), never the business clock; rows older than a day are pruned as hits come.
CREATE TABLE rate_hits (
    bucket  text        NOT NULL,
    key     text        NOT NULL,
    at      timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX rate_hits_key ON rate_hits (bucket, key, at);

-- An initial password (an org's code, an expert's last six, or a random one) works until the
-- first successful change and until initial_password_expires (issue + 14 days, business clock).
-- NULL: the password is not an initial one.
ALTER TABLE accounts ADD COLUMN initial_password_expires timestamptz;
-- Accounts still on their initial password get 14 days from the upgrade, not from their creation
-- (an older account would otherwise be locked out the moment the new code runs).
UPDATE accounts SET initial_password_expires = greatest(created_at, now()) + interval '14 days'
    WHERE must_change_password;

-- Idempotency-Key of a creating POST (fcgi/dispatch.c, routes flagged ROUTE_IDEMPOTENT): the
-- first answer is kept 24 hours and replayed for a retry with the same key and body.
CREATE TABLE idempotency_keys (
    account_id    bigint      NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    key           text        NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    request       text        NOT NULL,   -- method and path
    request_hash  bytea       NOT NULL,   -- SHA-256 of the body and query
    status        integer,                -- NULL while the first request runs
    response      text,
    created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (account_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
