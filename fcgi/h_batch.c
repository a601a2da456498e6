/* h_batch.c - handlers of the batch module (lib/batch): 批次管理 / 批次审核, the form, the
 * actions endpoint of the state table, 调配 and 安排督导. */
#include "handlers.h"

#include <string.h>

#include "batch.h"
#include "core/json.h"

/* Answer the batch in full (after a change, or for GET). */
static int answer_batch(struct request *r, long id, int status)
{
	json_object *o;
	int err = batch_get(r->ctx, id, &o);
	if (err)
		return err;
	r->out = o;
	r->status = status;
	return KW_OK;
}

/* GET /api/batches?status=&sort=&q=&todo=1 */
int h_batch_list(struct request *r)
{
	struct kw_ctx *c = r->ctx;
	long page, per_page, total;
	struct batch_filter f = {
	    .status = req_query(r, "status"),
	    .sort = req_query(r, "sort"),
	    .q = req_query(r, "q"),
	    .todo = req_query_bool(r, "todo", 0),
	};
	req_paging(r, &page, &per_page);
	int err = batch_filter_check(c, &f);
	if (err)
		return err;
	json_object *items;
	if ((err = batch_list(c, &f, page, per_page, &items, &total)))
		return err;
	resp_list(r, items, total, page, per_page);
	return KW_OK;
}

/* GET /api/batches/statuses: every status of the six phases (R25) and the state table. */
int h_batch_statuses(struct request *r)
{
	json_object *o = kwj_own(r->ctx, json_object_new_object());
	kwj_put(o, "items", batch_statuses_json(r->ctx));
	kwj_put(o, "transitions", batch_table_json(r->ctx));
	r->out = o;
	return KW_OK;
}

/* GET /api/batches/:id */
int h_batch_get(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "批次不存在");
	return answer_batch(r, id, 200);
}

/* POST /api/batches (station): a draft; 201 with the batch. */
int h_batch_create(struct request *r)
{
	long id;
	int err = batch_create(r->ctx, r->json, &id);
	if (err)
		return err;
	return answer_batch(r, id, 201);
}

/* PUT /api/batches/:id (station): replace the form of a draft or rejected batch. */
int h_batch_update(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "批次不存在");
	int err = batch_update(r->ctx, id, r->json);
	if (err)
		return err;
	return answer_batch(r, id, 200);
}

/* POST /api/batches/:id/actions/:action {"comment", ...} */
int h_batch_action(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "批次不存在");
	int err = batch_act(r->ctx, id, req_param(r, "action"), r->json);
	if (err)
		return err;
	return answer_batch(r, id, 200);
}

/* PUT /api/batches/:id/items/:item_id/assessors {"chief_assessor_id", "assessor_ids"} */
int h_batch_assessors(struct request *r)
{
	long id = req_param_id(r, "id"), item = req_param_id(r, "item_id");
	if (!id || !item)
		return kw_fail(r->ctx, KW_ENOTFOUND, "批次细则不存在");
	int err = batch_reassign_assessors(r->ctx, id, item, r->json);
	if (err)
		return err;
	return answer_batch(r, id, 200);
}

/* PUT /api/batches/:id/items/:item_id/supervisors {"chief_supervisor_id", "supervisor_ids"} */
int h_batch_supervisors(struct request *r)
{
	long id = req_param_id(r, "id"), item = req_param_id(r, "item_id");
	if (!id || !item)
		return kw_fail(r->ctx, KW_ENOTFOUND, "批次细则不存在");
	int err = batch_assign_supervisors(r->ctx, id, item, r->json);
	if (err)
		return err;
	return answer_batch(r, id, 200);
}

/* DELETE /api/batches/:id (station): its own draft. */
int h_batch_delete(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "批次不存在");
	int err = batch_delete(r->ctx, id);
	if (err)
		return err;
	r->status = 204;
	return KW_OK;
}

/* GET /api/batches/:id/items/:item_id/papers: 查看试卷 of one item. */
int h_batch_papers(struct request *r)
{
	long id = req_param_id(r, "id"), item = req_param_id(r, "item_id");
	if (!id || !item)
		return kw_fail(r->ctx, KW_ENOTFOUND, "批次细则不存在");
	json_object *o;
	int err = batch_papers_get(r->ctx, id, item, &o);
	if (err)
		return err;
	r->out = o;
	return KW_OK;
}

/* POST …/papers/theory or …/papers/practical?set_no=: the raw xlsx / docx. */
static int paper_upload(struct request *r, bool theory)
{
	long id = req_param_id(r, "id"), item = req_param_id(r, "item_id");
	if (!id || !item)
		return kw_fail(r->ctx, KW_ENOTFOUND, "批次细则不存在");
	const char *raw = req_env(r, "HTTP_X_FILE_NAME");
	const char *name = raw ? url_decode(r->a, raw, strlen(raw), 0) : NULL;
	json_object *o;
	int err = batch_paper_upload(r->ctx, id, item, theory, req_query(r, "set_no"), name,
				     r->body, r->body_len, &o);
	if (err)
		return err;
	r->out = o;
	r->status = 201;
	return KW_OK;
}

/* POST /api/batches/:id/items/:item_id/papers/theory (station): xlsx as the bank template. */
int h_batch_paper_theory(struct request *r)
{
	return paper_upload(r, true);
}

/* POST /api/batches/:id/items/:item_id/papers/practical (station): docx. */
int h_batch_paper_practical(struct request *r)
{
	return paper_upload(r, false);
}

/* DELETE /api/batches/:id/items/:item_id/papers/:paper_id (station while registering). */
int h_batch_paper_delete(struct request *r)
{
	long id = req_param_id(r, "id"), item = req_param_id(r, "item_id"),
	     paper = req_param_id(r, "paper_id");
	if (!id || !item || !paper)
		return kw_fail(r->ctx, KW_ENOTFOUND, "试卷不存在");
	int err = batch_paper_remove(r->ctx, id, item, paper);
	if (err)
		return err;
	r->status = 204;
	return KW_OK;
}
