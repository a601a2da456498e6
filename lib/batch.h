/* batch.h - batches (鉴定批次): the application form, the review chain and the one state table
 * of a batch's whole life (DESIGN.md R4-R12, R25; manual 第一部分 二(二)). */
#ifndef KW_BATCH_H
#define KW_BATCH_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "core/ctx.h"
#include "workflow.h"

/* ------------------------------------------------------------------ statuses (R25)
 *
 * Every status of the six phases of the manual is a row of batch_wf.statuses
 * (struct wf_status, workflow.h): text is what users read; "{org}" in it stands
 * for the batch's status_param (the level-2 org waited for, or the reviewer who
 * rejected). label is the text without the org, for filters. waits_for is the
 * role that acts next (kw_role bits; 0: nobody).
 */

/* The batch workflow: statuses, actions and the state table (batch.c). */
extern const struct wf_def batch_wf;

/* The status named code, or NULL. */
const struct wf_status *batch_status_find(const char *code);

/* The text of status code with {org} replaced by param (arena); NULL for an unknown code. */
const char *batch_status_text(struct kw_ctx *c, const char *code, const char *param);

/* ------------------------------------------------------------------ actions
 *
 * Everything that happens to a batch is an action looked up in the state
 * table of batch.c (rows of the workflow engine, workflow.h):
 * (status x action x role x when -> next status [+ guard]). The
 * actions endpoint takes submit .. confirm_receipt; edit, reassign and
 * supervise are the PUT endpoints of the form and of 调配 / 安排督导.
 * A role no row allows for the action is KW_EFORBIDDEN; an action no row
 * allows in the batch's status (or a repeated one) is KW_ECONFLICT.
 */
enum batch_action {
	BA_EDIT,		/* PUT /api/batches/{id}: replace the form */
	BA_SUBMIT,		/* 提交 */
	BA_APPROVE,		/* 审核 (通过) */
	BA_REJECT,		/* 拒绝 */
	BA_REASSIGN,		/* 调配 考评组长 / 考评员 */
	BA_SUPERVISE,		/* 安排督导组长 / 督导员 */
	BA_SUBMIT_REGISTRATION, /* 提交报名 (phase 2) */
	BA_SUBMIT_SCORES,	/* 提交成绩 (phase 4) */
	BA_ISSUE_CERTIFICATES,	/* 证书制作完成 (phase 5) */
	BA_SHIP,		/* 证书已寄出 (phase 6) */
	BA_CONFIRM_RECEIPT,	/* 证书签收 (phase 6) */
	BA_N
};

/* "submit", "approve", ...; NULL outside the enum. */
const char *batch_action_code(enum batch_action a);

/* The action a code names, or -1. */
int batch_action_of(const char *code);

/* Describe the state table as JSON rows {"from", "action", "roles": [...], "to", "when",
 * "implemented"} (for the API documentation endpoint and tests). */
json_object *batch_table_json(struct kw_ctx *c);

/* The statuses as [{"code", "phase", "text", "label"}] (the 状态筛选 of the list). */
json_object *batch_statuses_json(struct kw_ctx *c);

/* The carriers of 证书寄出: [{"code", "name", "url_template"}] ({no}: the tracking number). */
json_object *batch_carriers_json(struct kw_ctx *c);

/* ------------------------------------------------------------------ the form
 *
 * Body of create and update: {"items": [item, ...]} with
 *   item: {"category": "national"|"industry", "in_annual_plan": bool, "dual_cert": bool,
 *          "exam_date": "YYYY-MM-DD", "level": 1..5, "occupation_id", "direction_id"|null,
 *          "count", "standard_equipped": bool, "chief_assessor_id", "assessor_ids": [...],
 *          "syllabus_file_id"|null}
 * Checked on save and again on submit (KW_EVALIDATION, one field error per
 * broken rule and field, e.g. "items[1].count" rule "R8"):
 *   R4 at least one item; category, exam date, level, occupation, count, a
 *      chief assessor and at least one assessor; dual_cert only for national;
 *      a direction (职业方向) for a national occupation that has directions,
 *      none for industry; one item per category x occupation x direction x level
 *   R5 exam date >= today (Beijing, c->now) + 30 days; registration closes
 *      20 days before the exam: the last day to enroll is exam date - 21
 *      (manual ④: exam 7月1日 -> window closes 6月10日)
 *   R6 the level is one the occupation (and direction) defines
 *   R7 the occupation is in the station's approved scope for the category
 *   R8 1 <= count <= 100
 *   R9 lib/expert.h expert_check_assessors_at()
 *   R10 level 2 or 1 needs syllabus_file_id: a doc/docx uploaded by the station
 */

/* Create a draft for the calling station; R12 names it; sets *id. */
int batch_create(struct kw_ctx *c, json_object *body, long *id);

/* Replace the form of a draft or a rejected (资质审核被…拒绝) batch (table action edit). */
int batch_update(struct kw_ctx *c, long id, json_object *body);

/*
 * Run action `action` (a code of the actions endpoint) on batch id, one
 * transaction that locks the batch and proves the status it moves from.
 * body: {"comment"} (reject needs one), later phases more ({"carrier", "tracking_no"}).
 * Writes the trail line, the audit row and the site messages (the station on
 * every decision, the next reviewer when the batch waits for them).
 * KW_ENOTFOUND for an unknown action or a batch outside the caller's scope.
 */
int batch_act(struct kw_ctx *c, long id, const char *action, json_object *body);

/*
 * 调配 (R11): replace an item's chief assessor and assessors,
 * body {"chief_assessor_id", "assessor_ids": [...]}; eligible people only (R9).
 * Trail lines as the manual ("中心主任将考评组长香香调配为铅笔",
 * "中心主任将考评员笔尖 胜利 调配为 笔尖 胜利 张文龙"); an unchanged
 * assignment is KW_ECONFLICT.
 */
int batch_reassign_assessors(struct kw_ctx *c, long id, long item_id, json_object *body);

/*
 * 安排督导组长 / 安排督导 (R11, center): body {"chief_supervisor_id"|null,
 * "supervisor_ids": [...]}; supervisors (experts.role supervisor) holding a
 * supervisor certificate valid on the exam date. Trail "中心主任将督导组长调配为 张玉霞".
 */
int batch_assign_supervisors(struct kw_ctx *c, long id, long item_id, json_object *body);

/*
 * The pickers' view of double booking: to each expert object of the array people (with "id")
 * add "busy": {"batch_id", "batch_name", "role", "role_text", "exam_date"} when the expert
 * already serves an item of a batch other than batch_id (drafts do not count) on date
 * ("YYYY-MM-DD", checked by the caller), else null.
 */
int batch_people_mark_busy(struct kw_ctx *c, const char *date, long batch_id, json_object *people);

/* Filters of batch_calendar(); NULL / 0 members do not filter. */
struct batch_calendar_filter {
	const char *from, *to; /* "YYYY-MM-DD"; default: the month of from (or of today) */
	long org_id;	       /* the batch's org, or a level-2 org and its stations */
	long occupation_id;    /* the item's occupation or direction */
};

/*
 * 考试日历 (issue 11): the items of the batches in the caller's scope (drafts do not count) whose
 * exam date lies in [from, to] (at most 366 days), by exam date:
 *   {"from", "to", "total", "items": [{"id", "exam_date", "batch": {"id", "name"},
 *    "org": {"id", "name"}, "status", "status_text", "category", "category_text", "level",
 *    "level_text", "occupation": {"id", "name"}, "direction"|null, "count",
 *    "chief_assessor", "assessors": [...], "chief_supervisor"|null, "supervisors": [...]}]}
 * 422 on malformed dates or a span too long; KW_ENOTFOUND for an org outside the scope.
 */
int batch_calendar(struct kw_ctx *c, const struct batch_calendar_filter *f, json_object **out);

/*
 * One batch in the caller's scope (a draft only for its own station):
 *   {"id", "name", "code", "org": {"id", "name"}, "status", "status_text", "phase",
 *    "created_at", "updated_at", "submitted_at", "approved_at", "registration_closes_on",
 *    "actions": [codes the caller may run now],
 *    "items": [{"id", "category", "category_text", "in_annual_plan", "dual_cert",
 *               "exam_date", "registration_closes_on", "level", "level_text",
 *               "occupation": {"id", "name"}, "direction": {"id", "name"}|null, "count",
 *               "enrolled", "standard_equipped", "chief_assessor": {"id", "name"},
 *               "assessors": [{"id", "name"}], "chief_supervisor": {...}|null,
 *               "supervisors": [...], "syllabus_file": {"id", "name"}|null}],
 *    "trail": [{"at", "actor", "action", "comment", "text", "item_id"}]}
 * KW_ENOTFOUND outside the scope.
 */
int batch_get(struct kw_ctx *c, long id, json_object **out);

/* Filters of batch_list(). */
struct batch_filter {
	const char *status; /* one code or several, comma-separated; NULL/"": all */
	const char *sort;   /* updated_at | -updated_at (default) | created_at | -created_at */
	const char *q;	    /* part of the name or the code */
	bool todo;	    /* only batches waiting for the caller's role */
};

/* Check a filter (field errors named after the query parameters). */
int batch_filter_check(struct kw_ctx *c, const struct batch_filter *f);

/*
 * One page of the batches in the caller's scope (ORG_SCOPE_SQL; drafts only
 * for their own station): [{"id", "name", "code", "org", "status", "status_text",
 * "phase", "created_at", "updated_at", "item_count", "waiting_for_me"}].
 */
int batch_list(struct kw_ctx *c, const struct batch_filter *f, long page, long per_page,
	       json_object **items, long *total);

/* ------------------------------------------------------------------ phase 2: papers (R15-R18) */

/*
 * Upload a paper of item_id of batch id (station of the batch, while 报名中 or
 * 报名资质审核被拒绝; another org's batch is KW_ENOTFOUND, a reviewer KW_EFORBIDDEN,
 * another status KW_ECONFLICT naming it): theory an xlsx read as the bank
 * import reads it (R17: every bad row reported, nothing saved) with at least
 * 90 (levels 5-3) or 120 (levels 2-1) questions (R16); practical a docx
 * (checked by content; name: the uploaded file's name or NULL). set_text
 * "1".."3" replaces that set, NULL the first set not uploaded yet.
 * *out: {"id", "part", "set_no", "question_count"}.
 */
int batch_paper_upload(struct kw_ctx *c, long id, long item_id, bool theory, const char *set_text,
		       const char *name, const void *buf, size_t len, json_object **out);

/*
 * The papers of an item (anyone who sees the batch): {"item_id", "item", "enrolled",
 * "sets_required" (R15), "min_questions" (R16), "editable", "theory": [paper],
 * "practical": [paper], "missing": ["缺理论知识试卷 1 套", …]}, paper: {"id", "part",
 * "part_text", "set_no", "title", "question_count", "file": {"id", "name"}|null, "created_at"}.
 */
int batch_papers_get(struct kw_ctx *c, long id, long item_id, json_object **out);

/* Delete one set of an item (the station while registering, as for uploads). */
int batch_paper_remove(struct kw_ctx *c, long id, long item_id, long paper_id);

/*
 * May the caller change the questions of a paper of batch_id now? The station while
 * registering, a reviewer while the batch waits for their registration review (R18);
 * KW_ECONFLICT naming the status otherwise (lib/paper calls it).
 */
int batch_paper_edit_check(struct kw_ctx *c, long batch_id);

/* Delete a draft of the caller's station (KW_ECONFLICT for any other status). R12: the
 * draft's number is given back only when it was the last one of its org and year. */
int batch_delete(struct kw_ctx *c, long id);

#endif
