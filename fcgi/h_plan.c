/* h_plan.c - handlers of the annual plans (年度计划管理, lib/plan): CRUD, review actions, export,
 * overview. */
#include "handlers.h"

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "export.h"
#include "plan.h"

#define PLAN_EXPORT_MAX 500

/* Answer the plan in full (after a change, or for GET). */
static int answer_plan(struct request *r, long id, int status)
{
	json_object *o;
	int err = plan_get(r->ctx, id, &o);
	if (err)
		return err;
	r->out = o; /* owned by the arena already */
	r->status = status;
	return KW_OK;
}

static int answer_export(struct request *r, const long *ids, size_t n)
{
	struct db_rows *rows;
	int err = plan_export_rows(r->ctx, ids, n, &rows);
	if (err)
		return err;
	return resp_export(r, "年度计划", plan_export_cols, plan_export_ncols, rows);
}

/* GET /api/plans?status=&org_id=&year=&q= (paged; ?format=csv|xlsx exports every match). */
int h_plan_list(struct request *r)
{
	struct kw_ctx *c = r->ctx;
	long page, per_page, total;
	json_object *items;
	struct plan_filter f = {.status = req_query(r, "status"), .q = req_query(r, "q")};
	int err = req_paging(r, &page, &per_page);
	f.org_id = req_query_id(r, "org_id");
	f.year = req_query_id(r, "year");
	int exporting = export_requested(r, &err);
	if (err || (err = kw_validation_result(c)))
		return err;
	if (exporting) {
		if ((err = plan_list(c, &f, 1, PLAN_EXPORT_MAX, &items, &total)))
			return err;
		size_t n = json_object_array_length(items);
		long *ids = arena_alloc(r->a, sizeof(long) * (n ? n : 1));
		for (size_t i = 0; i < n; i++)
			ids[i] = (long)json_object_get_int64(
			    json_object_object_get(json_object_array_get_idx(items, i), "id"));
		return answer_export(r, ids, n);
	}
	if ((err = plan_list(c, &f, page, per_page, &items, &total)))
		return err;
	resp_list(r, items, total, page, per_page);
	return KW_OK;
}

/* GET /api/plans/:id */
int h_plan_get(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "年度计划不存在");
	return answer_plan(r, id, 200);
}

/* POST /api/plans: a new draft of the caller's org; 201 with the plan. */
int h_plan_create(struct request *r)
{
	long id;
	int err = plan_create(r->ctx, r->json, &id);
	if (err)
		return err;
	return answer_plan(r, id, 201);
}

/* PUT /api/plans/:id: replace the items of a draft or rejected plan. */
int h_plan_update(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "年度计划不存在");
	int err = plan_update(r->ctx, id, r->json);
	if (err)
		return err;
	return answer_plan(r, id, 200);
}

/* POST /api/plans/:id/actions/submit|approve|reject {"comment"} */
int h_plan_action(struct request *r)
{
	long id = req_param_id(r, "id");
	const char *action = req_param(r, "action");
	const char *comment = NULL;
	if (!id || !action)
		return kw_fail(r->ctx, KW_ENOTFOUND, "没有这个操作");
	if (r->json && !json_object_is_type(r->json, json_type_object))
		return kw_fail(r->ctx, KW_EBADREQ, "请求内容应为 JSON 对象");
	if (r->json &&
	    !kwj_get_string(r->ctx, r->json, "comment", NULL, KWJ_OPTIONAL, 500, &comment))
		return KW_EVALIDATION;
	int err = plan_act(r->ctx, id, action, comment);
	if (err)
		return err;
	return answer_plan(r, id, 200);
}

/* GET /api/plans/export?ids=1,2&format=csv|xlsx (R3): one row per item of the chosen plans. */
int h_plan_export(struct request *r)
{
	struct kw_ctx *c = r->ctx;
	int err;
	if (!export_requested(r, &err)) {
		if (!err)
			kw_field_error(c, "format", 0, "required", "请指定导出格式 csv 或 xlsx");
		return KW_EVALIDATION;
	}
	const char *v = req_query(r, "ids");
	long *ids = arena_alloc(r->a, sizeof(long) * PLAN_EXPORT_MAX);
	size_t n = 0;
	if (!v || !*v) {
		kw_field_error(c, "ids", 0, "required", "请选择要导出的年度计划");
		return KW_EVALIDATION;
	}
	for (const char *p = v; *p;) {
		char *end;
		long id = strtol(p, &end, 10);
		if (end == p || id <= 0 || (*end && *end != ',') || end - p > 15) {
			kw_field_error(c, "ids", 0, "format", "应为以逗号分隔的年度计划编号（id）");
			return KW_EVALIDATION;
		}
		if (n == PLAN_EXPORT_MAX) {
			kw_field_error(c, "ids", 0, "range", "一次最多导出 500 个年度计划");
			return KW_EVALIDATION;
		}
		ids[n++] = id;
		p = *end ? end + 1 : end;
	}
	return answer_export(r, ids, n);
}

/* GET /api/plans/overview?year= (center): totals per occupation x level of the approved plans. */
int h_plan_overview(struct request *r)
{
	long year = req_query_id(r, "year");
	int err = kw_validation_result(r->ctx);
	json_object *o;
	if (err || (err = plan_overview(r->ctx, year, &o)))
		return err;
	r->out = o;
	return KW_OK;
}
