/* report.h - batch phase 4, the reports of a batch item (R20): 鉴定报告 (the station), 考评报告
 * (the chief assessor, confirmed by each assessor), 督导报告 (the chief supervisor, confirmed by
 * each supervisor), 督促, the expert's task list, and the R21 check before 提交成绩. */
#ifndef KW_REPORT_H
#define KW_REPORT_H

#include <json-c/json.h>

#include "core/ctx.h"

/* GET …/reports: the three reports, who has confirmed, what is pending, what the caller may do. */
int report_get(struct kw_ctx *c, long batch_id, long item_id, json_object **out);

/* PUT …/{appraisal|assessment|supervision}-report: file (or file again) one report; kind is
 * "appraisal", "assessment" or "supervision". Answers like report_get. */
int report_file(struct kw_ctx *c, long batch_id, long item_id, const char *kind, json_object *body,
		json_object **out);

/* POST …/{assessment|supervision}-report/confirm {"comment"}: 提交并确认. */
int report_confirm(struct kw_ctx *c, long batch_id, long item_id, const char *kind,
		   json_object *body, json_object **out);

/* POST …/reports/remind (督促): a 站内信 to everyone whose report or confirmation is pending. */
int report_remind(struct kw_ctx *c, long batch_id, long item_id, json_object **out);

/* GET /api/expert/tasks: the batch items the calling assessor or supervisor serves. */
int report_tasks(struct kw_ctx *c, json_object **items);

/* GET /api/batches/{id}/score-check: per item what still keeps 提交成绩 back (R21). */
int report_missing(struct kw_ctx *c, long batch_id, json_object **out);

/* R21, the guard of 提交成绩 (inside its transaction): one field error per item and missing
 * thing, naming the people; KW_EVALIDATION when anything is missing. */
int report_check_batch(struct kw_ctx *c, long batch_id);

#endif
