/* zipstream.h - byte sinks and a minimal streaming zip writer (deflate, data descriptors). */
#ifndef KW_ZIPSTREAM_H
#define KW_ZIPSTREAM_H

#include <stddef.h>
#include <stdint.h>

/*
 * A sink receives the bytes of a document as they are produced: the HTTP layer
 * passes one that sends them to the client, tests pass kw_membuf_sink. It
 * returns 0, or a negative enum kw_err that the writer keeps and reports at
 * close (a client that went away: KW_EUNAVAILABLE or whatever suits the caller).
 * A sink is never called with len == 0.
 */
typedef int (*kw_sink_fn)(void *ctx, const void *buf, size_t len);

/* A sink writing to a FILE * (ctx); KW_EINTERNAL on a short write. */
int kw_file_sink(void *ctx, const void *buf, size_t len);

/*
 * A growable memory buffer sink (ctx is a struct kw_membuf *, zero-initialised
 * by the caller). limit 0 means no limit, else KW_ETOOLARGE past it. The
 * caller frees data with kw_membuf_free().
 */
struct kw_membuf {
	unsigned char *data;
	size_t len, cap;
	size_t limit;
};
int kw_membuf_sink(void *ctx, const void *buf, size_t len);
void kw_membuf_free(struct kw_membuf *mb);

/*
 * The zip writer streams entries one after the other without seeking: each
 * local header has general purpose flag bit 3 set and is followed by the
 * deflated data and a data descriptor; the central directory is written at
 * close. Memory is constant per entry (the deflate state, two buffers, and a
 * name, CRC, sizes and offset per entry for the central directory).
 *
 * No ZIP64: an entry's uncompressed and compressed sizes and the whole archive
 * must stay below 4 GiB (KW_ETOOLARGE otherwise), and at most 65,535 entries.
 *
 * Errors are sticky: after the first failure every call returns it and writes
 * nothing more.
 */
typedef struct zipstream zipstream;

/*
 * Start an archive writing to fn(ctx). level is a zlib level (0-9, or -1 for
 * zlib's default). Never returns NULL (aborts on out-of-memory, like the arena).
 * Finish with zipstream_close(), or discard with zipstream_free().
 */
zipstream *zipstream_open(kw_sink_fn fn, void *ctx, int level);

/* Entry timestamps (local time as DOS date/time); default: the time of zipstream_open(). */
void zipstream_set_time(zipstream *z, int year, int mon, int day, int hour, int min, int sec);

/* Begin an entry named name (UTF-8, copied); an open entry is ended first. */
int zipstream_entry_begin(zipstream *z, const char *name);

/* Append len bytes to the open entry. */
int zipstream_entry_write(zipstream *z, const void *buf, size_t len);

/* Finish the open entry: flush deflate, write its data descriptor. */
int zipstream_entry_end(zipstream *z);

/* Write a whole entry at once (begin + write + end). */
int zipstream_entry(zipstream *z, const char *name, const void *buf, size_t len);

/*
 * End the open entry, write the central directory, flush, free z. Returns the
 * first error of the archive's life or 0. z is gone afterwards in any case.
 */
int zipstream_close(zipstream *z);

/* Free z without finishing the archive (the output is then not a valid zip). NULL is fine. */
void zipstream_free(zipstream *z);

/* Bytes handed to the sink so far (including what is buffered for it). */
uint64_t zipstream_offset(const zipstream *z);

#endif
