-- 0020_grading.sql - phase 4 (R19-R21): the score-change trail, the three reports per batch item
-- (鉴定报告, 考评报告, 督导报告) and each assessor's / supervisor's confirmation.

-- Every change of a score after its first entry: who, when, old and new values, the reason.
CREATE TABLE score_changes (
    id              bigserial PRIMARY KEY,
    enrollment_id   bigint NOT NULL REFERENCES enrollments(id) ON DELETE CASCADE,
    item_id         bigint NOT NULL REFERENCES batch_items(id) ON DELETE CASCADE,
    at              timestamptz NOT NULL,
    actor_id        bigint REFERENCES accounts(id) ON DELETE SET NULL,
    actor           text   NOT NULL,
    old_theory      numeric(4, 1),
    old_practical   numeric(4, 1),
    old_absent      boolean NOT NULL,
    new_theory      numeric(4, 1),
    new_practical   numeric(4, 1),
    new_absent      boolean NOT NULL,
    reason          text   NOT NULL CHECK (reason <> '')
);
CREATE INDEX score_changes_item ON score_changes (item_id, at);
CREATE INDEX score_changes_enrollment ON score_changes (enrollment_id);

-- The reports of one batch item. kind: appraisal 鉴定报告 (the station), assessment 考评报告
-- (the chief assessor), supervision 督导报告 (the chief supervisor). body holds the form's fields.
CREATE TABLE item_reports (
    item_id     bigint NOT NULL REFERENCES batch_items(id) ON DELETE CASCADE,
    kind        text   NOT NULL CHECK (kind IN ('appraisal', 'assessment', 'supervision')),
    body        jsonb  NOT NULL,
    filed_by    bigint REFERENCES accounts(id) ON DELETE SET NULL,
    filed_name  text   NOT NULL,
    filed_at    timestamptz NOT NULL,
    PRIMARY KEY (item_id, kind)
);

-- 提交并确认: an assessor confirms the 考评报告, a supervisor the 督导报告, optionally with a comment.
CREATE TABLE report_confirmations (
    item_id     bigint NOT NULL REFERENCES batch_items(id) ON DELETE CASCADE,
    kind        text   NOT NULL CHECK (kind IN ('assessment', 'supervision')),
    expert_id   bigint NOT NULL REFERENCES experts(id),
    comment     text,
    at          timestamptz NOT NULL,
    PRIMARY KEY (item_id, kind, expert_id)
);
