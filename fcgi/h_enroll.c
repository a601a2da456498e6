/* h_enroll.c - handlers of the enrollment module (lib/enroll): open items, the candidate's form
 * and 我的报名, the station's roster (花名册) and its rejection of one candidate (R14). */
#include "handlers.h"

#include "core/json.h"
#include "enroll.h"
#include "export.h"

/* GET /api/open-items?org_id=&region= */
int h_enroll_open_items(struct request *r)
{
	json_object *o;
	int err = enroll_open_items(r->ctx, req_query_id(r, "org_id"), req_query(r, "region"), &o);
	if (err)
		return err;
	r->out = o;
	return KW_OK;
}

/* POST /api/enrollments/preview: the normalised form and the eligibility hint, nothing saved. */
int h_enroll_preview(struct request *r)
{
	json_object *o;
	int err = enroll_preview(r->ctx, r->json, &o);
	if (err)
		return err;
	r->out = o;
	return KW_OK;
}

/* POST /api/enrollments → 201 with the enrollment. */
int h_enroll_create(struct request *r)
{
	long id;
	json_object *o;
	int err = enroll_create(r->ctx, r->json, &id);
	if (!err)
		err = enroll_get(r->ctx, id, &o);
	if (err)
		return err;
	r->out = o;
	r->status = 201;
	return KW_OK;
}

/* GET /api/enrollments/mine */
int h_enroll_mine(struct request *r)
{
	json_object *items;
	int err = enroll_mine(r->ctx, &items);
	if (err)
		return err;
	json_object *o = kwj_own(r->ctx, json_object_new_object());
	kwj_put(o, "items", items);
	r->out = o;
	return KW_OK;
}

/*
 * Run change (NULL: none) on enrollment :id, then answer the enrollment as the caller now sees
 * it: the shared shape of 查看详情, 上传盖章后报名表 and 拒绝.
 */
static int answer_enrollment(struct request *r,
			     int (*change)(struct kw_ctx *c, long id, json_object *body))
{
	json_object *o;
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "报名信息不存在");
	int err = change ? change(r->ctx, id, r->json) : KW_OK;
	if (!err)
		err = enroll_get(r->ctx, id, &o);
	if (err)
		return err;
	r->out = o;
	return KW_OK;
}

/* GET /api/enrollments/:id */
int h_enroll_get(struct request *r)
{
	return answer_enrollment(r, NULL);
}

/* POST /api/enrollments/:id/stamped-form {"file_ids": [...]} */
int h_enroll_stamped(struct request *r)
{
	return answer_enrollment(r, enroll_set_stamped);
}

static const struct xlsx_col roster_cols[] = {
    {.header = "序号", .type = XLSX_INT},
    {.header = "考生来源", .type = XLSX_TEXT},
    {.header = "姓名", .type = XLSX_TEXT},
    {.header = "身份证号", .type = XLSX_TEXT, .width = 20},
    {.header = "年龄", .type = XLSX_INT},
    {.header = "单位/学校", .type = XLSX_TEXT, .width = 30},
    {.header = "提交时间", .type = XLSX_TEXT, .width = 18},
    {.header = "状态", .type = XLSX_TEXT, .width = 20},
};

/* GET /api/batches/:id/items/:item_id/roster (?format=xlsx) */
int h_enroll_roster(struct request *r)
{
	long bid = req_param_id(r, "id"), iid = req_param_id(r, "item_id");
	if (!bid || !iid)
		return kw_fail(r->ctx, KW_ENOTFOUND, "批次或职业等级不存在");
	int err, exporting = export_requested(r, &err);
	if (err)
		return err;
	if (exporting) {
		struct db_rows *rows;
		if ((err = enroll_roster_rows(r->ctx, bid, iid, &rows)))
			return err;
		return resp_export(r, "花名册", roster_cols,
				   sizeof(roster_cols) / sizeof(*roster_cols), rows);
	}
	json_object *o;
	if ((err = enroll_roster(r->ctx, bid, iid, &o)))
		return err;
	r->out = o;
	return KW_OK;
}

/* POST /api/enrollments/:id/actions/reject {"reason"} (R14) */
int h_enroll_reject(struct request *r)
{
	return answer_enrollment(r, enroll_reject);
}

/* GET /api/enrollments/:id/form.pdf - the 个人申报表 */
int h_enroll_form_pdf(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "报名信息不存在");
	const unsigned char *pdf;
	size_t len;
	int err = enroll_form_pdf(r->ctx, id, &pdf, &len);
	if (err)
		return err;
	r->file = (const char *)pdf;
	r->file_len = len;
	r->content_type = "application/pdf";
	resp_header(r, "Content-Disposition",
		    arena_printf(r->a,
				 "inline; filename=\"enrollment-%ld.pdf\"; "
				 "filename*=UTF-8''%%E4%%B8%%AA%%E4%%BA%%BA%%E7%%94%%B3%%E6%%8A%%"
				 "A5%%E8%%A1%%A8-%ld.pdf",
				 id, id));
	return KW_OK;
}
