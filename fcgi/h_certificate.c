/* h_certificate.c - handlers of the certificate register: 证书数据管理 (R26), 我的证书, a
 * certificate's PDF, and the public 证书查询 / verification with its rate limit. */
#include "handlers.h"

#include <stdlib.h>

#include "certificate.h"
#include "core/json.h"
#include "export.h"

/* Where users reach the site: the base of the QR code's verification URL. */
static const char *public_base(void)
{
	const char *base = getenv("KAOWU_PUBLIC_URL");
	return base && *base ? base : "http://127.0.0.1:8080";
}

/* The list's filters from the query string (422 on malformed values). */
static int read_filter(struct request *r, struct cert_filter *f)
{
	f->name = req_query(r, "name");
	f->id_number = req_query(r, "id_number");
	f->cert_no = req_query(r, "cert_no");
	f->from = req_query(r, "from");
	f->to = req_query(r, "to");
	f->category = req_query(r, "category");
	f->occupation_id = req_query_id(r, "occupation_id");
	f->org_id = req_query_id(r, "org_id");
	f->batch_id = req_query_id(r, "batch_id");
	f->level = (int)req_query_id(r, "level");
	return certificate_filter_check(r->ctx, f);
}

/* GET /api/certificates?name=&id_number=&cert_no=&occupation_id=&level=&from=&to=&org_id=
 * &batch_id=&category=&page=&per_page=[&format=csv|xlsx] (R26) */
int h_cert_list(struct request *r)
{
	struct cert_filter f = {0};
	long page, per_page, total = 0;
	json_object *items, *by_level;
	const char *text;
	int err = read_filter(r, &f);
	if (err)
		return err;
	if (export_requested(r, &err)) {
		struct db_rows *rows;
		if ((err = certificate_export_rows(r->ctx, &f, &rows)))
			return err;
		return resp_export(r, "证书数据", certificate_export_cols, certificate_export_ncols,
				   rows);
	}
	if (err || (err = req_paging(r, &page, &per_page)) ||
	    (err = certificate_list(r->ctx, &f, page, per_page, &items, &total, &by_level, &text)))
		return err;
	resp_list(r, items, total, page, per_page);
	kwj_put(r->out, "totals_by_level", by_level);
	kwj_add_str(r->out, "totals_text", text);
	return KW_OK;
}

/* GET /api/certificates/stats?by=year|level|occupation */
int h_cert_stats(struct request *r)
{
	json_object *o;
	int err = certificate_stats(r->ctx, req_query(r, "by"), &o);
	if (err)
		return err;
	r->out = o;
	return KW_OK;
}

/* GET /api/certificates/mine (candidate) */
int h_cert_mine(struct request *r)
{
	json_object *items;
	int err = certificate_mine(r->ctx, &items);
	if (err)
		return err;
	r->out = kwj_own(r->ctx, json_object_new_object());
	kwj_put(r->out, "items", items);
	return KW_OK;
}

/* GET /api/certificates/:id */
int h_cert_get(struct request *r)
{
	long id = req_param_id(r, "id");
	json_object *o;
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "证书不存在");
	int err = certificate_get(r->ctx, id, public_base(), &o);
	if (err)
		return err;
	r->out = o;
	return KW_OK;
}

/* GET /api/certificates/:id/certificate.pdf */
int h_cert_pdf(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "证书不存在");
	const unsigned char *pdf;
	size_t len;
	int err = certificate_pdf(r->ctx, id, public_base(), &pdf, &len);
	if (err)
		return err;
	r->file = (const char *)pdf;
	r->file_len = len;
	r->content_type = "application/pdf";
	resp_download(r, "inline", arena_printf(r->a, "证书-%ld.pdf", id),
		      arena_printf(r->a, "certificate-%ld.pdf", id));
	return KW_OK;
}

/* GET /api/public/certificates?cert_no=&name= | ?id_number=&name=&category= (no login) */
int h_cert_public(struct request *r)
{
	json_object *items;
	int err = certificate_public_hit(r->ctx, false);
	if (err || (err = certificate_public_query(r->ctx, req_query(r, "cert_no"),
						   req_query(r, "id_number"), req_query(r, "name"),
						   req_query(r, "category"), &items)))
		return err;
	r->out = kwj_own(r->ctx, json_object_new_object());
	kwj_put(r->out, "items", items);
	return KW_OK;
}

/* GET /api/public/expert-certificates?cert_no=&name= | ?id_number=&name= (no login) */
int h_cert_public_expert(struct request *r)
{
	json_object *items;
	int err = certificate_public_hit(r->ctx, false);
	if (err || (err = certificate_public_expert_query(r->ctx, req_query(r, "cert_no"),
							  req_query(r, "id_number"),
							  req_query(r, "name"), &items)))
		return err;
	r->out = kwj_own(r->ctx, json_object_new_object());
	kwj_put(r->out, "items", items);
	return KW_OK;
}

/* GET /api/public/certificates/verify?data=… (the scanned QR payload; no login) */
int h_cert_verify(struct request *r)
{
	json_object *o;
	int err = certificate_public_hit(r->ctx, false);
	if (err || (err = certificate_verify(r->ctx, req_query(r, "data"), &o)))
		return err;
	r->out = o;
	return KW_OK;
}

/* GET /api/public/certificate-keys: every signing key's public half (no login) */
int h_cert_public_keys(struct request *r)
{
	json_object *o;
	int err = certificate_public_hit(r->ctx, true); /* its own count: clients cache it */
	if (err || (err = certificate_public_keys(r->ctx, &o)))
		return err;
	r->out = o;
	return KW_OK;
}
