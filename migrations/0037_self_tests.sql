-- 0037_self_tests.sql - 自评自测 (R28): a practice paper drawn for one candidate from the bank by the
-- center's paper scheme, its deadline kept here (the browser's clock is never trusted), the
-- answers given and the score (lib/selftest). Questions are copies, like papers' questions.

CREATE TABLE self_tests (
    id            bigserial PRIMARY KEY,
    account_id    bigint   NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    scheme_id     bigint   REFERENCES paper_schemes(id) ON DELETE SET NULL,
    occupation_id integer  NOT NULL REFERENCES occupations(id),
    level         smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
    minutes       integer  NOT NULL CHECK (minutes > 0),
    started_at    timestamptz NOT NULL,
    deadline      timestamptz NOT NULL,
    submitted_at  timestamptz,
    overtime      boolean  NOT NULL DEFAULT false,   -- 超时: submitted after deadline + 1 minute
    points        integer,                           -- 得分 (single 1, multi 2, judge 1)
    max_points    integer  NOT NULL,
    score         numeric(4,1),                      -- points out of 100
    correct       integer,                           -- questions answered right
    CHECK ((submitted_at IS NULL) = (score IS NULL)),
    CHECK (deadline > started_at)
);
CREATE INDEX self_tests_account ON self_tests (account_id, started_at DESC);

CREATE TABLE self_test_questions (
    self_test_id bigint  NOT NULL REFERENCES self_tests(id) ON DELETE CASCADE,
    seq          integer NOT NULL,                   -- 题号, the key of the submitted answers
    question_id  bigint  REFERENCES bank_questions(id) ON DELETE SET NULL,
    type         text    NOT NULL CHECK (type IN ('single', 'multi', 'judge')),
    kind         text    NOT NULL CHECK (kind IN ('basic', 'related')),
    stem         text    NOT NULL,
    options      text[]  NOT NULL DEFAULT '{}',
    answer       text    NOT NULL,
    given        text,                               -- the candidate's answer, NULL: none
    is_right     boolean,
    PRIMARY KEY (self_test_id, seq)
);
CREATE INDEX self_test_questions_question ON self_test_questions (question_id);
