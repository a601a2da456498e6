-- 0002_identity.sql - reference data, organisations, experts, candidates, accounts, sessions,
-- login history, password resets, the mail outbox and the append-only audit log.

-- ---------------------------------------------------------------- reference data

-- Occupations (职业/工种) of the manual's list; a direction (职业方向, e.g. 汽车发动机装调工)
-- points at its occupation through parent_id. aliases: other spellings search and imports accept.
CREATE TABLE occupations (
    id          serial PRIMARY KEY,
    name        text       NOT NULL UNIQUE,
    parent_id   integer    REFERENCES occupations(id),
    aliases     text[]     NOT NULL DEFAULT '{}',
    levels      smallint[] NOT NULL DEFAULT '{1,2,3,4,5}',
    categories  text[]     NOT NULL DEFAULT '{national,industry}',
    sort        integer    NOT NULL,
    CHECK (levels <@ '{1,2,3,4,5}'::smallint[] AND cardinality(levels) > 0),
    CHECK (categories <@ '{national,industry}'::text[] AND cardinality(categories) > 0)
);
CREATE INDEX occupations_parent ON occupations (parent_id);

-- China's administrative regions, GB/T 2260 codes (province -> city -> district);
-- the rows come from a maintained data package (see migrations/0004_regions.sql).
CREATE TABLE regions (
    code        char(6)  PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
    name        text     NOT NULL,
    parent_code char(6)  REFERENCES regions(code),
    level       smallint NOT NULL CHECK (level BETWEEN 1 AND 3)
);
CREATE INDEX regions_parent ON regions (parent_code);

-- ---------------------------------------------------------------- organisations

-- The institution tree: the center -> level-2 orgs -> stations (a station may hang
-- directly under the center). Field names follow the manual's 机构信息 page.
CREATE TABLE orgs (
    id            bigserial PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('center', 'level2', 'station')),
    org_type      text NOT NULL,              -- 机构类别: 中心 / 分中心 / 管理站 / 实训基地 / 鉴定站 / 评价机构
    name          text NOT NULL UNIQUE CHECK (length(name) BETWEEN 2 AND 100),
    code          text NOT NULL UNIQUE CHECK (code ~ '^[0-9]{8}$'),
    parent_id     bigint REFERENCES orgs(id),
    builder       text,                       -- 承建单位
    leader_name   text,                       -- 负责人姓名
    contact_name  text,                       -- 联系人
    phone         text,
    email         text,
    postcode      text CHECK (postcode IS NULL OR postcode ~ '^[0-9]{6}$'),
    address       text,
    valid_until   date,                       -- 有效期至
    region_code   char(6) REFERENCES regions(code), -- 区域范围
    frozen        boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'center') = (parent_id IS NULL))
);
CREATE INDEX orgs_parent ON orgs (parent_id);

-- Approved scope (批复范围): which occupations an org may assess, per category.
CREATE TABLE org_scopes (
    org_id        bigint  NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    category      text    NOT NULL CHECK (category IN ('national', 'industry')),
    occupation_id integer NOT NULL REFERENCES occupations(id),
    PRIMARY KEY (org_id, category, occupation_id)
);

-- 机构信息 change requests: applied only after the center approves.
CREATE TABLE org_change_requests (
    id            bigserial PRIMARY KEY,
    org_id        bigint NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    requested_by  bigint NOT NULL,
    changes       jsonb  NOT NULL,            -- {"leader_name": "...", "phone": "...", ...}
    reason        text   NOT NULL,            -- 变更缘由
    leader_resume text,                       -- 负责人简历 (required when the leader changes)
    status        text   NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    created_at    timestamptz NOT NULL,
    decided_by    bigint,
    decided_at    timestamptz,
    comment       text
);
CREATE INDEX org_change_requests_org ON org_change_requests (org_id, created_at DESC);
CREATE UNIQUE INDEX org_change_requests_one_pending ON org_change_requests (org_id) WHERE status = 'pending';

-- ---------------------------------------------------------------- people

-- Assessors (考评员 / 高级考评员) and supervisors (督导员).
CREATE TABLE experts (
    id          bigserial PRIMARY KEY,
    name        text   NOT NULL,
    id_number   text   NOT NULL UNIQUE CHECK (id_number ~ '^[0-9]{17}[0-9X]$'),
    role        text   NOT NULL CHECK (role IN ('assessor', 'supervisor')),
    org_id      bigint NOT NULL REFERENCES orgs(id),
    phone       text,
    email       text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX experts_org ON experts (org_id);

CREATE TABLE expert_certificates (
    id          bigserial PRIMARY KEY,
    expert_id   bigint NOT NULL REFERENCES experts(id) ON DELETE CASCADE,
    category    text   NOT NULL CHECK (category IN ('national', 'industry')),
    cert_no     text   NOT NULL UNIQUE,
    type        text   NOT NULL CHECK (type IN ('assessor', 'senior_assessor', 'supervisor')),
    issued_on   date   NOT NULL,
    valid_until date   NOT NULL CHECK (valid_until >= issued_on),
    org_id      bigint NOT NULL REFERENCES orgs(id)
);
CREATE INDEX expert_certificates_expert ON expert_certificates (expert_id);

CREATE TABLE expert_certificate_occupations (
    certificate_id bigint  NOT NULL REFERENCES expert_certificates(id) ON DELETE CASCADE,
    occupation_id  integer NOT NULL REFERENCES occupations(id),
    PRIMARY KEY (certificate_id, occupation_id)
);
CREATE INDEX expert_certificate_occupations_occ ON expert_certificate_occupations (occupation_id);

-- Self-registered candidates (考生). ID number and username are never editable.
CREATE TABLE candidates (
    id          bigserial PRIMARY KEY,
    id_number   text NOT NULL UNIQUE CHECK (id_number ~ '^[0-9]{17}[0-9X]$'),
    real_name   text NOT NULL,
    sex         char(1) NOT NULL CHECK (sex IN ('M', 'F')),
    birth_date  date NOT NULL,
    email       text NOT NULL,
    phone       text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- ---------------------------------------------------------------- accounts and sessions

-- Every login: org accounts (kind org: stations, level-2 orgs, center staff and director),
-- experts (kind assessor / supervisor, username = ID number) and candidates.
CREATE TABLE accounts (
    id                   bigserial PRIMARY KEY,
    kind                 text NOT NULL CHECK (kind IN ('org', 'assessor', 'supervisor', 'candidate')),
    username             text NOT NULL,
    role                 text NOT NULL CHECK (role IN ('center_staff', 'center_director', 'org2',
                                                      'station', 'assessor', 'supervisor', 'candidate')),
    display_name         text NOT NULL,
    org_id               bigint REFERENCES orgs(id),
    expert_id            bigint REFERENCES experts(id) ON DELETE CASCADE,
    candidate_id         bigint REFERENCES candidates(id) ON DELETE CASCADE,
    email                text,
    password_hash        text NOT NULL,
    must_change_password boolean NOT NULL DEFAULT true,
    frozen               boolean NOT NULL DEFAULT false,
    created_at           timestamptz NOT NULL DEFAULT now(),
    password_changed_at  timestamptz,
    UNIQUE (kind, username),
    CHECK ((role IN ('center_staff', 'center_director', 'org2', 'station')) = (org_id IS NOT NULL AND kind = 'org')),
    CHECK ((role IN ('assessor', 'supervisor')) = (expert_id IS NOT NULL)),
    CHECK ((role = 'candidate') = (candidate_id IS NOT NULL))
);
CREATE INDEX accounts_org ON accounts (org_id);

-- Sessions: only the SHA-256 of the cookie's token is kept. Times are the business clock's.
CREATE TABLE sessions (
    token_hash   bytea  PRIMARY KEY,
    account_id   bigint NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    csrf_token   text   NOT NULL,
    created_at   timestamptz NOT NULL,
    last_seen    timestamptz NOT NULL,
    ip           text
);
CREATE INDEX sessions_account ON sessions (account_id);

-- Every login attempt, successful or not (登录历史), also the source of throttling.
CREATE TABLE login_history (
    id          bigserial PRIMARY KEY,
    account_id  bigint REFERENCES accounts(id) ON DELETE SET NULL,
    kind        text NOT NULL,
    username    text NOT NULL,
    ip          text NOT NULL,
    at          timestamptz NOT NULL,
    ok          boolean NOT NULL,
    reason      text
);
CREATE INDEX login_history_account ON login_history (account_id, at DESC);
CREATE INDEX login_history_user ON login_history (kind, username, at DESC) WHERE NOT ok;
CREATE INDEX login_history_ip ON login_history (ip, at DESC) WHERE NOT ok;

-- 找回密码: single-use tokens, kept hashed.
CREATE TABLE password_resets (
    token_hash  bytea  PRIMARY KEY,
    account_id  bigint NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);

-- Mail waiting for the mailer (written in the transaction that decides to send it).
CREATE TABLE mail_outbox (
    id          bigserial PRIMARY KEY,
    to_addr     text NOT NULL,
    subject     text NOT NULL,
    body        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz,
    attempts    integer NOT NULL DEFAULT 0,
    last_error  text
);
CREATE INDEX mail_outbox_pending ON mail_outbox (id) WHERE sent_at IS NULL;

-- ---------------------------------------------------------------- audit

-- One row per change, written in the same transaction as the change. Append-only.
CREATE TABLE audit_log (
    id           bigserial PRIMARY KEY,
    at           timestamptz NOT NULL,
    actor_id     bigint,
    actor_name   text,
    role         text,
    action       text NOT NULL,
    object_type  text,
    object_id    bigint,
    detail       jsonb,
    ip           text
);
CREATE INDEX audit_log_at ON audit_log (at DESC);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = '42501';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
