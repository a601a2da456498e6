/* grading.h - batch phase 4, scores (R19): 准考证号, entry by hand and by xlsx import, the grade
 * from the lower score, the score-change trail; the item loader the reports share (lib/report). */
#ifndef KW_GRADING_H
#define KW_GRADING_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "core/ctx.h"

/* The caller's relations to a batch item (bits). */
enum grading_rel {
	GR_OWNER = 1u << 0,	       /* an account of the station that runs the batch */
	GR_REVIEWER = 1u << 1,	       /* level-2 or center account with the batch in scope */
	GR_CHIEF_ASSESSOR = 1u << 2,   /* 考评组长 */
	GR_ASSESSOR = 1u << 3,	       /* listed among the 考评员 */
	GR_CHIEF_SUPERVISOR = 1u << 4, /* 督导组长 */
	GR_SUPERVISOR = 1u << 5,       /* listed among the 督导员 */
};

/* One batch item as grading and the reports see it. */
struct grading_item {
	long batch_id, item_id, org_id;
	long chief_assessor_id, chief_supervisor_id;
	const char *batch_name, *batch_status, *batch_status_text, *org_name;
	const char *exam_date, *category, *occupation;
	int level, phase;
	unsigned rel; /* enum grading_rel bits */
};

/*
 * Load item item_id of batch batch_id as the caller may see it (the batch row locked when lock):
 * org and center accounts by scope, experts only for items they serve, never a batch still in
 * its application. KW_ENOTFOUND otherwise.
 */
int grading_item_load(struct kw_ctx *c, long batch_id, long item_id, bool lock,
		      struct grading_item *it);

/* 409 unless the batch is in 考试及成绩录入 (or its scores were rejected) and the caller owns it.
 */
int grading_item_writable(struct kw_ctx *c, const struct grading_item *it, const char *what);

/* The {"batch", "item"} header object of an item's pages. */
json_object *grading_item_json(struct kw_ctx *c, const struct grading_item *it);

/* R19: the grade code from the two scores (absent wins): fail|pass|good|excellent|absent. */
const char *grading_grade(double theory, double practical, bool absent);

/* The words of a grade code: 不合格, 合格, 良好, 优秀, 缺考 ("" for NULL). */
const char *grading_grade_text(const char *grade);

/* GET …/scores: the roster with 准考证号, scores, grades and the change trail. */
int grading_scores(struct kw_ctx *c, long batch_id, long item_id, json_object **out);

/* PUT …/scores {"scores": [{"enrollment_id", "theory_score", "practical_score", "absent",
 * "reason"}]}: enter or change scores (R19); answers like grading_scores. */
int grading_save(struct kw_ctx *c, long batch_id, long item_id, json_object *body,
		 json_object **out);

/* POST …/scores/import: the xlsx of grading_template; a 422 lists each bad row, nothing saved. */
int grading_import(struct kw_ctx *c, long batch_id, long item_id, const char *buf, size_t len,
		   json_object **out);

/* GET …/scores/template.xlsx: the roster with empty score columns. */
int grading_template(struct kw_ctx *c, long batch_id, long item_id, const char **data, size_t *len);

/* How many candidates of the item have no grade yet (the roster's count in *total). */
int grading_missing(struct kw_ctx *c, long item_id, long *missing, long *total);

/* The counts of the item's roster: enrolled, absent, passed (grade pass and better). */
int grading_counts(struct kw_ctx *c, long item_id, long *enrolled, long *absent, long *passed);

/* 成绩查询 of one enrollment for its candidate: the score object once the center approved the
 * scores (batch status certifying or later), else NULL. */
json_object *grading_candidate_score(struct kw_ctx *c, long enrollment_id,
				     const char *batch_status);

#endif
