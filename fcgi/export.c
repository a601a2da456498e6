/* export.c - streaming CSV/XLSX downloads for every list endpoint (see export.h). */
#include "export.h"

#include <string.h>

#include "core/log.h"
#include "office/csv_writer.h"

struct export_job {
	const char *format;
	const struct xlsx_col *cols;
	size_t ncols;
	PGresult *res;
};

int export_requested(struct request *r, int *err)
{
	const char *f = req_query(r, "format");
	*err = KW_OK;
	if (!f || !*f || !strcmp(f, "json"))
		return 0;
	if (!strcmp(f, "csv") || !strcmp(f, "xlsx"))
		return 1;
	kw_field_error(r->ctx, "format", 0, "enum", "导出格式应为 csv 或 xlsx");
	*err = KW_EVALIDATION;
	return 0;
}

static int stream(struct request *r, kw_sink_fn sink, void *sink_ctx)
{
	struct export_job *job = r->stream_ctx;
	PGresult *res = job->res;
	int rows = PQntuples(res), cols = (int)job->ncols, err;
	if (!strcmp(job->format, "csv")) {
		csv_writer *w = csv_open(sink, sink_ctx);
		csv_columns(w, job->cols, job->ncols);
		for (int i = 0; i < rows; i++) {
			for (int j = 0; j < cols; j++)
				csv_field_auto(w, PQgetisnull(res, i, j) ? NULL
									 : PQgetvalue(res, i, j));
			if (csv_row_end(w) < 0)
				break;
		}
		err = csv_close(w);
	} else {
		xlsx_writer *w = xlsx_open(sink, sink_ctx);
		xlsx_add_sheet(w, "Sheet1");
		xlsx_columns(w, job->cols, job->ncols);
		for (int i = 0; i < rows; i++) {
			xlsx_row_begin(w);
			for (int j = 0; j < cols; j++)
				xlsx_cell_auto(w, PQgetisnull(res, i, j) ? NULL
									 : PQgetvalue(res, i, j));
			if (xlsx_row_end(w) < 0)
				break;
		}
		err = xlsx_close(w);
	}
	if (err)
		log_warn("export %s of %d rows stopped: error %d", job->format, rows, err);
	return err;
}

int resp_export(struct request *r, const char *name, const struct xlsx_col *cols, size_t n,
		PGresult *res)
{
	if ((size_t)PQnfields(res) < n)
		return KW_EINTERNAL;
	struct export_job *job = arena_zalloc(r->a, sizeof(*job));
	const char *f = req_query(r, "format");
	job->format = f && !strcmp(f, "csv") ? "csv" : "xlsx";
	job->cols = cols;
	job->ncols = n;
	job->res = res;
	r->stream = stream;
	r->stream_ctx = job;
	r->content_type = !strcmp(job->format, "csv")
			      ? "text/csv; charset=utf-8"
			      : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	resp_download(r, "attachment", arena_printf(r->a, "%s.%s", name, job->format),
		      arena_printf(r->a, "export.%s", job->format));
	return KW_OK;
}
