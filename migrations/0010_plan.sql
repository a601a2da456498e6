-- 0010_plan.sql - annual plans (年度计划管理, R1-R3): a plan of an org, one item per occupation x
-- level x category, and the trail of its review (审批流程). The workflow itself (which status
-- follows which action by whom) is the state table in lib/plan.c.

-- status: draft (草稿) -> level2_review (等待 {二级机构} 审核) -> center_review (等待中心工作人员审核)
-- -> approved (审核通过); a reject at either review -> rejected (editable, resubmittable).
-- code: 14 + the first submission's time to the second (Beijing time) + 3 digits, e.g.
-- 1420190409105244284; NULL while the plan was never submitted.
CREATE TABLE plans (
    id             bigserial PRIMARY KEY,
    org_id         bigint  NOT NULL REFERENCES orgs(id),
    code           text    UNIQUE CHECK (code ~ '^14[0-9]{17}$'),
    year           integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    status         text    NOT NULL DEFAULT 'draft'
                   CHECK (status IN ('draft', 'level2_review', 'center_review', 'approved', 'rejected')),
    level2_org_id  bigint  REFERENCES orgs(id),   -- the level-2 reviewer of the last submission, if any
    rejected_by    text    CHECK (rejected_by IN ('level2', 'center')),
    last_comment   text,                          -- the comment of the last decision
    created_by     bigint  NOT NULL,
    created_at     timestamptz NOT NULL,
    submitted_at   timestamptz,                   -- the last submission
    updated_at     timestamptz NOT NULL,          -- 操作时间: the last change or decision
    CHECK ((status = 'draft') OR code IS NOT NULL),
    CHECK ((status = 'rejected') = (rejected_by IS NOT NULL))
);
CREATE INDEX plans_org ON plans (org_id, updated_at DESC);
CREATE INDEX plans_status ON plans (status, updated_at DESC);
CREATE INDEX plans_year ON plans (year, status);

-- R1: one row per occupation x level (x category) of a plan.
CREATE TABLE plan_items (
    id                   bigserial PRIMARY KEY,
    plan_id              bigint   NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    pos                  smallint NOT NULL,
    category             text     NOT NULL CHECK (category IN ('national', 'industry')),
    level                smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
    occupation_id        integer  NOT NULL REFERENCES occupations(id),
    count                integer  NOT NULL CHECK (count >= 1),
    train_theory_date    date     NOT NULL,
    train_practical_date date     NOT NULL,
    exam_theory_date     date     NOT NULL,
    exam_practical_date  date     NOT NULL,
    standard_equipped    boolean  NOT NULL,
    UNIQUE (plan_id, category, occupation_id, level),
    UNIQUE (plan_id, pos)
);
CREATE INDEX plan_items_occupation ON plan_items (occupation_id, level);

-- 审批流程: submit / approve / reject, with the actor as they were named then.
CREATE TABLE plan_trail (
    id          bigserial PRIMARY KEY,
    plan_id     bigint NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    at          timestamptz NOT NULL,
    actor_id    bigint,
    actor_name  text   NOT NULL,
    action      text   NOT NULL CHECK (action IN ('submit', 'approve', 'reject')),
    from_status text   NOT NULL,
    to_status   text   NOT NULL,
    comment     text
);
CREATE INDEX plan_trail_plan ON plan_trail (plan_id, at, id);
