-- 0012_bank.sql - 题库管理: the question bank (我的题库), paper schemes (组卷方案) and the
-- theory papers generated from them (lib/paper; DESIGN.md R16, R17, R27, R28).

-- One question of an org's bank for one occupation (or direction) and level.
-- options: 2..4 texts for single/multi, none for judge (R16). answer: 'A'..'D' (single),
-- letters joined by ',' in order (multi, e.g. 'A,C,D'), '对' or '错' (judge).
-- norm: stem and options normalised (white space dropped, full-width ASCII folded, CJK
-- punctuation mapped to ASCII) and joined by U+001F: the exact-duplicate key (unique per
-- bank) and the text the trigram similarity of near-duplicates is computed on.
-- near_of / similarity: the existing question an imported one resembled and pg_trgm's
-- similarity of their norms (flagged, R27).
CREATE TABLE bank_questions (
    id            bigserial PRIMARY KEY,
    org_id        bigint   NOT NULL REFERENCES orgs(id),
    occupation_id integer  NOT NULL REFERENCES occupations(id),
    level         smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
    type          text     NOT NULL CHECK (type IN ('single', 'multi', 'judge')),
    kind          text     NOT NULL CHECK (kind IN ('basic', 'related')),
    stem          text     NOT NULL CHECK (length(stem) BETWEEN 1 AND 2000),
    options       text[]   NOT NULL DEFAULT '{}',
    answer        text     NOT NULL,
    norm          text     NOT NULL,
    near_of       bigint   REFERENCES bank_questions(id) ON DELETE SET NULL,
    similarity    real,
    import_id     bigint,
    created_by    bigint,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz,
    CHECK ((type = 'judge') = (cardinality(options) = 0)),
    CHECK (type = 'judge' OR cardinality(options) BETWEEN 2 AND 4),
    CHECK (CASE type WHEN 'single' THEN answer ~ '^[A-D]$'
                     WHEN 'multi' THEN answer ~ '^[A-D](,[A-D]){1,3}$'
                     ELSE answer IN ('对', '错') END)
);
-- Exact duplicates: one per bank (org x occupation x level). The same index serves every
-- lookup of a bank (list, statistics, the pool a paper is drawn from).
CREATE UNIQUE INDEX bank_questions_norm ON bank_questions (org_id, occupation_id, level, md5(norm));
CREATE INDEX bank_questions_near ON bank_questions (near_of) WHERE near_of IS NOT NULL;
CREATE INDEX bank_questions_near_import ON bank_questions (import_id) WHERE near_of IS NOT NULL;
-- Search on the stem: ILIKE '%…%' over trigrams (Chinese has no word boundaries to tokenise).
-- Near-duplicates are found at import time from the bank's norms (lib/paper_near.c prunes,
-- pg_trgm's similarity() decides), which needs no index of its own.
CREATE INDEX bank_questions_stem_trgm ON bank_questions USING gin (stem gin_trgm_ops);

-- One import (a file taken into the bank): what it brought, for the audit trail.
CREATE TABLE bank_imports (
    id              bigserial PRIMARY KEY,
    org_id          bigint   NOT NULL REFERENCES orgs(id),
    occupation_id   integer  NOT NULL REFERENCES occupations(id),
    level           smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
    file_sha256     text     NOT NULL,
    rows            integer  NOT NULL,
    imported        integer  NOT NULL,
    duplicates      integer  NOT NULL,
    near_duplicates integer  NOT NULL,
    created_by      bigint,
    created_at      timestamptz NOT NULL
);
CREATE INDEX bank_imports_org ON bank_imports (org_id, created_at DESC);

-- 组卷方案: how many questions of each type and kind a paper takes, and the time allowed (R28).
CREATE TABLE paper_schemes (
    id             bigserial PRIMARY KEY,
    org_id         bigint   NOT NULL REFERENCES orgs(id),
    occupation_id  integer  NOT NULL REFERENCES occupations(id),
    level          smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
    minutes        integer  NOT NULL CHECK (minutes BETWEEN 1 AND 600),
    single_basic   integer  NOT NULL CHECK (single_basic >= 0),
    single_related integer  NOT NULL CHECK (single_related >= 0),
    multi_basic    integer  NOT NULL CHECK (multi_basic >= 0),
    multi_related  integer  NOT NULL CHECK (multi_related >= 0),
    judge_basic    integer  NOT NULL CHECK (judge_basic >= 0),
    judge_related  integer  NOT NULL CHECK (judge_related >= 0),
    created_by     bigint,
    created_at     timestamptz NOT NULL
);
CREATE INDEX paper_schemes_org ON paper_schemes (org_id, created_at DESC);

-- A theory paper: generated from a scheme (source 'scheme'), or later uploaded for a batch
-- item (source 'upload', R18). Its questions are copies, so editing or deleting bank
-- questions never changes a paper already made.
CREATE TABLE papers (
    id             bigserial PRIMARY KEY,
    org_id         bigint   NOT NULL REFERENCES orgs(id),
    source         text     NOT NULL DEFAULT 'scheme' CHECK (source IN ('scheme', 'upload')),
    scheme_id      bigint   REFERENCES paper_schemes(id) ON DELETE SET NULL,
    occupation_id  integer  NOT NULL REFERENCES occupations(id),
    level          smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
    minutes        integer,
    title          text     NOT NULL,
    set_no         integer  NOT NULL DEFAULT 1 CHECK (set_no >= 1),
    created_by     bigint,
    created_at     timestamptz NOT NULL
);
CREATE INDEX papers_org ON papers (org_id, created_at DESC);
CREATE INDEX papers_scheme ON papers (scheme_id);

CREATE TABLE paper_questions (
    id           bigserial PRIMARY KEY,
    paper_id     bigint  NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    seq          integer NOT NULL,
    question_id  bigint  REFERENCES bank_questions(id) ON DELETE SET NULL,
    type         text    NOT NULL CHECK (type IN ('single', 'multi', 'judge')),
    kind         text    NOT NULL CHECK (kind IN ('basic', 'related')),
    stem         text    NOT NULL,
    options      text[]  NOT NULL DEFAULT '{}',
    answer       text    NOT NULL,
    UNIQUE (paper_id, seq),
    UNIQUE (paper_id, question_id)
);
CREATE INDEX paper_questions_question ON paper_questions (question_id);
