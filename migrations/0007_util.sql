-- 0007_util.sql - small SQL helpers shared by every module.

-- A timestamp as the API writes it: ISO-8601 in China Standard Time with its offset,
-- e.g. 2019-04-10T13:43:00+08:00 (China has kept +08:00 without daylight saving since 1991).
CREATE FUNCTION kw_ts(t timestamptz) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN to_char(t AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS') || '+08:00';
