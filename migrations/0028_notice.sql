-- 0028_notice.sql - 通知公告 (lib/notice): notices written by the center with their audience,
-- attachments, per-org read marks and 回执 (receipts with attendees); the public site lists the
-- public ones and searches them (pg_trgm over title + body text, see lib/notice.c). PDF, xls, ppt
-- and pptx join the accepted upload kinds (lib/file.c) for attachments.

ALTER TABLE files DROP CONSTRAINT IF EXISTS files_kind_check;
ALTER TABLE files ADD CONSTRAINT files_kind_check
    CHECK (kind IN ('doc', 'docx', 'xlsx', 'jpg', 'png', 'pdf', 'xls', 'ppt', 'pptx'));

-- status: draft -> published -> withdrawn (-> published again); the state table is lib/notice.c.
-- audience: all (every level-2 org and station), level2, stations, selected (notice_orgs).
-- section: where a public notice shows on the landing page (工作动态 / 行业动态 / 通知公告).
CREATE TABLE notices (
    id               bigserial PRIMARY KEY,
    title            text    NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    body_html        text    NOT NULL,              -- sanitised on the server (allow-list)
    body_text        text    NOT NULL,              -- the body's text, for search and previews
    audience         text    NOT NULL CHECK (audience IN ('all', 'level2', 'stations', 'selected')),
    section          text    NOT NULL DEFAULT 'notice' CHECK (section IN ('work', 'industry', 'notice')),
    is_public        boolean NOT NULL DEFAULT false,
    publish_on       date    NOT NULL,              -- 发布时间: visible from this day on
    status           text    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'withdrawn')),
    receipt          boolean NOT NULL DEFAULT false,  -- asks for a 回执
    receipt_deadline timestamptz,
    created_by       bigint  NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    published_at     timestamptz,
    CHECK (NOT receipt OR receipt_deadline IS NOT NULL)
);
CREATE INDEX notices_listing ON notices (status, publish_on DESC, id DESC);
CREATE INDEX notices_public ON notices (section, publish_on DESC, id DESC) WHERE is_public AND status = 'published';
-- 站内搜索: trigram index over title and body text (CJK characters are word characters under the
-- cluster's C.UTF-8 locale, so every three consecutive Chinese characters make a trigram).
CREATE INDEX notices_search_trgm ON notices USING gin ((title || ' ' || body_text) gin_trgm_ops);

CREATE TABLE notice_orgs (
    notice_id bigint NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    org_id    bigint NOT NULL REFERENCES orgs(id),
    PRIMARY KEY (notice_id, org_id)
);
CREATE INDEX notice_orgs_org ON notice_orgs (org_id);

CREATE TABLE notice_files (
    notice_id bigint   NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    file_id   bigint   NOT NULL REFERENCES files(id),
    pos       smallint NOT NULL,
    PRIMARY KEY (notice_id, file_id)
);

CREATE TABLE notice_reads (
    notice_id bigint NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    org_id    bigint NOT NULL REFERENCES orgs(id),
    read_by   bigint,
    read_at   timestamptz NOT NULL,
    PRIMARY KEY (notice_id, org_id)
);
CREATE INDEX notice_reads_org ON notice_reads (org_id);

-- 回执: one per notice and org, editable until the notice's deadline.
CREATE TABLE notice_receipts (
    id               bigserial PRIMARY KEY,
    notice_id        bigint NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    org_id           bigint NOT NULL REFERENCES orgs(id),
    unit_name        text   NOT NULL,   -- 单位名称
    arrive_at        text   NOT NULL,   -- 到会时间
    invoice_type     text   NOT NULL CHECK (invoice_type IN ('normal', 'special')),
    invoice_title    text   NOT NULL,   -- 发票抬头
    tax_no           text   NOT NULL,   -- 纳税识别号
    bank             text,              -- 开户行
    bank_account     text,              -- 开户账号
    recipient_name   text   NOT NULL,   -- 发票收件人姓名
    recipient_phone  text   NOT NULL,   -- 发票收件人手机
    mail_address     text   NOT NULL,   -- 发票邮寄地址
    submitted_by     bigint,
    submitted_at     timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    UNIQUE (notice_id, org_id)
);

CREATE TABLE notice_attendees (
    receipt_id   bigint   NOT NULL REFERENCES notice_receipts(id) ON DELETE CASCADE,
    pos          smallint NOT NULL,
    name         text     NOT NULL,
    sex          text     NOT NULL CHECK (sex IN ('male', 'female')),
    title        text,                -- 职务
    phone        text     NOT NULL,
    lodging      boolean  NOT NULL,   -- 住宿
    private_room boolean  NOT NULL,   -- 包房
    PRIMARY KEY (receipt_id, pos)
);
