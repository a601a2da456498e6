/* zipw.h - a tiny in-memory zip writer for the xlsx reader's tests and fuzz targets (not the lib).
 */
#ifndef KW_FUZZ_ZIPW_H
#define KW_FUZZ_ZIPW_H

/*
 * Header-only on purpose: test/unit/test_xlsx_reader.c and the fuzz targets include it
 * to build well-formed and hostile packages (lying sizes, bombs, many entries)
 * without python or files. Entries are stored (method 0) or deflated (8).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

struct zipw {
	unsigned char *p; /* local headers and data, then the directory after zipw_finish() */
	size_t len, cap;
	unsigned char *cd; /* central directory being built */
	size_t cdlen, cdcap;
	unsigned n;
};

/* Optional lies for one entry: sizes written in its headers instead of the real ones. */
struct zipw_lie {
	int set;
	uint32_t comp_size, size;
	uint16_t method; /* written method when nonzero (e.g. 12 = bzip2, 99 = AES) */
	uint16_t flags;	 /* general purpose bits, e.g. 1 = encrypted */
};

static inline void zipw_grow(unsigned char **p, size_t *cap, size_t need)
{
	if (need <= *cap)
		return;
	size_t c = *cap ? *cap : 4096;
	while (c < need)
		c *= 2;
	*p = realloc(*p, c);
	if (!*p)
		abort();
	*cap = c;
}

static inline void zipw_put(unsigned char **p, size_t *len, size_t *cap, const void *d, size_t n)
{
	zipw_grow(p, cap, *len + n);
	if (n)
		memcpy(*p + *len, d, n);
	*len += n;
}

static inline void zipw_le(unsigned char *b, uint32_t v, int n)
{
	for (int i = 0; i < n; i++)
		b[i] = (unsigned char)(v >> (8 * i));
}

/* Write the local header of an entry at offset off (after its data is known). */
static inline void zipw_local(struct zipw *z, size_t off, const char *name, uint16_t method,
			      uint16_t flags, uint32_t crc, uint32_t comp, uint32_t size)
{
	unsigned char *h = z->p + off;
	size_t nl = strlen(name);
	zipw_le(h, 0x04034b50, 4);
	zipw_le(h + 4, 20, 2);
	zipw_le(h + 6, flags, 2);
	zipw_le(h + 8, method, 2);
	zipw_le(h + 10, 0, 2);
	zipw_le(h + 12, 0x5821, 2); /* 2024-01-01 */
	zipw_le(h + 14, crc, 4);
	zipw_le(h + 18, comp, 4);
	zipw_le(h + 22, size, 4);
	zipw_le(h + 26, (uint32_t)nl, 2);
	zipw_le(h + 28, 0, 2);
	memcpy(h + 30, name, nl);
}

static inline void zipw_central(struct zipw *z, size_t off, const char *name, uint16_t method,
				uint16_t flags, uint32_t crc, uint32_t comp, uint32_t size)
{
	size_t nl = strlen(name);
	unsigned char h[46];
	zipw_le(h, 0x02014b50, 4);
	zipw_le(h + 4, 20, 2);
	zipw_le(h + 6, 20, 2);
	zipw_le(h + 8, flags, 2);
	zipw_le(h + 10, method, 2);
	zipw_le(h + 12, 0, 2);
	zipw_le(h + 14, 0x5821, 2);
	zipw_le(h + 16, crc, 4);
	zipw_le(h + 20, comp, 4);
	zipw_le(h + 24, size, 4);
	zipw_le(h + 28, (uint32_t)nl, 2);
	zipw_le(h + 30, 0, 2);
	zipw_le(h + 32, 0, 2);
	zipw_le(h + 34, 0, 2);
	zipw_le(h + 36, 0, 2);
	zipw_le(h + 38, 0, 4);
	zipw_le(h + 42, (uint32_t)off, 4);
	zipw_put(&z->cd, &z->cdlen, &z->cdcap, h, sizeof(h));
	zipw_put(&z->cd, &z->cdlen, &z->cdcap, name, nl);
	z->n++;
}

/*
 * Add an entry whose data comes from fill(ctx, buf, cap) -> bytes (0 at the end),
 * deflated when method is 8, stored when 0. lie may be NULL.
 */
static inline void zipw_add_fill(struct zipw *z, const char *name, int method,
				 size_t (*fill)(void *ctx, unsigned char *buf, size_t cap),
				 void *ctx, const struct zipw_lie *lie)
{
	size_t off = z->len, nl = strlen(name);
	zipw_grow(&z->p, &z->cap, z->len + 30 + nl);
	z->len += 30 + nl;
	uint32_t crc = (uint32_t)crc32(0, NULL, 0);
	uint64_t size = 0, comp = 0;
	static unsigned char in[1 << 16], out[1 << 16];
	z_stream s;
	memset(&s, 0, sizeof(s));
	if (method == 8 && deflateInit2(&s, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	for (;;) {
		size_t n = fill(ctx, in, sizeof(in));
		crc = (uint32_t)crc32(crc, in, (uInt)n);
		size += n;
		if (method != 8) {
			zipw_put(&z->p, &z->len, &z->cap, in, n);
			comp += n;
			if (!n)
				break;
			continue;
		}
		s.next_in = in;
		s.avail_in = (uInt)n;
		int flush = n ? Z_NO_FLUSH : Z_FINISH, rc;
		do {
			s.next_out = out;
			s.avail_out = sizeof(out);
			rc = deflate(&s, flush);
			size_t got = sizeof(out) - s.avail_out;
			zipw_put(&z->p, &z->len, &z->cap, out, got);
			comp += got;
		} while (s.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
		if (!n)
			break;
	}
	if (method == 8)
		deflateEnd(&s);
	uint16_t m = (uint16_t)method, flags = 0;
	uint32_t c32 = (uint32_t)comp, s32 = (uint32_t)size;
	if (lie && lie->set) {
		c32 = lie->comp_size;
		s32 = lie->size;
	}
	if (lie && lie->method)
		m = lie->method;
	if (lie)
		flags = lie->flags;
	zipw_local(z, off, name, m, flags, crc, c32, s32);
	zipw_central(z, off, name, m, flags, crc, c32, s32);
}

/* Deflate n bytes with the given flush into the zip's data; returns compressed bytes. */
static inline size_t zipw_deflate(struct zipw *z, z_stream *s, const void *d, size_t n, int flush)
{
	unsigned char out[1 << 14];
	size_t total = 0;
	int rc;
	s->next_in = (unsigned char *)d;
	s->avail_in = (uInt)n;
	do {
		s->next_out = out;
		s->avail_out = sizeof(out);
		rc = deflate(s, flush);
		size_t got = sizeof(out) - s->avail_out;
		zipw_put(&z->p, &z->len, &z->cap, out, got);
		total += got;
	} while (s->avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
	return total;
}

/*
 * Add a deflated entry head + chunk * count + tail without doing the work of
 * compressing it all: the chunk is compressed once after a full flush (which
 * resets the dictionary) and its bytes repeated. A gigabyte costs a moment.
 */
static inline void zipw_add_repeat(struct zipw *z, const char *name, const char *head,
				   const char *chunk, size_t count, const char *tail,
				   const struct zipw_lie *lie)
{
	size_t off = z->len, nl = strlen(name), hl = strlen(head), cl = strlen(chunk),
	       tl = strlen(tail);
	zipw_grow(&z->p, &z->cap, z->len + 30 + nl);
	z->len += 30 + nl;
	z_stream s;
	memset(&s, 0, sizeof(s));
	if (deflateInit2(&s, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	uint64_t comp = zipw_deflate(z, &s, head, hl, Z_FULL_FLUSH);
	size_t at = z->len;
	size_t one = zipw_deflate(z, &s, chunk, cl, Z_FULL_FLUSH);
	for (size_t i = 1; i < count; i++) {
		zipw_grow(&z->p, &z->cap, z->len + one);
		memcpy(z->p + z->len, z->p + at, one);
		z->len += one;
	}
	comp += (uint64_t)one * count;
	comp += zipw_deflate(z, &s, tail, tl, Z_FINISH);
	deflateEnd(&s);
	uint32_t crc = (uint32_t)crc32(0, (const unsigned char *)head, (uInt)hl);
	uint32_t cc = (uint32_t)crc32(0, (const unsigned char *)chunk, (uInt)cl);
	for (size_t i = 0; i < count; i++)
		crc = (uint32_t)crc32_combine(crc, cc, (z_off_t)cl);
	crc = (uint32_t)crc32(crc, (const unsigned char *)tail, (uInt)tl);
	uint64_t size = hl + (uint64_t)cl * count + tl;
	uint32_t c32 = (uint32_t)comp, s32 = size > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)size;
	if (lie && lie->set) {
		c32 = lie->comp_size;
		s32 = lie->size;
	}
	zipw_local(z, off, name, 8, 0, crc, c32, s32);
	zipw_central(z, off, name, 8, 0, crc, c32, s32);
}

struct zipw_mem {
	const unsigned char *p;
	size_t len, pos;
};

static inline size_t zipw_fill_mem(void *ctx, unsigned char *buf, size_t cap)
{
	struct zipw_mem *m = ctx;
	size_t n = m->len - m->pos < cap ? m->len - m->pos : cap;
	memcpy(buf, m->p + m->pos, n);
	m->pos += n;
	return n;
}

/* Add an entry with the given bytes. */
static inline void zipw_add(struct zipw *z, const char *name, const void *data, size_t len,
			    int method)
{
	struct zipw_mem m = {data, len, 0};
	zipw_add_fill(z, name, method, zipw_fill_mem, &m, NULL);
}

/* Add an entry with a NUL-terminated text. */
static inline void zipw_add_str(struct zipw *z, const char *name, const char *text, int method)
{
	zipw_add(z, name, text, strlen(text), method);
}

/* Append the central directory and its end record; z->p, z->len is the zip. */
static inline void zipw_finish(struct zipw *z)
{
	size_t cdoff = z->len;
	zipw_put(&z->p, &z->len, &z->cap, z->cd, z->cdlen);
	unsigned char e[22];
	zipw_le(e, 0x06054b50, 4);
	zipw_le(e + 4, 0, 2);
	zipw_le(e + 6, 0, 2);
	zipw_le(e + 8, z->n > 0xFFFF ? 0xFFFF : z->n, 2);
	zipw_le(e + 10, z->n > 0xFFFF ? 0xFFFF : z->n, 2);
	zipw_le(e + 12, (uint32_t)z->cdlen, 4);
	zipw_le(e + 16, (uint32_t)cdoff, 4);
	zipw_le(e + 20, 0, 2);
	zipw_put(&z->p, &z->len, &z->cap, e, sizeof(e));
}

static inline void zipw_free(struct zipw *z)
{
	free(z->p);
	free(z->cd);
	memset(z, 0, sizeof(*z));
}

/* The parts of a one-sheet xlsx package around a sheet (and optional shared strings). */
static const char ZIPW_CT[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types "
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default "
    "Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
    "</Types>";
static const char ZIPW_RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships "
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship "
    "Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
    "Target=\"xl/workbook.xml\"/></Relationships>";
static const char ZIPW_WORKBOOK[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook "
    "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships\"><sheets><sheet "
    "name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char ZIPW_WB_RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships "
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship "
    "Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" "
    "Target=\"sharedStrings.xml\"/></Relationships>";

/* Start a package: content types, the root and workbook relationships, the workbook. */
static inline void zipw_package(struct zipw *z, int method)
{
	zipw_add_str(z, "[Content_Types].xml", ZIPW_CT, method);
	zipw_add_str(z, "_rels/.rels", ZIPW_RELS, method);
	zipw_add_str(z, "xl/workbook.xml", ZIPW_WORKBOOK, method);
	zipw_add_str(z, "xl/_rels/workbook.xml.rels", ZIPW_WB_RELS, method);
}

#endif
