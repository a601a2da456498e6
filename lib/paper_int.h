/* paper_int.h - what the files of the paper module share (paper.c, paper_bank.c, paper_sheet.c,
 * paper_near.c); not for other modules. */
#ifndef KW_PAPER_INT_H
#define KW_PAPER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "core/ctx.h"
#include "paper.h"

/* Decode one UTF-8 character at s (NUL-terminated); returns its length, 1 for a byte that starts
 * no valid sequence (then *cp is that byte). */
size_t paper_u8_next(const unsigned char *s, uint32_t *cp);

/* Codes and words by index: type 0 single, 1 multi, 2 judge; kind 0 basic, 1 related. */
extern const char *const paper_type_codes[3];
extern const char *const paper_type_words[3];
extern const char *const paper_kind_codes[2];
extern const char *const paper_kind_words[2];

/* Index of a type / kind code or word ("single", "单选题", "单选"); -1 if none. */
int paper_type_index(const char *s);
int paper_kind_index(const char *s);

/* A problem with one part of a question: col 0 stem (A), 1 type (B), 2..5 options (C..F), 6 answer
 * (G), 7 kind (H). */
typedef void (*paper_problem_fn)(void *ctx, int col, const char *message);

/*
 * Check one question given as eight texts A..H (trimmed by the caller or not),
 * fill q (strings copied into the arena, answer canonical, norm computed) and
 * report each problem through fn. Returns true when the question is valid.
 */
bool paper_q_check(struct kw_ctx *c, const char *const cells[8], struct paper_q *q,
		   paper_problem_fn fn, void *fctx);

/* Trim ASCII white space, U+3000 and U+00A0 from both ends (arena copy when changed). */
const char *paper_trim(struct kw_ctx *c, const char *s);

/* {"id", "type", "type_text", "kind", "kind_text", "stem", "options", "answer"} from row i,
 * reading columns prefix||"id", prefix||"type", … (options as JSON text). */
json_object *paper_summary_json(const PGresult *res, int i, const char *prefix);

/* JSON array text PostgreSQL produced, as a new reference (an empty array if unreadable). */
json_object *paper_json_array(const char *text);

/* A PostgreSQL array literal of texts ({"a","b"}), escaped, in the arena; NULL entries are NULL. */
char *paper_pg_text_array(struct kw_ctx *c, const char *const *v, size_t n);

/* A PostgreSQL array literal of integers ({1,2,3}) in the arena. */
char *paper_pg_long_array(struct kw_ctx *c, const long *v, size_t n);

/*
 * The bank an import or scheme names: an occupation (id or name/alias) that
 * defines level, inside the caller's approved scope unless the caller is the
 * center. Field errors on `field` / "level" and KW_EVALIDATION otherwise.
 */
struct paper_target {
	long occupation_id;
	const char *occupation_name;
	int level;
};
int paper_target_check(struct kw_ctx *c, const char *occupation, const char *field, long level,
		       struct paper_target *out);

/*
 * Near-duplicate candidates (paper_near.c): for each probe text, up to max
 * base texts whose trigram similarity (paper_trgm_similarity) is at least
 * threshold, best first, found with a prefix-filtered inverted index over the
 * rarest trigrams (so boilerplate shared by every question costs nothing).
 * emit(ctx, probe, base, similarity) is called for each; texts are norms.
 */
typedef void (*paper_near_fn)(void *ctx, size_t probe, size_t base, double sim);
void paper_near_candidates(const char *const *base, size_t nbase, const char *const *probe,
			   size_t nprobe, double threshold, unsigned max, paper_near_fn emit,
			   void *ctx);

/* A level from a query parameter: 1..5, or 0 when absent; -1 (field error recorded) when bad or,
 * when required, missing. */
long paper_query_level(struct kw_ctx *c, const char *v, bool required);

/* A similarity rounded to 3 decimals for reports. */
json_object *paper_sim_json(double s);

#endif
