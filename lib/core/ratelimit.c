/* ratelimit.c - sliding-window attempt counting in the rate_hits table (see ratelimit.h). */
#include "ratelimit.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../db/db.h"

static struct db_stmt q_hit = DB_STMT(
    "rl_hit",
    "WITH w AS (SELECT count(*) AS n, min(at) AS first FROM rate_hits"
    "  WHERE bucket = $1 AND key = $2 AND at > clock_timestamp() - make_interval(secs => $3::int)),"
    " ins AS (INSERT INTO rate_hits (bucket, key, at)"
    "  SELECT $1, $2, clock_timestamp() FROM w WHERE w.n < $4::int RETURNING 1)"
    " SELECT w.n, greatest(1, ceil(extract(epoch FROM w.first + make_interval(secs => $3::int)"
    "  - clock_timestamp())))::int AS wait FROM w");
static struct db_stmt q_prune =
    DB_STMT("rl_prune", "DELETE FROM rate_hits WHERE at < clock_timestamp() - interval '1 day'");

int ratelimit_limit(const struct rl_rule *rule)
{
	const char *v = getenv(rule->env);
	char *end;
	long n = v && *v ? strtol(v, &end, 10) : 0;
	if (!v || !*v || *end || n <= 0 || n > 1000000)
		return rule->dflt;
	return (int)n;
}

int ratelimit_hit(struct kw_ctx *c, const struct rl_rule *rule, const char *scope, const char *key)
{
	int err, limit = ratelimit_limit(rule);
	const char *bucket = arena_printf(c->a, "%s.%s", rule->name, scope);
	PGresult *r = db_query(c, &q_hit, &err, bucket, key && *key ? key : "unknown",
			       db_ltoa(c, rule->window), db_ltoa(c, limit));
	if (!r)
		return err;
	/* About one hit in 200 also removes the rows no window looks at any more. */
	if (randombytes_uniform(200) == 0)
		db_query0(c, &q_prune, &err);
	if (atol(PQgetvalue(r, 0, 0)) < limit)
		return KW_OK;
	c->retry_after = atoi(PQgetvalue(r, 0, 1));
	if (c->retry_after <= 0)
		c->retry_after = 1;
	int minutes = (c->retry_after + 59) / 60;
	return kw_fail(c, KW_ERATELIMIT,
		       arena_printf(c->a, "%s尝试过于频繁，请 %d 分钟后再试", rule->what, minutes));
}
