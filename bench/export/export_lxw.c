/* export_lxw.c - writes the certificate list with libxlsxwriter (constant_memory), for comparison.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xlsxwriter.h>

#include "rows.h"

/* Monotonic seconds. */
static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The same rows from the same text, converted the way an export from PostgreSQL would. */
int main(int argc, char **argv)
{
	long rows = 100000;
	const char *out = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			rows = atol(argv[++i]);
		else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else
			out = NULL, i = argc;
	}
	if (!out) {
		fputs("usage: export_lxw [-n rows] -o FILE.xlsx\n", stderr);
		return 2;
	}
	double t0 = now_s();
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
	lxw_workbook *wb = workbook_new_opt(out, &opt);
	if (!wb) {
		fprintf(stderr, "export_lxw: cannot create %s\n", out);
		return 1;
	}
	lxw_worksheet *ws = workbook_add_worksheet(wb, "证书");
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	lxw_format *date = workbook_add_format(wb);
	format_set_num_format(date, "yyyy-mm-dd");
	lxw_format *dec1 = workbook_add_format(wb);
	format_set_num_format(dec1, "0.0");
	lxw_format *text = workbook_add_format(wb);
	format_set_num_format(text, "@");

	for (int j = 0; j < BENCH_NCOLS; j++) {
		double wd = bench_cols[j].width > 0 ? bench_cols[j].width : 12;
		worksheet_set_column(ws, (lxw_col_t)j, (lxw_col_t)j, wd, NULL);
		worksheet_write_string(ws, 0, (lxw_col_t)j, bench_cols[j].header, bold);
	}
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_autofilter(ws, 0, 0, (lxw_row_t)rows, BENCH_NCOLS - 1);

	struct bench_row r;
	for (long i = 0; i < rows; i++) {
		bench_row(i, &r);
		lxw_row_t row = (lxw_row_t)(i + 1);
		for (int j = 0; j < BENCH_NCOLS; j++) {
			const char *v = r.f[j];
			if (!v)
				continue;
			switch (bench_cols[j].type) {
			case XLSX_INT:
				worksheet_write_number(ws, row, (lxw_col_t)j, strtod(v, NULL),
						       NULL);
				break;
			case XLSX_DECIMAL:
				worksheet_write_number(ws, row, (lxw_col_t)j, strtod(v, NULL),
						       dec1);
				break;
			case XLSX_DATE: {
				lxw_datetime dt = {atoi(v), atoi(v + 5), atoi(v + 8), 0, 0, 0};
				worksheet_write_datetime(ws, row, (lxw_col_t)j, &dt, date);
				break;
			}
			default:
				worksheet_write_string(ws, row, (lxw_col_t)j, v, text);
				break;
			}
		}
	}
	lxw_error err = workbook_close(wb);
	double dt = now_s() - t0;
	if (err != LXW_NO_ERROR) {
		fprintf(stderr, "export_lxw: %s\n", lxw_strerror(err));
		return 1;
	}
	printf("libxlsxwriter xlsx rows=%ld seconds=%.3f rows_per_s=%.0f\n", rows, dt,
	       dt > 0 ? rows / dt : 0);
	return 0;
}
