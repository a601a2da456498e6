-- 0027_shipping.sql - 证书寄出 and 证书签收 (phase 6, R24): what the batch stores when the center
-- ships its certificates (carrier code, tracking number, when) and when the station confirms receipt.
ALTER TABLE batches
    ADD COLUMN carrier     text CHECK (carrier IN ('sf', 'ems', 'zto', 'yto', 'yunda', 'sto', 'jd', 'other')),
    ADD COLUMN tracking_no text CHECK (tracking_no ~ '^[A-Za-z0-9]{8,30}$'),
    ADD COLUMN shipped_at  timestamptz,
    ADD COLUMN received_at timestamptz;
