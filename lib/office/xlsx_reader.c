/* xlsx_reader.c - streaming xlsx reader: libzip entries fed to libxml2's xmlTextReader, bounded. */
#include "office/xlsx_reader.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <zip.h>
#include <zlib.h>

#include "core/err.h"

#define MAX_ROW 1048576u /* the format's last row */
#define MAX_COL 16384u	 /* the format's last column, XFD */
#define MAX_RELS 10000u	 /* relationships in one .rels part */
#define MB (1024u * 1024u)

/* libxml2 options: no network, no DTD loading, no entity substitution, UTF-8 only, quiet. */
#define XML_OPTIONS                                                                                \
	(XML_PARSE_NONET | XML_PARSE_IGNORE_ENC | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |        \
	 XML_PARSE_COMPACT)

static const char NS_MAIN[] = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
static const char NS_MAIN_STRICT[] = "http://purl.oclc.org/ooxml/spreadsheetml/main";
static const char NS_REL[] = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
static const char NS_REL_STRICT[] = "http://purl.oclc.org/ooxml/officeDocument/relationships";

static const char MSG_INVALID[] = "文件不是有效的 xlsx 文件";

/* A growable byte buffer, always NUL-terminated; chars counts UTF-8 characters appended. */
struct buf {
	char *p;
	size_t len, cap, chars;
};

/* One zip entry being parsed: the IO context libxml2 reads through. */
struct part {
	struct xlsx_reader *r;
	char name[160]; /* for log details */
	zip_file_t *f;	/* the entry's raw (compressed) bytes */
	xmlTextReaderPtr x;
	bool deflated, zs_live, raw_eof, end;
	z_stream zs;
	uint32_t crc, want_crc;
	bool check_crc;
	uint64_t comp; /* compressed bytes consumed so far */
	uint64_t got;  /* bytes inflated from this entry so far */
	unsigned char in[8192];
	unsigned match; /* bytes of "<!DOCTYPE" matched at the end of the last read */
	bool started;
	bool failed; /* the read callback refused; r->e says why */
	char xmlerr[160];
};

/* One relationship of a .rels part. */
struct rel {
	char *id, *type, *target;
	bool external;
};

struct rels {
	struct rel *v;
	size_t n, cap;
};

/* What is being collected from a cell's text nodes. */
enum collect { C_NONE, C_V, C_T };

struct xlsx_reader {
	struct xlsx_read_limits lim;
	struct xlsx_read_error e; /* the first error; copied out to callers */
	zip_t *zip;
	size_t file_len;
	uint64_t inflated;	/* bytes inflated from all entries */
	const xmlChar *ns_seen; /* last namespace pointer found to be the main one */

	/* Shared strings: string i is sst.p + sst_off[i], sst_off[i + 1] - sst_off[i] - 1 bytes. */
	struct buf sst;
	size_t *sst_off;
	size_t nsst, sst_cap;

	char *sheet_name;
	struct part sheet;
	bool sheet_open, in_data, in_row, in_cell, in_is, done;
	int data_depth, row_depth, cell_depth, is_depth, rph_depth;
	enum collect collect;

	unsigned last_row; /* number of the previous row, 0 before the first */
	unsigned row_num;  /* number of the current row, 0 while unknown */
	unsigned next_col; /* column a cell without r gets */
	unsigned nrows;	   /* non-empty rows delivered */
	unsigned cur_col;
	char cur_type; /* 's', 'S' (str), 'i' (inlineStr), 'b', 'e', 'd', 'n' */
	bool had_is;

	struct buf v, t, rowtext;
	struct xlsx_read_cell *cells;
	size_t *offs; /* offs[i]: cells[i] text offset in rowtext, or SIZE_MAX when text is set */
	size_t ncells, cells_cap;
	struct xlsx_read_row row;
};

/* Allocation that never returns NULL, as the arena's: out of memory aborts the worker. */
static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q) {
		fputs("kaowu: out of memory\n", stderr);
		abort();
	}
	return q;
}

/* A malloc'ed copy of s (never NULL). */
static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xrealloc(NULL, n), s, n);
}

/* Make room for n more bytes (plus the NUL) in b. */
static void buf_reserve(struct buf *b, size_t n)
{
	if (b->len + n + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + n + 1)
		cap *= 2;
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
}

/* Append n bytes to b and keep it NUL-terminated. */
static void buf_add(struct buf *b, const char *s, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

/* Empty b, keeping its memory. */
static void buf_clear(struct buf *b)
{
	b->len = b->chars = 0;
	if (b->p)
		b->p[0] = 0;
}

/* Number of UTF-8 characters in s[0..n): bytes that are not continuation bytes. */
static size_t utf8_chars(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

/* Write a byte count the way the messages show limits: "100 MB", "512 KB", "100 字节". */
static void fmt_size(char *out, size_t n, size_t bytes)
{
	if (bytes >= MB)
		snprintf(out, n, "%zu MB", bytes / MB);
	else if (bytes >= 1024)
		snprintf(out, n, "%zu KB", bytes / 1024);
	else
		snprintf(out, n, "%zu 字节", bytes);
}

/* Note the log detail of the error about to be recorded (the first error keeps its own). */
__attribute__((format(printf, 2, 3))) static void note(struct xlsx_reader *r, const char *fmt, ...)
{
	if (r->e.code || r->e.detail[0])
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->e.detail, sizeof(r->e.detail), fmt, ap);
	va_end(ap);
}

/* Record an error with its user message, unless one is already recorded; returns the code. */
__attribute__((format(printf, 3, 4))) static int fail(struct xlsx_reader *r, int code,
						      const char *fmt, ...)
{
	if (r->e.code)
		return r->e.code;
	r->e.code = code;
	if (r->in_row)
		r->e.row = r->row_num ? r->row_num : r->last_row + 1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->e.message, sizeof(r->e.message), fmt, ap);
	va_end(ap);
	return code;
}

/* Record "not a valid xlsx file" (the detail says why); returns KW_EVALIDATION. */
static int fail_invalid(struct xlsx_reader *r)
{
	return fail(r, KW_EVALIDATION, "%s", MSG_INVALID);
}

/* The limits an upload gets unless its caller tightens them (see the header). */
struct xlsx_read_limits xlsx_read_limits_default(void)
{
	return (struct xlsx_read_limits){
	    .max_file = 20 * MB,
	    .max_inflated = 100 * MB,
	    .max_entries = 1000,
	    .max_ratio = 100,
	    .ratio_floor = 1 * MB,
	    .max_strings = 1000000,
	    .max_cell_chars = 32767,
	    .max_rows = MAX_ROW,
	    .max_cols = MAX_COL,
	    .max_depth = 64,
	};
}

/* The caller's limits with zero fields taken from the defaults and the format's maxima kept. */
static struct xlsx_read_limits limits_merge(const struct xlsx_read_limits *lim)
{
	struct xlsx_read_limits d = xlsx_read_limits_default(), l = lim ? *lim : d;
#define KEEP(f)                                                                                    \
	if (!l.f)                                                                                  \
	l.f = d.f
	KEEP(max_file);
	KEEP(max_inflated);
	KEEP(max_entries);
	KEEP(max_ratio);
	KEEP(ratio_floor);
	KEEP(max_strings);
	KEEP(max_cell_chars);
	KEEP(max_rows);
	KEEP(max_cols);
	KEEP(max_depth);
#undef KEEP
	if (l.max_rows > MAX_ROW)
		l.max_rows = MAX_ROW;
	if (l.max_cols > MAX_COL)
		l.max_cols = MAX_COL;
	return l;
}

/* ---- zip entries read through libxml2 ---- */

/* Stop reading p with an invalid-file error; detail names the cause. Returns -1. */
static int part_broken(struct part *p, const char *detail)
{
	note(p->r, "%s: %s", p->name, detail);
	fail_invalid(p->r);
	p->failed = true;
	return -1;
}

/*
 * Inflate up to len bytes of the entry into out. The inflating is ours (zlib
 * over the raw entry), so the compressed bytes consumed are known at every
 * step; the CRC is checked at the end. Returns the bytes, 0 at the end, -1 on
 * a broken entry.
 */
static int part_inflate(struct part *p, char *out, int len)
{
	size_t n = 0;
	if (p->end)
		return 0;
	if (!p->deflated) {
		zip_int64_t got = zip_fread(p->f, out, (zip_uint64_t)len);
		if (got < 0)
			return part_broken(p, zip_error_strerror(zip_file_get_error(p->f)));
		p->comp += (uint64_t)got;
		p->end = got == 0;
		n = (size_t)got;
	} else {
		p->zs.next_out = (unsigned char *)out;
		p->zs.avail_out = (uInt)len;
		while (p->zs.avail_out == (uInt)len && !p->end) {
			if (p->zs.avail_in == 0 && !p->raw_eof) {
				zip_int64_t got = zip_fread(p->f, p->in, sizeof(p->in));
				if (got < 0)
					return part_broken(
					    p, zip_error_strerror(zip_file_get_error(p->f)));
				p->raw_eof = got == 0;
				p->comp += (uint64_t)got;
				p->zs.next_in = p->in;
				p->zs.avail_in = (uInt)got;
			}
			int rc = inflate(&p->zs, Z_NO_FLUSH);
			if (rc == Z_STREAM_END)
				p->end = true;
			else if (rc == Z_BUF_ERROR && p->raw_eof)
				return part_broken(p, "deflate data cut short");
			else if (rc != Z_OK && rc != Z_BUF_ERROR)
				return part_broken(p, p->zs.msg ? p->zs.msg : "bad deflate data");
		}
		n = (size_t)len - p->zs.avail_out;
	}
	p->crc = (uint32_t)crc32(p->crc, (const unsigned char *)out, (uInt)n);
	if (p->end && p->check_crc && p->crc != p->want_crc)
		return part_broken(p, "CRC mismatch");
	return (int)n;
}

/*
 * libxml2's read callback: inflate the next bytes of the entry, count them
 * against the limits (the total, and the ratio to the compressed bytes read so
 * far), and refuse a DOCTYPE before the parser ever sees it.
 * Returns the number of bytes, 0 at the end, -1 to stop the parse.
 */
static int part_read(void *ctx, char *out, int len)
{
	static const char doctype[] = "<!DOCTYPE";
	struct part *p = ctx;
	struct xlsx_reader *r = p->r;
	if (p->failed || r->e.code)
		return -1;
	if (len <= 0)
		return 0;
	int n = part_inflate(p, out, len);
	if (n <= 0)
		return n;
	p->got += (uint64_t)n;
	r->inflated += (uint64_t)n;
	char lim[32];
	if (r->inflated > r->lim.max_inflated) {
		fmt_size(lim, sizeof(lim), r->lim.max_inflated);
		note(r, "%s: inflated total beyond %zu bytes", p->name, r->lim.max_inflated);
		fail(r, KW_ETOOLARGE, "文件解压后超过 %s 上限", lim);
		p->failed = true;
		return -1;
	}
	uint64_t comp = p->comp ? p->comp : 1;
	if (p->got > r->lim.ratio_floor && p->got / comp > r->lim.max_ratio) {
		note(r, "%s: %llu bytes inflated from %llu compressed", p->name,
		     (unsigned long long)p->got, (unsigned long long)p->comp);
		fail(r, KW_ETOOLARGE, "文件压缩比异常（超过 %u:1），可能是压缩炸弹",
		     r->lim.max_ratio);
		p->failed = true;
		return -1;
	}
	const unsigned char *u = (const unsigned char *)out;
	if (!p->started && n >= 2) {
		p->started = true;
		if ((u[0] == 0xFE && u[1] == 0xFF) || (u[0] == 0xFF && u[1] == 0xFE) ||
		    (u[0] == 0 && u[1] == '<') || (u[0] == '<' && u[1] == 0)) {
			note(r, "%s: UTF-16 parts are not supported", p->name);
			fail_invalid(r);
			p->failed = true;
			return -1;
		}
	}
	size_t i = 0, m = (size_t)n;
	while (i < m) {
		if (p->match == 0) {
			const char *lt = memchr(out + i, '<', m - i);
			if (!lt)
				break;
			i = (size_t)(lt - out) + 1;
			p->match = 1;
		} else if (out[i] == doctype[p->match]) {
			i++;
			if (++p->match == sizeof(doctype) - 1) {
				note(r, "%s: DOCTYPE refused", p->name);
				fail(r, KW_EVALIDATION, "文件包含不允许的 XML 声明（DOCTYPE）");
				p->failed = true;
				return -1;
			}
		} else {
			p->match = 0;
		}
	}
	return (int)n;
}

/* Keep the first XML error of a part for the log. */
#if LIBXML_VERSION >= 21200
static void part_xml_error(void *ctx, const xmlError *e)
#else
static void part_xml_error(void *ctx, xmlErrorPtr e)
#endif
{
	struct part *p = ctx;
	if (p->xmlerr[0] || !e || !e->message)
		return;
	snprintf(p->xmlerr, sizeof(p->xmlerr), "line %d: %s", e->line, e->message);
	size_t n = strlen(p->xmlerr);
	while (n && (p->xmlerr[n - 1] == '\n' || p->xmlerr[n - 1] == ' '))
		p->xmlerr[--n] = 0;
}

/* Index of the entry called name (case-insensitive, as OPC part names are), or -1. */
static zip_int64_t entry_find(struct xlsx_reader *r, const char *name)
{
	return zip_name_locate(r->zip, name, ZIP_FL_NOCASE);
}

/* Release what part_open() took: the XML reader, the zip entry, the inflater. */
static void part_close(struct part *p)
{
	if (p->r)
		p->r->ns_seen = NULL;
	if (p->x)
		xmlFreeTextReader(p->x);
	if (p->f)
		zip_fclose(p->f);
	if (p->zs_live)
		inflateEnd(&p->zs);
	p->x = NULL;
	p->f = NULL;
	p->zs_live = false;
}

/*
 * Open the entry name for parsing. A missing entry is an error unless
 * missing is given, then *missing is set and 0 returned.
 */
static int part_open(struct xlsx_reader *r, struct part *p, const char *name, bool *missing)
{
	memset(p, 0, sizeof(*p));
	p->r = r;
	r->ns_seen = NULL; /* a pointer into another reader's dictionary means nothing here */
	snprintf(p->name, sizeof(p->name), "%s", name);
	zip_int64_t i = entry_find(r, name);
	if (i < 0) {
		if (missing) {
			*missing = true;
			return 0;
		}
		note(r, "%s: no such entry", p->name);
		return fail_invalid(r);
	}
	if (missing)
		*missing = false;
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat_index(r->zip, (zip_uint64_t)i, 0, &st) < 0) {
		note(r, "%s: zip: %s", p->name, zip_strerror(r->zip));
		return fail_invalid(r);
	}
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
		note(r, "%s: encrypted entry", p->name);
		return fail(r, KW_EVALIDATION, "文件已加密，请取消密码后重新上传");
	}
	if ((st.valid & ZIP_STAT_COMP_METHOD) && st.comp_method != ZIP_CM_STORE &&
	    st.comp_method != ZIP_CM_DEFLATE) {
		note(r, "%s: compression method %d", p->name, (int)st.comp_method);
		return fail(r, KW_EVALIDATION,
			    "文件使用了不支持的压缩方式，请用 Excel 或 WPS 另存后上传");
	}
	p->deflated = !(st.valid & ZIP_STAT_COMP_METHOD) || st.comp_method == ZIP_CM_DEFLATE;
	p->check_crc = (st.valid & ZIP_STAT_CRC) != 0;
	p->want_crc = st.crc;
	p->crc = (uint32_t)crc32(0, NULL, 0);
	p->f = zip_fopen_index(r->zip, (zip_uint64_t)i, ZIP_FL_COMPRESSED);
	if (!p->f) {
		note(r, "%s: zip: %s", p->name, zip_strerror(r->zip));
		return fail_invalid(r);
	}
	if (p->deflated) {
		if (inflateInit2(&p->zs, -MAX_WBITS) != Z_OK) {
			part_close(p);
			note(r, "%s: inflateInit2 failed", p->name);
			return fail(r, KW_EINTERNAL, "系统内部错误，请稍后再试");
		}
		p->zs_live = true;
	}
	p->x = xmlReaderForIO(part_read, NULL, p, NULL, "UTF-8", XML_OPTIONS);
	if (!p->x) {
		part_close(p);
		if (r->e.code)
			return r->e.code;
		note(r, "%s: xmlReaderForIO failed", p->name);
		return fail(r, KW_EINTERNAL, "系统内部错误，请稍后再试");
	}
	xmlTextReaderSetStructuredErrorHandler(p->x, part_xml_error, p);
	return 0;
}

/*
 * Advance to the next node of p: 1 on a node, 0 at the end of the document,
 * or a negative error (broken XML, a limit, a DTD, too deep a nesting).
 */
static int part_next(struct part *p)
{
	struct xlsx_reader *r = p->r;
	int rc = xmlTextReaderRead(p->x);
	if (p->failed || r->e.code)
		return r->e.code ? r->e.code : fail_invalid(r);
	if (rc < 0) {
		note(r, "%s: xml: %s", p->name, p->xmlerr[0] ? p->xmlerr : "parse error");
		return fail_invalid(r);
	}
	if (rc == 0)
		return 0;
	int type = xmlTextReaderNodeType(p->x);
	if (type == XML_READER_TYPE_DOCUMENT_TYPE || type == XML_READER_TYPE_ENTITY_REFERENCE ||
	    type == XML_READER_TYPE_ENTITY) {
		note(r, "%s: DTD node refused", p->name);
		return fail(r, KW_EVALIDATION, "文件包含不允许的 XML 声明（DOCTYPE）");
	}
	if (type == XML_READER_TYPE_ELEMENT && xmlTextReaderDepth(p->x) >= (int)r->lim.max_depth) {
		note(r, "%s: nesting deeper than %u", p->name, r->lim.max_depth);
		return fail(r, KW_EVALIDATION, "文件的 XML 嵌套层数过多");
	}
	return 1;
}

/* Does a node of this type carry text (whitespace and CDATA included)? */
static bool is_text_node(int type)
{
	return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
	       type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* Is the current node in SpreadsheetML's main namespace (transitional, strict, or none)? */
static bool in_main_ns(struct xlsx_reader *r, xmlTextReaderPtr x)
{
	const xmlChar *ns = xmlTextReaderConstNamespaceUri(x);
	if (!ns || ns == r->ns_seen)
		return true;
	if (strcmp((const char *)ns, NS_MAIN) == 0 ||
	    strcmp((const char *)ns, NS_MAIN_STRICT) == 0) {
		r->ns_seen = ns;
		return true;
	}
	return false;
}

/* Is the current node the element called name (local name, main namespace)? */
static bool is_el(struct xlsx_reader *r, xmlTextReaderPtr x, const char *name)
{
	const xmlChar *ln = xmlTextReaderConstLocalName(x);
	return ln && strcmp((const char *)ln, name) == 0 && in_main_ns(r, x);
}

/* The attribute name of the current element as a malloc'ed copy, or NULL. */
static char *attr_dup(xmlTextReaderPtr x, const char *name)
{
	xmlChar *v = xmlTextReaderGetAttribute(x, (const xmlChar *)name);
	if (!v)
		return NULL;
	char *s = xstrdup((const char *)v);
	xmlFree(v);
	return s;
}

/* ---- package structure: relationships, content types, the workbook ---- */

/* Free the relationships of rs and empty it. */
static void rels_free(struct rels *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		free(rs->v[i].id);
		free(rs->v[i].type);
		free(rs->v[i].target);
	}
	free(rs->v);
	memset(rs, 0, sizeof(*rs));
}

/* Does a relationship type end in "/kind" (transitional and strict types differ in prefix)? */
static bool rel_is(const char *type, const char *kind)
{
	size_t n = type ? strlen(type) : 0, k = strlen(kind);
	return n > k && type[n - k - 1] == '/' && strcmp(type + n - k, kind) == 0;
}

/* Read the .rels part name into rs; a missing part leaves rs empty. */
static int rels_read(struct xlsx_reader *r, const char *name, struct rels *rs)
{
	struct part p;
	bool missing;
	int rc = part_open(r, &p, name, &missing);
	if (rc || missing)
		return rc;
	while ((rc = part_next(&p)) == 1) {
		if (xmlTextReaderNodeType(p.x) != XML_READER_TYPE_ELEMENT)
			continue;
		const xmlChar *ln = xmlTextReaderConstLocalName(p.x);
		if (!ln || strcmp((const char *)ln, "Relationship") != 0)
			continue;
		if (rs->n == MAX_RELS) {
			note(r, "%s: more than %u relationships", p.name, MAX_RELS);
			rc = fail_invalid(r);
			break;
		}
		struct rel rel = {
		    .id = attr_dup(p.x, "Id"),
		    .type = attr_dup(p.x, "Type"),
		    .target = attr_dup(p.x, "Target"),
		};
		char *mode = attr_dup(p.x, "TargetMode");
		rel.external = mode && strcmp(mode, "External") == 0;
		free(mode);
		if (!rel.id || !rel.type || !rel.target) {
			free(rel.id);
			free(rel.type);
			free(rel.target);
			continue;
		}
		if (rs->n == rs->cap) {
			rs->cap = rs->cap ? 2 * rs->cap : 16;
			rs->v = xrealloc(rs->v, rs->cap * sizeof(*rs->v));
		}
		rs->v[rs->n++] = rel;
	}
	part_close(&p);
	return rc < 0 ? rc : 0;
}

/*
 * The part a relationship target names, seen from the part base: absolute
 * targets start at the package root, relative ones at base's folder; "." and
 * ".." segments are resolved. Returns a malloc'ed name without a leading '/'.
 */
static char *part_resolve(const char *base, const char *target)
{
	struct buf in = {0}, out = {0};
	if (target[0] == '/') {
		buf_add(&in, target, strlen(target));
	} else {
		const char *slash = strrchr(base, '/');
		if (slash)
			buf_add(&in, base, (size_t)(slash - base) + 1);
		buf_add(&in, target, strlen(target));
	}
	buf_add(&out, "", 0);
	for (char *seg = in.p, *end; seg && *seg; seg = end ? end + 1 : NULL) {
		end = strchr(seg, '/');
		size_t n = end ? (size_t)(end - seg) : strlen(seg);
		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			char *up = strrchr(out.p, '/');
			out.len = up ? (size_t)(up - out.p) : 0;
			out.p[out.len] = 0;
			continue;
		}
		if (out.len)
			buf_add(&out, "/", 1);
		buf_add(&out, seg, n);
	}
	free(in.p);
	return out.p;
}

/* The workbook part named by [Content_Types].xml, for packages without _rels/.rels. */
static int content_types_workbook(struct xlsx_reader *r, char **wb)
{
	static const char *const main_types[] = {
	    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
	    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
	    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
	    "application/vnd.ms-excel.template.macroEnabled.main+xml",
	    "application/vnd.ms-excel.sheet.binary.macroEnabled.main",
	};
	struct part p;
	bool missing;
	int rc = part_open(r, &p, "[Content_Types].xml", &missing);
	if (rc || missing)
		return rc;
	while (!*wb && (rc = part_next(&p)) == 1) {
		if (xmlTextReaderNodeType(p.x) != XML_READER_TYPE_ELEMENT)
			continue;
		const xmlChar *ln = xmlTextReaderConstLocalName(p.x);
		if (!ln || strcmp((const char *)ln, "Override") != 0)
			continue;
		char *type = attr_dup(p.x, "ContentType"), *name = attr_dup(p.x, "PartName");
		for (size_t i = 0; type && name && i < sizeof(main_types) / sizeof(main_types[0]);
		     i++)
			if (strcmp(type, main_types[i]) == 0)
				*wb = part_resolve("", name);
		free(type);
		free(name);
	}
	part_close(&p);
	return rc < 0 ? rc : 0;
}

/* Find the workbook part: _rels/.rels, else [Content_Types].xml, else xl/workbook.xml. */
static int find_workbook(struct xlsx_reader *r, char **wb)
{
	struct rels rs = {0};
	int rc = rels_read(r, "_rels/.rels", &rs);
	for (size_t i = 0; !rc && i < rs.n && !*wb; i++)
		if (rel_is(rs.v[i].type, "officeDocument") && !rs.v[i].external)
			*wb = part_resolve("", rs.v[i].target);
	rels_free(&rs);
	if (!rc && !*wb)
		rc = content_types_workbook(r, wb);
	if (!rc && !*wb && entry_find(r, "xl/workbook.xml") >= 0)
		*wb = xstrdup("xl/workbook.xml");
	if (rc)
		return rc;
	if (!*wb) {
		note(r, "no workbook part");
		return fail_invalid(r);
	}
	size_t n = strlen(*wb);
	if (n > 4 && strcasecmp(*wb + n - 4, ".bin") == 0) {
		note(r, "%s: binary workbook (xlsb)", *wb);
		return fail(r, KW_EVALIDATION, "不支持 .xlsb 格式，请另存为 .xlsx 后重新上传");
	}
	return 0;
}

/* The relationship with this id, or NULL. */
static const struct rel *rel_by_id(const struct rels *rs, const char *id)
{
	for (size_t i = 0; id && i < rs->n; i++)
		if (strcmp(rs->v[i].id, id) == 0)
			return &rs->v[i];
	return NULL;
}

/* The r:id of a <sheet>, in the transitional or the strict relationships namespace. */
static char *sheet_rel_id(xmlTextReaderPtr x)
{
	xmlChar *v = xmlTextReaderGetAttributeNs(x, (const xmlChar *)"id", (const xmlChar *)NS_REL);
	if (!v)
		v = xmlTextReaderGetAttributeNs(x, (const xmlChar *)"id",
						(const xmlChar *)NS_REL_STRICT);
	if (!v)
		return NULL;
	char *s = xstrdup((const char *)v);
	xmlFree(v);
	return s;
}

/*
 * From the workbook part wb, choose the sheet to read: the first visible
 * worksheet in workbook order (chart and macro sheets are skipped), else the
 * first worksheet. Sets *sheet and *sst (NULL when there are no shared strings).
 */
static int find_sheet(struct xlsx_reader *r, const char *wb, char **sheet, char **sst)
{
	const char *slash = strrchr(wb, '/');
	size_t dir = slash ? (size_t)(slash - wb) + 1 : 0;
	struct buf name = {0};
	buf_add(&name, wb, dir);
	buf_add(&name, "_rels/", 6);
	buf_add(&name, wb + dir, strlen(wb + dir));
	buf_add(&name, ".rels", 5);
	struct rels rs = {0};
	int rc = rels_read(r, name.p, &rs);
	free(name.p);
	struct part p;
	if (!rc)
		rc = part_open(r, &p, wb, NULL);
	if (rc) {
		rels_free(&rs);
		return rc;
	}
	char *hidden = NULL, *hidden_name = NULL;
	bool root = true;
	while (!*sheet && (rc = part_next(&p)) == 1) {
		int type = xmlTextReaderNodeType(p.x);
		if (root && type == XML_READER_TYPE_ELEMENT) {
			root = false;
			if (!is_el(r, p.x, "workbook")) {
				/* another Office package (a .docx, a .pptx): not an xlsx at all */
				note(r, "%s: not a workbook", wb);
				rc = fail_invalid(r);
				break;
			}
		}
		if (type == XML_READER_TYPE_END_ELEMENT && is_el(r, p.x, "sheets"))
			break;
		if (type != XML_READER_TYPE_ELEMENT || !is_el(r, p.x, "sheet"))
			continue;
		char *id = sheet_rel_id(p.x), *state = attr_dup(p.x, "state");
		char *sheet_id = attr_dup(p.x, "sheetId"), *sname = attr_dup(p.x, "name");
		const struct rel *rel = rel_by_id(&rs, id);
		char *target = NULL;
		if (rel && rel_is(rel->type, "worksheet") && !rel->external) {
			target = part_resolve(wb, rel->target);
		} else if (!rel && rs.n == 0 && sheet_id && strlen(sheet_id) < 12) {
			/* No workbook relationships at all: try the usual name. */
			char guess[64];
			snprintf(guess, sizeof(guess), "worksheets/sheet%s.xml", sheet_id);
			target = part_resolve(wb, guess);
			if (entry_find(r, target) < 0) {
				free(target);
				target = NULL;
			}
		}
		bool is_hidden = state && strcmp(state, "visible") != 0;
		if (target && !is_hidden) {
			*sheet = target;
			r->sheet_name = sname ? sname : xstrdup("");
			sname = NULL;
		} else if (target && !hidden) {
			hidden = target;
			hidden_name = sname ? sname : xstrdup("");
			sname = NULL;
		} else {
			free(target);
		}
		free(id);
		free(state);
		free(sheet_id);
		free(sname);
	}
	part_close(&p);
	if (rc >= 0 && !*sheet && hidden) {
		*sheet = hidden;
		r->sheet_name = hidden_name;
		hidden = hidden_name = NULL;
	}
	free(hidden);
	free(hidden_name);
	if (rc >= 0 && !*sheet) {
		note(r, "%s: no worksheet", wb);
		rc = fail(r, KW_EVALIDATION, "文件中没有工作表");
	}
	for (size_t i = 0; rc >= 0 && i < rs.n && !*sst; i++)
		if (rel_is(rs.v[i].type, "sharedStrings") && !rs.v[i].external)
			*sst = part_resolve(wb, rs.v[i].target);
	if (rc >= 0 && !*sst) {
		char *guess = part_resolve(wb, "sharedStrings.xml");
		if (entry_find(r, guess) >= 0)
			*sst = guess;
		else
			free(guess);
	}
	rels_free(&rs);
	return rc < 0 ? rc : 0;
}

/* ---- text ---- */

/* The value of a hex digit, or -1. */
static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decode the _xHHHH_ escapes OOXML uses in strings for characters XML cannot
 * carry ("_x000D_" is a carriage return, "_x005F_" an underscore), in place.
 * Returns the new length; the text only shrinks.
 */
static size_t unescape_x(char *s, size_t n)
{
	if (!memchr(s, '_', n))
		return n;
	size_t i = 0, o = 0;
	while (i < n) {
		if (s[i] == '_' && i + 7 <= n && s[i + 1] == 'x' && s[i + 6] == '_') {
			unsigned cp = 0;
			bool hex = true;
			for (size_t k = 2; k < 6 && hex; k++) {
				int h = hexval(s[i + k]);
				hex = h >= 0;
				cp = cp << 4 | (unsigned)(hex ? h : 0);
			}
			if (hex && cp != 0 && (cp < 0xD800 || cp > 0xDFFF)) {
				if (cp < 0x80) {
					s[o++] = (char)cp;
				} else if (cp < 0x800) {
					s[o++] = (char)(0xC0 | (cp >> 6));
					s[o++] = (char)(0x80 | (cp & 0x3F));
				} else {
					s[o++] = (char)(0xE0 | (cp >> 12));
					s[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
					s[o++] = (char)(0x80 | (cp & 0x3F));
				}
				i += 7;
				continue;
			}
		}
		s[o++] = s[i++];
	}
	s[o] = 0;
	return o;
}

/* Append a text node's content to b, refusing a cell longer than the limit. */
static int text_add(struct xlsx_reader *r, struct buf *b, const char *s)
{
	size_t n = strlen(s);
	b->chars += utf8_chars(s, n);
	if (b->chars > r->lim.max_cell_chars) {
		note(r, "cell text beyond %u characters", r->lim.max_cell_chars);
		return fail(r, KW_ETOOLARGE, "单元格文字超过 %u 字", r->lim.max_cell_chars);
	}
	buf_add(b, s, n);
	return 0;
}

/* XML white space. */
static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Trim b's surrounding white space in place; returns the start. */
static char *trim(struct buf *b, size_t *len)
{
	char *s = b->p ? b->p : (char *)"";
	size_t n = b->len;
	while (n && is_space(*s))
		s++, n--;
	while (n && is_space(s[n - 1]))
		n--;
	if (b->p)
		s[n] = 0;
	*len = n;
	return s;
}

/* Is s a plain decimal number: [-+]digits[.digits][(e|E)[-+]digits]? */
static bool is_decimal(const char *s)
{
	bool digits = false;
	if (*s == '-' || *s == '+')
		s++;
	while (*s >= '0' && *s <= '9')
		s++, digits = true;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			digits = true;
	if (!digits)
		return false;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == 0;
}

/*
 * Format the stored number s the way a user typed it: integers without a
 * fraction ("3", not "3.0"), others with at most 15 significant digits as
 * Excel shows them ("0.3" for 0.30000000000000004). Returns the length
 * written to out, or 0 when s is not a number.
 */
static size_t number_text(const char *s, char *out, size_t n)
{
	if (!is_decimal(s))
		return 0;
	double d = strtod(s, NULL);
	if (!isfinite(d))
		return 0;
	if (d == 0)
		d = 0; /* no "-0" */
	int len;
	if (d == trunc(d) && fabs(d) < 9007199254740992.0)
		len = snprintf(out, n, "%.0f", d);
	else
		len = snprintf(out, n, "%.15g", d);
	return len > 0 && (size_t)len < n ? (size_t)len : 0;
}

/* ---- shared strings ---- */

/* Append the string in r->t to the shared strings. */
static int sst_push(struct xlsx_reader *r)
{
	if (r->nsst >= r->lim.max_strings) {
		note(r, "more than %u shared strings", r->lim.max_strings);
		return fail(r, KW_ETOOLARGE, "文件中的文字条目过多（最多 %u 条）",
			    r->lim.max_strings);
	}
	if (r->nsst + 1 >= r->sst_cap) {
		r->sst_cap = r->sst_cap ? 2 * r->sst_cap : 1024;
		r->sst_off = xrealloc(r->sst_off, r->sst_cap * sizeof(*r->sst_off));
	}
	size_t n = r->t.p ? unescape_x(r->t.p, r->t.len) : 0;
	r->sst_off[r->nsst++] = r->sst.len;
	buf_add(&r->sst, r->t.p ? r->t.p : "", n);
	r->sst.len++; /* keep the NUL as the separator */
	buf_reserve(&r->sst, 0);
	r->sst_off[r->nsst] = r->sst.len;
	return 0;
}

/*
 * Read the shared strings part: each <si> is its <t>, or its rich-text runs'
 * <r><t> joined; phonetic runs (<rPh>) are left out. A part that is named but
 * missing counts as empty (cells that use it are refused).
 */
static int sst_read(struct xlsx_reader *r, const char *name)
{
	struct part p;
	bool missing;
	int rc = part_open(r, &p, name, &missing);
	if (rc || missing)
		return rc;
	int si_depth = -1, rph_depth = -1;
	bool in_t = false;
	buf_reserve(&r->sst, 0);
	while ((rc = part_next(&p)) == 1) {
		int type = xmlTextReaderNodeType(p.x), depth = xmlTextReaderDepth(p.x);
		if (type == XML_READER_TYPE_ELEMENT) {
			bool empty = xmlTextReaderIsEmptyElement(p.x) == 1;
			if (si_depth < 0) {
				if (!is_el(r, p.x, "si"))
					continue;
				buf_clear(&r->t);
				if (empty) {
					if ((rc = sst_push(r)) < 0)
						break;
				} else {
					si_depth = depth;
				}
			} else if (empty) {
				continue;
			} else if (rph_depth < 0 && is_el(r, p.x, "rPh")) {
				rph_depth = depth;
			} else if (rph_depth < 0 && is_el(r, p.x, "t")) {
				in_t = true;
			}
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			in_t = false;
			if (depth == rph_depth) {
				rph_depth = -1;
			} else if (depth == si_depth) {
				si_depth = -1;
				if ((rc = sst_push(r)) < 0)
					break;
			}
		} else if (in_t && is_text_node(type)) {
			const char *s = (const char *)xmlTextReaderConstValue(p.x);
			if (s && (rc = text_add(r, &r->t, s)) < 0)
				break;
		}
	}
	part_close(&p);
	buf_clear(&r->t);
	return rc < 0 ? rc : 0;
}

/* ---- the sheet ---- */

/*
 * Parse a cell reference "C7" (letters A..XFD, row 1..1048576; lower case
 * accepted) into a 0-based column and the row. False for anything else.
 */
static bool parse_ref(const char *s, unsigned *col, unsigned *row)
{
	unsigned c = 0, n = 0, rw = 0;
	for (; (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'); s++) {
		if (++n > 3)
			return false;
		c = c * 26 + (unsigned)((*s | 0x20) - 'a' + 1);
	}
	if (n == 0 || c > MAX_COL || !(*s >= '1' && *s <= '9'))
		return false;
	for (; *s >= '0' && *s <= '9'; s++)
		if ((rw = rw * 10 + (unsigned)(*s - '0')) > MAX_ROW)
			return false;
	if (*s)
		return false;
	*col = c - 1;
	*row = rw;
	return true;
}

/* Parse a row number 1..1048576; 0 when s is anything else. */
static unsigned parse_row(const char *s)
{
	unsigned rw = 0;
	if (!(*s >= '1' && *s <= '9'))
		return 0;
	for (; *s >= '0' && *s <= '9'; s++)
		if ((rw = rw * 10 + (unsigned)(*s - '0')) > MAX_ROW)
			return 0;
	return *s ? 0 : rw;
}

/* A short, printable copy of a bad reference for a message (ASCII letters and digits only). */
static const char *ref_for_message(const char *s, char out[16])
{
	size_t i = 0;
	for (; s[i] && i < 15; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')))
			return NULL;
		out[i] = c;
	}
	out[i] = 0;
	return s[i] ? NULL : out;
}

/* The row number is known now: check it follows the previous one and is in range. */
static int row_number(struct xlsx_reader *r, unsigned num)
{
	if (num == 0 || num > MAX_ROW) {
		note(r, "row number beyond %u", MAX_ROW);
		return fail(r, KW_EVALIDATION, "工作表的行号超出范围（最多 %u 行）", MAX_ROW);
	}
	if (num <= r->last_row) {
		note(r, "row %u after row %u", num, r->last_row);
		r->row_num = num;
		return fail(r, KW_EVALIDATION, "工作表第 %u 行的位置顺序有误", num);
	}
	r->row_num = num;
	return 0;
}

/* A <row> starts: take its number when it has one. */
static int row_start(struct xlsx_reader *r, int depth)
{
	xmlTextReaderPtr x = r->sheet.x;
	r->in_row = true;
	r->row_depth = depth;
	r->row_num = 0;
	r->next_col = 0;
	r->ncells = 0;
	buf_clear(&r->rowtext);
	char *num = attr_dup(x, "r");
	if (!num)
		return 0;
	unsigned n = parse_row(num);
	free(num);
	if (!n) {
		note(r, "bad row number");
		return fail(r, KW_EVALIDATION, "工作表的行号无效或超出范围（最多 %u 行）", MAX_ROW);
	}
	return row_number(r, n);
}

/* A <row> ends: returns 1 when it has cells to deliver, 0 when it is empty. */
static int row_end(struct xlsx_reader *r)
{
	int rc = 0;
	if (!r->row_num)
		rc = row_number(r, r->last_row + 1);
	if (rc)
		return rc;
	r->in_row = false;
	r->last_row = r->row_num;
	if (r->ncells == 0)
		return 0;
	if (++r->nrows > r->lim.max_rows) {
		r->in_row = true;
		note(r, "more than %u rows", r->lim.max_rows);
		return fail(r, KW_ETOOLARGE, "工作表数据过多（最多 %u 行）", r->lim.max_rows);
	}
	for (size_t i = 0; i < r->ncells; i++)
		if (r->offs[i] != SIZE_MAX)
			r->cells[i].text = r->rowtext.p + r->offs[i];
	r->row.num = r->row_num;
	r->row.ncells = (unsigned)r->ncells;
	r->row.ncols = r->cells[r->ncells - 1].col + 1;
	r->row.cells = r->cells;
	return 1;
}

/* A <c> starts: find its column (its r, or the one after the previous cell) and type. */
static int cell_start(struct xlsx_reader *r, int depth)
{
	xmlTextReaderPtr x = r->sheet.x;
	unsigned col = r->next_col, ref_row = 0;
	bool has_ref = false;
	char type = 'n';
	while (xmlTextReaderMoveToNextAttribute(x) == 1) {
		if (xmlTextReaderConstNamespaceUri(x))
			continue;
		const char *ln = (const char *)xmlTextReaderConstLocalName(x);
		const char *val = (const char *)xmlTextReaderConstValue(x);
		if (!ln || !val)
			continue;
		if (strcmp(ln, "r") == 0) {
			if (!parse_ref(val, &col, &ref_row)) {
				char buf[16];
				const char *shown = ref_for_message(val, buf);
				xmlTextReaderMoveToElement(x);
				note(r, "bad cell reference");
				if (shown)
					return fail(r, KW_EVALIDATION,
						    "工作表中的单元格位置“%s”无效", shown);
				return fail(r, KW_EVALIDATION, "工作表中的单元格位置无效");
			}
			has_ref = true;
		} else if (strcmp(ln, "t") == 0) {
			type = strcmp(val, "s") == 0	       ? 's'
			       : strcmp(val, "str") == 0       ? 'S'
			       : strcmp(val, "inlineStr") == 0 ? 'i'
			       : strcmp(val, "b") == 0	       ? 'b'
			       : strcmp(val, "e") == 0	       ? 'e'
			       : strcmp(val, "d") == 0	       ? 'd'
							       : 'n';
		}
	}
	xmlTextReaderMoveToElement(x);
	int rc = 0;
	if (!r->row_num)
		rc = row_number(r, has_ref ? ref_row : r->last_row + 1);
	if (rc)
		return rc;
	if (col < r->next_col) {
		note(r, "cell column %u after column %u", col, r->next_col);
		return fail(r, KW_EVALIDATION, "工作表第 %u 行的单元格顺序有误", r->row_num);
	}
	if (col >= r->lim.max_cols) {
		note(r, "column %u beyond %u", col + 1, r->lim.max_cols);
		return fail(r, KW_ETOOLARGE, "工作表列数过多（最多 %u 列）", r->lim.max_cols);
	}
	r->in_cell = true;
	r->cell_depth = depth;
	r->cur_col = col;
	r->next_col = col + 1;
	r->cur_type = type;
	r->had_is = r->in_is = false;
	r->rph_depth = -1;
	r->collect = C_NONE;
	buf_clear(&r->v);
	buf_clear(&r->t);
	return 0;
}

/* Add a cell to the row: text is either stable (shared string) or copied into rowtext. */
static void cell_add(struct xlsx_reader *r, enum xlsx_value type, const char *text, size_t len,
		     bool stable)
{
	if (r->ncells == r->cells_cap) {
		r->cells_cap = r->cells_cap ? 2 * r->cells_cap : 32;
		r->cells = xrealloc(r->cells, r->cells_cap * sizeof(*r->cells));
		r->offs = xrealloc(r->offs, r->cells_cap * sizeof(*r->offs));
	}
	struct xlsx_read_cell *c = &r->cells[r->ncells];
	c->col = r->cur_col;
	c->type = type;
	c->len = len;
	if (stable) {
		c->text = text;
		r->offs[r->ncells] = SIZE_MAX;
	} else {
		c->text = NULL;
		r->offs[r->ncells] = r->rowtext.len;
		buf_add(&r->rowtext, text, len);
		r->rowtext.len++; /* keep the NUL */
		buf_reserve(&r->rowtext, 0);
	}
	r->ncells++;
}

/* A <c> ends: turn what it held into text by its type; empty cells are not listed. */
static int cell_end(struct xlsx_reader *r)
{
	r->in_cell = r->in_is = false;
	r->collect = C_NONE;
	r->rph_depth = -1;
	size_t len;
	char *s, num[64];
	switch (r->cur_type) {
	case 's': {
		s = trim(&r->v, &len);
		if (!len)
			return 0;
		size_t idx = 0;
		bool ok = len <= 10;
		for (size_t i = 0; ok && i < len; i++) {
			ok = s[i] >= '0' && s[i] <= '9';
			idx = idx * 10 + (size_t)(s[i] - '0');
		}
		if (!ok || idx >= r->nsst) {
			note(r, "shared string index out of range (%zu strings)", r->nsst);
			return fail(r, KW_EVALIDATION, "工作表第 %u 行引用了不存在的文字条目",
				    r->row_num);
		}
		size_t n = r->sst_off[idx + 1] - r->sst_off[idx] - 1;
		if (n)
			cell_add(r, XLSX_V_STRING, r->sst.p + r->sst_off[idx], n, true);
		return 0;
	}
	case 'i':
	case 'S': {
		struct buf *b = r->cur_type == 'i' && r->had_is ? &r->t : &r->v;
		if (!b->len)
			return 0;
		len = unescape_x(b->p, b->len);
		cell_add(r, XLSX_V_STRING, b->p, len, false);
		return 0;
	}
	case 'b':
		s = trim(&r->v, &len);
		if (!len)
			return 0;
		if (strcmp(s, "1") == 0 || strcmp(s, "true") == 0)
			cell_add(r, XLSX_V_BOOL, "TRUE", 4, true);
		else if (strcmp(s, "0") == 0 || strcmp(s, "false") == 0)
			cell_add(r, XLSX_V_BOOL, "FALSE", 5, true);
		else
			cell_add(r, XLSX_V_STRING, s, len, false);
		return 0;
	case 'e':
	case 'd':
		s = trim(&r->v, &len);
		if (len)
			cell_add(r, r->cur_type == 'e' ? XLSX_V_ERROR : XLSX_V_DATE, s, len, false);
		return 0;
	default:
		s = trim(&r->v, &len);
		if (!len)
			return 0;
		size_t n = number_text(s, num, sizeof(num));
		if (n)
			cell_add(r, XLSX_V_NUMBER, num, n, false);
		else
			cell_add(r, XLSX_V_STRING, s, len, false);
		return 0;
	}
}

/*
 * Handle one node of the sheet. Returns 1 when a row is ready in r->row, 0 to
 * go on, or a negative error. Sets r->done at the end of <sheetData>.
 */
static int sheet_node(struct xlsx_reader *r)
{
	xmlTextReaderPtr x = r->sheet.x;
	int type = xmlTextReaderNodeType(x);
	if (type == XML_READER_TYPE_ELEMENT) {
		int depth = xmlTextReaderDepth(x), rc;
		bool empty = xmlTextReaderIsEmptyElement(x) == 1;
		if (!r->in_data) {
			if (is_el(r, x, "sheetData")) {
				r->in_data = true;
				r->data_depth = depth;
				r->done = empty;
			}
			return 0;
		}
		if (!r->in_row) {
			if (depth != r->data_depth + 1 || !is_el(r, x, "row"))
				return 0;
			if ((rc = row_start(r, depth)) < 0)
				return rc;
			return empty ? row_end(r) : 0;
		}
		if (!r->in_cell) {
			if (depth != r->row_depth + 1 || !is_el(r, x, "c"))
				return 0;
			if ((rc = cell_start(r, depth)) < 0)
				return rc;
			return empty ? cell_end(r) : 0;
		}
		if (empty)
			return 0;
		if (depth == r->cell_depth + 1) {
			if (is_el(r, x, "v")) {
				r->collect = C_V;
			} else if (is_el(r, x, "is")) {
				r->in_is = r->had_is = true;
				r->is_depth = depth;
			}
		} else if (r->in_is && r->rph_depth < 0) {
			if (is_el(r, x, "rPh"))
				r->rph_depth = depth;
			else if (is_el(r, x, "t"))
				r->collect = C_T;
		}
		return 0;
	}
	if (type == XML_READER_TYPE_END_ELEMENT) {
		int depth = xmlTextReaderDepth(x);
		if (r->in_cell) {
			if (depth == r->cell_depth)
				return cell_end(r);
			if (depth == r->rph_depth)
				r->rph_depth = -1;
			else if (r->in_is && depth == r->is_depth)
				r->in_is = false;
			r->collect = C_NONE;
			return 0;
		}
		if (r->in_row && depth == r->row_depth)
			return row_end(r);
		if (r->in_data && depth == r->data_depth)
			r->done = true;
		return 0;
	}
	if (r->collect != C_NONE && is_text_node(type)) {
		const char *s = (const char *)xmlTextReaderConstValue(x);
		if (s)
			return text_add(r, r->collect == C_V ? &r->v : &r->t, s);
	}
	return 0;
}

/* ---- the public API ---- */

/* Open the upload as a zip: size, the old .xls/encrypted signature, entry count. */
static int zip_load(struct xlsx_reader *r, const void *buf, size_t len)
{
	char lim[32];
	if (len > r->lim.max_file) {
		fmt_size(lim, sizeof(lim), r->lim.max_file);
		note(r, "upload of %zu bytes", len);
		return fail(r, KW_ETOOLARGE, "文件超过 %s 上限", lim);
	}
	if (len >= 8 && memcmp(buf, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
		note(r, "OLE compound file (xls or encrypted xlsx)");
		return fail(r, KW_EVALIDATION,
			    "文件是旧版 Excel（.xls）格式或已加密，请另存为 .xlsx 后重新上传");
	}
	if (!buf || len < 22) {
		note(r, "upload of %zu bytes is too short for a zip", len);
		return fail_invalid(r);
	}
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(buf, len, 0, &ze);
	if (src)
		r->zip = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (!r->zip) {
		note(r, "zip: %s", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		if (src)
			zip_source_free(src);
		return fail_invalid(r);
	}
	zip_error_fini(&ze);
	r->file_len = len;
	zip_int64_t n = zip_get_num_entries(r->zip, 0);
	if (n > (zip_int64_t)r->lim.max_entries) {
		note(r, "%lld zip entries", (long long)n);
		return fail(r, KW_ETOOLARGE, "文件中的条目过多（最多 %u 个）", r->lim.max_entries);
	}
	if (n <= 0) {
		note(r, "empty zip");
		return fail_invalid(r);
	}
	return 0;
}

/* Copy the recorded error to the caller's err, if it gave one. */
static void error_out(const struct xlsx_reader *r, struct xlsx_read_error *err)
{
	if (err)
		*err = r->e;
}

/* Open the upload and get to the first row of its sheet (see the header). */
int xlsx_reader_open(struct xlsx_reader **out, const void *buf, size_t len,
		     const struct xlsx_read_limits *lim, struct xlsx_read_error *err)
{
	*out = NULL;
	if (err)
		memset(err, 0, sizeof(*err));
	xmlInitParser();
	struct xlsx_reader *r = xrealloc(NULL, sizeof(*r));
	memset(r, 0, sizeof(*r));
	r->lim = limits_merge(lim);
	char *wb = NULL, *sheet = NULL, *sst = NULL;
	int rc = zip_load(r, buf, len);
	if (!rc)
		rc = find_workbook(r, &wb);
	if (!rc)
		rc = find_sheet(r, wb, &sheet, &sst);
	if (!rc && sst)
		rc = sst_read(r, sst);
	if (!rc)
		rc = part_open(r, &r->sheet, sheet, NULL);
	free(wb);
	free(sheet);
	free(sst);
	if (rc) {
		error_out(r, err);
		xlsx_reader_close(r);
		return rc;
	}
	r->sheet_open = true;
	*out = r;
	return 0;
}

/* Stream the sheet to its next non-empty row; *row is NULL at the end. */
int xlsx_reader_next(struct xlsx_reader *r, const struct xlsx_read_row **row,
		     struct xlsx_read_error *err)
{
	*row = NULL;
	int rc = r->e.code;
	while (!rc && !r->done) {
		rc = part_next(&r->sheet);
		if (rc == 0) {
			/* A sheet without <sheetData> has no rows; one cut short is broken. */
			if (r->in_data) {
				note(r, "%s: sheet ends inside sheetData", r->sheet.name);
				rc = fail_invalid(r);
			}
			r->done = true;
		} else if (rc > 0) {
			rc = sheet_node(r);
			if (rc > 0) {
				*row = &r->row;
				return 0;
			}
		}
	}
	if (r->done && r->sheet_open) {
		part_close(&r->sheet);
		r->sheet_open = false;
	}
	if (rc)
		error_out(r, err);
	return rc;
}

/* Free the reader and everything it holds; NULL is fine. */
void xlsx_reader_close(struct xlsx_reader *r)
{
	if (!r)
		return;
	part_close(&r->sheet);
	if (r->zip)
		zip_discard(r->zip);
	free(r->sst.p);
	free(r->sst_off);
	free(r->sheet_name);
	free(r->v.p);
	free(r->t.p);
	free(r->rowtext.p);
	free(r->cells);
	free(r->offs);
	free(r);
}

/* The name of the sheet being read. */
const char *xlsx_reader_sheet_name(const struct xlsx_reader *r)
{
	return r->sheet_name ? r->sheet_name : "";
}

/* The iterator as a loop calling fn per row; stops at fn's first non-zero return. */
int xlsx_read(const void *buf, size_t len, const struct xlsx_read_limits *lim, xlsx_read_row_fn fn,
	      void *ctx, struct xlsx_read_error *err)
{
	struct xlsx_reader *r;
	int rc = xlsx_reader_open(&r, buf, len, lim, err);
	if (rc)
		return rc;
	const struct xlsx_read_row *row;
	while ((rc = xlsx_reader_next(r, &row, err)) == 0 && row) {
		if ((rc = fn(ctx, row)) != 0) {
			if (err) {
				memset(err, 0, sizeof(*err));
				err->code = rc;
				err->row = row->num;
			}
			break;
		}
	}
	xlsx_reader_close(r);
	return rc;
}

/* The cell at col: direct when the row is dense up to col, else a binary search. */
const struct xlsx_read_cell *xlsx_read_cell(const struct xlsx_read_row *row, unsigned col)
{
	if (col < row->ncells && row->cells[col].col == col)
		return &row->cells[col];
	size_t lo = 0, hi = row->ncells;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (row->cells[mid].col < col)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < row->ncells && row->cells[lo].col == col ? &row->cells[lo] : NULL;
}

/* The text at col, "" when there is none. */
const char *xlsx_read_text(const struct xlsx_read_row *row, unsigned col)
{
	const struct xlsx_read_cell *c = xlsx_read_cell(row, col);
	return c ? c->text : "";
}

/* Column letters, bijective base 26: A..Z, AA..ZZ, AAA..XFD. */
const char *xlsx_read_col_name(unsigned col, char buf[8])
{
	char tmp[8];
	size_t n = 0;
	unsigned c = col + 1;
	while (c && n < sizeof(tmp)) {
		c--;
		tmp[n++] = (char)('A' + c % 26);
		c /= 26;
	}
	for (size_t i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = 0;
	return buf;
}
