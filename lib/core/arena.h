/* arena.h - per-request region allocator with deferred cleanups. */
#ifndef KW_ARENA_H
#define KW_ARENA_H

#include <stddef.h>
#include <stdarg.h>

/*
 * An arena hands out memory that lives until arena_reset() or arena_free().
 * Allocation never returns NULL: on out-of-memory the process aborts, as
 * PostgreSQL's palloc does (a worker is respawned by its master).
 * arena_defer() ties the release of foreign objects (PGresult, json_object,
 * zip_t, xmlDoc) to the arena; they run last-in first-out at reset.
 */
typedef struct arena arena;

arena *arena_new(size_t block_size);
void arena_free(arena *a);
void arena_reset(arena *a);

void *arena_alloc(arena *a, size_t n);
void *arena_zalloc(arena *a, size_t n);
void *arena_memdup(arena *a, const void *p, size_t n);
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena *a, const char *fmt, va_list ap);

void arena_defer(arena *a, void (*fn)(void *), void *p);

/* Bytes handed out since the last reset (for tests and the access log). */
size_t arena_used(const arena *a);

#endif
