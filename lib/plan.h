/* plan.h - annual plans (年度计划管理): items (R1), the review chain (R2), exports (R3), the
 * center's overview. The workflow is the state table in plan.c (on lib/workflow.h) and nowhere
 * else. */
#ifndef KW_PLAN_H
#define KW_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "core/ctx.h"
#include "office/xlsx_writer.h"
#include "workflow.h"

/* ------------------------------------------------------------------ the workflow
 *
 * Statuses (API `status`) and what a user reads (`status_text`):
 *   draft          草稿
 *   level2_review  等待{the station's level-2 parent}审核
 *   center_review  等待中心工作人员审核
 *   approved       审核通过
 *   rejected       被{level-2 org name}拒绝 | 被中心工作人员拒绝
 *
 * The state table (rows of the workflow engine, workflow.h; state x action x actor -> next state):
 *   draft, rejected   submit   the plan's org            -> level2_review (it has a level-2 parent)
 *                                                        -> center_review (it has none)
 *   draft, rejected   edit     the plan's org            -> (unchanged)
 *   level2_review     approve  that level-2 org          -> center_review
 *   level2_review     reject   that level-2 org          -> rejected
 *   center_review     approve  center staff              -> approved
 *   center_review     reject   center staff              -> rejected
 * Anything else: 409 when the caller may take the action in some other status
 * (a repeated decision), 403 when never, 404 when the plan is not visible.
 */
/* The plan workflow: its statuses, actions and rows on the workflow engine (plan.c). */
extern const struct wf_def plan_wf;

/* ------------------------------------------------------------------ plans
 *
 * JSON (owned by the request arena):
 *   list item: {"id", "code"|null, "year", "org": {"id", "name", "code"}, "status",
 *               "status_text", "item_count", "total_count", "created_at",
 *               "submitted_at"|null, "updated_at"}
 *   detail:    the list item plus "level2_org": {"id", "name"}|null,
 *               "last_comment"|null, "actions": ["edit", "submit", "approve", "reject"]
 *               (what the caller may do now), "items": [{"id", "category",
 *               "category_text", "level", "level_text", "occupation": {"id", "name"},
 *               "count", "train_theory_date", "train_practical_date",
 *               "exam_theory_date", "exam_practical_date", "standard_equipped"}],
 *               "trail": [{"at", "actor", "action", "action_text", "comment"}]
 * Who sees a plan: its own org always; reviewers in scope (the level-2 parent,
 * the center) once it was submitted (drafts stay private). Otherwise 404.
 */

/*
 * A new draft of the caller's org. body: {"year"?, "items": [{"category",
 * "level", "occupation_id", "count", "train_theory_date", "train_practical_date",
 * "exam_theory_date", "exam_practical_date", "standard_equipped"}]}.
 * Rules, each a field error (items[i].field): R1 every field present, count
 * 1..100000, dates YYYY-MM-DD with training not after the exam; R6 the level is
 * one the occupation defines and the category one it is assessed in; R7 the
 * occupation (or a direction's occupation) in the approved scope of the org
 * (or, for a level-2 org, of its stations); no occupation x level x category
 * twice. year (2000..2100) defaults to the year of the earliest theory exam.
 * Audit "plan.create".
 */
int plan_create(struct kw_ctx *c, json_object *body, long *id);

/* Replace the items (and year) of a draft or rejected plan of the caller's org. Audit
 * "plan.update". */
int plan_update(struct kw_ctx *c, long id, json_object *body);

/*
 * Take a workflow action (submit | approve | reject) with an optional comment
 * (required to reject). One transaction: lock the plan, check the state table,
 * move, write the trail, the audit row ("plan.submit" …) and the site
 * messages (the next reviewer; the org on each decision). The first submission
 * gives the plan its code.
 */
int plan_act(struct kw_ctx *c, long id, const char *action, const char *comment);

/* Filters of plan_list(); NULL / 0 do not filter. status may also be "pending" (waiting for the
 * caller). */
struct plan_filter {
	const char *status;
	long org_id;
	long year;
	const char *q; /* part of the code or of the org's name */
};

/* One page of the plans the caller sees, newest change first (KW_EVALIDATION for bad filters). */
int plan_list(struct kw_ctx *c, const struct plan_filter *f, long page, long per_page,
	      json_object **items, long *total);

/* One plan in full (detail shape). */
int plan_get(struct kw_ctx *c, long id, json_object **out);

/*
 * R3: the items of the plans ids (all visible to the caller, else KW_ENOTFOUND)
 * as export rows, one per item, in the order of plan_export_cols: 鉴定站名称,
 * 提交时间, 年度计划编号, 类别, 级别, 职业/工种, 人数, 配备标准, 预计培训时间(理论),
 * 预计培训时间(实操), 预计考试时间(理论), 预计考试时间(实操).
 */
extern const struct xlsx_col plan_export_cols[];
extern const size_t plan_export_ncols;
struct db_rows;
int plan_export_rows(struct kw_ctx *c, const long *ids, size_t n, struct db_rows **rows);

/*
 * Center overview of a year's approved plans: {"year", "years": [...], "plans",
 * "total", "items": [{"occupation": {"id", "name"}, "level", "level_text",
 * "national", "industry", "count"}]} ordered by occupation then level.
 */
int plan_overview(struct kw_ctx *c, long year, json_object **out);

#endif
