/* ratelimit.h - attempts per key in a sliding real-time window, shared by all workers. */
#ifndef KW_RATELIMIT_H
#define KW_RATELIMIT_H

#include "ctx.h"

/*
 * One limited action. The limit is read from the environment variable `env` (a positive number;
 * unset or invalid: `dflt`), per `window` seconds of real time (clock_timestamp(), never the
 * business clock). `what` is the Chinese noun of the refusal message ("注册").
 *
 *     static const struct rl_rule rl_register = {"register", "KAOWU_LIMIT_REGISTER", 20, 3600,
 *                                                "注册"};
 *     if ((err = ratelimit_hit(c, &rl_register, "ip", c->ip)) ||
 *         (err = ratelimit_hit(c, &rl_register, "id", id_number)))
 *             return err;
 *
 * Settings are documented in docs/operations.md.
 */
struct rl_rule {
	const char *name;
	const char *env;
	int dflt;
	int window;
	const char *what;
};

/*
 * Count one attempt of rule for (scope, key), e.g. ("ip", "10.0.0.7") or ("account", "42").
 * KW_OK when the attempt is within the limit (it is recorded, in its own statement: call it
 * outside a transaction so a later rollback keeps the count). KW_ERATELIMIT, with
 * c->retry_after (seconds until the oldest counted attempt leaves the window) and a message
 * "…过于频繁，请 N 分钟后再试", when the limit is reached (refused attempts are not counted).
 * A NULL or empty key counts as "unknown".
 */
int ratelimit_hit(struct kw_ctx *c, const struct rl_rule *rule, const char *scope, const char *key);

/* The limit of rule now in force (its setting or its default). */
int ratelimit_limit(const struct rl_rule *rule);

#endif
