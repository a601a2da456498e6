-- 0034_session_notify.sql - every change that revokes or alters a session NOTIFYs kaowu_session,
-- in the changing transaction, so the workers' session caches (lib/session_cache.c) drop it at once.
-- Payload 'a<account id>' drops that account's cached sessions; '*' drops every cached session.

CREATE FUNCTION kw_session_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'sessions' THEN
        PERFORM pg_notify('kaowu_session', 'a' || OLD.account_id);
    ELSIF TG_TABLE_NAME = 'accounts' THEN
        PERFORM pg_notify('kaowu_session', 'a' || OLD.id);
    ELSE
        PERFORM pg_notify('kaowu_session', '*');
    END IF;
    RETURN NULL;
END $$;

-- Logout, password change/reset, freeze, pruning: any session row that goes away.
CREATE TRIGGER sessions_notify_delete AFTER DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION kw_session_notify();
-- A session row rewritten other than by the forward last_seen touch (e.g. aged by hand).
CREATE TRIGGER sessions_notify_update AFTER UPDATE ON sessions
    FOR EACH ROW WHEN (NEW.last_seen < OLD.last_seen
                       OR NEW.created_at IS DISTINCT FROM OLD.created_at
                       OR NEW.account_id IS DISTINCT FROM OLD.account_id
                       OR NEW.csrf_token IS DISTINCT FROM OLD.csrf_token)
    EXECUTE FUNCTION kw_session_notify();
-- Freeze, role, name, org, must_change_password, password: anything the cache holds or implies.
CREATE TRIGGER accounts_notify AFTER UPDATE OR DELETE ON accounts
    FOR EACH ROW EXECUTE FUNCTION kw_session_notify();
-- An expert's org is an expert account's org.
CREATE TRIGGER experts_notify AFTER UPDATE OF org_id OR DELETE ON experts
    FOR EACH ROW EXECUTE FUNCTION kw_session_notify();
