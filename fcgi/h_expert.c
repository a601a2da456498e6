/* h_expert.c - handlers of 考评员/督导员管理, 我的证书 and the R9 assessor picker (lib/expert). */
#include "handlers.h"
#include "export.h"

#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "core/clock.h"
#include "core/json.h"
#include "expert.h"

/* A query id for a filter: a malformed one (error recorded) filters nothing. */
static long positive(long v)
{
	return v > 0 ? v : 0;
}

/* The body as a JSON object, or 400. */
static int body_object(struct request *r, json_object **out)
{
	if (!r->json || !json_object_is_type(r->json, json_type_object))
		return kw_fail(r->ctx, KW_EBADREQ, "请求内容应为 JSON 对象");
	*out = r->json;
	return KW_OK;
}

/* Answer the expert id as GET /api/experts/{id} shows it, with status. */
static int answer_expert(struct request *r, long id, int status)
{
	json_object *o;
	int err = expert_get(r->ctx, id, &o);
	if (err)
		return err;
	r->out = o;
	r->status = status;
	return KW_OK;
}

/* The day of query parameter key ("YYYY-MM-DD") or NULL when absent; a field error when malformed.
 */
static const char *query_day(struct request *r, const char *key)
{
	const char *v = req_query(r, key);
	time_t t;
	if (!v || !*v)
		return NULL;
	if (strlen(v) != 10 || !kw_parse_time(v, &t))
		kw_field_error(r->ctx, key, 0, "date", "日期格式应为 YYYY-MM-DD");
	return v;
}

/* The list's filters from the query (the list, its export and its counts read the same). */
static void filter_of(struct request *r, struct expert_filter *f)
{
	*f = (struct expert_filter){
	    .role = req_query(r, "role"),
	    .cert_no = req_query(r, "cert_no"),
	    .q = req_query(r, "q"),
	    .type = req_query(r, "type"),
	    .category = req_query(r, "category"),
	    .org_id = positive(req_query_id(r, "org_id")),
	    .occupation_id = positive(req_query_id(r, "occupation_id")),
	};
}

/* GET /api/experts: the caller's experts, filtered and paged; ?format=xlsx|csv exports them. */
int h_expert_list(struct request *r)
{
	struct kw_ctx *c = r->ctx;
	struct expert_filter f;
	filter_of(r, &f);
	long page, per_page, total;
	int err;
	const char *busy_on = query_day(r, "busy_on"); /* the pickers: who serves on that day */
	long busy_batch = positive(req_query_id(r, "batch_id"));
	int exporting = export_requested(r, &err);
	(void)req_paging(r, &page, &per_page); /* its field errors count below */
	if ((err = expert_filter_check(c, &f)))
		return err;
	if (exporting) {
		struct db_rows *rows;
		if ((err = expert_export_rows(c, &f, &rows)))
			return err;
		return resp_export(r, "考评员督导员", expert_export_cols, expert_export_ncols,
				   rows);
	}
	json_object *items;
	if ((err = expert_list(c, &f, page, per_page, &items, &total)))
		return err;
	if (busy_on && (err = batch_people_mark_busy(c, busy_on, busy_batch, items)))
		return err;
	resp_list(r, items, total, page, per_page);
	return KW_OK;
}

/* GET /api/experts/counts: the list's filters, counted by type and category (统计). */
int h_expert_counts(struct request *r)
{
	struct kw_ctx *c = r->ctx;
	struct expert_filter f;
	filter_of(r, &f);
	json_object *out;
	int err = expert_filter_check(c, &f);
	if (err || (err = expert_counts(c, &f, &out)))
		return err;
	r->out = out;
	return KW_OK;
}

/* GET /api/experts/eligible?org_id=&occupation_id=&exam_date=: R9 assessors for the batch form. */
int h_expert_eligible(struct request *r)
{
	struct kw_ctx *c = r->ctx;
	long org_id, occupation_id;
	org_id = positive(req_query_id(r, "org_id"));
	occupation_id = positive(req_query_id(r, "occupation_id"));
	const char *date = req_query(r, "exam_date");
	long busy_batch = positive(req_query_id(r, "batch_id")); /* its own people are not busy */
	if (!org_id && !(c->user.role & R_CENTER))
		org_id = c->user.org_id;
	if (!org_id)
		kw_field_error(c, "org_id", 0, "required", "请指定机构");
	if (!occupation_id && !req_query(r, "occupation_id"))
		kw_field_error(c, "occupation_id", 0, "required", "请选择职业/工种");
	if (!date || !*date)
		kw_field_error(c, "exam_date", 0, "required", "请填写考试日期");
	int err = kw_validation_result(c);
	if (err)
		return err;
	json_object *items;
	if ((err = expert_eligible_in_scope(c, org_id, (int)occupation_id, date, &items)) ||
	    (err = batch_people_mark_busy(c, date, busy_batch, items)))
		return err;
	long n = (long)json_object_array_length(items);
	resp_list(r, items, n, 1, n > 0 ? n : 1);
	return KW_OK;
}

/* GET /api/experts/{id} */
int h_expert_get(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return KW_ENOTFOUND;
	return answer_expert(r, id, 200);
}

/* POST /api/experts (center): 201 with the new expert. */
int h_expert_create(struct request *r)
{
	json_object *body = NULL;
	long id;
	const char *initial = NULL;
	int err = body_object(r, &body);
	if (err || (err = expert_create(r->ctx, body, &id, &initial)) ||
	    (err = answer_expert(r, id, 201)))
		return err;
	if (initial) /* KAOWU_INITIAL_PASSWORD=random: shown this once */
		kwj_add_str(r->out, "initial_password", initial);
	return KW_OK;
}

/* POST /api/experts/{id}/initial-password (center) */
int h_expert_initial_password(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "人员不存在");
	return expert_reissue_password(r->ctx, id, &r->out);
}

/* PUT /api/experts/{id} (center) */
int h_expert_update(struct request *r)
{
	json_object *body = NULL;
	long id = req_param_id(r, "id");
	if (!id)
		return KW_ENOTFOUND;
	int err = body_object(r, &body);
	if (err || (err = expert_update(r->ctx, id, body)))
		return err;
	return answer_expert(r, id, 200);
}

/* POST /api/experts/{id}/certificates (center): 201 with the expert and its certificates. */
int h_expert_cert_add(struct request *r)
{
	json_object *body = NULL;
	long id = req_param_id(r, "id"), cert_id;
	if (!id)
		return KW_ENOTFOUND;
	int err = body_object(r, &body);
	if (err || (err = expert_certificate_add(r->ctx, id, body, &cert_id)))
		return err;
	return answer_expert(r, id, 201);
}

/* PUT /api/experts/{id}/certificates/{cert_id} (center) */
int h_expert_cert_update(struct request *r)
{
	json_object *body = NULL;
	long id = req_param_id(r, "id"), cert_id = req_param_id(r, "cert_id");
	if (!id || !cert_id)
		return KW_ENOTFOUND;
	int err = body_object(r, &body);
	if (err || (err = expert_certificate_update(r->ctx, id, cert_id, body)))
		return err;
	return answer_expert(r, id, 200);
}

/* DELETE /api/experts/{id}/certificates/{cert_id} (center): the expert as it is now. */
int h_expert_cert_delete(struct request *r)
{
	long id = req_param_id(r, "id"), cert_id = req_param_id(r, "cert_id");
	if (!id || !cert_id)
		return KW_ENOTFOUND;
	int err = expert_certificate_remove(r->ctx, id, cert_id);
	if (err)
		return err;
	return answer_expert(r, id, 200);
}

/* GET /api/expert/certificates: 我的证书 of the calling assessor or supervisor. */
int h_expert_my_certs(struct request *r)
{
	json_object *items;
	int err = expert_my_certificates(r->ctx, &items);
	if (err)
		return err;
	long n = (long)json_object_array_length(items);
	resp_list(r, items, n, 1, n > 0 ? n : 1);
	return KW_OK;
}
