/* h_file.c - handlers of uploads (lib/file): POST /api/files (raw body), GET /api/files/{id}. */
#include "handlers.h"

#include <stdbool.h>
#include <string.h>

#include "file.h"

/* POST /api/files: the raw body, Content-Type, the name in X-File-Name (percent-encoded UTF-8). */
int h_file_upload(struct request *r)
{
	const char *raw = req_env(r, "HTTP_X_FILE_NAME");
	const char *name = raw ? url_decode(r->a, raw, strlen(raw), 0) : NULL;
	if (raw && !name) {
		kw_field_error(r->ctx, "name", 0, "format",
			       "X-File-Name 应为百分号编码的 UTF-8 文本");
		return KW_EVALIDATION;
	}
	json_object *o;
	int err = file_store(r->ctx, name, req_env(r, "CONTENT_TYPE"), r->body, r->body_len, &o);
	if (err)
		return err;
	r->out = o;
	r->status = 201;
	return KW_OK;
}

/* GET /api/files/:id - the file, if the caller may see it (else 404). */
int h_file_download(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "文件不存在");
	struct file_blob f;
	int err = file_fetch(r->ctx, id, &f);
	if (err)
		return err;
	r->file = (const char *)f.data;
	r->file_len = f.len;
	r->content_type = f.mime;
	bool image = f.kind && (!strcmp(f.kind, "jpg") || !strcmp(f.kind, "png"));
	resp_download(r, image ? "inline" : "attachment", f.name, NULL);
	resp_header(r, "ETag", arena_printf(r->a, "\"%s\"", f.sha256));
	return KW_OK;
}
