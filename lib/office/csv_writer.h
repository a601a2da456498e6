/* csv_writer.h - streaming CSV writer for Excel: UTF-8 with BOM, RFC 4180, formula guard. */
#ifndef KW_CSV_WRITER_H
#define KW_CSV_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "office/xlsx_writer.h"
#include "office/zipstream.h"

/*
 * The CSV twin of xlsx_writer.h, fed the same way (an export declares its
 * struct xlsx_col columns once and writes either format):
 *
 *	csv_writer *w = csv_open(sink, sink_ctx);
 *	csv_columns(w, cols, n);                      (the header row)
 *	for (each row) {
 *		for (j = 0; j < n; j++)
 *			csv_field_auto(w, value_or_NULL);
 *		if (csv_row_end(w) < 0)
 *			break;
 *	}
 *	return csv_close(w);
 *
 * Output: a UTF-8 byte order mark first (so Excel reads UTF-8), fields
 * separated by ',', rows ended by CRLF. A field is quoted when it contains
 * ',', '"', CR or LF or starts or ends with a space or TAB; quotes inside are
 * doubled (RFC 4180).
 *
 * Formula injection guard (OWASP "CSV Injection"): a text field starting with
 * '=', '+', '-', '@', TAB or CR gets a leading apostrophe, so Excel shows it as
 * text instead of running it ("=HYPERLINK(…)" is written "'=HYPERLINK(…)").
 * Numbers are not text: write them with csv_field_int(), csv_field_double(),
 * csv_field_number() or csv_field_auto() in a number column, and "-5" stays -5.
 *
 * Text bytes are passed through (the platform's text is UTF-8); note that
 * Excel turns a long digit string in a CSV (an ID number) into a rounded
 * number: exports with such columns should offer XLSX.
 *
 * Memory is one 64 KiB buffer; bytes reach the sink when it is full and at
 * close. Errors are sticky as in the XLSX writer: the first one is returned
 * by every later call and by csv_close().
 */
typedef struct csv_writer csv_writer;

/* Start a CSV document (the BOM is its first bytes). Never NULL (aborts on out-of-memory). */
csv_writer *csv_open(kw_sink_fn fn, void *ctx);

/*
 * Write the header row from cols and remember the column types for
 * csv_field_auto(). Optional; at most once, before the first field.
 */
int csv_columns(csv_writer *w, const struct xlsx_col *cols, size_t n);

/* A text field, quoted as needed and formula-guarded. NULL writes an empty field. */
int csv_field(csv_writer *w, const char *text);
int csv_field_len(csv_writer *w, const char *text, size_t len);

/*
 * A number given as text (PostgreSQL's output, e.g. "-5", "85.50"): written as
 * is when it is a number (xlsx_parse_number()); anything else is written as a
 * guarded text field, so this cannot be used to smuggle a formula. NULL: empty.
 */
int csv_field_number(csv_writer *w, const char *num);

/* Numbers from C values. Doubles use the shortest text that reads back exactly; NaN is empty. */
int csv_field_int(csv_writer *w, int64_t n);
int csv_field_double(csv_writer *w, double d);

/*
 * A field from PostgreSQL text output, by the current column's type (text
 * beyond the declared columns): numbers as csv_field_number(), dates as
 * "YYYY-MM-DD", datetimes as "YYYY-MM-DD HH:MM:SS" (offset dropped), booleans
 * as TRUE/FALSE; a value that does not parse is guarded text. NULL: empty.
 */
int csv_field_auto(csv_writer *w, const char *text);

/* End the row (CRLF). Returns the sticky error, so a loop can stop when the sink fails. */
int csv_row_end(csv_writer *w);

/* The sticky error so far (0 if none). */
int csv_error(const csv_writer *w);

/*
 * End an unfinished row, flush to the sink and free w. Returns 0 or the first
 * error; w is gone in any case. After an error nothing more is flushed.
 */
int csv_close(csv_writer *w);

/* Free w without flushing what is buffered. NULL is fine. */
void csv_free(csv_writer *w);

#endif
