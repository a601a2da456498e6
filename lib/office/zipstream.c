/* zipstream.c - byte sinks and a streaming zip writer without seeking (see zipstream.h). */
#include "office/zipstream.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zlib.h>

#include "core/clock.h"
#include "core/err.h"

#define ZS_OUTBUF (64 * 1024)
#define ZS_MAX32 0xffffffffu
#define ZS_MAX_ENTRIES 0xffffu

struct zentry {
	char *name;
	uint32_t crc, csize, usize, offset;
};

struct zipstream {
	kw_sink_fn fn;
	void *ctx;
	int err;
	uint16_t dos_time, dos_date;

	z_stream zs;
	bool in_entry;
	uint32_t crc;
	uint64_t usize;
	uint64_t entry_offset; /* where the open entry's local header starts */

	struct zentry *entries;
	size_t n, cap;

	uint64_t flushed; /* bytes handed to the sink */
	size_t outlen;	  /* bytes waiting in out[] */
	unsigned char out[ZS_OUTBUF];
};

/* malloc that aborts on out-of-memory, as the arena does. */
static void *zs_xmalloc(size_t n)
{
	void *p = malloc(n);
	if (!p) {
		fputs("kaowu: out of memory\n", stderr);
		abort();
	}
	return p;
}

/* Write to a FILE *; 0 or KW_EINTERNAL. */
int kw_file_sink(void *ctx, const void *buf, size_t len)
{
	return fwrite(buf, 1, len, ctx) == len ? KW_OK : KW_EINTERNAL;
}

/* Append to a growable buffer; 0, or KW_ETOOLARGE past its limit. */
int kw_membuf_sink(void *ctx, const void *buf, size_t len)
{
	struct kw_membuf *mb = ctx;
	if (mb->limit && (len > mb->limit || mb->len > mb->limit - len))
		return KW_ETOOLARGE;
	if (mb->cap - mb->len < len) {
		size_t cap = mb->cap ? mb->cap : 4096;
		while (cap - mb->len < len)
			cap *= 2;
		unsigned char *p = realloc(mb->data, cap);
		if (!p) {
			fputs("kaowu: out of memory\n", stderr);
			abort();
		}
		mb->data = p;
		mb->cap = cap;
	}
	memcpy(mb->data + mb->len, buf, len);
	mb->len += len;
	return KW_OK;
}

/* Free a memory buffer's bytes and zero it. */
void kw_membuf_free(struct kw_membuf *mb)
{
	free(mb->data);
	mb->data = NULL;
	mb->len = mb->cap = 0;
}

/* Record the first error; returns the sticky error. */
static int zs_fail(zipstream *z, int err)
{
	if (!z->err)
		z->err = err;
	return z->err;
}

/* Hand the buffered bytes to the sink. */
static int zs_flush(zipstream *z)
{
	if (z->outlen && !z->err) {
		int rc = z->fn(z->ctx, z->out, z->outlen);
		if (rc < 0)
			zs_fail(z, rc);
		else if (rc > 0)
			zs_fail(z, KW_EINTERNAL);
		z->flushed += z->outlen;
	}
	z->outlen = 0;
	return z->err;
}

/* Queue raw bytes (headers, descriptors, the central directory) for the sink. */
static int zs_put(zipstream *z, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	while (len && !z->err) {
		size_t room = ZS_OUTBUF - z->outlen;
		size_t k = len < room ? len : room;
		memcpy(z->out + z->outlen, p, k);
		z->outlen += k;
		p += k;
		len -= k;
		if (z->outlen == ZS_OUTBUF)
			zs_flush(z);
	}
	return z->err;
}

/* Store v as 2 little-endian bytes; returns the next position. */
static unsigned char *le16(unsigned char *p, unsigned v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	return p + 2;
}

/* Store v as 4 little-endian bytes; returns the next position. */
static unsigned char *le32(unsigned char *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = (v >> 24) & 0xff;
	return p + 4;
}

/* Set the DOS date and time of the entries from calendar fields. */
void zipstream_set_time(zipstream *z, int year, int mon, int day, int hour, int min, int sec)
{
	if (year < 1980 || year > 2107) {
		year = 1980;
		mon = day = 1;
		hour = min = sec = 0;
	}
	z->dos_date = (uint16_t)(((year - 1980) << 9) | (mon << 5) | day);
	z->dos_time = (uint16_t)((hour << 11) | (min << 5) | (sec / 2));
}

/* Allocate a writer; the deflate state is raw deflate (no zlib header), as zip wants. */
zipstream *zipstream_open(kw_sink_fn fn, void *ctx, int level)
{
	zipstream *z = zs_xmalloc(sizeof(*z));
	memset(z, 0, offsetof(struct zipstream, out));
	z->fn = fn;
	z->ctx = ctx;
	if (level < -1 || level > 9)
		level = Z_DEFAULT_COMPRESSION;
	int rc = deflateInit2(&z->zs, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	if (rc == Z_MEM_ERROR) {
		fputs("kaowu: out of memory\n", stderr);
		abort();
	}
	if (rc != Z_OK) {
		z->err = KW_EINTERNAL;
		z->zs.state = NULL;
	}

	/* China Standard Time, the platform's one time zone (clock.h). */
	time_t now = kw_now() + 8 * 3600;
	struct tm tm;
	gmtime_r(&now, &tm);
	zipstream_set_time(z, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			   tm.tm_sec);
	return z;
}

/* Begin an entry: its local header with sizes and CRC deferred to the data descriptor. */
int zipstream_entry_begin(zipstream *z, const char *name)
{
	if (z->in_entry)
		zipstream_entry_end(z);
	if (z->err)
		return z->err;
	size_t nlen = strlen(name);
	if (nlen == 0 || nlen > 0xffff)
		return zs_fail(z, KW_EINTERNAL);
	if (z->n >= ZS_MAX_ENTRIES)
		return zs_fail(z, KW_ETOOLARGE);
	uint64_t offset = z->flushed + z->outlen;
	if (offset > ZS_MAX32)
		return zs_fail(z, KW_ETOOLARGE);

	unsigned char h[30], *p = h;
	p = le32(p, 0x04034b50);
	p = le16(p, 20);	      /* version needed: 2.0 (deflate) */
	p = le16(p, 0x0008 | 0x0800); /* sizes in the data descriptor; UTF-8 names */
	p = le16(p, 8);		      /* deflate */
	p = le16(p, z->dos_time);
	p = le16(p, z->dos_date);
	p = le32(p, 0); /* crc-32, compressed and uncompressed size: in the descriptor */
	p = le32(p, 0);
	p = le32(p, 0);
	p = le16(p, (unsigned)nlen);
	le16(p, 0); /* extra field length */
	zs_put(z, h, sizeof(h));
	zs_put(z, name, nlen);
	if (z->err)
		return z->err;

	if (z->n == z->cap) {
		z->cap = z->cap ? z->cap * 2 : 16;
		struct zentry *e = realloc(z->entries, z->cap * sizeof(*e));
		if (!e) {
			fputs("kaowu: out of memory\n", stderr);
			abort();
		}
		z->entries = e;
	}
	struct zentry *e = &z->entries[z->n];
	e->name = zs_xmalloc(nlen + 1);
	memcpy(e->name, name, nlen + 1);
	e->offset = (uint32_t)offset;
	e->crc = e->csize = e->usize = 0;
	z->n++;

	deflateReset(&z->zs);
	z->crc = crc32(0, Z_NULL, 0);
	z->usize = 0;
	z->entry_offset = offset;
	z->in_entry = true;
	return 0;
}

/* Run deflate with flush until its input is used (Z_NO_FLUSH) or the stream ends (Z_FINISH). */
static int zs_deflate(zipstream *z, int flush)
{
	for (;;) {
		if (z->outlen == ZS_OUTBUF && zs_flush(z))
			return z->err;
		z->zs.next_out = z->out + z->outlen;
		z->zs.avail_out = (uInt)(ZS_OUTBUF - z->outlen);
		int rc = deflate(&z->zs, flush);
		z->outlen = ZS_OUTBUF - z->zs.avail_out;
		if (rc == Z_STREAM_END)
			return 0;
		if (rc != Z_OK && rc != Z_BUF_ERROR)
			return zs_fail(z, KW_EINTERNAL);
		if (flush == Z_NO_FLUSH && z->zs.avail_in == 0)
			return 0;
		/* Z_BUF_ERROR with room left would mean no progress is possible. */
		if (rc == Z_BUF_ERROR && z->outlen < ZS_OUTBUF)
			return zs_fail(z, KW_EINTERNAL);
	}
}

/* Compress len bytes into the open entry, updating its CRC and size. */
int zipstream_entry_write(zipstream *z, const void *buf, size_t len)
{
	if (z->err)
		return z->err;
	if (!z->in_entry)
		return zs_fail(z, KW_EINTERNAL);
	if (len > ZS_MAX32 || z->usize + len > ZS_MAX32)
		return zs_fail(z, KW_ETOOLARGE);
	z->crc = crc32(z->crc, buf, (uInt)len);
	z->usize += len;
	z->zs.next_in = (Bytef *)buf;
	z->zs.avail_in = (uInt)len;
	zs_deflate(z, Z_NO_FLUSH);
	z->zs.next_in = NULL;
	z->zs.avail_in = 0;
	return z->err;
}

/* Finish the deflate stream and write the data descriptor. */
int zipstream_entry_end(zipstream *z)
{
	if (z->err)
		return z->err;
	if (!z->in_entry)
		return zs_fail(z, KW_EINTERNAL);
	z->in_entry = false;
	if (zs_deflate(z, Z_FINISH))
		return z->err;
	uint64_t csize = z->zs.total_out;
	if (csize > ZS_MAX32)
		return zs_fail(z, KW_ETOOLARGE);

	struct zentry *e = &z->entries[z->n - 1];
	e->crc = z->crc;
	e->csize = (uint32_t)csize;
	e->usize = (uint32_t)z->usize;

	unsigned char d[16], *p = d;
	p = le32(p, 0x08074b50);
	p = le32(p, e->crc);
	p = le32(p, e->csize);
	le32(p, e->usize);
	return zs_put(z, d, sizeof(d));
}

/* One whole entry from a buffer. */
int zipstream_entry(zipstream *z, const char *name, const void *buf, size_t len)
{
	if (zipstream_entry_begin(z, name))
		return z->err;
	if (len && zipstream_entry_write(z, buf, len))
		return z->err;
	return zipstream_entry_end(z);
}

/* Write the central directory and its end record. */
static int zs_central_directory(zipstream *z)
{
	uint64_t start = z->flushed + z->outlen;
	if (start > ZS_MAX32)
		return zs_fail(z, KW_ETOOLARGE);
	for (size_t i = 0; i < z->n && !z->err; i++) {
		const struct zentry *e = &z->entries[i];
		size_t nlen = strlen(e->name);
		unsigned char h[46], *p = h;
		p = le32(p, 0x02014b50);
		p = le16(p, (3 << 8) | 20); /* made by: Unix, 2.0 */
		p = le16(p, 20);
		p = le16(p, 0x0008 | 0x0800);
		p = le16(p, 8);
		p = le16(p, z->dos_time);
		p = le16(p, z->dos_date);
		p = le32(p, e->crc);
		p = le32(p, e->csize);
		p = le32(p, e->usize);
		p = le16(p, (unsigned)nlen);
		p = le16(p, 0);			      /* extra */
		p = le16(p, 0);			      /* comment */
		p = le16(p, 0);			      /* disk */
		p = le16(p, 0);			      /* internal attributes */
		p = le32(p, (uint32_t)0100644 << 16); /* external: regular file, rw-r--r-- */
		le32(p, e->offset);
		zs_put(z, h, sizeof(h));
		zs_put(z, e->name, nlen);
	}
	uint64_t size = z->flushed + z->outlen - start;
	if (size > ZS_MAX32)
		return zs_fail(z, KW_ETOOLARGE);

	unsigned char end[22], *p = end;
	p = le32(p, 0x06054b50);
	p = le16(p, 0);
	p = le16(p, 0);
	p = le16(p, (unsigned)z->n);
	p = le16(p, (unsigned)z->n);
	p = le32(p, (uint32_t)size);
	p = le32(p, (uint32_t)start);
	le16(p, 0);
	return zs_put(z, end, sizeof(end));
}

/* Finish the archive, flush, free; the first error or 0. */
int zipstream_close(zipstream *z)
{
	if (z->in_entry)
		zipstream_entry_end(z);
	if (!z->err)
		zs_central_directory(z);
	zs_flush(z);
	int err = z->err;
	zipstream_free(z);
	return err;
}

/* Release everything. */
void zipstream_free(zipstream *z)
{
	if (!z)
		return;
	if (z->zs.state)
		deflateEnd(&z->zs);
	for (size_t i = 0; i < z->n; i++)
		free(z->entries[i].name);
	free(z->entries);
	free(z);
}

/* Bytes produced so far. */
uint64_t zipstream_offset(const zipstream *z)
{
	return z->flushed + z->outlen;
}
