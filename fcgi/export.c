/* export.c - streaming CSV/XLSX downloads for every list endpoint (see export.h). */
#include "export.h"

#include <string.h>

#include "core/log.h"
#include "office/csv_writer.h"

struct export_job {
	const char *format;
	const struct xlsx_col *cols;
	size_t ncols;
	struct db_rows *rows;
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

/* The cell text of column j of a one-row result; NULL for SQL NULL. */
static const char *cell(const PGresult *row, int j)
{
	return PQgetisnull(row, 0, j) ? NULL : PQgetvalue(row, 0, j);
}

/*
 * Write the rows as they come from the database. When the database fails on
 * the way, a CSV ends with a line that says the file is incomplete and an XLSX
 * is left without its end (the zip has no directory), so a cut file is never
 * taken for a whole one.
 */
static int stream(struct request *r, kw_sink_fn sink, void *sink_ctx)
{
	struct export_job *job = r->stream_ctx;
	const PGresult *row;
	int cols = (int)job->ncols, err, dberr = KW_OK;
	if (!strcmp(job->format, "csv")) {
		csv_writer *w = csv_open(sink, sink_ctx);
		csv_columns(w, job->cols, job->ncols);
		while ((row = db_rows_next(job->rows, &dberr))) {
			for (int j = 0; j < cols; j++)
				csv_field_auto(w, cell(row, j));
			if (csv_row_end(w) < 0)
				break;
		}
		if (dberr) {
			csv_field(w, "导出未完成：读取数据时出错，请重新导出");
			csv_row_end(w);
		}
		err = csv_close(w);
	} else {
		xlsx_writer *w = xlsx_open(sink, sink_ctx);
		xlsx_add_sheet(w, "Sheet1");
		xlsx_columns(w, job->cols, job->ncols);
		while ((row = db_rows_next(job->rows, &dberr))) {
			xlsx_row_begin(w);
			for (int j = 0; j < cols; j++)
				xlsx_cell_auto(w, cell(row, j));
			if (xlsx_row_end(w) < 0)
				break;
		}
		if (dberr) {
			xlsx_free(w);
			err = dberr;
		} else {
			err = xlsx_close(w);
		}
	}
	if (err || dberr)
		log_warn("export %s stopped after %ld rows: error %d", job->format,
			 db_rows_count(job->rows), err ? err : dberr);
	return err ? err : dberr;
}

int resp_export(struct request *r, const char *name, const struct xlsx_col *cols, size_t n,
		struct db_rows *rows)
{
	if ((size_t)db_rows_nfields(rows) < n)
		return KW_EINTERNAL;
	struct export_job *job = arena_zalloc(r->a, sizeof(*job));
	const char *f = req_query(r, "format");
	job->format = f && !strcmp(f, "csv") ? "csv" : "xlsx";
	job->cols = cols;
	job->ncols = n;
	job->rows = rows;
	r->stream = stream;
	r->stream_ctx = job;
	r->content_type = !strcmp(job->format, "csv")
			      ? "text/csv; charset=utf-8"
			      : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	resp_download(r, "attachment", arena_printf(r->a, "%s.%s", name, job->format),
		      arena_printf(r->a, "export.%s", job->format));
	return KW_OK;
}
