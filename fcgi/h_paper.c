/* h_paper.c - handlers of the paper module: 我的题库 (template, import, list, statistics, edit,
 * export), 组卷方案管理 (schemes, generated papers, Word export) (lib/paper). */
#include "handlers.h"

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "export.h"
#include "paper.h"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define DOCX_TYPE "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

/* ?occupation_id= or ?occupation= (a name or alias such as 汽车焊接生产线操作工). */
static const char *query_occupation(struct request *r)
{
	const char *v = req_query(r, "occupation_id");
	return v && *v ? v : req_query(r, "occupation");
}

/* ------------------------------------------------------------------ bank */

/* GET /api/bank/template.xlsx */
int h_bank_template(struct request *r)
{
	const char *data;
	size_t len;
	int err = paper_template_xlsx(r->ctx, &data, &len);
	if (err)
		return err;
	r->file = data;
	r->file_len = len;
	r->content_type = XLSX_TYPE;
	resp_download(r, "attachment", "题库导入模板.xlsx", "bank-template.xlsx");
	return KW_OK;
}

/* POST /api/bank/import?occupation_id=&level=[&dry_run=1], the xlsx as the raw body. */
int h_bank_import(struct request *r)
{
	bool dry_run = req_query_bool(r, "dry_run", 0);
	if (kw_validation_result(r->ctx))
		return KW_EVALIDATION;
	json_object *report;
	int err = paper_bank_import(r->ctx, query_occupation(r), req_query(r, "level"), r->body,
				    r->body_len, dry_run, &report);
	if (err)
		return err;
	r->out = report;
	r->status = dry_run ? 200 : 201;
	return KW_OK;
}

static void bank_filter(struct request *r, struct bank_filter *f)
{
	f->occupation = query_occupation(r);
	f->level = req_query(r, "level");
	f->type = req_query(r, "type");
	f->kind = req_query(r, "kind");
	f->q = req_query(r, "q");
	f->org_id = req_query(r, "org_id");
	f->near = req_query_bool(r, "near", 0) ? "1" : NULL;
}

/* GET /api/bank/questions: list, search, paging; ?format=xlsx|csv exports. */
int h_bank_list(struct request *r)
{
	static const struct xlsx_col cols[] = {
	    {.header = "题干", .type = XLSX_TEXT, .width = 60},
	    {.header = "题型(单选题、多选题、判断题)", .type = XLSX_TEXT},
	    {.header = "选项A", .type = XLSX_TEXT, .width = 16},
	    {.header = "选项B", .type = XLSX_TEXT, .width = 16},
	    {.header = "选项C", .type = XLSX_TEXT, .width = 16},
	    {.header = "选项D", .type = XLSX_TEXT, .width = 16},
	    {.header = "正确答案", .type = XLSX_TEXT},
	    {.header = "类型(基础知识、相关知识)", .type = XLSX_TEXT},
	    {.header = "职业/工种", .type = XLSX_TEXT, .width = 20},
	    {.header = "等级", .type = XLSX_TEXT},
	    {.header = "所属机构", .type = XLSX_TEXT, .width = 30},
	};
	struct kw_ctx *c = r->ctx;
	struct bank_filter f;
	long page, per_page, total;
	int err;
	bank_filter(r, &f);
	int exporting = export_requested(r, &err);
	if (!exporting)
		req_paging(r, &page, &per_page);
	if ((err = paper_bank_filter_check(c, &f)) || (err = kw_validation_result(c)))
		return err;
	if (exporting) {
		struct db_rows *rows;
		if ((err = paper_bank_export(c, &f, &rows)))
			return err;
		return resp_export(r, "题库", cols, sizeof(cols) / sizeof(cols[0]), rows);
	}
	json_object *items;
	if ((err = paper_bank_list(c, &f, page, per_page, &items, &total)))
		return err;
	resp_list(r, items, total, page, per_page);
	return KW_OK;
}

/* GET /api/bank/stats */
int h_bank_stats(struct request *r)
{
	struct bank_filter f;
	int err;
	bank_filter(r, &f);
	if ((err = paper_bank_filter_check(r->ctx, &f)))
		return err;
	return paper_bank_stats(r->ctx, &f, &r->out);
}

/* GET /api/bank/questions/:id */
int h_bank_get(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "试题不存在");
	return paper_bank_get(r->ctx, id, &r->out);
}

/* PUT /api/bank/questions/:id */
int h_bank_update(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "试题不存在");
	int err = paper_bank_update(r->ctx, id, r->json);
	if (err)
		return err;
	return paper_bank_get(r->ctx, id, &r->out);
}

/* DELETE /api/bank/questions/:id */
int h_bank_delete(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "试题不存在");
	int err = paper_bank_delete(r->ctx, id);
	if (err)
		return err;
	r->status = 204;
	return KW_OK;
}

/* ------------------------------------------------------------------ schemes */

/* GET /api/schemes */
int h_scheme_list(struct request *r)
{
	long page, per_page, total;
	json_object *items;
	int err = req_paging(r, &page, &per_page);
	if (err || (err = paper_scheme_list(r->ctx, page, per_page, &items, &total)))
		return err;
	resp_list(r, items, total, page, per_page);
	return KW_OK;
}

/* POST /api/schemes → 201 the scheme */
int h_scheme_create(struct request *r)
{
	long id;
	int err = paper_scheme_create(r->ctx, r->json, &id);
	if (err || (err = paper_scheme_get(r->ctx, id, &r->out)))
		return err;
	r->status = 201;
	return KW_OK;
}

/* GET /api/schemes/:id */
int h_scheme_get(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "组卷方案不存在");
	return paper_scheme_get(r->ctx, id, &r->out);
}

/* DELETE /api/schemes/:id */
int h_scheme_delete(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "组卷方案不存在");
	int err = paper_scheme_delete(r->ctx, id);
	if (err)
		return err;
	r->status = 204;
	return KW_OK;
}

/* POST /api/schemes/:id/generate {"sets": n} → 201 {"paper_id", "paper_ids"} */
int h_scheme_generate(struct request *r)
{
	struct kw_ctx *c = r->ctx;
	long id = req_param_id(r, "id"), sets = 1;
	if (!id)
		return kw_fail(c, KW_ENOTFOUND, "组卷方案不存在");
	if (r->json) {
		if (!json_object_is_type(r->json, json_type_object))
			return kw_fail(c, KW_EBADREQ, "请求内容应为 JSON 对象");
		kwj_get_int(c, r->json, "sets", NULL, KWJ_OPTIONAL, 1, 10, &sets);
	}
	int err = kw_validation_result(c);
	json_object *ids;
	if (err || (err = paper_generate(c, id, (int)sets, &ids)))
		return err;
	json_object *o = kwj_own(c, json_object_new_object());
	kwj_add_int(o, "paper_id", json_object_get_int64(json_object_array_get_idx(ids, 0)));
	kwj_put(o, "paper_ids", ids);
	r->out = o;
	r->status = 201;
	return KW_OK;
}

/* ------------------------------------------------------------------ papers */

/* GET /api/papers?scheme_id= */
int h_paper_list(struct request *r)
{
	long page, per_page, total;
	json_object *items;
	long scheme = req_query_id(r, "scheme_id");
	int err = req_paging(r, &page, &per_page);
	if (err || (err = kw_validation_result(r->ctx)) ||
	    (err = paper_list(r->ctx, scheme, page, per_page, &items, &total)))
		return err;
	resp_list(r, items, total, page, per_page);
	return KW_OK;
}

/* GET /api/papers/:id */
int h_paper_get(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "试卷不存在");
	return paper_get(r->ctx, id, &r->out);
}

/* DELETE /api/papers/:id */
int h_paper_delete(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "试卷不存在");
	int err = paper_delete(r->ctx, id);
	if (err)
		return err;
	r->status = 204;
	return KW_OK;
}

/* GET /api/papers/:id/questions → {"items", "total"} */
int h_paper_questions(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "试卷不存在");
	json_object *items;
	int err = paper_questions(r->ctx, id, &items);
	if (err)
		return err;
	json_object *o = kwj_own(r->ctx, json_object_new_object());
	kwj_put(o, "items", items);
	json_object_object_add(o, "total",
			       json_object_new_int64((int64_t)json_object_array_length(items)));
	r->out = o;
	return KW_OK;
}

/* DELETE /api/papers/:id/questions/:qid */
int h_paper_question_delete(struct request *r)
{
	long id = req_param_id(r, "id"), qid = req_param_id(r, "qid");
	if (!id || !qid)
		return kw_fail(r->ctx, KW_ENOTFOUND, "试题不存在");
	int err = paper_question_delete(r->ctx, id, qid);
	if (err)
		return err;
	r->status = 204;
	return KW_OK;
}

/* POST /api/papers/:id/questions/:qid/replace {"question_id"} (optional) → the new question */
int h_paper_question_replace(struct request *r)
{
	struct kw_ctx *c = r->ctx;
	long id = req_param_id(r, "id"), qid = req_param_id(r, "qid"), with = 0;
	if (!id || !qid)
		return kw_fail(c, KW_ENOTFOUND, "试题不存在");
	if (r->json) {
		if (!json_object_is_type(r->json, json_type_object))
			return kw_fail(c, KW_EBADREQ, "请求内容应为 JSON 对象");
		kwj_get_int(c, r->json, "question_id", NULL, KWJ_OPTIONAL, 1, 9007199254740991L,
			    &with);
	}
	int err = kw_validation_result(c);
	if (err)
		return err;
	return paper_question_replace(c, id, qid, with, &r->out);
}

/* GET /api/papers/:id/export?what=paper|answers → .docx */
int h_paper_export(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "试卷不存在");
	const char *what = req_query(r, "what");
	if (what && *what && strcmp(what, "paper") && strcmp(what, "answers")) {
		kw_field_error(r->ctx, "what", 0, "enum", "应为 paper（试卷）或 answers（答案）");
		return KW_EVALIDATION;
	}
	bool answers = what && !strcmp(what, "answers");
	const char *data, *name;
	size_t len;
	int err = paper_export_docx(r->ctx, id, answers, &data, &len, &name);
	if (err)
		return err;
	r->file = data;
	r->file_len = len;
	r->content_type = DOCX_TYPE;
	resp_download(r, "attachment", name, answers ? "answers.docx" : "paper.docx");
	return KW_OK;
}
