/* csv_writer.c - streaming CSV writer: BOM, RFC 4180 quoting, formula guard (see csv_writer.h). */
#include "office/csv_writer.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

#define CSV_BUF (64 * 1024)

struct csv_writer {
	kw_sink_fn fn;
	void *ctx;
	int err;
	size_t col;	      /* fields written in the current row */
	unsigned char *types; /* enum xlsx_type per declared column */
	size_t ncols;
	size_t blen;
	char buf[CSV_BUF];
};

/* Record the first error; returns the sticky error. */
static int cw_fail(csv_writer *w, int err)
{
	if (!w->err)
		w->err = err;
	return w->err;
}

/* Hand the buffer to the sink. */
static void cw_flush(csv_writer *w)
{
	if (w->blen && !w->err) {
		int rc = w->fn(w->ctx, w->buf, w->blen);
		if (rc)
			cw_fail(w, rc < 0 ? rc : KW_EINTERNAL);
	}
	w->blen = 0;
}

/* Append bytes. */
static void cw_put(csv_writer *w, const char *s, size_t n)
{
	while (n) {
		if (w->blen == CSV_BUF)
			cw_flush(w);
		size_t room = CSV_BUF - w->blen;
		size_t k = n < room ? n : room;
		memcpy(w->buf + w->blen, s, k);
		w->blen += k;
		s += k;
		n -= k;
	}
}

/* Append one byte. */
static inline void cw_putc(csv_writer *w, char c)
{
	if (w->blen == CSV_BUF)
		cw_flush(w);
	w->buf[w->blen++] = c;
}

/* Allocate a writer and queue the UTF-8 BOM. */
csv_writer *csv_open(kw_sink_fn fn, void *ctx)
{
	csv_writer *w = malloc(sizeof(*w));
	if (!w) {
		fputs("kaowu: out of memory\n", stderr);
		abort();
	}
	memset(w, 0, offsetof(struct csv_writer, buf));
	w->fn = fn;
	w->ctx = ctx;
	cw_put(w, "\xef\xbb\xbf", 3);
	return w;
}

/* Write one field: separator, then the bytes, quoted if needed; guard adds the apostrophe. */
static int cw_field(csv_writer *w, const char *s, size_t n, bool guard)
{
	if (w->err)
		return w->err;
	if (w->col++)
		cw_putc(w, ',');
	if (n == 0)
		return 0;
	bool apostrophe = guard && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
				    s[0] == '\t' || s[0] == '\r');
	bool quote = s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t';
	const char *q = NULL;
	for (size_t i = 0; i < n && !quote; i++) {
		char c = s[i];
		if (c == ',' || c == '"' || c == '\r' || c == '\n')
			quote = true;
	}
	if (!quote) {
		if (apostrophe)
			cw_putc(w, '\'');
		cw_put(w, s, n);
		return w->err;
	}
	cw_putc(w, '"');
	if (apostrophe)
		cw_putc(w, '\'');
	const char *end = s + n;
	while (s < end) {
		q = memchr(s, '"', (size_t)(end - s));
		if (!q) {
			cw_put(w, s, (size_t)(end - s));
			break;
		}
		cw_put(w, s, (size_t)(q - s + 1));
		cw_putc(w, '"');
		s = q + 1;
	}
	cw_putc(w, '"');
	return w->err;
}

/* A guarded text field of len bytes. */
int csv_field_len(csv_writer *w, const char *text, size_t len)
{
	return cw_field(w, text ? text : "", text ? len : 0, true);
}

/* A guarded text field from a C string. */
int csv_field(csv_writer *w, const char *text)
{
	return csv_field_len(w, text, text ? strlen(text) : 0);
}

/* Numeric text as is; anything else as guarded text. */
int csv_field_number(csv_writer *w, const char *num)
{
	if (!num)
		return cw_field(w, "", 0, false);
	size_t len = strlen(num);
	return cw_field(w, num, len, !xlsx_parse_number(num, len, NULL));
}

/* An integer field. */
int csv_field_int(csv_writer *w, int64_t n)
{
	char buf[24];
	int k = snprintf(buf, sizeof(buf), "%lld", (long long)n);
	return cw_field(w, buf, (size_t)k, false);
}

/* A double field (shortest exact text); NaN and infinities empty. */
int csv_field_double(csv_writer *w, double d)
{
	char buf[40];
	if (!isfinite(d))
		return cw_field(w, "", 0, false);
	int k = snprintf(buf, sizeof(buf), "%.15g", d);
	if (strtod(buf, NULL) != d)
		k = snprintf(buf, sizeof(buf), "%.17g", d);
	return cw_field(w, buf, (size_t)k, false);
}

/* The header row; remembers the column types for csv_field_auto(). */
int csv_columns(csv_writer *w, const struct xlsx_col *cols, size_t n)
{
	if (w->err)
		return w->err;
	if (w->types || w->col || n == 0)
		return cw_fail(w, KW_EINTERNAL);
	w->types = malloc(n);
	if (!w->types) {
		fputs("kaowu: out of memory\n", stderr);
		abort();
	}
	w->ncols = n;
	for (size_t i = 0; i < n; i++) {
		w->types[i] = (unsigned char)cols[i].type;
		csv_field(w, cols[i].header);
	}
	return csv_row_end(w);
}

/* A field from PostgreSQL text by the column type. */
int csv_field_auto(csv_writer *w, const char *text)
{
	if (!text || !*text)
		return cw_field(w, "", 0, false);
	int type = w->col < w->ncols ? w->types[w->col] : XLSX_TEXT;
	size_t len = strlen(text);
	struct xlsx_datetime t;
	bool timed;
	char buf[40];
	int k, b;
	switch (type) {
	case XLSX_INT:
	case XLSX_DECIMAL:
		if (xlsx_parse_number(text, len, NULL))
			return cw_field(w, text, len, false);
		break;
	case XLSX_DATE:
	case XLSX_DATETIME:
		if (!xlsx_parse_datetime(text, &t, &timed))
			break;
		if (type == XLSX_DATE)
			k = snprintf(buf, sizeof(buf), "%04d-%02d-%02d", t.year, t.month, t.day);
		else
			k = snprintf(buf, sizeof(buf), "%04d-%02d-%02d %02d:%02d:%02d", t.year,
				     t.month, t.day, t.hour, t.min, t.sec);
		return cw_field(w, buf, (size_t)k, false);
	case XLSX_BOOL:
		b = xlsx_parse_bool(text);
		if (b >= 0)
			return cw_field(w, b ? "TRUE" : "FALSE", b ? 4 : 5, false);
		break;
	default:
		break;
	}
	return cw_field(w, text, len, true);
}

/* End the row with CRLF; returns the sticky error. */
int csv_row_end(csv_writer *w)
{
	if (w->err)
		return w->err;
	cw_put(w, "\r\n", 2);
	w->col = 0;
	return w->err;
}

/* The sticky error. */
int csv_error(const csv_writer *w)
{
	return w->err;
}

/* End an unfinished row, flush, free; the first error or 0. */
int csv_close(csv_writer *w)
{
	if (w->col)
		csv_row_end(w);
	cw_flush(w);
	int err = w->err;
	csv_free(w);
	return err;
}

/* Free without flushing. */
void csv_free(csv_writer *w)
{
	if (!w)
		return;
	free(w->types);
	free(w);
}
