/* intention.h - 报名意向表: candidates' intentions, the center's summary and its forwarding to
 * the stations of a region by 站内信. */
#ifndef KW_INTENTION_H
#define KW_INTENTION_H

#include <stdbool.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "core/ctx.h"

/*
 * JSON shapes (owned by the request arena):
 *   intention: {"id", "occupation": {"id", "name"}, "level", "level_text",
 *               "region": {"code", "name"}, "expected_month": "2027-03",
 *               "created_at", "updated_at"}
 */

/* How far ahead an expected month may lie (months after the current one). */
#define INTENTION_MAX_AHEAD 24

/*
 * State an intention (candidates): body {"occupation_id", "level", "region",
 * "expected_month": "YYYY-MM"}. The occupation must define the level, the
 * region exist, the month lie between this month and INTENTION_MAX_AHEAD
 * months ahead. An intention of the candidate for the same occupation and
 * level is replaced (*replaced set). Audit "intention.save".
 */
int intention_save(struct kw_ctx *c, json_object *body, long *id, bool *replaced);

/* One of the caller's intentions; KW_ENOTFOUND for anyone else's. */
int intention_get(struct kw_ctx *c, long id, json_object **out);

/* The caller's intentions, newest first. */
int intention_mine(struct kw_ctx *c, json_object **items);

/* Withdraw one of the caller's intentions (404 otherwise). Audit "intention.delete". */
int intention_delete(struct kw_ctx *c, long id);

/*
 * The center's summary: counts per region x occupation x level of the
 * intentions whose expected month lies in year (0: any) and whose region is
 * region or inside it (NULL/"": all).
 *   {"year": n|null, "region": {"code", "name"}|null,
 *    "items": [{"region", "occupation", "level", "level_text", "count"}],
 *    "regions": [{"region", "count"}], "total"}
 */
int intention_summary(struct kw_ctx *c, const char *year, const char *region, json_object **out);

/* The same as export rows: 区域, 职业工种, 级别, 人数, with 小计 per region and 合计 last. */
struct db_rows;
int intention_summary_rows(struct kw_ctx *c, const char *year, const char *region,
			   struct db_rows **rows);

/*
 * Forward a region's intentions (body {"region"}, optionally "year") to the
 * stations that serve it (their region is the region, inside it, or holds
 * it; frozen ones are skipped) as one 站内信 each with the counts per
 * occupation and level. No intention or no station is KW_ECONFLICT.
 * *out: {"region", "intentions", "stations", "station_names": [...], "text"}.
 * Audit "intention.forward".
 */
int intention_forward(struct kw_ctx *c, json_object *body, json_object **out);

#endif
