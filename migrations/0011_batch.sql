-- 0011_batch.sql - batches (鉴定批次, R4-R12, R25): a station's batch, one item per occupation x
-- level x category with its assessors and supervisors, the trail of its life (审批流程及意见) and
-- the per-org-and-year counter of R12's names. Which status follows which action by whom is the
-- state table in lib/batch.c; the CHECK below lists every status of the whole life (six phases).

-- R12: n of "{org name}{year}年第{n}次鉴定", counted per org and year (a row lock makes it safe).
CREATE TABLE batch_counters (
    org_id  bigint   NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    year    smallint NOT NULL,
    n       integer  NOT NULL,
    PRIMARY KEY (org_id, year)
);

-- code: 14 + the first submission's time to the second (Beijing time) + 3 digits, e.g.
-- 1420190410134331725; NULL while the batch was never submitted.
-- status_param: the {org} of the status text (the level-2 reviewer waited for, or who rejected).
CREATE TABLE batches (
    id            bigserial PRIMARY KEY,
    org_id        bigint   NOT NULL REFERENCES orgs(id),
    year          smallint NOT NULL,
    seq           integer  NOT NULL CHECK (seq >= 1),
    name          text     NOT NULL,
    code          text     UNIQUE CHECK (code ~ '^14[0-9]{17}$'),
    status        text     NOT NULL DEFAULT 'draft' CHECK (status IN (
                      'draft', 'app_org2', 'app_staff', 'app_director', 'app_rejected',
                      'registering', 'reg_org2', 'reg_staff', 'reg_director', 'reg_rejected',
                      'examining', 'score_org2', 'score_staff', 'score_director', 'score_rejected',
                      'certifying', 'certified', 'shipped', 'received')),
    status_param  text,
    created_by    bigint   REFERENCES accounts(id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,      -- 操作时间: the last change or decision
    submitted_at  timestamptz,               -- the last submission of the application
    approved_at   timestamptz,               -- the director's approval (资质审核通过)
    UNIQUE (org_id, year, seq),
    CHECK (status = 'draft' OR code IS NOT NULL)
);
CREATE INDEX batches_org ON batches (org_id, updated_at DESC);
CREATE INDEX batches_status ON batches (status, updated_at DESC);
CREATE INDEX batches_updated ON batches (updated_at DESC, id DESC);

-- R4: one row per occupation (+ direction) x level x category of a batch.
CREATE TABLE batch_items (
    id                  bigserial PRIMARY KEY,
    batch_id            bigint   NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
    pos                 smallint NOT NULL,
    category            text     NOT NULL CHECK (category IN ('national', 'industry')),
    in_annual_plan      boolean  NOT NULL,
    dual_cert           boolean  NOT NULL CHECK (NOT dual_cert OR category = 'national'),
    exam_date           date     NOT NULL,
    level               smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
    occupation_id       integer  NOT NULL REFERENCES occupations(id),
    direction_id        integer  REFERENCES occupations(id),
    count               integer  NOT NULL CHECK (count BETWEEN 1 AND 100),
    standard_equipped   boolean  NOT NULL,
    chief_assessor_id   bigint   NOT NULL REFERENCES experts(id),
    chief_supervisor_id bigint   REFERENCES experts(id),
    syllabus_file_id    bigint   REFERENCES files(id),
    UNIQUE (batch_id, pos)
);
CREATE INDEX batch_items_batch ON batch_items (batch_id, pos);
CREATE INDEX batch_items_occupation ON batch_items (occupation_id, level);
CREATE INDEX batch_items_chief_assessor ON batch_items (chief_assessor_id);
CREATE INDEX batch_items_chief_supervisor ON batch_items (chief_supervisor_id);

-- The assessors (考评员) and supervisors (督导员) of an item, in the order chosen.
CREATE TABLE batch_item_experts (
    item_id    bigint   NOT NULL REFERENCES batch_items(id) ON DELETE CASCADE,
    role       text     NOT NULL CHECK (role IN ('assessor', 'supervisor')),
    expert_id  bigint   NOT NULL REFERENCES experts(id),
    pos        smallint NOT NULL,
    PRIMARY KEY (item_id, role, expert_id)
);
CREATE INDEX batch_item_experts_expert ON batch_item_experts (expert_id);

-- 审批流程及意见: every transition and every reassignment, with the actor as named then and the
-- line as the manual shows it (text, without the time).
CREATE TABLE batch_trail (
    id          bigserial PRIMARY KEY,
    batch_id    bigint NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
    item_id     bigint,                      -- reassignments: the item (no FK: items of a rejected
                                             -- batch are replaced when it is edited)
    at          timestamptz NOT NULL,
    actor_id    bigint,
    actor       text   NOT NULL,
    action      text   NOT NULL,
    from_status text   NOT NULL,
    to_status   text   NOT NULL,
    comment     text,
    text        text   NOT NULL,
    detail      jsonb
);
CREATE INDEX batch_trail_batch ON batch_trail (batch_id, at, id);
