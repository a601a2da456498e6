/* xlsx_writer.c - streaming XLSX writer: sheet XML generated row by row into a zip stream. */
#include "office/xlsx_writer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"

/*
 * Compression level of the zip entries. Level 1 deflates sheet XML about 7:1
 * at three times the speed of zlib's default level 6, whose files are only a
 * fifth smaller (bench/README.md); deflate is most of an export's time.
 */
#ifndef XLSX_ZLEVEL
#define XLSX_ZLEVEL 1
#endif
#define XLSX_BUF (64 * 1024)
#define XLSX_MAX_ROWS 1048576u
#define XLSX_MAX_COLS 16384u
#define XLSX_MAX_CHARS 32767 /* per cell, in UTF-16 units */

/* Cell styles: indexes into cellXfs of styles.xml below. */
enum {
	S_GENERAL = 0,
	S_HEADER = 1,
	S_TEXT = 2,
	S_DATE = 3,
	S_DATETIME = 4,
	S_DECIMAL1 = 5, /* 5..10: "0.0" .. "0.000000" */
};

struct xcol {
	unsigned char type;
	unsigned char style; /* for numbers */
};

struct xsheet {
	char *name;
	uint32_t rows;	/* last row written */
	uint32_t ncols; /* declared columns (autoFilter); 0: none */
};

struct xlsx_writer {
	zipstream *z;
	int err;

	struct xsheet *sheets;
	size_t nsheets, capsheets;
	bool in_sheet;	 /* the current sheet's entry is open */
	bool sheet_body; /* its prelude up to <sheetData> is written */
	bool in_row;

	struct xcol *cols;
	size_t ncols;

	uint32_t row; /* current row number, 1-based */
	uint32_t col; /* next column, 0-based */
	char rowstr[12];
	size_t rowlen;

	size_t blen;
	char buf[XLSX_BUF];
};

/* ---- output ---- */

/* Record the first error; returns the sticky error. */
static int xw_fail(xlsx_writer *w, int err)
{
	if (!w->err)
		w->err = err;
	return w->err;
}

/* Pass the buffered XML to the open zip entry. */
static void xw_flush(xlsx_writer *w)
{
	if (w->blen && !w->err) {
		int rc = zipstream_entry_write(w->z, w->buf, w->blen);
		if (rc)
			xw_fail(w, rc);
	}
	w->blen = 0;
}

/* Make room for n more bytes (n <= XLSX_BUF). */
static inline char *xw_room(xlsx_writer *w, size_t n)
{
	if (w->blen + n > XLSX_BUF)
		xw_flush(w);
	return w->buf + w->blen;
}

/* Append bytes. */
static void xw_put(xlsx_writer *w, const char *s, size_t n)
{
	while (n) {
		size_t k = n < XLSX_BUF ? n : XLSX_BUF;
		memcpy(xw_room(w, k), s, k);
		w->blen += k;
		s += k;
		n -= k;
	}
}

#define XW_LIT(w, lit) xw_put((w), (lit), sizeof(lit) - 1)

/* Append a NUL-terminated string. */
static void xw_puts(xlsx_writer *w, const char *s)
{
	xw_put(w, s, strlen(s));
}

/* Write an unsigned number in decimal at p; returns the end. */
static char *fmt_u64(char *p, uint64_t v)
{
	char tmp[20];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* Column letters of a 0-based column index (A, B, .. Z, AA, .. XFD); returns the end. */
static char *fmt_col(char *p, uint32_t col)
{
	char tmp[4];
	int n = 0;
	col++;
	while (col) {
		col--;
		tmp[n++] = (char)('A' + col % 26);
		col /= 26;
	}
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* Characters needing care in XML text: markup, '_', controls, and every non-ASCII byte. */
static const unsigned char xml_special[256] = {
    [0 ... 0x1f] = 1, ['<'] = 1, ['>'] = 1, ['&'] = 1, ['"'] = 1, ['_'] = 1, [0x80 ... 0xff] = 1,
};

/* Length of a valid UTF-8 sequence at s (max n bytes) allowed in XML 1.0, 0 if none; *cp gets it.
 */
static size_t utf8_char(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c = s[0];
	size_t len;
	uint32_t min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* An ASCII hex digit? */
static int is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/*
 * Append text escaped for XML: markup escaped, forbidden characters dropped,
 * invalid UTF-8 replaced by U+FFFD, cut at max_units UTF-16 units (0: no cut).
 * In cell text Excel reads "_xHHHH_" as an escaped character, so a literal one
 * gets its '_' written as _x005F_ (ooxml_escape).
 */
static void xw_text(xlsx_writer *w, const char *str, size_t n, size_t max_units, bool ooxml_escape)
{
	const unsigned char *s = (const unsigned char *)str, *end = s + n;
	size_t units = 0;
	while (s < end) {
		const unsigned char *run = s;
		while (s < end && !xml_special[*s])
			s++;
		if (s > run) {
			size_t k = (size_t)(s - run);
			if (max_units && units + k > max_units) {
				k = max_units - units;
				xw_put(w, (const char *)run, k);
				return;
			}
			units += k;
			xw_put(w, (const char *)run, k);
		}
		if (s >= end)
			break;
		if (max_units && units >= max_units)
			return;
		unsigned char c = *s;
		char *p = xw_room(w, 8);
		if (c < 0x80) {
			s++;
			units++;
			switch (c) {
			case '<':
				memcpy(p, "&lt;", 4), w->blen += 4;
				break;
			case '>':
				memcpy(p, "&gt;", 4), w->blen += 4;
				break;
			case '&':
				memcpy(p, "&amp;", 5), w->blen += 5;
				break;
			case '"':
				memcpy(p, "&quot;", 6), w->blen += 6;
				break;
			case '_':
				if (ooxml_escape && end - s >= 6 && s[0] == 'x' && is_hex(s[1]) &&
				    is_hex(s[2]) && is_hex(s[3]) && is_hex(s[4]) && s[5] == '_')
					memcpy(p, "_x005F_", 7), w->blen += 7;
				else
					p[0] = '_', w->blen += 1;
				break;
			case '\t':
			case '\n':
				p[0] = (char)c, w->blen += 1;
				break;
			case '\r':
				memcpy(p, "&#13;", 5), w->blen += 5;
				break;
			default: /* other controls: not allowed in XML 1.0 */
				units--;
				break;
			}
			continue;
		}
		uint32_t cp;
		size_t len = utf8_char(s, (size_t)(end - s), &cp);
		if (len == 0) {
			memcpy(p, "\xef\xbf\xbd", 3), w->blen += 3;
			s++;
			units++;
			continue;
		}
		if (cp == 0xfffe || cp == 0xffff) {
			s += len;
			continue;
		}
		size_t u = cp >= 0x10000 ? 2 : 1;
		if (max_units && units + u > max_units)
			return;
		memcpy(p, s, len);
		w->blen += len;
		s += len;
		units += u;
	}
}

/* ---- fixed parts ---- */

static const char xml_decl[] = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

static const char root_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
    "Target=\"xl/workbook.xml\"/>"
    "<Relationship Id=\"rId2\" "
    "Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
    "core-properties\" "
    "Target=\"docProps/core.xml\"/>"
    "<Relationship Id=\"rId3\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    "extended-properties\" "
    "Target=\"docProps/app.xml\"/>"
    "</Relationships>";

static const char app_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Properties "
    "xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" "
    "xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">"
    "<Application>kaowu</Application><DocSecurity>0</DocSecurity>"
    "<ScaleCrop>false</ScaleCrop></Properties>";

/* Fonts: 0 normal, 1 bold. Fills 0 and 1 are reserved by Excel; 2 is the header's grey. */
static const char styles_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<numFmts count=\"9\">"
    "<numFmt numFmtId=\"164\" formatCode=\"yyyy-mm-dd\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"yyyy-mm-dd hh:mm\"/>"
    "<numFmt numFmtId=\"166\" formatCode=\"0.0\"/>"
    "<numFmt numFmtId=\"167\" formatCode=\"0.00\"/>"
    "<numFmt numFmtId=\"168\" formatCode=\"0.000\"/>"
    "<numFmt numFmtId=\"169\" formatCode=\"0.0000\"/>"
    "<numFmt numFmtId=\"170\" formatCode=\"0.00000\"/>"
    "<numFmt numFmtId=\"171\" formatCode=\"0.000000\"/>"
    "<numFmt numFmtId=\"172\" formatCode=\"@\"/>"
    "</numFmts>"
    "<fonts count=\"2\">"
    "<font><sz val=\"11\"/><color theme=\"1\"/><name val=\"Calibri\"/><family val=\"2\"/>"
    "<scheme val=\"minor\"/></font>"
    "<font><b/><sz val=\"11\"/><color theme=\"1\"/><name val=\"Calibri\"/><family val=\"2\"/>"
    "<scheme val=\"minor\"/></font>"
    "</fonts>"
    "<fills count=\"3\">"
    "<fill><patternFill patternType=\"none\"/></fill>"
    "<fill><patternFill patternType=\"gray125\"/></fill>"
    "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FFE7E6E6\"/>"
    "<bgColor indexed=\"64\"/></patternFill></fill>"
    "</fills>"
    "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/>"
    "</cellStyleXfs>"
    "<cellXfs count=\"11\">"
    "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
    "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"2\" borderId=\"0\" xfId=\"0\" applyFont=\"1\" "
    "applyFill=\"1\" applyAlignment=\"1\"><alignment horizontal=\"center\" vertical=\"center\"/>"
    "</xf>"
    "<xf numFmtId=\"49\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
    "applyNumberFormat=\"1\"/>"
    "<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
    "applyNumberFormat=\"1\"/>"
    "<xf numFmtId=\"165\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
    "applyNumberFormat=\"1\"/>"
    "<xf numFmtId=\"166\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
    "applyNumberFormat=\"1\"/>"
    "<xf numFmtId=\"167\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
    "applyNumberFormat=\"1\"/>"
    "<xf numFmtId=\"168\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
    "applyNumberFormat=\"1\"/>"
    "<xf numFmtId=\"169\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
    "applyNumberFormat=\"1\"/>"
    "<xf numFmtId=\"170\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
    "applyNumberFormat=\"1\"/>"
    "<xf numFmtId=\"171\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
    "applyNumberFormat=\"1\"/>"
    "</cellXfs>"
    "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
    "<dxfs count=\"0\"/><tableStyles count=\"0\"/>"
    "</styleSheet>";

static const char ns_main[] = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
static const char ns_rel[] = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/* malloc that aborts on out-of-memory, as the arena does. */
static void *xw_xmalloc(size_t n)
{
	void *p = malloc(n);
	if (!p) {
		fputs("kaowu: out of memory\n", stderr);
		abort();
	}
	return p;
}

/* Open a zip entry whose content is then appended with xw_put(). */
static void xw_entry_begin(xlsx_writer *w, const char *name)
{
	if (!w->err) {
		int rc = zipstream_entry_begin(w->z, name);
		if (rc)
			xw_fail(w, rc);
	}
	w->blen = 0;
}

/* Flush and close the open entry. */
static void xw_entry_end(xlsx_writer *w)
{
	xw_flush(w);
	if (!w->err) {
		int rc = zipstream_entry_end(w->z);
		if (rc)
			xw_fail(w, rc);
	}
}

/* One whole fixed entry. */
static void xw_entry_static(xlsx_writer *w, const char *name, const char *text, size_t len)
{
	if (!w->err) {
		int rc = zipstream_entry(w->z, name, text, len);
		if (rc)
			xw_fail(w, rc);
	}
}

/* docProps/core.xml with the creation time (UTC, as W3CDTF requires). */
static void xw_core_xml(xlsx_writer *w)
{
	char stamp[32];
	time_t now = kw_now();
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	xw_entry_begin(w, "docProps/core.xml");
	xw_puts(w, xml_decl);
	XW_LIT(
	    w,
	    "<cp:coreProperties "
	    "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
	    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
	    "xmlns:dcterms=\"http://purl.org/dc/terms/\" "
	    "xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" "
	    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
	    "<dc:creator>kaowu</dc:creator><dcterms:created xsi:type=\"dcterms:W3CDTF\">");
	xw_puts(w, stamp);
	XW_LIT(w, "</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">");
	xw_puts(w, stamp);
	XW_LIT(w, "</dcterms:modified></cp:coreProperties>");
	xw_entry_end(w);
}

/* ---- parsing shared with csv_writer.c ---- */

static int digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Parse a decimal number; *exact is false for an integer Excel would round (> 15 digits). */
bool xlsx_parse_number(const char *s, size_t len, bool *exact)
{
	size_t i = 0, sig = 0;
	bool integral = true, leading = true;
	if (i < len && s[i] == '-')
		i++;
	size_t start = i;
	for (; i < len && digit(s[i]); i++) {
		if (s[i] != '0' || !leading) {
			leading = false;
			sig++;
		}
	}
	if (i == start)
		return false;
	if (i < len && s[i] == '.') {
		integral = false;
		size_t f = ++i;
		while (i < len && digit(s[i]))
			i++;
		if (i == f)
			return false;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		integral = false;
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t e = i;
		while (i < len && digit(s[i]))
			i++;
		if (i == e)
			return false;
	}
	if (i != len)
		return false;
	if (exact)
		*exact = !(integral && sig > 15);
	return true;
}

/* Read exactly n digits at *p into *out. */
static bool take_digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!digit((*p)[i]))
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return true;
}

/* Gregorian leap year? */
static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days in month m of year y. */
static int month_days(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* A real calendar date in years 1..9999? */
static bool valid_date(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= month_days(y, m);
}

/* A wall-clock time (no leap second, no 24:00)? */
static bool valid_time(int h, int mi, int s)
{
	return h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 59;
}

/* Parse "YYYY-MM-DD[( |T)HH:MM[:SS[.f]][Z|±HH[:MM]]]"; impossible dates fail. */
bool xlsx_parse_datetime(const char *s, struct xlsx_datetime *out, bool *has_time)
{
	struct xlsx_datetime t = {0};
	const char *p = s;
	bool timed = false;
	if (!take_digits(&p, 4, &t.year) || *p++ != '-' || !take_digits(&p, 2, &t.month) ||
	    *p++ != '-' || !take_digits(&p, 2, &t.day))
		return false;
	if (!valid_date(t.year, t.month, t.day))
		return false;
	if (*p == ' ' || *p == 'T') {
		p++;
		if (!take_digits(&p, 2, &t.hour) || *p++ != ':' || !take_digits(&p, 2, &t.min))
			return false;
		if (*p == ':') {
			p++;
			if (!take_digits(&p, 2, &t.sec))
				return false;
			if (*p == '.') {
				double scale = 0.1;
				if (!digit(*++p))
					return false;
				for (; digit(*p); p++, scale /= 10)
					t.frac += (*p - '0') * scale;
			}
		}
		if (!valid_time(t.hour, t.min, t.sec))
			return false;
		timed = true;
		int oh, om;
		if (*p == 'Z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			p++;
			if (!take_digits(&p, 2, &oh))
				return false;
			if (*p == ':')
				p++;
			if (digit(*p) && !take_digits(&p, 2, &om))
				return false;
			if (*p == ':') {
				p++;
				if (!take_digits(&p, 2, &om))
					return false;
			}
		}
	}
	if (*p)
		return false;
	if (out)
		*out = t;
	if (has_time)
		*has_time = timed;
	return true;
}

/* Case-insensitive ASCII equality with a lower-case word. */
static bool word_is(const char *s, const char *lower)
{
	for (; *s && *lower; s++, lower++) {
		char c = *s >= 'A' && *s <= 'Z' ? (char)(*s + 32) : *s;
		if (c != *lower)
			return false;
	}
	return !*s && !*lower;
}

/* PostgreSQL's boolean words (and 1/0). */
int xlsx_parse_bool(const char *s)
{
	static const char *yes[] = {"t", "true", "1", "y", "yes", "on"};
	static const char *no[] = {"f", "false", "0", "n", "no", "off"};
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (word_is(s, yes[i]))
			return 1;
		if (word_is(s, no[i]))
			return 0;
	}
	return -1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static long days_from_civil(long y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Excel serial: days since 1899-12-30, one less before 1900-03-01 (Excel's 1900-02-29). */
long xlsx_date_serial(int year, int month, int day)
{
	if (year < 1900 || !valid_date(year, month, day))
		return -1;
	long serial = days_from_civil(year, month, day) - days_from_civil(1899, 12, 30);
	if (serial < 61)
		serial--;
	return serial;
}

/* ---- sheets ---- */

/* Write the fixed parts that do not depend on the sheets. */
static void xw_static_parts(xlsx_writer *w)
{
	xw_entry_static(w, "_rels/.rels", root_rels, sizeof(root_rels) - 1);
	xw_entry_static(w, "docProps/app.xml", app_xml, sizeof(app_xml) - 1);
	xw_core_xml(w);
	xw_entry_static(w, "xl/styles.xml", styles_xml, sizeof(styles_xml) - 1);
}

/* Clean a sheet name for Excel: forbidden characters to '_', at most 31 characters. */
static char *sheet_name(const xlsx_writer *w, const char *name)
{
	size_t n = name ? strlen(name) : 0;
	char *out = xw_xmalloc(n + 16), *p = out;
	const unsigned char *s = (const unsigned char *)(name ? name : "");
	int units = 0;
	while (*s) {
		uint32_t cp;
		size_t len = utf8_char(s, strlen((const char *)s), &cp);
		int u = cp >= 0x10000 ? 2 : 1;
		if (len == 0)
			len = 1, cp = '_';
		if (units + u > 31)
			break;
		if (cp < 0x20 || (cp < 0x80 && strchr("[]:*?/\\", (int)cp)) || cp == 0xfffe ||
		    cp == 0xffff)
			*p++ = '_';
		else
			memcpy(p, s, len), p += len;
		s += len;
		units += u;
	}
	*p = 0;
	if (out[0] == '\'')
		out[0] = '_';
	if (p > out && p[-1] == '\'')
		p[-1] = '_';
	bool dup = false;
	for (size_t i = 0; i < w->nsheets; i++)
		if (strcasecmp(w->sheets[i].name, out) == 0)
			dup = true;
	if (!out[0] || dup)
		snprintf(out, n + 16, "Sheet%zu", w->nsheets + 1);
	return out;
}

/* Finish the open row. */
static void xw_row_close(xlsx_writer *w)
{
	if (w->in_row) {
		XW_LIT(w, "</row>");
		w->in_row = false;
	}
}

/* Write the sheet's start up to <sheetData>; frozen: pane below the header row. */
static void xw_sheet_prelude(xlsx_writer *w, bool frozen)
{
	if (w->nsheets == 1)
		XW_LIT(w, "<sheetViews><sheetView tabSelected=\"1\" workbookViewId=\"0\">");
	else
		XW_LIT(w, "<sheetViews><sheetView workbookViewId=\"0\">");
	if (frozen)
		XW_LIT(w, "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" "
			  "state=\"frozen\"/><selection pane=\"bottomLeft\" activeCell=\"A2\" "
			  "sqref=\"A2\"/>");
	XW_LIT(w, "</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>");
	w->sheet_body = true;
}

/* Begin a sheet's zip entry and its XML. */
static int xw_sheet_begin(xlsx_writer *w, const char *name)
{
	if (w->nsheets == 0)
		xw_static_parts(w);
	if (w->nsheets == w->capsheets) {
		w->capsheets = w->capsheets ? w->capsheets * 2 : 4;
		struct xsheet *s = realloc(w->sheets, w->capsheets * sizeof(*s));
		if (!s) {
			fputs("kaowu: out of memory\n", stderr);
			abort();
		}
		w->sheets = s;
	}
	struct xsheet *sh = &w->sheets[w->nsheets];
	sh->name = sheet_name(w, name);
	sh->rows = 0;
	sh->ncols = 0;
	w->nsheets++;

	char entry[64];
	snprintf(entry, sizeof(entry), "xl/worksheets/sheet%zu.xml", w->nsheets);
	xw_entry_begin(w, entry);
	xw_puts(w, xml_decl);
	XW_LIT(w, "<worksheet xmlns=\"");
	xw_puts(w, ns_main);
	XW_LIT(w, "\" xmlns:r=\"");
	xw_puts(w, ns_rel);
	XW_LIT(w, "\">");
	w->in_sheet = true;
	w->sheet_body = false;
	w->in_row = false;
	w->row = 0;
	w->col = 0;
	free(w->cols);
	w->cols = NULL;
	w->ncols = 0;
	return w->err;
}

/* Finish the open sheet: close sheetData, add the autoFilter, end the entry. */
static void xw_sheet_end(xlsx_writer *w)
{
	if (!w->in_sheet)
		return;
	xw_row_close(w);
	if (!w->sheet_body) {
		xw_sheet_prelude(w, false);
		XW_LIT(w, "<sheetData>");
	}
	XW_LIT(w, "</sheetData>");
	struct xsheet *sh = &w->sheets[w->nsheets - 1];
	sh->rows = w->row;
	if (sh->ncols) {
		char *p = xw_room(w, 64), *start = p;
		memcpy(p, "<autoFilter ref=\"A1:", 20), p += 20;
		p = fmt_col(p, sh->ncols - 1);
		p = fmt_u64(p, w->row ? w->row : 1);
		memcpy(p, "\"/>", 3), p += 3;
		w->blen += (size_t)(p - start);
	}
	XW_LIT(w, "<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" "
		  "header=\"0.3\" footer=\"0.3\"/></worksheet>");
	xw_entry_end(w);
	w->in_sheet = false;
}

/* Make sure a sheet is open (an implicit "Sheet1"). */
static int xw_need_sheet(xlsx_writer *w)
{
	if (!w->in_sheet && !w->err)
		xw_sheet_begin(w, NULL);
	return w->err;
}

/* Display width of UTF-8 text: East Asian wide characters count 2. */
static double text_width(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	double wd = 0;
	while (*s) {
		uint32_t cp;
		size_t len = utf8_char(s, strlen((const char *)s), &cp);
		if (len == 0)
			len = 1, cp = '?';
		bool wide = (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
			    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
			    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
			    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd);
		wd += wide ? 2 : 1;
		s += len;
	}
	return wd;
}

/* The width a column gets when none is given: the header plus the filter button, a type minimum. */
static double auto_width(const struct xlsx_col *c)
{
	static const double min_width[] = {
	    [XLSX_TEXT] = 10, [XLSX_INT] = 8,	    [XLSX_DECIMAL] = 10,
	    [XLSX_DATE] = 12, [XLSX_DATETIME] = 17, [XLSX_BOOL] = 8,
	};
	double wd = c->header ? text_width(c->header) * 1.1 + 4 : 0;
	double min = (unsigned)c->type <= XLSX_BOOL ? min_width[c->type] : 10;
	if (wd < min)
		wd = min;
	return wd > 60 ? 60 : wd;
}

/* ---- cells ---- */

/* Open a <c> element for the next column; style 0 and type NULL are left out. */
static int xw_cell_open(xlsx_writer *w, int style, const char *type)
{
	if (w->err)
		return w->err;
	if (!w->in_row)
		return xw_fail(w, KW_EINTERNAL);
	if (w->col >= XLSX_MAX_COLS)
		return xw_fail(w, KW_ETOOLARGE);
	char *p = xw_room(w, 64), *start = p;
	memcpy(p, "<c r=\"", 6), p += 6;
	p = fmt_col(p, w->col);
	memcpy(p, w->rowstr, w->rowlen), p += w->rowlen;
	*p++ = '"';
	if (style) {
		memcpy(p, " s=\"", 4), p += 4;
		if (style >= 10)
			*p++ = (char)('0' + style / 10);
		*p++ = (char)('0' + style % 10);
		*p++ = '"';
	}
	if (type) {
		memcpy(p, " t=\"", 4), p += 4;
		size_t tl = strlen(type);
		memcpy(p, type, tl), p += tl;
		*p++ = '"';
	}
	*p++ = '>';
	w->blen += (size_t)(p - start);
	w->col++;
	return 0;
}

/* The declared type of the current column (text past the declared ones). */
static int cur_type(const xlsx_writer *w)
{
	return w->col < w->ncols ? w->cols[w->col].type : XLSX_TEXT;
}

/* The style numbers get in the current column. */
static int num_style(const xlsx_writer *w)
{
	return w->col < w->ncols ? w->cols[w->col].style : S_GENERAL;
}

/* An inline-string cell with a given style. */
static int xw_cell_string(xlsx_writer *w, int style, const char *s, size_t len)
{
	if (xw_cell_open(w, style, "inlineStr"))
		return w->err;
	char first = s[0], last = s[len - 1];
	if (first == ' ' || first == '\t' || first == '\n' || first == '\r' || last == ' ' ||
	    last == '\t' || last == '\n' || last == '\r')
		XW_LIT(w, "<is><t xml:space=\"preserve\">");
	else
		XW_LIT(w, "<is><t>");
	xw_text(w, s, len, XLSX_MAX_CHARS, true);
	XW_LIT(w, "</t></is></c>");
	return w->err;
}

/* A numeric cell whose value text is already valid (digits, '.', '-', 'e'). */
static int xw_cell_value(xlsx_writer *w, int style, const char *type, const char *v, size_t n)
{
	if (n > 40)
		return xw_fail(w, KW_EINTERNAL);
	if (xw_cell_open(w, style, type))
		return w->err;
	char *p = xw_room(w, n + 12), *start = p;
	memcpy(p, "<v>", 3), p += 3;
	memcpy(p, v, n), p += n;
	memcpy(p, "</v></c>", 8), p += 8;
	w->blen += (size_t)(p - start);
	return 0;
}

/* Shortest text that reads back as d (15 significant digits when they suffice). */
static size_t fmt_double(char *buf, size_t size, double d)
{
	int n = snprintf(buf, size, "%.15g", d);
	if (strtod(buf, NULL) != d)
		n = snprintf(buf, size, "%.17g", d);
	return (size_t)n;
}

/* A text cell of len bytes; empty is blank. */
int xlsx_cell_text_len(xlsx_writer *w, const char *s, size_t len)
{
	if (!s || !len)
		return xlsx_cell_blank(w);
	return xw_cell_string(w, S_TEXT, s, len);
}

/* A text cell from a C string; NULL or empty is blank. */
int xlsx_cell_text(xlsx_writer *w, const char *s)
{
	return xlsx_cell_text_len(w, s, s ? strlen(s) : 0);
}

/* An integer cell; text beyond 15 digits. */
int xlsx_cell_int(xlsx_writer *w, int64_t n)
{
	char buf[24], *p = buf;
	uint64_t u = n < 0 ? -(uint64_t)n : (uint64_t)n;
	if (n < 0)
		*p++ = '-';
	p = fmt_u64(p, u);
	if (u > 999999999999999ull)
		return xw_cell_string(w, S_TEXT, buf, (size_t)(p - buf));
	return xw_cell_value(w, num_style(w), NULL, buf, (size_t)(p - buf));
}

/* A number cell; NaN and infinities as text. */
int xlsx_cell_number(xlsx_writer *w, double d)
{
	char buf[40];
	if (isnan(d))
		return xw_cell_string(w, S_TEXT, "NaN", 3);
	if (isinf(d))
		return d > 0 ? xw_cell_string(w, S_TEXT, "Infinity", 8)
			     : xw_cell_string(w, S_TEXT, "-Infinity", 9);
	return xw_cell_value(w, num_style(w), NULL, buf, fmt_double(buf, sizeof(buf), d));
}

/* A date or datetime value (validated); text outside Excel's range. */
static int xw_cell_datetime(xlsx_writer *w, const struct xlsx_datetime *t, bool timed)
{
	char buf[40];
	long serial = xlsx_date_serial(t->year, t->month, t->day);
	if (serial < 0) {
		int n =
		    timed ? snprintf(buf, sizeof(buf), "%04d-%02d-%02d %02d:%02d:%02d", t->year,
				     t->month, t->day, t->hour, t->min, t->sec)
			  : snprintf(buf, sizeof(buf), "%04d-%02d-%02d", t->year, t->month, t->day);
		return xw_cell_string(w, S_TEXT, buf, (size_t)n);
	}
	if (!timed) {
		char *p = fmt_u64(buf, (uint64_t)serial);
		return xw_cell_value(w, S_DATE, NULL, buf, (size_t)(p - buf));
	}
	double v = (double)serial + (t->hour * 3600 + t->min * 60 + t->sec + t->frac) / 86400.0;
	return xw_cell_value(w, S_DATETIME, NULL, buf, fmt_double(buf, sizeof(buf), v));
}

/* A date cell; KW_EINTERNAL for an impossible date. */
int xlsx_cell_date(xlsx_writer *w, int year, int month, int day)
{
	if (!valid_date(year, month, day))
		return xw_fail(w, KW_EINTERNAL);
	struct xlsx_datetime t = {.year = year, .month = month, .day = day};
	return xw_cell_datetime(w, &t, false);
}

/* A date-and-time cell; KW_EINTERNAL for an impossible one. */
int xlsx_cell_datetime(xlsx_writer *w, int year, int month, int day, int hour, int min, int sec)
{
	if (!valid_date(year, month, day) || !valid_time(hour, min, sec))
		return xw_fail(w, KW_EINTERNAL);
	struct xlsx_datetime t = {year, month, day, hour, min, sec, 0};
	return xw_cell_datetime(w, &t, true);
}

/* A datetime cell of t in China Standard Time. */
int xlsx_cell_time(xlsx_writer *w, time_t t)
{
	time_t local = t + 8 * 3600; /* China Standard Time, no daylight saving */
	struct tm tm;
	if (!gmtime_r(&local, &tm))
		return xw_fail(w, KW_EINTERNAL);
	return xlsx_cell_datetime(w, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
				  tm.tm_min, tm.tm_sec);
}

/* A boolean cell. */
int xlsx_cell_bool(xlsx_writer *w, bool b)
{
	return xw_cell_value(w, S_GENERAL, "b", b ? "1" : "0", 1);
}

/* Skip a column: nothing is written for a blank cell. */
int xlsx_cell_blank(xlsx_writer *w)
{
	if (w->err)
		return w->err;
	if (!w->in_row)
		return xw_fail(w, KW_EINTERNAL);
	if (w->col >= XLSX_MAX_COLS)
		return xw_fail(w, KW_ETOOLARGE);
	w->col++;
	return 0;
}

/* A cell from PostgreSQL text by the column type; text when it does not parse. */
int xlsx_cell_auto(xlsx_writer *w, const char *text)
{
	if (!text || !*text)
		return xlsx_cell_blank(w);
	size_t len = strlen(text);
	bool exact, timed;
	struct xlsx_datetime t;
	switch (cur_type(w)) {
	case XLSX_INT:
	case XLSX_DECIMAL:
		if (len <= 40 && xlsx_parse_number(text, len, &exact) && exact)
			return xw_cell_value(w, num_style(w), NULL, text, len);
		break;
	case XLSX_DATE:
		if (xlsx_parse_datetime(text, &t, &timed))
			return xw_cell_datetime(w, &t, false);
		break;
	case XLSX_DATETIME:
		if (xlsx_parse_datetime(text, &t, &timed))
			return xw_cell_datetime(w, &t, true);
		break;
	case XLSX_BOOL: {
		int b = xlsx_parse_bool(text);
		if (b >= 0)
			return xlsx_cell_bool(w, b);
		break;
	}
	default:
		break;
	}
	return xw_cell_string(w, S_TEXT, text, len);
}

/* ---- rows, sheets, workbook ---- */

/* Allocate a writer; nothing reaches the sink yet. */
xlsx_writer *xlsx_open(kw_sink_fn fn, void *ctx)
{
	xlsx_writer *w = xw_xmalloc(sizeof(*w));
	memset(w, 0, offsetof(struct xlsx_writer, buf));
	w->z = zipstream_open(fn, ctx, XLSX_ZLEVEL);
	return w;
}

/* Finish the open sheet and begin another. */
int xlsx_add_sheet(xlsx_writer *w, const char *name)
{
	if (w->err)
		return w->err;
	xw_sheet_end(w);
	return xw_sheet_begin(w, name);
}

/* Declare the columns: widths, frozen bold header row, autoFilter. */
int xlsx_columns(xlsx_writer *w, const struct xlsx_col *cols, size_t n)
{
	if (xw_need_sheet(w))
		return w->err;
	if (w->sheet_body || n == 0)
		return xw_fail(w, KW_EINTERNAL);
	if (n > XLSX_MAX_COLS)
		return xw_fail(w, KW_ETOOLARGE);

	w->cols = xw_xmalloc(n * sizeof(*w->cols));
	w->ncols = n;
	for (size_t i = 0; i < n; i++) {
		int style = S_GENERAL;
		if (cols[i].type == XLSX_DECIMAL && cols[i].decimals >= 1)
			style = S_DECIMAL1 + (cols[i].decimals > 6 ? 6 : cols[i].decimals) - 1;
		w->cols[i].type = (unsigned char)cols[i].type;
		w->cols[i].style = (unsigned char)style;
	}
	w->sheets[w->nsheets - 1].ncols = (uint32_t)n;

	xw_sheet_prelude(w, true);
	XW_LIT(w, "<cols>");
	for (size_t i = 0; i < n; i++) {
		double wd = cols[i].width > 0 ? cols[i].width : auto_width(&cols[i]);
		if (wd > 255)
			wd = 255;
		char *p = xw_room(w, 96);
		int k = snprintf(p, 96,
				 "<col min=\"%zu\" max=\"%zu\" width=\"%.4g\" customWidth=\"1\"/>",
				 i + 1, i + 1, wd);
		w->blen += (size_t)k;
	}
	XW_LIT(w, "</cols><sheetData>");

	if (xlsx_row_begin(w))
		return w->err;
	for (size_t i = 0; i < n; i++) {
		const char *h = cols[i].header;
		if (h && *h)
			xw_cell_string(w, S_HEADER, h, strlen(h));
		else
			xlsx_cell_blank(w);
	}
	return xlsx_row_end(w);
}

/* Begin the next row (an open one is ended). */
int xlsx_row_begin(xlsx_writer *w)
{
	if (xw_need_sheet(w))
		return w->err;
	xw_row_close(w);
	if (!w->sheet_body) {
		xw_sheet_prelude(w, false);
		XW_LIT(w, "<sheetData>");
	}
	if (w->row >= XLSX_MAX_ROWS)
		return xw_fail(w, KW_ETOOLARGE);
	w->row++;
	w->col = 0;
	w->rowlen = (size_t)(fmt_u64(w->rowstr, w->row) - w->rowstr);
	char *p = xw_room(w, 32), *start = p;
	memcpy(p, "<row r=\"", 8), p += 8;
	memcpy(p, w->rowstr, w->rowlen), p += w->rowlen;
	memcpy(p, "\">", 2), p += 2;
	w->blen += (size_t)(p - start);
	w->in_row = true;
	return w->err;
}

/* End the row; returns the sticky error. */
int xlsx_row_end(xlsx_writer *w)
{
	if (w->err)
		return w->err;
	if (!w->in_row)
		return xw_fail(w, KW_EINTERNAL);
	xw_row_close(w);
	return w->err;
}

/* The sticky error. */
int xlsx_error(const xlsx_writer *w)
{
	return w->err;
}

/* A sheet name inside a formula reference: quoted, quotes doubled, then XML-escaped. */
static void xw_sheet_ref(xlsx_writer *w, const char *name)
{
	XW_LIT(w, "&apos;");
	for (const char *p = name; *p;) {
		const char *q = strchr(p, '\'');
		size_t k = q ? (size_t)(q - p) : strlen(p);
		xw_text(w, p, k, 0, false);
		if (!q)
			break;
		XW_LIT(w, "&apos;&apos;");
		p = q + 1;
	}
	XW_LIT(w, "&apos;");
}

/* xl/workbook.xml, its relationships and [Content_Types].xml: they list the sheets. */
static void xw_workbook_parts(xlsx_writer *w)
{
	char tmp[256];
	xw_entry_begin(w, "xl/workbook.xml");
	xw_puts(w, xml_decl);
	XW_LIT(w, "<workbook xmlns=\"");
	xw_puts(w, ns_main);
	XW_LIT(w, "\" xmlns:r=\"");
	xw_puts(w, ns_rel);
	XW_LIT(w, "\"><workbookPr/><bookViews><workbookView/></bookViews><sheets>");
	for (size_t i = 0; i < w->nsheets; i++) {
		XW_LIT(w, "<sheet name=\"");
		xw_text(w, w->sheets[i].name, strlen(w->sheets[i].name), 0, false);
		snprintf(tmp, sizeof(tmp), "\" sheetId=\"%zu\" r:id=\"rId%zu\"/>", i + 1, i + 1);
		xw_puts(w, tmp);
	}
	XW_LIT(w, "</sheets>");
	bool names = false;
	for (size_t i = 0; i < w->nsheets; i++) {
		const struct xsheet *sh = &w->sheets[i];
		if (!sh->ncols)
			continue;
		if (!names)
			XW_LIT(w, "<definedNames>");
		names = true;
		snprintf(tmp, sizeof(tmp),
			 "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"%zu\" "
			 "hidden=\"1\">",
			 i);
		xw_puts(w, tmp);
		xw_sheet_ref(w, sh->name);
		char *p = tmp;
		memcpy(p, "!$A$1:$", 7), p += 7;
		p = fmt_col(p, sh->ncols - 1);
		*p++ = '$';
		p = fmt_u64(p, sh->rows ? sh->rows : 1);
		xw_put(w, tmp, (size_t)(p - tmp));
		XW_LIT(w, "</definedName>");
	}
	if (names)
		XW_LIT(w, "</definedNames>");
	XW_LIT(w, "</workbook>");
	xw_entry_end(w);

	xw_entry_begin(w, "xl/_rels/workbook.xml.rels");
	xw_puts(w, xml_decl);
	XW_LIT(w, "<Relationships "
		  "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
	for (size_t i = 0; i < w->nsheets; i++) {
		snprintf(tmp, sizeof(tmp),
			 "<Relationship Id=\"rId%zu\" Type=\"%s/worksheet\" "
			 "Target=\"worksheets/sheet%zu.xml\"/>",
			 i + 1,
			 "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
			 i + 1);
		xw_puts(w, tmp);
	}
	snprintf(tmp, sizeof(tmp),
		 "<Relationship Id=\"rId%zu\" Type=\"%s/styles\" Target=\"styles.xml\"/>",
		 w->nsheets + 1,
		 "http://schemas.openxmlformats.org/officeDocument/2006/relationships");
	xw_puts(w, tmp);
	XW_LIT(w, "</Relationships>");
	xw_entry_end(w);

	xw_entry_begin(w, "[Content_Types].xml");
	xw_puts(w, xml_decl);
	XW_LIT(w, "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
		  "<Default Extension=\"rels\" "
		  "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
		  "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
		  "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/"
		  "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
		  "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/"
		  "vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
		  "<Override PartName=\"/docProps/core.xml\" "
		  "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
		  "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/"
		  "vnd.openxmlformats-officedocument.extended-properties+xml\"/>");
	for (size_t i = 0; i < w->nsheets; i++) {
		snprintf(tmp, sizeof(tmp), "<Override PartName=\"/xl/worksheets/sheet%zu.xml\" ",
			 i + 1);
		xw_puts(w, tmp);
		XW_LIT(w, "ContentType=\"application/"
			  "vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>");
	}
	XW_LIT(w, "</Types>");
	xw_entry_end(w);
}

/* Finish the workbook, flush, free; the first error or 0 (after an error, flush nothing). */
int xlsx_close(xlsx_writer *w)
{
	if (!w->err) {
		xw_need_sheet(w);
		xw_sheet_end(w);
		xw_workbook_parts(w);
	}
	if (!w->err) {
		int rc = zipstream_close(w->z);
		w->z = NULL;
		if (rc)
			xw_fail(w, rc);
	}
	/* After an error nothing more goes to the sink: xlsx_free() drops what is buffered. */
	int err = w->err;
	xlsx_free(w);
	return err;
}

/* Free without finishing. */
void xlsx_free(xlsx_writer *w)
{
	if (!w)
		return;
	zipstream_free(w->z);
	for (size_t i = 0; i < w->nsheets; i++)
		free(w->sheets[i].name);
	free(w->sheets);
	free(w->cols);
	free(w);
}
