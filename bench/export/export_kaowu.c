/* export_kaowu.c - writes the certificate list with kaowu's XLSX/CSV writers (benchmark and
 * sample). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "office/csv_writer.h"
#include "office/xlsx_writer.h"
#include "rows.h"

/* Usage text. */
static void usage(void)
{
	fputs("usage: export_kaowu [-n rows] [-f xlsx|csv] [-t] -o FILE\n"
	      "       export_kaowu --sample -o FILE.xlsx|FILE.csv\n"
	      "  -n rows   data rows (default 100000)\n"
	      "  -f fmt    xlsx (default) or csv\n"
	      "  -t        typed calls (xlsx_cell_int/_date/…) instead of xlsx_cell_auto on text\n"
	      "  --sample  a small file with every cell type and the awkward values\n",
	      stderr);
	exit(2);
}

/* Monotonic seconds. */
static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Parse "YYYY-MM-DD" of a generated row. */
static void ymd(const char *s, int *y, int *m, int *d)
{
	*y = atoi(s);
	*m = atoi(s + 5);
	*d = atoi(s + 8);
}

/* The benchmark rows through the XLSX writer. */
static int write_xlsx(FILE *fp, long rows, int typed)
{
	xlsx_writer *w = xlsx_open(kw_file_sink, fp);
	xlsx_add_sheet(w, "证书");
	xlsx_columns(w, bench_cols, BENCH_NCOLS);
	struct bench_row r;
	for (long i = 0; i < rows; i++) {
		bench_row(i, &r);
		xlsx_row_begin(w);
		if (!typed) {
			for (int j = 0; j < BENCH_NCOLS; j++)
				xlsx_cell_auto(w, r.f[j]);
		} else {
			int y, m, d;
			xlsx_cell_int(w, i + 1);
			for (int j = 1; j <= 3; j++)
				xlsx_cell_text(w, r.f[j]);
			ymd(r.f[4], &y, &m, &d);
			xlsx_cell_date(w, y, m, d);
			for (int j = 5; j <= 8; j++)
				xlsx_cell_text(w, r.f[j]);
			xlsx_cell_int(w, atoi(r.f[9]));
			xlsx_cell_number(w, strtod(r.f[10], NULL));
			xlsx_cell_text(w, r.f[11]);
			ymd(r.f[12], &y, &m, &d);
			xlsx_cell_date(w, y, m, d);
			xlsx_cell_text(w, r.f[13]);
		}
		if (xlsx_row_end(w))
			break;
	}
	return xlsx_close(w);
}

/* The benchmark rows through the CSV writer. */
static int write_csv(FILE *fp, long rows)
{
	csv_writer *w = csv_open(kw_file_sink, fp);
	csv_columns(w, bench_cols, BENCH_NCOLS);
	struct bench_row r;
	for (long i = 0; i < rows; i++) {
		bench_row(i, &r);
		for (int j = 0; j < BENCH_NCOLS; j++)
			csv_field_auto(w, r.f[j]);
		if (csv_row_end(w))
			break;
	}
	return csv_close(w);
}

/* Awkward values for the interoperability check (test/office/check_xlsx.py). */
static const struct xlsx_col sample_cols[] = {
    {.header = "文本", .type = XLSX_TEXT, .width = 30},
    {.header = "整数", .type = XLSX_INT},
    {.header = "小数", .type = XLSX_DECIMAL, .decimals = 2},
    {.header = "日期", .type = XLSX_DATE},
    {.header = "时间", .type = XLSX_DATETIME},
    {.header = "布尔", .type = XLSX_BOOL},
    {.header = "自动", .type = XLSX_DECIMAL},
};

static const char *sample_rows[][7] = {
    {"机械工业人才评价", "42", "85.5", "2019-06-28", "2019-06-28 14:30:00+08", "t", "-5"},
    {"a<b & c>d \"q\" 'x'", "-7", "0.125", "1900-01-01", "2024-02-29T23:59:59.5", "f", "1e3"},
    {"ctl:\x01\x02\x1f|tab:\t|lf:\n|end", "9007199254740993", "-0.5", "1899-12-31", "2019-06-28",
     "yes", "NaN"},
    {"  leading and trailing  ", "0", "100", "9999-12-31", "infinity", "maybe", NULL},
    {"_x0041_ stays literal", NULL, "", "2019-02-30", "2000-01-01 00:00", "1", "3.14159"},
    {"=HYPERLINK(\"http://x\")", "123456789012345", "12345678901234567890.5", "2020-01-01",
     "2020-01-01 08:00:00", "0", "-12"},
    {"bad utf8:\xff\xfe|\xe4\xb8|end", "5", "2.5", "2019-06-28", "2019-06-28 00:00:00", "true",
     "0"},
    {"emoji 😀 全角＝", "1", "1", "1900-03-01", "1900-03-01 12:00", "off", "7"},
};

/* The sample: sheet 1 with every type through xlsx_cell_auto and typed calls, sheet 2 plain. */
static int write_sample_xlsx(FILE *fp)
{
	const size_t n = sizeof(sample_cols) / sizeof(sample_cols[0]);
	xlsx_writer *w = xlsx_open(kw_file_sink, fp);
	xlsx_add_sheet(w, "样例 [1]");
	xlsx_columns(w, sample_cols, n);
	for (size_t i = 0; i < sizeof(sample_rows) / sizeof(sample_rows[0]); i++) {
		xlsx_row_begin(w);
		for (size_t j = 0; j < n; j++)
			xlsx_cell_auto(w, sample_rows[i][j]);
		xlsx_row_end(w);
	}
	xlsx_row_begin(w);
	xlsx_cell_text(w, "typed");
	xlsx_cell_int(w, -1234567);
	xlsx_cell_number(w, 0.1);
	xlsx_cell_date(w, 2019, 6, 28);
	xlsx_cell_datetime(w, 2019, 6, 28, 14, 30, 0);
	xlsx_cell_bool(w, true);
	xlsx_cell_time(w, 1561703400); /* 2019-06-28T06:30:00Z = 14:30 in Beijing */
	xlsx_row_end(w);

	xlsx_add_sheet(w, "第二页");
	xlsx_row_begin(w);
	xlsx_cell_text(w, "no header");
	xlsx_cell_blank(w);
	xlsx_cell_int(w, 2);
	xlsx_row_end(w);
	return xlsx_close(w);
}

/* The same sample rows as CSV. */
static int write_sample_csv(FILE *fp)
{
	const size_t n = sizeof(sample_cols) / sizeof(sample_cols[0]);
	csv_writer *w = csv_open(kw_file_sink, fp);
	csv_columns(w, sample_cols, n);
	for (size_t i = 0; i < sizeof(sample_rows) / sizeof(sample_rows[0]); i++) {
		for (size_t j = 0; j < n; j++)
			csv_field_auto(w, sample_rows[i][j]);
		csv_row_end(w);
	}
	return csv_close(w);
}

/* Parse the options, write the file, print the time. */
int main(int argc, char **argv)
{
	long rows = 100000;
	const char *fmt = "xlsx", *out = NULL;
	int typed = 0, sample = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			rows = atol(argv[++i]);
		else if (!strcmp(argv[i], "-f") && i + 1 < argc)
			fmt = argv[++i];
		else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "-t"))
			typed = 1;
		else if (!strcmp(argv[i], "--sample"))
			sample = 1;
		else
			usage();
	}
	if (!out || rows < 0)
		usage();
	int csv = strcmp(fmt, "csv") == 0 || (sample && strstr(out, ".csv"));
	FILE *fp = fopen(out, "wb");
	if (!fp) {
		fprintf(stderr, "export_kaowu: %s: %s\n", out, strerror(errno));
		return 1;
	}
	double t0 = now_s();
	int rc;
	if (sample)
		rc = csv ? write_sample_csv(fp) : write_sample_xlsx(fp);
	else
		rc = csv ? write_csv(fp, rows) : write_xlsx(fp, rows, typed);
	if (fclose(fp) != 0 && rc == 0)
		rc = -11;
	double dt = now_s() - t0;
	if (rc) {
		fprintf(stderr, "export_kaowu: writer error %d\n", rc);
		return 1;
	}
	if (!sample)
		printf("kaowu %s%s rows=%ld seconds=%.3f rows_per_s=%.0f\n", csv ? "csv" : "xlsx",
		       typed ? "-typed" : "", rows, dt, dt > 0 ? rows / dt : 0);
	return 0;
}
