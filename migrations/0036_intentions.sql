-- 0036_intentions.sql - 报名意向表: what a candidate means to take (occupation, level, region,
-- expected month). One open intention per candidate x occupation x level: stating it again
-- replaces it; the candidate may withdraw it. The center counts them per region x occupation x
-- level and forwards a region's list to the stations that serve it (lib/intention).

CREATE TABLE intentions (
    id             bigserial PRIMARY KEY,
    candidate_id   bigint   NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    account_id     bigint   NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    occupation_id  integer  NOT NULL REFERENCES occupations(id),
    level          smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
    region_code    char(6)  NOT NULL REFERENCES regions(code),
    expected_month date     NOT NULL CHECK (extract(day FROM expected_month) = 1),
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    UNIQUE (candidate_id, occupation_id, level)
);
CREATE INDEX intentions_account ON intentions (account_id, updated_at DESC);
CREATE INDEX intentions_region ON intentions (region_code, expected_month);
