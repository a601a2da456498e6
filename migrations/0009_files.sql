-- 0009_files.sql - what the upload module (lib/file) adds to the files table of 0001_init.sql:
-- the kind recognised from the content, the uploading org (whose scope may read the file) and
-- the uploading account.

ALTER TABLE files
    ADD COLUMN kind   text CHECK (kind IN ('doc', 'docx', 'xlsx', 'jpg', 'png')),
    ADD COLUMN org_id bigint REFERENCES orgs(id);
ALTER TABLE files ADD CONSTRAINT files_created_by_fkey
    FOREIGN KEY (created_by) REFERENCES accounts(id) ON DELETE SET NULL;
CREATE INDEX files_org ON files (org_id);
CREATE INDEX files_created_by ON files (created_by);
