/* xlsx_reader.h - streaming, bounded reader for the first worksheet of an uploaded xlsx file. */
#ifndef KW_XLSX_READER_H
#define KW_XLSX_READER_H

#include <stddef.h>

struct kw_ctx;

/*
 * What one upload may cost. A field left 0 takes its value from
 * xlsx_read_limits_default(), so `struct xlsx_read_limits lim = {.max_rows = 20000};`
 * tightens one bound and keeps the others; nothing can be unbounded. The
 * reader inflates entries itself and counts the bytes as they come out, and
 * the ratio against the compressed bytes consumed so far: the sizes written
 * in zip headers are never trusted, and a bomb stops after ratio_floor bytes.
 */
struct xlsx_read_limits {
	size_t max_file;	 /* bytes of the upload itself */
	size_t max_inflated;	 /* bytes inflated from all entries read, together */
	unsigned max_entries;	 /* entries in the zip directory */
	unsigned max_ratio;	 /* inflated:compressed bytes of one entry, so far ... */
	size_t ratio_floor;	 /* ... checked once the entry inflated more than this */
	unsigned max_strings;	 /* shared strings */
	unsigned max_cell_chars; /* characters in one cell (Excel's own limit is 32,767) */
	unsigned max_rows;	 /* non-empty rows in the sheet */
	unsigned max_cols;	 /* highest column number (16,384 = XFD, the format's last) */
	unsigned max_depth;	 /* XML element nesting */
};

/*
 * 20 MB file, 100 MB inflated, 1,000 entries, 100:1 beyond 1 MB (real sheets
 * stay under 50:1), 1,000,000 strings, 32,767 characters, 1,048,576 rows,
 * 16,384 columns, depth 64. max_rows and max_cols never exceed the format's.
 */
struct xlsx_read_limits xlsx_read_limits_default(void);

/*
 * Why a file was refused. code is KW_EVALIDATION (not a readable xlsx: the
 * message says what is wrong), KW_ETOOLARGE (a limit was hit: the message
 * names it), KW_EINTERNAL (libxml2 could not start), or what a row callback
 * returned. message is short Chinese for the user ("文件不是有效的 xlsx 文件");
 * detail is English for the log (zip entry, XML line, libzip/libxml2 text)
 * and never goes to a client. row is the sheet row the error is in, or 0.
 */
struct xlsx_read_error {
	int code;
	unsigned row;
	char message[192];
	char detail[256];
};

/* How a cell's value was stored; the text is always what a user would see typed. */
enum xlsx_value {
	XLSX_V_STRING, /* shared string, inline string or formula string result */
	XLSX_V_NUMBER, /* "3", "3.5", "-0.25": integers never get ".0"; 15 significant digits */
	XLSX_V_BOOL,   /* "TRUE" or "FALSE" */
	XLSX_V_ERROR,  /* "#N/A", "#DIV/0!", ... as stored */
	XLSX_V_DATE, /* t="d": the ISO 8601 text as stored (dates stored as numbers are numbers) */
};

struct xlsx_read_cell {
	unsigned col; /* 0 = A, 25 = Z, 26 = AA */
	enum xlsx_value type;
	size_t len;	  /* bytes of text, > 0 */
	const char *text; /* NUL-terminated UTF-8, exactly as stored (no trimming) */
};

/*
 * One sheet row with at least one non-empty cell (rows and cells that are
 * missing or empty are not listed). cells are in ascending column order.
 * A row and its texts stay valid until the next xlsx_reader_next() or xlsx_reader_close().
 */
struct xlsx_read_row {
	unsigned num; /* 1-based sheet row number, as Excel shows it */
	unsigned ncells;
	unsigned ncols; /* last listed column + 1 */
	const struct xlsx_read_cell *cells;
};

/* The text of column col (0 = A) in row: never NULL, "" when the cell is empty or missing. */
const char *xlsx_read_text(const struct xlsx_read_row *row, unsigned col);

/* The cell at column col, or NULL when it is empty or missing. */
const struct xlsx_read_cell *xlsx_read_cell(const struct xlsx_read_row *row, unsigned col);

/* Column letters for col (0 -> "A", 7 -> "H", 16383 -> "XFD") into buf; returns buf. */
const char *xlsx_read_col_name(unsigned col, char buf[8]);

/*
 * The iterator. xlsx_reader_open() finds the first visible worksheet in
 * workbook order (chart sheets skipped; the first worksheet when all are
 * hidden) and loads the shared strings; xlsx_reader_next() streams the sheet
 * one row at a time, never inflating it whole. buf is not copied and must
 * outlive the reader; lim may be NULL for the defaults; err (may be NULL) is
 * cleared and filled on failure. Both return 0 or a negative enum kw_err.
 * xlsx_reader_next() sets *row to NULL at the end of the sheet; after an
 * error it keeps returning that error. Rows and cells go forward only: a row
 * or cell reference before the previous one is a broken file. The reader owns
 * its memory (malloc, freed by xlsx_reader_close(), which accepts NULL).
 *
 *	struct xlsx_read_limits lim = {.max_rows = 20000};
 *	struct xlsx_read_error e;
 *	struct xlsx_reader *r;
 *	const struct xlsx_read_row *row;
 *	int err = xlsx_reader_open(&r, body, len, &lim, &e);
 *	while (!err && !(err = xlsx_reader_next(r, &row, &e)) && row)
 *		import_row(row->num, xlsx_read_text(row, 0), xlsx_read_text(row, 1), ...);
 *	xlsx_reader_close(r);
 *	if (err)
 *		return xlsx_read_fail(c, &e);
 */
struct xlsx_reader;

int xlsx_reader_open(struct xlsx_reader **out, const void *buf, size_t len,
		     const struct xlsx_read_limits *lim, struct xlsx_read_error *err);
int xlsx_reader_next(struct xlsx_reader *r, const struct xlsx_read_row **row,
		     struct xlsx_read_error *err);
void xlsx_reader_close(struct xlsx_reader *r);

/* The name of the sheet being read, as its tab shows it (UTF-8). */
const char *xlsx_reader_sheet_name(const struct xlsx_reader *r);

/*
 * The same as a loop: fn is called for each row in order; a non-zero return
 * stops the reading and is returned (and stored in err->code, message empty).
 */
typedef int (*xlsx_read_row_fn)(void *ctx, const struct xlsx_read_row *row);
int xlsx_read(const void *buf, size_t len, const struct xlsx_read_limits *lim, xlsx_read_row_fn fn,
	      void *ctx, struct xlsx_read_error *err);

/*
 * Report err on the request: log its detail, set its message as the response
 * message (copied into the request arena); returns err->code for `return`.
 */
int xlsx_read_fail(struct kw_ctx *c, const struct xlsx_read_error *err);

#endif
