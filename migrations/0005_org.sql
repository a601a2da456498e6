-- 0005_org.sql - what the org module and the audit viewer add to 0002_identity.sql.

-- The values a change request replaces, as they were when it was filed, so the center's
-- review shows old and new side by side even after the org changed ({"phone": "010-…", …}).
ALTER TABLE org_change_requests ADD COLUMN previous jsonb NOT NULL DEFAULT '{}';
CREATE INDEX org_change_requests_status ON org_change_requests (status, created_at DESC);

-- The audit viewer filters by actor and by action, newest first.
CREATE INDEX audit_log_actor ON audit_log (actor_id, at DESC);
CREATE INDEX audit_log_action ON audit_log (action, at DESC);
