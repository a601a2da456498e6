/* h_training.c - handlers of 考评管理人员培训 (lib/training): apply, review actions, the center's
 * schedule, list (with XLSX export) and detail; and the center's home (lib/dashboard). */
#include "handlers.h"

#include "core/json.h"
#include "dashboard.h"
#include "export.h"
#include "training.h"

/* Answer training id in full. */
static int answer_training(struct request *r, long id, int status)
{
	json_object *o;
	int err = training_get(r->ctx, id, &o);
	if (err)
		return err;
	r->out = o;
	r->status = status;
	return KW_OK;
}

/* GET /api/trainings?status=&org_id= (paged; ?format=xlsx|csv exports every match) */
int h_training_list(struct request *r)
{
	long page, per_page, total;
	json_object *items;
	struct training_filter f = {.status = req_query(r, "status"),
				    .org_id = req_query_id(r, "org_id")};
	int err = req_paging(r, &page, &per_page);
	int exporting = export_requested(r, &err);
	if (err || (err = kw_validation_result(r->ctx)))
		return err;
	if (exporting) {
		struct db_rows *rows;
		if ((err = training_export_rows(r->ctx, &f, &rows)))
			return err;
		return resp_export(r, "培训申请", training_cols, training_ncols, rows);
	}
	if ((err = training_list(r->ctx, &f, page, per_page, &items, &total)))
		return err;
	resp_list(r, items, total, page, per_page);
	return KW_OK;
}

/* GET /api/trainings/:id */
int h_training_get(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "培训申请不存在");
	return answer_training(r, id, 200);
}

/* POST /api/trainings: apply (created and submitted); 201 with the application. */
int h_training_create(struct request *r)
{
	long id = 0;
	int err = training_create(r->ctx, r->json, &id);
	if (err)
		return err;
	return answer_training(r, id, 201);
}

/* POST /api/trainings/:id/actions/submit|approve|reject|schedule */
int h_training_action(struct request *r)
{
	long id = req_param_id(r, "id");
	const char *action = req_param(r, "action");
	if (!id || !action)
		return kw_fail(r->ctx, KW_ENOTFOUND, "没有这个操作");
	int err = training_act(r->ctx, id, action, r->json);
	if (err)
		return err;
	return answer_training(r, id, 200);
}

/* GET /api/dashboard (center): the home page's counts */
int h_dashboard(struct request *r)
{
	json_object *o;
	int err = dashboard_center(r->ctx, &o);
	if (err)
		return err;
	r->out = o;
	return KW_OK;
}
