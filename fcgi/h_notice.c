/* h_notice.c - handlers of 通知公告 (lib/notice): the center's notices and their status and
 * receipts export, the orgs' list, detail, attachments and 回执, and the public site and search. */
#include "handlers.h"

#include <string.h>

#include "core/json.h"
#include "export.h"
#include "notice.h"

/* Answer notice id in full (the detail marks it read for an org). */
static int answer_notice(struct request *r, long id, int status)
{
	json_object *o;
	int err = notice_get(r->ctx, id, &o);
	if (err)
		return err;
	r->out = o;
	r->status = status;
	return KW_OK;
}

/* A stored file as the response body (a download). */
static int answer_file(struct request *r, const struct file_blob *f)
{
	r->file = (const char *)f->data;
	r->file_len = f->len;
	r->content_type = f->mime;
	resp_download(r, "attachment", f->name, NULL);
	resp_header(r, "ETag", arena_printf(r->a, "\"%s\"", f->sha256));
	return KW_OK;
}

/* GET /api/notices?q=&status=&unread=1 (paged) */
int h_notice_list(struct request *r)
{
	long page, per_page, total;
	json_object *items;
	const char *unread = req_query(r, "unread");
	struct notice_filter f = {.q = req_query(r, "q"),
				  .status = req_query(r, "status"),
				  .unread = unread && !strcmp(unread, "1")};
	int err = req_paging(r, &page, &per_page);
	if (err || (err = notice_list(r->ctx, &f, page, per_page, &items, &total)))
		return err;
	resp_list(r, items, total, page, per_page);
	return KW_OK;
}

/* GET /api/notices/:id */
int h_notice_get(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "通知公告不存在");
	return answer_notice(r, id, 200);
}

/* POST /api/notices: a draft; 201 with the notice. */
int h_notice_create(struct request *r)
{
	long id;
	int err = notice_create(r->ctx, r->json, &id);
	if (err)
		return err;
	return answer_notice(r, id, 201);
}

/* PUT /api/notices/:id */
int h_notice_update(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "通知公告不存在");
	int err = notice_update(r->ctx, id, r->json);
	if (err)
		return err;
	return answer_notice(r, id, 200);
}

/* POST /api/notices/:id/actions/publish|withdraw */
int h_notice_action(struct request *r)
{
	long id = req_param_id(r, "id");
	const char *action = req_param(r, "action");
	if (!id || !action)
		return kw_fail(r->ctx, KW_ENOTFOUND, "没有这个操作");
	int err = notice_act(r->ctx, id, action);
	if (err)
		return err;
	return answer_notice(r, id, 200);
}

/* GET /api/notices/:id/attachments/:file_id (the audience and the center) */
int h_notice_attachment(struct request *r)
{
	long id = req_param_id(r, "id"), file_id = req_param_id(r, "file_id");
	struct file_blob f;
	if (!id || !file_id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "附件不存在");
	int err = notice_attachment(r->ctx, id, file_id, false, &f);
	return err ? err : answer_file(r, &f);
}

/* PUT /api/notices/:id/receipt (an org of the audience, until the deadline) */
int h_notice_receipt(struct request *r)
{
	long id = req_param_id(r, "id");
	json_object *o;
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "通知公告不存在");
	int err = notice_receipt_put(r->ctx, id, r->json, &o);
	if (err)
		return err;
	r->out = o;
	return KW_OK;
}

/* GET /api/notices/:id/status (center): read / answered per org of the audience */
int h_notice_status(struct request *r)
{
	long id = req_param_id(r, "id");
	json_object *items;
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "通知公告不存在");
	int err = notice_status(r->ctx, id, &items);
	if (err)
		return err;
	r->out = kwj_own(r->ctx, json_object_new_object());
	kwj_put(r->out, "items", items);
	return KW_OK;
}

/* GET /api/notices/:id/receipts?format=xlsx|csv (center): one row per attendee */
int h_notice_receipts(struct request *r)
{
	struct kw_ctx *c = r->ctx;
	long id = req_param_id(r, "id");
	int err;
	if (!id)
		return kw_fail(c, KW_ENOTFOUND, "通知公告不存在");
	if (!export_requested(r, &err)) {
		if (!err)
			kw_field_error(c, "format", 0, "required", "请指定导出格式 csv 或 xlsx");
		return KW_EVALIDATION;
	}
	struct db_rows *rows;
	const char *title;
	if ((err = notice_receipt_rows(c, id, &rows, &title)))
		return err;
	(void)title;
	return resp_export(r, "回执", notice_receipt_cols, notice_receipt_ncols, rows);
}

/* GET /api/public/notices?section=work|industry|notice (no login) */
int h_public_notices(struct request *r)
{
	long page, per_page, total;
	json_object *items;
	int err = req_paging(r, &page, &per_page);
	if (err || (err = notice_public_list(r->ctx, req_query(r, "section"), page, per_page,
					     &items, &total)))
		return err;
	resp_list(r, items, total, page, per_page);
	return KW_OK;
}

/* GET /api/public/notices/:id (no login; public published notices only) */
int h_public_notice(struct request *r)
{
	long id = req_param_id(r, "id");
	json_object *o;
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "通知公告不存在");
	int err = notice_public_get(r->ctx, id, &o);
	if (err)
		return err;
	r->out = o;
	return KW_OK;
}

/* GET /api/public/notices/:id/attachments/:file_id (no login) */
int h_public_notice_attachment(struct request *r)
{
	long id = req_param_id(r, "id"), file_id = req_param_id(r, "file_id");
	struct file_blob f;
	if (!id || !file_id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "附件不存在");
	int err = notice_attachment(r->ctx, id, file_id, true, &f);
	return err ? err : answer_file(r, &f);
}

/* GET /api/public/search?q= (no login): 站内搜索 over the public notices */
int h_public_search(struct request *r)
{
	long page, per_page, total;
	json_object *items;
	int err = req_paging(r, &page, &per_page);
	if (err || (err = notice_search(r->ctx, req_query(r, "q"), page, per_page, &items, &total)))
		return err;
	resp_list(r, items, total, page, per_page);
	return KW_OK;
}
