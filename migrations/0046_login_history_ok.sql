-- 0046_login_history_ok.sql - every login counts the failures since the account's last
-- successful login (lib/auth.c auth_fails_account: max(at) … WHERE kind, username AND ok). The
-- partial indexes of 0002 cover only failures, so that subquery read the whole login history,
-- which grows by one row per login (docs/performance.md, "EXPLAIN at volume").
CREATE INDEX login_history_user_ok ON login_history (kind, username, at DESC) WHERE ok;
