/* paper_near.c - trigram similarity as pg_trgm computes it, and a fast candidate search for
 * near-duplicate questions (a prefix-filtered similarity join). */
#include "paper_int.h"

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

/* malloc that aborts on out-of-memory, as the arena does. */
static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		fputs("kaowu: out of memory\n", stderr);
		abort();
	}
	return p;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p) {
		fputs("kaowu: out of memory\n", stderr);
		abort();
	}
	return p;
}

/* ------------------------------------------------------------------ trigrams */

/*
 * pg_trgm (KEEPONLYALNUM, IGNORECASE) splits a text into words of characters
 * for which iswalnum() holds in the database's LC_CTYPE (C.UTF-8 here, whose
 * classes cover all of Unicode), lower-cases them, pads each as "  word " and
 * takes every run of three characters. The same here, with the C.UTF-8 locale
 * object; a trigram is its three code points (21 bits each) in one integer.
 */
static locale_t utf8_locale(void)
{
	static locale_t loc;
	static int tried;
	if (!tried) {
		tried = 1;
		loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	}
	return loc;
}

static int word_char(uint32_t cp, locale_t loc)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
		       (cp >= 'A' && cp <= 'Z');
	if (loc)
		return iswalnum_l((wint_t)cp, loc);
	/* no C.UTF-8: everything but the punctuation blocks */
	return !((cp >= 0x2000 && cp <= 0x206f) || (cp >= 0x3000 && cp <= 0x303f) ||
		 (cp >= 0xff00 && cp <= 0xff0f) || (cp >= 0xff1a && cp <= 0xff20) ||
		 (cp >= 0xff3b && cp <= 0xff40) || (cp >= 0xff5b && cp <= 0xff65) || cp == 0xa0 ||
		 cp == 0xb7);
}

static uint32_t lower(uint32_t cp, locale_t loc)
{
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
	return loc ? (uint32_t)towlower_l((wint_t)cp, loc) : cp;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The distinct trigrams of s, sorted, malloc'd; *n their number. */
static uint64_t *trigrams(const char *s, size_t *n)
{
	locale_t loc = utf8_locale();
	size_t len = strlen(s);
	/* each character gives at most one trigram, each word one more */
	uint64_t *t = xmalloc((2 * len + 2) * sizeof(*t));
	size_t k = 0;
	const unsigned char *u = (const unsigned char *)s;
	uint32_t a = ' ', b = ' '; /* the two characters before the current one */
	int in_word = 0;
	while (*u) {
		uint32_t cp;
		u += paper_u8_next(u, &cp);
		if (word_char(cp, loc)) {
			if (!in_word) {
				in_word = 1;
				a = b = ' ';
			}
			cp = lower(cp, loc);
			t[k++] = ((uint64_t)a << 42) | ((uint64_t)b << 21) | cp;
			a = b;
			b = cp;
		} else if (in_word) {
			in_word = 0;
			t[k++] = ((uint64_t)a << 42) | ((uint64_t)b << 21) | ' ';
		}
	}
	if (in_word)
		t[k++] = ((uint64_t)a << 42) | ((uint64_t)b << 21) | ' ';
	qsort(t, k, sizeof(*t), cmp_u64);
	size_t m = 0;
	for (size_t i = 0; i < k; i++)
		if (!m || t[m - 1] != t[i])
			t[m++] = t[i];
	*n = m;
	return t;
}

double paper_trgm_similarity(const char *a, const char *b)
{
	size_t na, nb, i = 0, j = 0, common = 0;
	uint64_t *ta = trigrams(a, &na), *tb = trigrams(b, &nb);
	while (i < na && j < nb) {
		if (ta[i] == tb[j])
			common++, i++, j++;
		else if (ta[i] < tb[j])
			i++;
		else
			j++;
	}
	free(ta);
	free(tb);
	if (na + nb == 0)
		return 0;
	return (double)common / (double)(na + nb - common);
}

/* ------------------------------------------------------------------ the candidate search */

/* Trigram -> token number, with how many texts hold it (open addressing, grows at half load). */
struct tmap {
	uint64_t *key;
	uint32_t *id;
	size_t cap, n;
	uint32_t *df; /* by token id */
	size_t dfcap;
};

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static void tmap_init(struct tmap *m, size_t cap)
{
	m->cap = cap;
	m->n = 0;
	m->key = xmalloc(cap * sizeof(*m->key));
	m->id = xmalloc(cap * sizeof(*m->id));
	memset(m->id, 0xff, cap * sizeof(*m->id));
	m->dfcap = 1024;
	m->df = xmalloc(m->dfcap * sizeof(*m->df));
}

static void tmap_free(struct tmap *m)
{
	free(m->key);
	free(m->id);
	free(m->df);
}

static uint32_t tmap_put(struct tmap *m, uint64_t key);

static void tmap_grow(struct tmap *m)
{
	struct tmap old = *m;
	m->cap *= 2;
	m->key = xmalloc(m->cap * sizeof(*m->key));
	m->id = xmalloc(m->cap * sizeof(*m->id));
	memset(m->id, 0xff, m->cap * sizeof(*m->id));
	for (size_t i = 0; i < old.cap; i++)
		if (old.id[i] != UINT32_MAX) {
			size_t h = mix(old.key[i]) & (m->cap - 1);
			while (m->id[h] != UINT32_MAX)
				h = (h + 1) & (m->cap - 1);
			m->key[h] = old.key[i];
			m->id[h] = old.id[i];
		}
	free(old.key);
	free(old.id);
}

/* The token of key (new ones get the next number); its text count goes up by one. */
static uint32_t tmap_put(struct tmap *m, uint64_t key)
{
	if (2 * (m->n + 1) > m->cap)
		tmap_grow(m);
	size_t h = mix(key) & (m->cap - 1);
	while (m->id[h] != UINT32_MAX) {
		if (m->key[h] == key) {
			m->df[m->id[h]]++;
			return m->id[h];
		}
		h = (h + 1) & (m->cap - 1);
	}
	if (m->n == m->dfcap) {
		m->dfcap *= 2;
		uint32_t *df = realloc(m->df, m->dfcap * sizeof(*df));
		if (!df)
			abort();
		m->df = df;
	}
	m->key[h] = key;
	m->id[h] = (uint32_t)m->n;
	m->df[m->n] = 1;
	return (uint32_t)m->n++;
}

struct tset {
	uint32_t *t; /* token ranks, ascending (rarest first) */
	uint32_t n;
};

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static const uint32_t *rank_of_df; /* qsort comparator context */
static int cmp_by_df(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	if (rank_of_df[x] != rank_of_df[y])
		return rank_of_df[x] < rank_of_df[y] ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Overlap of two ascending arrays, or 0 as soon as it cannot reach need. */
static uint32_t overlap_min(const struct tset *x, const struct tset *y, uint32_t need)
{
	uint32_t i = 0, j = 0, o = 0;
	while (i < x->n && j < y->n) {
		uint32_t rx = x->n - i, ry = y->n - j;
		if (o + (rx < ry ? rx : ry) < need)
			return 0;
		if (x->t[i] == y->t[j])
			o++, i++, j++;
		else if (x->t[i] < y->t[j])
			i++;
		else
			j++;
	}
	return o >= need ? o : 0;
}

/* Prefix length for a set of n tokens at threshold t: any partner with Jaccard >= t shares one. */
static uint32_t prefix_len(uint32_t n, double t)
{
	uint32_t need = (uint32_t)(t * n + 0.999999);
	if (need > n)
		need = n;
	return n - need + 1 > n ? n : n - need + 1;
}

struct hit {
	size_t base;
	double sim;
};

void paper_near_candidates(const char *const *base, size_t nbase, const char *const *probe,
			   size_t nprobe, double threshold, unsigned max, paper_near_fn emit,
			   void *ctx)
{
	if (!nbase || !nprobe || !max)
		return;
	size_t ntexts = nbase + nprobe;
	struct tset *sets = xcalloc(ntexts, sizeof(*sets));
	struct tmap m;
	tmap_init(&m, 1u << 14);

	/* trigrams -> token numbers, counting in how many texts each occurs */
	for (size_t i = 0; i < ntexts; i++) {
		size_t n;
		uint64_t *tg = trigrams(i < nbase ? base[i] : probe[i - nbase], &n);
		sets[i].t = xmalloc(n * sizeof(uint32_t));
		sets[i].n = (uint32_t)n;
		for (size_t k = 0; k < n; k++)
			sets[i].t[k] = tmap_put(&m, tg[k]);
		free(tg);
	}
	/* global order: rarest first; each set re-expressed as ascending ranks */
	uint32_t *order = xmalloc(m.n * sizeof(uint32_t)), *rank = xmalloc(m.n * sizeof(uint32_t));
	for (uint32_t i = 0; i < m.n; i++)
		order[i] = i;
	rank_of_df = m.df;
	qsort(order, m.n, sizeof(uint32_t), cmp_by_df);
	for (uint32_t r = 0; r < m.n; r++)
		rank[order[r]] = r;
	for (size_t i = 0; i < ntexts; i++) {
		for (uint32_t k = 0; k < sets[i].n; k++)
			sets[i].t[k] = rank[sets[i].t[k]];
		qsort(sets[i].t, sets[i].n, sizeof(uint32_t), cmp_u32);
	}

	/* inverted lists of the base texts' prefixes (CSR): (text, position of the token in it) */
	uint32_t *start = xcalloc(m.n + 1, sizeof(uint32_t));
	for (size_t i = 0; i < nbase; i++) {
		uint32_t p = prefix_len(sets[i].n, threshold);
		for (uint32_t k = 0; k < p && k < sets[i].n; k++)
			start[sets[i].t[k] + 1]++;
	}
	for (size_t r = 0; r < m.n; r++)
		start[r + 1] += start[r];
	uint32_t total = start[m.n] ? start[m.n] : 1;
	uint32_t *list = xmalloc(total * sizeof(uint32_t)),
		 *lpos = xmalloc(total * sizeof(uint32_t));
	uint32_t *fill = xmalloc((m.n + 1) * sizeof(uint32_t));
	memcpy(fill, start, (m.n + 1) * sizeof(uint32_t));
	for (size_t i = 0; i < nbase; i++) {
		uint32_t p = prefix_len(sets[i].n, threshold);
		for (uint32_t k = 0; k < p && k < sets[i].n; k++) {
			uint32_t at = fill[sets[i].t[k]]++;
			list[at] = (uint32_t)i;
			lpos[at] = k;
		}
	}

	/*
	 * Probe (PPJoin's positional filter): A[y] counts the prefix tokens x and y share so far;
	 * a pair needs an overlap of at least alpha = t / (1 + t) * (|x| + |y|), so when even all
	 * the tokens after the current positions could not make it up, y is dropped for this x.
	 */
	uint32_t *stamp = xmalloc(nbase * sizeof(uint32_t));
	int32_t *acc = xmalloc(nbase * sizeof(int32_t));
	uint32_t *cand = xmalloc(nbase * sizeof(uint32_t));
	memset(stamp, 0xff, nbase * sizeof(uint32_t));
	struct hit *best = xmalloc(max * sizeof(*best));
	double ratio = threshold / (1 + threshold);
	for (size_t pi = 0; pi < nprobe; pi++) {
		const struct tset *x = &sets[nbase + pi];
		if (!x->n)
			continue;
		unsigned nbest = 0;
		size_t ncand = 0;
		double lo = threshold * x->n, hi = x->n / threshold;
		uint32_t p = prefix_len(x->n, threshold);
		for (uint32_t k = 0; k < p && k < x->n; k++) {
			uint32_t tok = x->t[k];
			for (uint32_t e = start[tok]; e < start[tok + 1]; e++) {
				uint32_t yi = list[e];
				const struct tset *y = &sets[yi];
				if (stamp[yi] != (uint32_t)pi) {
					stamp[yi] = (uint32_t)pi;
					if (y->n < lo - 1e-9 || y->n > hi + 1e-9) {
						acc[yi] = -1; /* dead for this probe */
						continue;
					}
					acc[yi] = 0;
					cand[ncand++] = yi;
				}
				if (acc[yi] < 0)
					continue;
				uint32_t need = (uint32_t)(ratio * (x->n + y->n) - 1e-9) + 1;
				uint32_t rest_x = x->n - k, rest_y = y->n - lpos[e];
				if ((uint32_t)acc[yi] + (rest_x < rest_y ? rest_x : rest_y) >= need)
					acc[yi]++;
				else
					acc[yi] = -1;
			}
		}
		for (size_t ci = 0; ci < ncand; ci++) {
			uint32_t yi = cand[ci];
			if (acc[yi] <= 0)
				continue;
			const struct tset *y = &sets[yi];
			uint32_t need = (uint32_t)(ratio * (x->n + y->n) - 1e-9) + 1;
			uint32_t o = overlap_min(x, y, need);
			if (!o)
				continue;
			double sim = (double)o / (double)(x->n + y->n - o);
			if (sim + 1e-12 < threshold)
				continue;
			/* keep the max best, in descending order */
			unsigned at = nbest < max ? nbest++ : max;
			if (at == max) {
				if (sim <= best[max - 1].sim)
					continue;
				at = max - 1;
			}
			while (at > 0 && best[at - 1].sim < sim) {
				best[at] = best[at - 1];
				at--;
			}
			best[at] = (struct hit){yi, sim};
		}
		for (unsigned b = 0; b < nbest; b++)
			emit(ctx, pi, best[b].base, best[b].sim);
	}

	free(acc);
	free(cand);
	free(lpos);
	free(best);
	free(stamp);
	free(fill);
	free(list);
	free(start);
	free(order);
	free(rank);
	for (size_t i = 0; i < ntexts; i++)
		free(sets[i].t);
	free(sets);
	tmap_free(&m);
}
