/* h_org.c - handlers of the org module: 机构信息, 机构管理, 信息变更审核, 冻结 (lib/org). */
#include "handlers.h"
#include "export.h"

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "org.h"

/* Answer the org's full record (after a change, or for GET). */
static int answer_org(struct request *r, long id, int status)
{
	json_object *o;
	int err = org_get(r->ctx, id, &o);
	if (err)
		return err;
	r->out = o; /* owned by the arena already */
	r->status = status;
	return KW_OK;
}

/* GET /api/orgs: the caller's scope, filtered (q, kind, parent_id, frozen), paged or exported. */
int h_org_list(struct request *r)
{
	struct kw_ctx *c = r->ctx;
	long page, per_page;
	int frozen = req_query_bool(r, "frozen", -1);
	struct org_filter f = {
	    .q = req_query(r, "q"),
	    .kind = req_query(r, "kind"),
	    .frozen = frozen < 0 ? NULL
		      : frozen	 ? "true"
				 : "false",
	};
	req_paging(r, &page, &per_page);
	f.parent_id = req_query_id(r, "parent_id");
	int err, exporting = export_requested(r, &err);
	if (!err)
		err = org_filter_check(c, &f);
	if (err)
		return err;
	if (exporting) {
		struct db_rows *rows;
		if ((err = org_export_rows(c, &f, &rows)))
			return err;
		return resp_export(r, "机构", org_export_cols, org_export_ncols, rows);
	}
	json_object *items;
	long total;
	if ((err = org_list(c, &f, page, per_page, &items, &total)))
		return err;
	resp_list(r, items, total, page, per_page);
	return KW_OK;
}

/* GET /api/orgs/:id */
int h_org_get(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "机构不存在");
	return answer_org(r, id, 200);
}

/* POST /api/orgs (center): the org and its login account; 201 with the org. */
int h_org_create(struct request *r)
{
	long id;
	const char *initial = NULL;
	int err = org_create(r->ctx, r->json, &id, &initial);
	if (err || (err = answer_org(r, id, 201)))
		return err;
	if (initial) /* KAOWU_INITIAL_PASSWORD=random: shown this once */
		kwj_add_str(r->out, "initial_password", initial);
	return KW_OK;
}

/* POST /api/orgs/:id/initial-password (the issuing authority: center or level-2 parent) */
int h_org_initial_password(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "机构不存在");
	return org_reissue_password(r->ctx, id, &r->out);
}

/* PUT /api/orgs/:id (center) */
int h_org_update(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "机构不存在");
	int err = org_update(r->ctx, id, r->json);
	if (err)
		return err;
	return answer_org(r, id, 200);
}

/* POST /api/orgs/:id/actions/freeze|unfreeze (level-2 for its children, the center for any). */
int h_org_action(struct request *r)
{
	long id = req_param_id(r, "id");
	const char *action = req_param(r, "action");
	if (!id || !action || (strcmp(action, "freeze") && strcmp(action, "unfreeze")))
		return kw_fail(r->ctx, KW_ENOTFOUND, "没有这个操作");
	int err = org_set_frozen(r->ctx, id, !strcmp(action, "freeze"));
	if (err)
		return err;
	return answer_org(r, id, 200);
}

static int answer_request(struct request *r, long id, int status)
{
	json_object *o;
	int err = org_change_request_get(r->ctx, id, &o);
	if (err)
		return err;
	r->out = o;
	r->status = status;
	return KW_OK;
}

/* POST /api/orgs/:id/change-requests (the org itself): 201 with the request. */
int h_org_cr_create(struct request *r)
{
	long org_id = req_param_id(r, "id"), id;
	if (!org_id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "机构不存在");
	int err = org_change_request_create(r->ctx, org_id, r->json, &id);
	if (err)
		return err;
	return answer_request(r, id, 201);
}

/* GET /api/org-change-requests?status=&org_id= (center: all; an org: its own). */
int h_org_cr_list(struct request *r)
{
	long page, per_page, total;
	json_object *items;
	req_paging(r, &page, &per_page);
	long org_id = req_query_id(r, "org_id");
	int err = kw_validation_result(r->ctx);
	if (err || (err = org_change_request_list(r->ctx, req_query(r, "status"), org_id, page,
						  per_page, &items, &total)))
		return err;
	resp_list(r, items, total, page, per_page);
	return KW_OK;
}

/* GET /api/org-change-requests/:id */
int h_org_cr_get(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "信息变更申请不存在");
	return answer_request(r, id, 200);
}

/* POST /api/org-change-requests/:id/actions/approve|reject {"comment"} (center). */
int h_org_cr_action(struct request *r)
{
	long id = req_param_id(r, "id");
	const char *action = req_param(r, "action");
	const char *comment = NULL;
	if (!id || !action || (strcmp(action, "approve") && strcmp(action, "reject")))
		return kw_fail(r->ctx, KW_ENOTFOUND, "没有这个操作");
	if (r->json && !json_object_is_type(r->json, json_type_object))
		return kw_fail(r->ctx, KW_EBADREQ, "请求内容应为 JSON 对象");
	if (!kwj_get_string(r->ctx, r->json, "comment", NULL, KWJ_OPTIONAL, 500, &comment))
		return KW_EVALIDATION;
	int err = org_change_request_decide(r->ctx, id, !strcmp(action, "approve"), comment);
	if (err)
		return err;
	return answer_request(r, id, 200);
}
