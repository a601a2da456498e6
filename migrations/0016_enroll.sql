-- 0016_enroll.sql - candidate enrollment (考试报名, R13-R14): one enrollment per candidate per
-- batch item with every field of the manual's form (⑤-⑩), its work/study history rows, the
-- uploads (photo, ID card, prior certificate, student card, stamped forms) and the station's
-- rejection.

CREATE TABLE enrollments (
    id                   bigserial PRIMARY KEY,
    candidate_id         bigint   NOT NULL REFERENCES candidates(id),
    account_id           bigint   NOT NULL REFERENCES accounts(id),
    item_id              bigint   NOT NULL REFERENCES batch_items(id) ON DELETE CASCADE,
    batch_id             bigint   NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
    org_id               bigint   NOT NULL REFERENCES orgs(id),     -- the batch's station
    -- fixed from the account at submission (the form never carries them)
    real_name            text     NOT NULL,
    id_number            text     NOT NULL,
    phone                text     NOT NULL,
    identity             text     NOT NULL CHECK (identity IN ('employed', 'student')),
    education            text     NOT NULL,                         -- 文化程度
    employer             text,                                      -- 工作单位
    employer_type        text,                                      -- 单位性质
    occupation_now       text,                                      -- 当前从事职业
    work_start           date,                                      -- 参加工作时间
    years_in_trade       smallint CHECK (years_in_trade BETWEEN 0 AND 60), -- 本工种工龄
    school               text,                                      -- 就读学校
    major                text,                                      -- 专业
    enrolled_on          date,                                      -- 入学时间
    prior_level          smallint CHECK (prior_level BETWEEN 1 AND 5),
    prior_name           text,
    prior_no             text CHECK (prior_no ~ '^([0-9]{16}|[0-9]{19})$'),
    prior_issuer         text,
    prior_file_id        bigint REFERENCES files(id),
    photo_file_id        bigint NOT NULL REFERENCES files(id),
    id_card_file_id      bigint NOT NULL REFERENCES files(id),
    student_card_file_id bigint REFERENCES files(id),
    condition            text   NOT NULL CHECK (condition IN ('1', '2', '3', '4', 'other')),
    condition_other      text,
    dual_cert            boolean NOT NULL DEFAULT false,
    status               text   NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'rejected')),
    reject_reason        text,
    rejected_by          bigint REFERENCES accounts(id) ON DELETE SET NULL,
    rejected_by_name     text,
    rejected_at          timestamptz,
    created_at           timestamptz NOT NULL,
    UNIQUE (candidate_id, item_id),
    -- R13: prior certificate all-or-none
    CHECK ((prior_no IS NULL) = (prior_level IS NULL) AND (prior_no IS NULL) = (prior_name IS NULL)
           AND (prior_no IS NULL) = (prior_issuer IS NULL)),
    CHECK (identity = 'employed' OR (school IS NOT NULL AND enrolled_on IS NOT NULL
                                      AND student_card_file_id IS NOT NULL)),
    CHECK (identity = 'student' OR (employer IS NOT NULL AND work_start IS NOT NULL)),
    CHECK (status = 'submitted' OR (reject_reason IS NOT NULL AND rejected_at IS NOT NULL))
);
CREATE INDEX enrollments_item ON enrollments (item_id, id);
CREATE INDEX enrollments_batch ON enrollments (batch_id);
CREATE INDEX enrollments_org ON enrollments (org_id);
CREATE INDEX enrollments_account ON enrollments (account_id, created_at DESC);

-- 工作经历 / 学习经历 rows of an enrollment, in the order entered.
CREATE TABLE enrollment_history (
    enrollment_id bigint   NOT NULL REFERENCES enrollments(id) ON DELETE CASCADE,
    pos           smallint NOT NULL,
    from_date     text     NOT NULL,
    to_date       text,
    place         text     NOT NULL,
    dept          text,
    work          text,
    PRIMARY KEY (enrollment_id, pos)
);

-- The stamped 个人申报表 images the candidate uploads after printing (several; replaced as a set).
CREATE TABLE enrollment_stamped_files (
    enrollment_id bigint   NOT NULL REFERENCES enrollments(id) ON DELETE CASCADE,
    pos           smallint NOT NULL,
    file_id       bigint   NOT NULL REFERENCES files(id),
    PRIMARY KEY (enrollment_id, pos)
);
CREATE INDEX enrollment_stamped_file ON enrollment_stamped_files (file_id);
CREATE INDEX enrollments_photo ON enrollments (photo_file_id);
CREATE INDEX enrollments_id_card ON enrollments (id_card_file_id);
CREATE INDEX enrollments_prior_file ON enrollments (prior_file_id);
CREATE INDEX enrollments_student_card ON enrollments (student_card_file_id);
