/* xlsx_writer.h - streaming XLSX writer: typed cells, constant memory, bytes to a sink. */
#ifndef KW_XLSX_WRITER_H
#define KW_XLSX_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "office/zipstream.h"

/*
 * Every list export of the platform writes through this one writer:
 *
 *	static const struct xlsx_col cols[] = {
 *		{.header = "姓名", .type = XLSX_TEXT},
 *		{.header = "身份证号", .type = XLSX_TEXT, .width = 20},
 *		{.header = "理论成绩", .type = XLSX_DECIMAL, .decimals = 1},
 *		{.header = "颁证日期", .type = XLSX_DATE},
 *	};
 *	xlsx_writer *w = xlsx_open(sink, sink_ctx);
 *	xlsx_add_sheet(w, "证书");
 *	xlsx_columns(w, cols, 4);
 *	for (each database row) {
 *		xlsx_row_begin(w);
 *		for (j = 0; j < 4; j++)
 *			xlsx_cell_auto(w, PQgetisnull(res, i, j) ? NULL : PQgetvalue(res, i, j));
 *		if (xlsx_row_end(w) < 0)
 *			break;           (the client went away: stop early)
 *	}
 *	return xlsx_close(w);
 *
 * The file is a zip written front to back (see zipstream.h): nothing is kept
 * per row, there are no temporary files and no shared-strings table (text is
 * written as inline strings), so memory stays about 400 KiB whatever the row
 * count. Bytes reach the sink in chunks of 64 KiB and at close; a small file
 * therefore reaches the sink only in xlsx_close(). Size limit: no ZIP64, so a
 * sheet's XML and the whole file must stay below 4 GiB (KW_ETOOLARGE); the
 * certificate list takes about 830 bytes of XML per row of 14 columns, so
 * Excel's own limit of 1,048,576 rows (and 16,384 columns, KW_ETOOLARGE past
 * them too) comes first. Deflate runs at level 1: 100,000 certificate rows
 * take about 0.5 s and 11 MB (bench/export/run.sh).
 *
 * Dates are serial numbers of Excel's 1900 date system. LibreOffice shows
 * dates before 1900-03-01 one day early (it lacks Excel's 1900-02-29).
 *
 * Errors are sticky: a function returns 0 or a negative enum kw_err; after the
 * first error (a sink failure, a limit, a call out of order: KW_EINTERNAL) every
 * call returns that error and writes nothing, and xlsx_close() returns it.
 */
typedef struct xlsx_writer xlsx_writer;

/* Column types: what xlsx_cell_auto() makes of a text value, and the cell style. */
enum xlsx_type {
	XLSX_TEXT,     /* inline string, number format "@" (ID and certificate numbers go here) */
	XLSX_INT,      /* number, format General */
	XLSX_DECIMAL,  /* number, format General or "0.0…" (decimals) */
	XLSX_DATE,     /* date serial, format yyyy-mm-dd */
	XLSX_DATETIME, /* date serial with a fraction, format yyyy-mm-dd hh:mm */
	XLSX_BOOL,     /* boolean cell (TRUE/FALSE); for 是/否 use a text column */
};

/* One column: the header text, the type, and optionally width and decimals. */
struct xlsx_col {
	const char *header; /* UTF-8; NULL for an empty header cell */
	enum xlsx_type type;
	double width;		/* in characters; 0: from the header and the type */
	unsigned char decimals; /* XLSX_DECIMAL: 0 = as many as needed, 1..6 fixed */
};

/*
 * Start a workbook writing to fn(ctx). Never returns NULL (aborts on
 * out-of-memory, like the arena). Nothing is written before the first sheet.
 * The writer owns everything it allocates; finish with xlsx_close(), or
 * drop it with xlsx_free().
 */
xlsx_writer *xlsx_open(kw_sink_fn fn, void *ctx);

/*
 * Begin a new sheet (the previous one is finished). name is copied; characters
 * Excel forbids ([]:*?/\) become '_', it is cut to 31 characters, and an empty
 * name becomes "Sheet<n>". Cells written before any xlsx_add_sheet() go to
 * "Sheet1". Several sheets are fine: they are written one after the other.
 */
int xlsx_add_sheet(xlsx_writer *w, const char *name);

/*
 * Declare the sheet's columns: writes the column widths and the bold header
 * row, freezes it (pane below row 1) and puts an autoFilter on it. Must come
 * before the sheet's first row; at most once per sheet. cols is read during
 * the call only. Width 0 is computed from the header (CJK characters count
 * double) with a minimum per type. Optional: a sheet without it has no header.
 */
int xlsx_columns(xlsx_writer *w, const struct xlsx_col *cols, size_t n);

/* Begin the next row (row 2 follows the header). */
int xlsx_row_begin(xlsx_writer *w);

/* End the row. Returns the sticky error, so a loop can stop when the sink fails. */
int xlsx_row_end(xlsx_writer *w);

/*
 * Cells fill the row from column A on. NULL text and empty text write a blank
 * cell. Text is UTF-8: invalid sequences become U+FFFD, characters XML 1.0
 * forbids (control characters but TAB, LF, CR) are dropped, and it is cut at
 * Excel's 32,767 characters.
 */
int xlsx_cell_text(xlsx_writer *w, const char *s);
int xlsx_cell_text_len(xlsx_writer *w, const char *s, size_t len);

/* An integer; beyond 15 digits (Excel's precision) it is written as text to keep every digit. */
int xlsx_cell_int(xlsx_writer *w, int64_t n);

/* A number; NaN and infinities, which Excel cannot store, are written as text. */
int xlsx_cell_number(xlsx_writer *w, double d);

/*
 * A date (yyyy-mm-dd) or date and time (yyyy-mm-dd hh:mm) as a real Excel date.
 * An impossible date is KW_EINTERNAL; a real one outside Excel's range
 * (1900-01-01 .. 9999-12-31) is written as text.
 */
int xlsx_cell_date(xlsx_writer *w, int year, int month, int day);
int xlsx_cell_datetime(xlsx_writer *w, int year, int month, int day, int hour, int min, int sec);

/* A point in time as a datetime cell in China Standard Time (+08:00). */
int xlsx_cell_time(xlsx_writer *w, time_t t);

/* A boolean cell. */
int xlsx_cell_bool(xlsx_writer *w, bool b);

/* An empty cell: skips one column. */
int xlsx_cell_blank(xlsx_writer *w);

/*
 * A cell from PostgreSQL text output, converted to the current column's type
 * (columns past the declared ones, or without xlsx_columns(), are text):
 *   NULL or ""                      blank
 *   XLSX_INT, XLSX_DECIMAL          "-12", "85.50", "1.5e3" as a number, written
 *                                   exactly as given; more than 15 digits: text
 *   XLSX_DATE                       "2019-06-28" (a time after it is ignored)
 *   XLSX_DATETIME                   "2019-06-28 14:30[:00[.123]][+08[:00]]", the
 *                                   wall-clock time kept, the offset ignored
 *   XLSX_BOOL                       t/true/1/yes/on, f/false/0/no/off
 * A value that does not parse for its type (e.g. "infinity") is written as
 * text, so no data is lost and the export does not fail on it.
 */
int xlsx_cell_auto(xlsx_writer *w, const char *text);

/* The sticky error so far (0 if none). */
int xlsx_error(const xlsx_writer *w);

/*
 * Finish the last sheet and the workbook, flush everything to the sink and free
 * w. Returns 0 or the first error of the writer's life; w is gone in any case.
 * After an error nothing more reaches the sink, so when the error came before
 * the first 64 KiB the sink has received nothing and the caller can still
 * answer with an error response.
 */
int xlsx_close(xlsx_writer *w);

/* Free w without finishing the file (what reached the sink is not a valid xlsx). NULL is fine. */
void xlsx_free(xlsx_writer *w);

/*
 * Text parsing shared with the CSV writer (and usable by anyone): the forms
 * xlsx_cell_auto() accepts. All return false on anything else.
 */

/*
 * A decimal number "-?digits[.digits][e±digits]" (PostgreSQL's integer and
 * numeric output). *exact (may be NULL) is false for an integer of more than
 * 15 significant digits, which Excel would round.
 */
bool xlsx_parse_number(const char *s, size_t len, bool *exact);

/* "YYYY-MM-DD" with an optional time part as for XLSX_DATETIME; *has_time tells. */
struct xlsx_datetime {
	int year, month, day, hour, min, sec;
	double frac; /* fraction of a second */
};
bool xlsx_parse_datetime(const char *s, struct xlsx_datetime *out, bool *has_time);

/* 1 for a true word, 0 for a false word, -1 for anything else. */
int xlsx_parse_bool(const char *s);

/* Excel's serial day number of a date (1900 date system); -1 if outside 1900-01-01..9999-12-31. */
long xlsx_date_serial(int year, int month, int day);

#endif
