-- 0026_fees.sql - 费用管理 (R24): per-level prices set by the center, one fee notice per batch
-- (amounts are integers in fen, 分, never floats), the station's invoice application and the
-- trail of the fee's chain (lib/finance, run by the workflow engine).

-- 收费标准: the price of one certificate (or one enrollment) per category x level, in fen.
CREATE TABLE fee_prices (
    category   text     NOT NULL CHECK (category IN ('national', 'industry')),
    level      smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
    price_fen  bigint   NOT NULL CHECK (price_fen BETWEEN 0 AND 10000000),
    updated_by bigint   REFERENCES accounts(id) ON DELETE SET NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (category, level)
);
INSERT INTO fee_prices (category, level, price_fen, updated_at)
SELECT c, l, 0, now() FROM unnest('{national,industry}'::text[]) c, generate_series(1, 5) l;

-- 费用通知: draft (the center is still editing) -> unpaid 待缴费 -> invoice_applied 已申请发票
-- -> invoiced 已开票 -> paid 已缴费 (a station that needs no invoice may be marked paid directly).
CREATE TABLE fees (
    id            bigserial PRIMARY KEY,
    batch_id      bigint NOT NULL UNIQUE REFERENCES batches(id) ON DELETE CASCADE,
    org_id        bigint NOT NULL REFERENCES orgs(id),
    amount_fen    bigint NOT NULL CHECK (amount_fen BETWEEN 1 AND 100000000000),
    basis         text   NOT NULL CHECK (basis IN ('passed', 'enrolled')),
    note          text,
    status        text   NOT NULL DEFAULT 'draft'
                  CHECK (status IN ('draft', 'unpaid', 'invoice_applied', 'invoiced', 'paid')),
    status_param  text,
    invoice       jsonb,                       -- the station's 发票信息 as submitted
    invoice_no    text,                        -- 发票号码 (the center, when invoiced)
    paid_on       date,                        -- 缴费日期 (the center, when paid)
    created_by    bigint REFERENCES accounts(id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    sent_at       timestamptz,
    applied_at    timestamptz,
    invoiced_at   timestamptz,
    paid_at       timestamptz,
    CHECK (status = 'draft' OR sent_at IS NOT NULL),
    CHECK (status NOT IN ('invoice_applied', 'invoiced') OR invoice IS NOT NULL),
    CHECK (status <> 'invoiced' OR invoice_no IS NOT NULL),
    CHECK (status <> 'paid' OR paid_on IS NOT NULL)
);
CREATE INDEX fees_org ON fees (org_id, updated_at DESC, id DESC);
CREATE INDEX fees_status ON fees (status, updated_at DESC, id DESC);

CREATE TABLE fee_trail (
    id          bigserial PRIMARY KEY,
    fee_id      bigint NOT NULL REFERENCES fees(id) ON DELETE CASCADE,
    at          timestamptz NOT NULL,
    actor_id    bigint,
    actor       text   NOT NULL,
    action      text   NOT NULL,
    from_status text   NOT NULL,
    to_status   text   NOT NULL,
    comment     text,
    text        text   NOT NULL
);
CREATE INDEX fee_trail_fee ON fee_trail (fee_id, at, id);
