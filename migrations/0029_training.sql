-- 0029_training.sql - 考评管理人员培训 (lib/training): a station's (or level-2 org's) training
-- application, its review (level-2 org if any, then the center; the state table is
-- lib/training.c on the workflow engine), the center's schedule, and the trail.

-- status: draft (created, submitted at once) -> level2_review (等待 {二级机构} 审核) | center_review -> approved | rejected (resubmittable)
-- -> scheduled (the center set date and place).
CREATE TABLE trainings (
    id              bigserial PRIMARY KEY,
    org_id          bigint  NOT NULL REFERENCES orgs(id),
    kind            text    NOT NULL CHECK (length(kind) BETWEEN 1 AND 50),    -- 类型
    train_time      text    NOT NULL CHECK (length(train_time) BETWEEN 1 AND 100), -- 培训时间
    category        text    NOT NULL CHECK (category IN ('assessor', 'senior_assessor', 'manager')),
    place           text    NOT NULL,   -- 地点
    headcount       integer NOT NULL CHECK (headcount BETWEEN 1 AND 10000), -- 人数
    source          text,               -- 考生来源
    refresh_percent integer CHECK (refresh_percent BETWEEN 0 AND 100),    -- 知识更新学员占比 %
    other           text,               -- 其他
    status          text    NOT NULL CHECK (status IN ('draft', 'level2_review', 'center_review', 'approved',
                                                       'rejected', 'scheduled')),
    level2_org_id   bigint  REFERENCES orgs(id),
    rejected_by     text    CHECK (rejected_by IN ('level2', 'center')),
    last_comment    text,
    scheduled_date  date,
    scheduled_place text,
    created_by      bigint  NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX trainings_org ON trainings (org_id, updated_at DESC);
CREATE INDEX trainings_status ON trainings (status, updated_at DESC);

CREATE TABLE training_occupations (
    training_id   bigint  NOT NULL REFERENCES trainings(id) ON DELETE CASCADE,
    occupation_id integer NOT NULL REFERENCES occupations(id),
    PRIMARY KEY (training_id, occupation_id)
);

CREATE TABLE training_trail (
    id          bigserial PRIMARY KEY,
    training_id bigint NOT NULL REFERENCES trainings(id) ON DELETE CASCADE,
    at          timestamptz NOT NULL,
    actor_id    bigint,
    actor_name  text   NOT NULL,
    action      text   NOT NULL,
    from_status text   NOT NULL,
    to_status   text   NOT NULL,
    comment     text
);
CREATE INDEX training_trail_training ON training_trail (training_id, at, id);
