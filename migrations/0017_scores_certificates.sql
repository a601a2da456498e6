-- 0017_scores_certificates.sql - the two tables later phases share: one score row per
-- enrollment (phase 4, R19; written by the grading module) and the certificate register
-- (phases 5-6 and 证书数据管理, R22, R23, R26; written by the certificate module). Each module
-- may add columns in its own migrations; the columns here are the contract the others read.

-- 成绩: 准考证号, the two scores (0-100, one decimal), 缺考, and the grade computed from the
-- lower score (R19). grade: fail 不合格, pass 合格, good 良好, excellent 优秀, absent 缺考.
CREATE TABLE scores (
    enrollment_id   bigint PRIMARY KEY REFERENCES enrollments(id) ON DELETE CASCADE,
    item_id         bigint NOT NULL REFERENCES batch_items(id) ON DELETE CASCADE,
    ticket_no       text   UNIQUE,
    theory_score    numeric(4, 1) CHECK (theory_score BETWEEN 0 AND 100),
    practical_score numeric(4, 1) CHECK (practical_score BETWEEN 0 AND 100),
    absent          boolean NOT NULL DEFAULT false,
    grade           text CHECK (grade IN ('fail', 'pass', 'good', 'excellent', 'absent')),
    updated_by      bigint REFERENCES accounts(id) ON DELETE SET NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX scores_item ON scores (item_id);

-- 证书: one row per certificate issued (a dual-certificate candidate of a national item has
-- two: category national and industry). cert_no per R23.
CREATE TABLE certificates (
    id            bigserial PRIMARY KEY,
    cert_no       text     NOT NULL UNIQUE CHECK (cert_no ~ '^[0-9]{19}$'),
    enrollment_id bigint   REFERENCES enrollments(id),
    batch_id      bigint   REFERENCES batches(id),
    org_id        bigint   NOT NULL REFERENCES orgs(id),
    category      text     NOT NULL CHECK (category IN ('national', 'industry')),
    level         smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
    occupation_id integer  NOT NULL REFERENCES occupations(id),
    direction_id  integer  REFERENCES occupations(id),
    holder_name   text     NOT NULL,
    id_number     text     NOT NULL,
    grade         text     NOT NULL CHECK (grade IN ('pass', 'good', 'excellent')),
    issued_on     date     NOT NULL,
    created_at    timestamptz NOT NULL
);
CREATE INDEX certificates_id_number ON certificates (id_number);
CREATE INDEX certificates_org_issued ON certificates (org_id, issued_on DESC, id DESC);
CREATE INDEX certificates_issued ON certificates (issued_on DESC, id DESC);
CREATE INDEX certificates_batch ON certificates (batch_id);
