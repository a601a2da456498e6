/* h_grading.c - handlers of batch phase 4 (lib/grading, lib/report): 成绩管理 with import and
 * template, the three reports and their confirmations, 督促, the expert's tasks, R21's check. */
#include "handlers.h"

#include "core/json.h"
#include "grading.h"
#include "report.h"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* The two path ids of an item route; 0 when malformed. */
static bool item_ids(struct request *r, long *bid, long *iid)
{
	*bid = req_param_id(r, "id");
	*iid = req_param_id(r, "item_id");
	return *bid && *iid;
}

#define ITEM_IDS(r, bid, iid)                                                                      \
	long bid, iid;                                                                             \
	if (!item_ids(r, &bid, &iid))                                                              \
	return kw_fail(r->ctx, KW_ENOTFOUND, "批次或职业等级不存在")

/* Answer o (or the error); call after the module function has filled o. */
static int answer(struct request *r, int err, json_object *o)
{
	if (err)
		return err;
	r->out = o;
	return KW_OK;
}

/* GET /api/batches/:id/items/:item_id/scores */
int h_grading_scores(struct request *r)
{
	json_object *o = NULL;
	ITEM_IDS(r, bid, iid);
	int err = grading_scores(r->ctx, bid, iid, &o);
	return answer(r, err, o);
}

/* PUT /api/batches/:id/items/:item_id/scores (station, R19) */
int h_grading_save(struct request *r)
{
	json_object *o = NULL;
	ITEM_IDS(r, bid, iid);
	int err = grading_save(r->ctx, bid, iid, r->json, &o);
	return answer(r, err, o);
}

/* GET /api/batches/:id/items/:item_id/scores/template.xlsx */
int h_grading_template(struct request *r)
{
	const char *data;
	size_t len;
	ITEM_IDS(r, bid, iid);
	int err = grading_template(r->ctx, bid, iid, &data, &len);
	if (err)
		return err;
	r->file = data;
	r->file_len = len;
	r->content_type = XLSX_TYPE;
	resp_download(r, "attachment", "成绩导入模板.xlsx", "scores.xlsx");
	return KW_OK;
}

/* POST /api/batches/:id/items/:item_id/scores/import, the xlsx as the raw body. */
int h_grading_import(struct request *r)
{
	json_object *o = NULL;
	ITEM_IDS(r, bid, iid);
	int err = grading_import(r->ctx, bid, iid, r->body, r->body_len, &o);
	return answer(r, err, o);
}

/* GET /api/batches/:id/items/:item_id/reports */
int h_report_get(struct request *r)
{
	json_object *o = NULL;
	ITEM_IDS(r, bid, iid);
	int err = report_get(r->ctx, bid, iid, &o);
	return answer(r, err, o);
}

/* PUT …/appraisal-report (station) */
int h_report_appraisal(struct request *r)
{
	json_object *o = NULL;
	ITEM_IDS(r, bid, iid);
	int err = report_file(r->ctx, bid, iid, "appraisal", r->json, &o);
	return answer(r, err, o);
}

/* PUT …/assessment-report (chief assessor) */
int h_report_assessment(struct request *r)
{
	json_object *o = NULL;
	ITEM_IDS(r, bid, iid);
	int err = report_file(r->ctx, bid, iid, "assessment", r->json, &o);
	return answer(r, err, o);
}

/* PUT …/supervision-report (chief supervisor) */
int h_report_supervision(struct request *r)
{
	json_object *o = NULL;
	ITEM_IDS(r, bid, iid);
	int err = report_file(r->ctx, bid, iid, "supervision", r->json, &o);
	return answer(r, err, o);
}

/* POST …/assessment-report/confirm (each assessor) */
int h_report_assessment_confirm(struct request *r)
{
	json_object *o = NULL;
	ITEM_IDS(r, bid, iid);
	int err = report_confirm(r->ctx, bid, iid, "assessment", r->json, &o);
	return answer(r, err, o);
}

/* POST …/supervision-report/confirm (each supervisor) */
int h_report_supervision_confirm(struct request *r)
{
	json_object *o = NULL;
	ITEM_IDS(r, bid, iid);
	int err = report_confirm(r->ctx, bid, iid, "supervision", r->json, &o);
	return answer(r, err, o);
}

/* POST …/reports/remind (督促, station) */
int h_report_remind(struct request *r)
{
	json_object *o = NULL;
	ITEM_IDS(r, bid, iid);
	int err = report_remind(r->ctx, bid, iid, &o);
	return answer(r, err, o);
}

/* GET /api/batches/:id/score-check: what keeps 提交成绩 back (R21). */
int h_report_missing(struct request *r)
{
	json_object *o = NULL;
	long bid = req_param_id(r, "id");
	if (!bid)
		return kw_fail(r->ctx, KW_ENOTFOUND, "批次不存在");
	int err = report_missing(r->ctx, bid, &o);
	return answer(r, err, o);
}

/* GET /api/expert/tasks: the items the calling assessor or supervisor serves. */
int h_expert_tasks(struct request *r)
{
	json_object *items = NULL;
	int err = report_tasks(r->ctx, &items);
	if (err)
		return err;
	json_object *o = kwj_own(r->ctx, json_object_new_object());
	kwj_put(o, "items", items);
	r->out = o;
	return KW_OK;
}
