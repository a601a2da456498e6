/* h_practice.c - handlers of 考试服务 for candidates: 报名意向表 (lib/intention) with the center's
 * summary and forwarding, and 自评自测 (lib/selftest). */
#include "handlers.h"

#include "core/json.h"
#include "export.h"
#include "intention.h"
#include "selftest.h"

/* POST /api/intentions → 201 with the intention (a repeated occupation and level replaces it). */
int h_intention_save(struct request *r)
{
	long id;
	bool replaced = false;
	json_object *o;
	int err = intention_save(r->ctx, r->json, &id, &replaced);
	if (!err)
		err = intention_get(r->ctx, id, &o);
	if (err)
		return err;
	kwj_add_bool(o, "replaced", replaced);
	r->out = o;
	r->status = 201;
	return KW_OK;
}

/* GET /api/intentions/mine */
int h_intention_mine(struct request *r)
{
	json_object *items;
	int err = intention_mine(r->ctx, &items);
	if (err)
		return err;
	json_object *o = kwj_own(r->ctx, json_object_new_object());
	kwj_put(o, "items", items);
	r->out = o;
	return KW_OK;
}

/* DELETE /api/intentions/:id → 204 */
int h_intention_delete(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "报名意向不存在");
	int err = intention_delete(r->ctx, id);
	if (err)
		return err;
	r->status = 204;
	return KW_OK;
}

static const struct xlsx_col summary_cols[] = {
    {.header = "区域", .type = XLSX_TEXT, .width = 24},
    {.header = "职业工种", .type = XLSX_TEXT, .width = 24},
    {.header = "级别", .type = XLSX_TEXT, .width = 14},
    {.header = "人数", .type = XLSX_INT},
};

/* GET /api/intentions/summary?year=&region= (?format=xlsx|csv) */
int h_intention_summary(struct request *r)
{
	const char *year = req_query(r, "year"), *region = req_query(r, "region");
	int err, exporting = export_requested(r, &err);
	if (err)
		return err;
	if (exporting) {
		struct db_rows *rows;
		if ((err = intention_summary_rows(r->ctx, year, region, &rows)))
			return err;
		return resp_export(r, "报名意向汇总", summary_cols,
				   sizeof(summary_cols) / sizeof(*summary_cols), rows);
	}
	json_object *o;
	if ((err = intention_summary(r->ctx, year, region, &o)))
		return err;
	r->out = o;
	return KW_OK;
}

/* POST /api/intentions/forward {"region", "year"?} */
int h_intention_forward(struct request *r)
{
	json_object *o;
	int err = intention_forward(r->ctx, r->json, &o);
	if (err)
		return err;
	r->out = o;
	return KW_OK;
}

/* GET /api/self-tests/options */
int h_selftest_options(struct request *r)
{
	json_object *o;
	int err = selftest_options(r->ctx, &o);
	if (err)
		return err;
	r->out = o;
	return KW_OK;
}

/* POST /api/self-tests {"occupation_id", "level"} → 201 with the questions, no answers. */
int h_selftest_start(struct request *r)
{
	long id;
	json_object *o;
	int err = selftest_start(r->ctx, r->json, &id);
	if (!err)
		err = selftest_get(r->ctx, id, &o);
	if (err)
		return err;
	r->out = o;
	r->status = 201;
	return KW_OK;
}

/* GET /api/self-tests/mine */
int h_selftest_mine(struct request *r)
{
	json_object *o;
	int err = selftest_mine(r->ctx, &o);
	if (err)
		return err;
	r->out = o;
	return KW_OK;
}

/* GET /api/self-tests/:id */
int h_selftest_get(struct request *r)
{
	json_object *o;
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "自测记录不存在");
	int err = selftest_get(r->ctx, id, &o);
	if (err)
		return err;
	r->out = o;
	return KW_OK;
}

/* POST /api/self-tests/:id/submit {"answers": {"1": "A", …}} → the scored self-test. */
int h_selftest_submit(struct request *r)
{
	json_object *o;
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "自测记录不存在");
	int err = selftest_submit(r->ctx, id, r->json);
	if (!err)
		err = selftest_get(r->ctx, id, &o);
	if (err)
		return err;
	r->out = o;
	return KW_OK;
}
