/* training.h - 考评管理人员培训: an org's training application, its review on the workflow engine
 * (level-2 org if any, then the center), the center's schedule and export. */
#ifndef KW_TRAINING_H
#define KW_TRAINING_H

#include <stddef.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "core/ctx.h"
#include "office/xlsx_writer.h"
#include "workflow.h"

/*
 * Statuses: draft -> level2_review (等待{level-2 org}审核; stations under a level-2 org)
 * or center_review (等待中心工作人员审核) -> approved (审核通过) -> scheduled (已安排培训);
 * a reject at either review -> rejected (被{who}拒绝), which the org may submit again.
 * The state table is training.c; trail lines and 站内信 come from its rows.
 */
extern const struct wf_def training_wf;

#define TRAINING_OCCUPATIONS_MAX 60

/*
 * Apply and submit (an org account). body: {"kind" (类型), "train_time" (培训时间),
 * "occupation_ids" (1..60), "category" (assessor|senior_assessor|manager), "place",
 * "headcount" (1..10000), "source" (考生来源), "refresh_percent" (0..100), "other"}.
 * 422 per field. Creates the application and runs "submit" on the engine.
 */
int training_create(struct kw_ctx *c, json_object *body, long *id);

/* submit (again) | approve | reject (comment required) on the engine; 409 for a repeat. */
int training_act(struct kw_ctx *c, long id, const char *action, json_object *body);

/* Center: set date and place of an approved training ({"date", "place"}); moves it to
 * scheduled (409 when it is not approved). */
int training_schedule(struct kw_ctx *c, long id, json_object *body);

/* Filters: status (a code or "pending": waiting for the caller), org_id. */
struct training_filter {
	const char *status;
	long org_id;
};

/* The applications the caller sees (own org; a level-2 org its stations'; the center all). */
int training_list(struct kw_ctx *c, const struct training_filter *f, long page, long per_page,
		  json_object **items, long *total);

/* One application with occupations, trail and the caller's actions. */
int training_get(struct kw_ctx *c, long id, json_object **out);

/* The export rows (every application the filter matches), in the order of training_cols. */
extern const struct xlsx_col training_cols[];
extern const size_t training_ncols;
struct db_rows;
int training_export_rows(struct kw_ctx *c, const struct training_filter *f, struct db_rows **rows);

#endif
