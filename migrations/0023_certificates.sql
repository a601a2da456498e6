-- 0023_certificates.sql - the certificate module's own tables and columns (R22, R23, R26, issue 12):
-- the gap-free serial counters of R23, the public halves of the certificate signing keys (the
-- private halves live in files outside the database), each certificate's signature, the indexes
-- of 证书数据管理's filters, and the per-address counters of the public query's rate limit.

-- R23: the 8-digit serial per (year, category, org). The issuing transaction bumps the row with
-- INSERT ... ON CONFLICT DO UPDATE, which keeps it locked until COMMIT: a second batch issued at
-- the same moment waits, so the serials stay gap-free and unique.
CREATE TABLE cert_counters (
    year     smallint NOT NULL,
    category text     NOT NULL CHECK (category IN ('national', 'industry')),
    org_id   bigint   NOT NULL REFERENCES orgs(id),
    n        integer  NOT NULL CHECK (n BETWEEN 1 AND 99999999),
    PRIMARY KEY (year, category, org_id)
);

-- Ed25519 public keys, one per key id; never deleted, so a rotated key still verifies the
-- certificates it signed. The newest key whose private file exists signs new certificates.
CREATE TABLE cert_keys (
    kid        text PRIMARY KEY CHECK (kid ~ '^[a-z0-9-]{1,32}$'),
    public_key text NOT NULL CHECK (public_key ~ '^[0-9a-f]{64}$'),
    created_at timestamptz NOT NULL
);

-- The signature (hex) over "cert_no|holder_name|occupation|level|issued_on|kid" and its key.
ALTER TABLE certificates
    ADD COLUMN kid       text REFERENCES cert_keys(kid),
    ADD COLUMN signature text CHECK (signature ~ '^[0-9a-f]{128}$');

-- One certificate per enrollment and category (a repeated issue cannot double them).
CREATE UNIQUE INDEX certificates_enrollment_category ON certificates (enrollment_id, category);

-- 证书数据管理 (R26): which index serves which filter (each keeps issued_on DESC for the order):
--   cert_no    certificates_cert_no_key (UNIQUE of 0017)      id_number  certificates_id_number
--   name       certificates_holder                           org_id     certificates_org_issued
--   occupation (+ level) certificates_occupation              level      certificates_level
--   from / to  certificates_issued                            batch      certificates_batch
CREATE INDEX certificates_holder ON certificates (holder_name, issued_on DESC);
CREATE INDEX certificates_occupation ON certificates (occupation_id, level, issued_on DESC);
CREATE INDEX certificates_level ON certificates (level, issued_on DESC);

-- The public queries' rate limit (a token bucket per address, real time, not the business clock):
-- tokens left and when they were counted (unix seconds). Rows idle for a day are dropped.
CREATE TABLE public_query_hits (
    bucket text   NOT NULL,
    ip     text   NOT NULL,
    tokens float8 NOT NULL,
    at     float8 NOT NULL,
    PRIMARY KEY (bucket, ip)
);
