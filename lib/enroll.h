/* enroll.h - candidate enrollment (考试报名, R5, R13, R14, R29): open items, the form, the
 * station's roster and rejection. */
#ifndef KW_ENROLL_H
#define KW_ENROLL_H

#include <stdbool.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "core/ctx.h"
#include "workflow.h"

/* Batch items open for enrollment today (batch 报名中 and today <= exam date - 21, R5),
 * filtered by org_id (0: any) and region code (NULL: any; a province or city code matches the
 * orgs inside it). *out: {"items": [...], "regions": [...], "orgs": [...]}. */
int enroll_open_items(struct kw_ctx *c, long org_id, const char *region, json_object **out);

/* The 申报条件 of a level (1..5) as the national standards word them: a JSON array of
 * {"code", "text", "needs_cert"} (arena). */
json_object *enroll_conditions_json(struct kw_ctx *c, int level);

/* Check the form (R13) without saving: *out is the normalised form plus "hint" (the
 * condition the entered dates and certificate appear to meet). 422 on a bad form, 404 for an
 * unknown item, 409 outside the registration window (with the dates). */
int enroll_preview(struct kw_ctx *c, json_object *body, json_object **out);

/* Save the caller's enrollment (candidate): the checks of enroll_preview, then one per
 * candidate per item (409 naming the item). *id: the new enrollment. */
int enroll_create(struct kw_ctx *c, json_object *body, long *id);

/* One enrollment in full, for its owner or an org whose scope holds the batch's station
 * (404 otherwise). */
int enroll_get(struct kw_ctx *c, long id, json_object **out);

/* The 个人申报表 of an enrollment as a PDF (A4, the manual's table, the photo, 盖章处) for
 * whoever may read the enrollment (404 otherwise). *pdf, *len in the request arena. */
int enroll_form_pdf(struct kw_ctx *c, long id, const unsigned char **pdf, size_t *len);

/* The caller's enrollments (我的报名), newest first, each with its status text. */
int enroll_mine(struct kw_ctx *c, json_object **items);

/* Replace the stamped 个人申报表 images of the caller's enrollment (owner only; images the
 * caller uploaded). */
int enroll_set_stamped(struct kw_ctx *c, long id, json_object *body);

/* The roster (花名册) of a batch item in the caller's scope (404 outside): rows of
 * 序号, 考生来源, 姓名, 身份证号, 年龄, 单位/学校, 提交时间, 状态, plus the enrollment id in the
 * last column, read one at a time (db_rows). */
struct db_rows;
int enroll_roster_rows(struct kw_ctx *c, long batch_id, long item_id, struct db_rows **rows);

/* The roster as JSON: {"item": {...}, "items": [...]} */
int enroll_roster(struct kw_ctx *c, long batch_id, long item_id, json_object **out);

/* An enrollment's chain on the workflow engine (submitted → rejected, R14). */
extern const struct wf_def enroll_wf;

/* R14: the batch's own station rejects one enrollment with a reason ({"reason"}) while the
 * batch is in registration, run by the engine (enroll_wf): one transaction locking the row;
 * audit, batch trail and 站内信 to the candidate. Level-2 and center: 403. A second rejection:
 * 409. */
int enroll_reject(struct kw_ctx *c, long id, json_object *body);

/* The number of enrollments of each item (rejected ones not counted), for a batch's
 * items[].enrolled: *res has columns item_id, enrolled (arena). */
int enroll_count_by_items(struct kw_ctx *c, long batch_id, PGresult **res);

/* May the caller open file id because it belongs to an enrollment in the caller's org scope?
 * (stations and their reviewers see their candidates' uploads). */
int enroll_file_visible(struct kw_ctx *c, long file_id, bool *ok);

#endif
