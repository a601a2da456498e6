/* arena.c - per-request region allocator (see arena.h). */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct block {
	struct block *next;
	size_t size; /* usable bytes in data[] */
	size_t used;
	max_align_t data[];
};

struct defer {
	struct defer *next;
	void (*fn)(void *);
	void *p;
};

struct arena {
	struct block *head; /* current block; the first block is kept on reset */
	struct block *first;
	struct defer *defers;
	size_t block_size;
	size_t total;
};

#define ALIGN_UP(n) (((n) + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1))

static void *xmalloc(size_t n)
{
	void *p = malloc(n);
	if (!p) {
		fputs("kaowu: out of memory\n", stderr);
		abort();
	}
	return p;
}

static struct block *block_new(size_t size)
{
	struct block *b = xmalloc(sizeof(*b) + size);
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

arena *arena_new(size_t block_size)
{
	arena *a = xmalloc(sizeof(*a));
	if (block_size < 1024)
		block_size = 1024;
	a->block_size = ALIGN_UP(block_size);
	a->first = a->head = block_new(a->block_size);
	a->defers = NULL;
	a->total = 0;
	return a;
}

static void run_defers(arena *a)
{
	while (a->defers) {
		struct defer *d = a->defers;
		a->defers = d->next;
		d->fn(d->p);
	}
}

void arena_reset(arena *a)
{
	run_defers(a);
	struct block *b = a->head;
	while (b != a->first) {
		struct block *next = b->next;
		free(b);
		b = next;
	}
	a->head = a->first;
	a->first->used = 0;
	a->total = 0;
}

void arena_free(arena *a)
{
	if (!a)
		return;
	arena_reset(a);
	free(a->first);
	free(a);
}

void *arena_alloc(arena *a, size_t n)
{
	if (n > SIZE_MAX - 2 * sizeof(max_align_t)) {
		fputs("kaowu: allocation size overflow\n", stderr);
		abort();
	}
	n = ALIGN_UP(n ? n : 1);
	struct block *b = a->head;
	if (b->size - b->used < n) {
		/* Large requests get a block of their own. */
		size_t size = n > a->block_size ? n : a->block_size;
		b = block_new(size);
		b->next = a->head;
		a->head = b;
	}
	void *p = (char *)b->data + b->used;
	b->used += n;
	a->total += n;
	return p;
}

void *arena_zalloc(arena *a, size_t n)
{
	void *p = arena_alloc(a, n);
	memset(p, 0, n);
	return p;
}

void *arena_memdup(arena *a, const void *p, size_t n)
{
	void *q = arena_alloc(a, n);
	if (n)
		memcpy(q, p, n);
	return q;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	char *q = arena_alloc(a, n + 1);
	memcpy(q, s, n);
	q[n] = '\0';
	return q;
}

char *arena_strdup(arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(arena *a, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return arena_strdup(a, "");
	char *s = arena_alloc(a, (size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *arena_printf(arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return s;
}

void arena_defer(arena *a, void (*fn)(void *), void *p)
{
	if (!p)
		return;
	struct defer *d = arena_alloc(a, sizeof(*d));
	d->fn = fn;
	d->p = p;
	d->next = a->defers;
	a->defers = d;
}

size_t arena_used(const arena *a)
{
	return a->total;
}
