-- 0008_message.sql - 站内信 (site messages): notices of decisions and of work waiting, with a
-- deep link (点击进入). A message goes to one account, or to an org (optionally only to one
-- role of it, e.g. the center's director).

CREATE TABLE messages (
    id          bigserial PRIMARY KEY,
    org_id      bigint REFERENCES orgs(id) ON DELETE CASCADE,
    role        text,
    account_id  bigint REFERENCES accounts(id) ON DELETE CASCADE,
    text        text NOT NULL CHECK (length(text) BETWEEN 1 AND 500),
    link        text CHECK (link IS NULL OR link ~ '^/app/'),
    created_at  timestamptz NOT NULL,
    read_at     timestamptz,
    CHECK (org_id IS NOT NULL OR account_id IS NOT NULL)
);
CREATE INDEX messages_org ON messages (org_id, created_at DESC);
CREATE INDEX messages_account ON messages (account_id, created_at DESC);
