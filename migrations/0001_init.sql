-- 0001_init.sql - the platform's first schema: uploaded files live in the database
-- (DESIGN.md section 1), so a backup of the database is a backup of everything.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE files (
    id          bigserial PRIMARY KEY,
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    mime        text        NOT NULL,
    size        integer     NOT NULL CHECK (size >= 0),
    sha256      text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    bytes       bytea       NOT NULL,
    created_by  bigint,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX files_sha256 ON files (sha256);
