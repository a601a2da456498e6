-- 0040_session_ends.sql - why a session was ended by someone else (its org was frozen), kept for
-- one absolute session lifetime, so that the next request with that cookie is told
-- "账号已被冻结" instead of "登录已过期" (lib/auth.c auth_session_gone; issue 15 item 7).

CREATE TABLE session_ends (
    token_hash  bytea PRIMARY KEY,
    reason      text NOT NULL CHECK (reason IN ('frozen')),
    at          timestamptz NOT NULL
);
CREATE INDEX session_ends_at ON session_ends (at);
