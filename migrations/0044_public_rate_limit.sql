-- 0044_public_rate_limit.sql - the public certificate queries count in rate_hits (lib/core/ratelimit)
-- like every other limited action; their own token-bucket table goes.

DROP TABLE public_query_hits;
