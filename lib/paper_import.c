/* paper_import.c - importing a question bank file (R17): parse, validate, exact and near
 * duplicates, insert, the report. */
#include "paper_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "audit.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/log.h"
#include "db/db.h"
#include "ref.h"

/* ------------------------------------------------------------------ a string -> id map */

struct strmap {
	const char **key;
	long *val;
	size_t cap, n;
};

static uint64_t str_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void strmap_init(struct kw_ctx *c, struct strmap *m, size_t expect)
{
	size_t cap = 64;
	while (cap < expect * 2 + 2)
		cap *= 2;
	m->cap = cap;
	m->n = 0;
	m->key = arena_zalloc(c->a, cap * sizeof(*m->key));
	m->val = arena_alloc(c->a, cap * sizeof(*m->val));
}

/* The value of key, or 0 when absent; with put (non-zero) the key is added when absent. */
static long strmap_get(struct strmap *m, const char *key, long put)
{
	size_t h = str_hash(key) & (m->cap - 1);
	while (m->key[h]) {
		if (!strcmp(m->key[h], key))
			return m->val[h];
		h = (h + 1) & (m->cap - 1);
	}
	if (put) {
		m->key[h] = key;
		m->val[h] = put;
		m->n++;
	}
	return 0;
}

/* ------------------------------------------------------------------ import */

static struct db_stmt q_lock =
    DB_STMT("paper_bank_lock", "SELECT pg_advisory_xact_lock(hashtextextended('bank:' || $1, 0))");
static struct db_stmt q_existing = DB_STMT(
    "paper_bank_existing",
    "SELECT id, norm FROM bank_questions WHERE org_id = $1 AND occupation_id = $2 AND level = $3");
static struct db_stmt q_verify =
    DB_STMT("paper_bank_verify", "SELECT c.i, c.id, similarity(q.norm, c.t)::float8 AS sim"
				 " FROM unnest($1::int[], $2::bigint[], $3::text[]) AS c(i, id, t)"
				 " JOIN bank_questions q ON q.id = c.id");
static struct db_stmt q_summaries = DB_STMT(
    "paper_bank_summaries", "SELECT id, type, kind, stem, array_to_json(options) AS options, answer"
			    " FROM bank_questions WHERE id = ANY ($1::bigint[])");
static struct db_stmt q_import_row =
    DB_STMT("paper_bank_import_row",
	    "INSERT INTO bank_imports (org_id, occupation_id, level, file_sha256, rows, imported,"
	    " duplicates, near_duplicates, created_by, created_at)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id");
static struct db_stmt q_insert = DB_STMT(
    "paper_bank_insert",
    "INSERT INTO bank_questions (org_id, occupation_id, level, type, kind, stem, options,"
    " answer, norm, near_of, similarity, import_id, created_by, created_at)"
    " SELECT $1, $2, $3, x.t, x.k, x.s, array_remove(ARRAY[x.a, x.b, x.c, x.d], NULL), x.ans,"
    " x.n, x.near, x.sim, $4, $5, $6::timestamptz"
    " FROM unnest($7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],"
    " $13::text[], $14::text[], $15::text[], $16::bigint[], $17::real[])"
    " AS x(t, k, s, a, b, c, d, ans, n, near, sim)");
static struct db_stmt q_near_ids =
    DB_STMT("paper_bank_near_ids",
	    "SELECT id, norm FROM bank_questions WHERE import_id = $1 AND near_of IS NOT NULL");

/* What became of each valid row. */
struct row_fate {
	long dup_existing; /* exact duplicate of this bank question */
	unsigned dup_row;  /* exact duplicate of an earlier row of the file */
	long near_id;	   /* near-duplicate of this bank question */
	double near_sim;
	long new_id; /* after the insert, for near-duplicates */
};

struct near_ctx {
	struct kw_ctx *c;
	const long *base_id;
	const size_t *probe_q; /* probe -> index into the sheet's questions */
	/* candidate pairs for the pg_trgm check */
	int *qi;
	long *id;
	const char **text;
	size_t n, cap;
	const char *const *probe_text;
};

static void near_emit(void *ctx, size_t probe, size_t base, double sim)
{
	struct near_ctx *nc = ctx;
	(void)sim;
	if (nc->n == nc->cap) {
		size_t cap = nc->cap ? nc->cap * 2 : 256;
		int *qi = arena_alloc(nc->c->a, cap * sizeof(*qi));
		long *id = arena_alloc(nc->c->a, cap * sizeof(*id));
		const char **text = arena_alloc(nc->c->a, cap * sizeof(*text));
		if (nc->n) {
			memcpy(qi, nc->qi, nc->n * sizeof(*qi));
			memcpy(id, nc->id, nc->n * sizeof(*id));
			memcpy(text, nc->text, nc->n * sizeof(*text));
		}
		nc->qi = qi, nc->id = id, nc->text = text, nc->cap = cap;
	}
	nc->qi[nc->n] = (int)nc->probe_q[probe];
	nc->id[nc->n] = nc->base_id[base];
	nc->text[nc->n] = nc->probe_text[probe];
	nc->n++;
}

/* The summary of a question as the file has it (the preview's left side). */
static json_object *row_summary(const struct paper_q *q)
{
	json_object *o = json_object_new_object();
	kwj_add_str(o, "type", paper_type_codes[q->type]);
	kwj_add_str(o, "type_text", paper_type_words[q->type]);
	kwj_add_str(o, "kind", paper_kind_codes[q->kind]);
	kwj_add_str(o, "kind_text", paper_kind_words[q->kind]);
	kwj_add_str(o, "stem", q->stem);
	json_object *opts = json_object_new_array();
	for (int i = 0; i < q->nopt; i++)
		json_object_array_add(opts, json_object_new_string(q->opt[i]));
	json_object_object_add(o, "options", opts);
	kwj_add_str(o, "answer", q->answer);
	return o;
}

static double mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The upload's SHA-256 in hex (kept with the import). */
static const char *sha256_hex(struct kw_ctx *c, const void *buf, size_t len)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, buf, len);
	char *hex = arena_alloc(c->a, 2 * sizeof(h) + 1);
	sodium_bin2hex(hex, 2 * sizeof(h) + 1, h, sizeof(h));
	return hex;
}

/* One import, phase by phase: parse -> validate -> dedupe -> insert -> report. */
struct bank_import {
	struct kw_ctx *c;
	bool dry_run;
	const void *buf;
	size_t len;
	struct paper_target t;
	const char *org, *occ, *lvl; /* the bank's key as parameters */
	struct paper_sheet sh;
	/* dedupe */
	struct row_fate *fate;
	size_t *probe_q;	 /* the new questions: index into sh.q */
	const char **probe_text; /* their norms */
	size_t nnew, ndup, nnear;
	PGresult *sum;	     /* summaries of the bank questions the report shows */
	struct strmap shown; /* id text -> row of sum + 1 */
	/* insert */
	long import_id;
	size_t imported;
	double t0, t_read, t_dedupe, t_end;
};

/* Parse: who may, the target, the upload read into sh. */
static int import_parse(struct bank_import *x, const char *occupation, const char *level_text)
{
	struct kw_ctx *c = x->c;
	int err;
	if (!(c->user.role & R_ORG) || c->user.org_id <= 0)
		return kw_fail(c, KW_EFORBIDDEN, "只有机构可以导入题库");
	long level = paper_query_level(c, level_text, true);
	if ((err = paper_target_check(c, occupation, "occupation_id", level, &x->t)))
		return err;
	if (!x->buf || !x->len)
		return kw_fail(c, KW_EVALIDATION, "请上传题库文件（xlsx 格式）");
	x->t0 = mono_ms();
	if ((err = paper_sheet_read(c, x->buf, x->len, &x->sh)))
		return err;
	x->t_read = mono_ms();
	return KW_OK;
}

/* Refuse a sheet with bad rows: one field error per bad cell (R17) and the summary message. */
static int refuse_bad_rows(struct kw_ctx *c, const struct paper_sheet *sh)
{
	size_t ne = json_object_array_length(sh->errors);
	for (size_t i = 0; i < ne; i++) {
		json_object *e = json_object_array_get_idx(sh->errors, i), *v;
		json_object_object_get_ex(e, "row", &v);
		int row = json_object_get_int(v);
		json_object_object_get_ex(e, "field", &v);
		const char *field = json_object_get_string(v);
		json_object_object_get_ex(e, "message", &v);
		kw_field_error(c, field, row, "R17", json_object_get_string(v));
	}
	return kw_fail(
	    c, KW_EVALIDATION,
	    arena_printf(c->a, "导入文件有误：共 %u 行不符合模板要求（%u 处），未导入任何试题%s",
			 sh->bad_rows, sh->nerrors,
			 sh->nerrors > PAPER_MAX_ERRORS ? "（只列出前 1000 处）" : ""));
}

/* Validate: a file without questions, or (unless a dry run) with bad rows, imports nothing. */
static int import_validate(struct bank_import *x)
{
	struct kw_ctx *c = x->c;
	const struct paper_sheet *sh = &x->sh;
	if (!sh->rows)
		return kw_fail(c, KW_EVALIDATION, "文件中没有试题（第 7 行起按模板录入试题）");
	if (!sh->bad_rows || x->dry_run)
		return KW_OK;
	return refuse_bad_rows(c, sh);
}

int paper_sheet_checked(struct kw_ctx *c, const void *buf, size_t len, struct paper_sheet *out)
{
	int err;
	if (!buf || !len)
		return kw_fail(c, KW_EVALIDATION,
			       "请上传理论知识试卷文件（xlsx 格式，按题库导入模板）");
	if ((err = paper_sheet_read(c, buf, len, out)))
		return err;
	if (!out->rows)
		return kw_fail(c, KW_EVALIDATION, "文件中没有试题（第 7 行起按模板录入试题）");
	return out->bad_rows ? refuse_bad_rows(c, out) : KW_OK;
}

/* Near-duplicates of the new questions: candidates by the trigram join in C, decided by pg_trgm.
 */
static int dedupe_near(struct bank_import *x, const long *ex_id, const char **ex_norm, int nex)
{
	struct kw_ctx *c = x->c;
	int err;
	struct near_ctx nc = {
	    .c = c, .base_id = ex_id, .probe_q = x->probe_q, .probe_text = x->probe_text};
	/* the C search agrees with pg_trgm but for its rare hash collisions
	 * (test_paper_sheet.c): a small margin, and the best candidate per question goes to
	 * similarity() */
	paper_near_candidates(ex_norm, (size_t)nex, x->probe_text, x->nnew,
			      PAPER_NEAR_THRESHOLD - 0.02, 1, near_emit, &nc);
	if (!nc.n)
		return KW_OK;
	long *qi = arena_alloc(c->a, nc.n * sizeof(long));
	for (size_t i = 0; i < nc.n; i++)
		qi[i] = nc.qi[i];
	PGresult *vr =
	    db_query(c, &q_verify, &err, paper_pg_long_array(c, qi, nc.n),
		     paper_pg_long_array(c, nc.id, nc.n), paper_pg_text_array(c, nc.text, nc.n));
	if (!vr)
		return err;
	for (int r = 0; r < PQntuples(vr); r++) {
		size_t i = (size_t)strtol(PQgetvalue(vr, r, 0), NULL, 10);
		double sim = strtod(PQgetvalue(vr, r, 2), NULL);
		/* as pg_trgm's % operator decides: the real, widened, >= the threshold */
		if (i < x->sh.n && sim >= PAPER_NEAR_THRESHOLD && sim > x->fate[i].near_sim) {
			if (!x->fate[i].near_id)
				x->nnear++;
			x->fate[i].near_id = strtol(PQgetvalue(vr, r, 1), NULL, 10);
			x->fate[i].near_sim = sim;
		}
	}
	return KW_OK;
}

/* Dedupe: (in the import's transaction, under the bank's lock) exact duplicates of the bank's
 * norms and of the file's earlier rows, then near-duplicates; the summaries the report shows. */
static int import_dedupe(struct bank_import *x)
{
	struct kw_ctx *c = x->c;
	const struct paper_sheet *sh = &x->sh;
	int err;
	x->org = db_ltoa(c, c->user.org_id);
	x->occ = db_ltoa(c, x->t.occupation_id);
	x->lvl = db_ltoa(c, x->t.level);
	if (!x->dry_run) {
		if ((err = db_begin(c)))
			return err;
		PGresult *lk = db_query(c, &q_lock, &err,
					arena_printf(c->a, "%s:%s:%s", x->org, x->occ, x->lvl));
		if (!lk)
			return err;
	}
	PGresult *ex = db_query(c, &q_existing, &err, x->org, x->occ, x->lvl);
	if (!ex)
		return err;
	int nex = PQntuples(ex);

	struct strmap bank, file;
	strmap_init(c, &bank, (size_t)nex);
	strmap_init(c, &file, sh->n);
	long *ex_id = arena_alloc(c->a, (size_t)(nex ? nex : 1) * sizeof(long));
	const char **ex_norm = arena_alloc(c->a, (size_t)(nex ? nex : 1) * sizeof(char *));
	for (int i = 0; i < nex; i++) {
		ex_id[i] = strtol(PQgetvalue(ex, i, 0), NULL, 10);
		ex_norm[i] = PQgetvalue(ex, i, 1);
		strmap_get(&bank, ex_norm[i], ex_id[i]);
	}
	size_t n1 = sh->n ? sh->n : 1;
	x->fate = arena_zalloc(c->a, n1 * sizeof(*x->fate));
	x->probe_q = arena_alloc(c->a, n1 * sizeof(size_t));
	x->probe_text = arena_alloc(c->a, n1 * sizeof(char *));
	for (size_t i = 0; i < sh->n; i++) {
		const struct paper_q *q = &sh->q[i];
		long first = strmap_get(&file, q->norm, (long)q->row);
		if (first) {
			x->fate[i].dup_row = (unsigned)first;
			x->ndup++;
		} else if ((x->fate[i].dup_existing = strmap_get(&bank, q->norm, 0))) {
			x->ndup++;
		} else {
			x->probe_q[x->nnew] = i;
			x->probe_text[x->nnew] = q->norm;
			x->nnew++;
		}
	}
	if (nex && x->nnew && (err = dedupe_near(x, ex_id, ex_norm, nex)))
		return err;
	x->t_dedupe = mono_ms();

	/* the bank questions the report shows (at most PAPER_MAX_ERRORS of each list) */
	long *show = arena_alloc(c->a, (2 * PAPER_MAX_ERRORS + 1) * sizeof(long));
	size_t nshow = 0, sd = 0, sn = 0;
	for (size_t i = 0; i < sh->n; i++) {
		if (x->fate[i].dup_existing && sd < PAPER_MAX_ERRORS)
			show[nshow++] = x->fate[i].dup_existing, sd++;
		if (x->fate[i].near_id && sn < PAPER_MAX_ERRORS)
			show[nshow++] = x->fate[i].near_id, sn++;
	}
	strmap_init(c, &x->shown, nshow);
	if (nshow) {
		x->sum = db_query(c, &q_summaries, &err, paper_pg_long_array(c, show, nshow));
		if (!x->sum)
			return err;
		for (int r = 0; r < PQntuples(x->sum); r++)
			strmap_get(&x->shown, PQgetvalue(x->sum, r, 0), r + 1);
	}
	return KW_OK;
}

/* Insert: the import row, the new questions (one array per column), the near-duplicates' new
 * ids, the audit row; commit. */
static int import_insert(struct bank_import *x)
{
	struct kw_ctx *c = x->c;
	const struct paper_sheet *sh = &x->sh;
	int err;
	char now[32];
	kw_format_time(c->now, now, sizeof(now));
	/* one array per column: unnest() reads them ten times faster than json_to_recordset() */
	size_t cap = x->nnew ? x->nnew : 1;
	const char **col[9];
	for (int k = 0; k < 9; k++)
		col[k] = arena_alloc(c->a, cap * sizeof(char *));
	const char **near = arena_alloc(c->a, cap * sizeof(char *));
	const char **simv = arena_alloc(c->a, cap * sizeof(char *));
	for (size_t k = 0; k < x->nnew; k++) {
		size_t i = x->probe_q[k];
		const struct paper_q *q = &sh->q[i];
		col[0][k] = paper_type_codes[q->type];
		col[1][k] = paper_kind_codes[q->kind];
		col[2][k] = q->stem;
		for (int j = 0; j < 4; j++)
			col[3 + j][k] = j < q->nopt ? q->opt[j] : NULL;
		col[7][k] = q->answer;
		col[8][k] = q->norm;
		near[k] = x->fate[i].near_id ? db_ltoa(c, x->fate[i].near_id) : NULL;
		simv[k] =
		    x->fate[i].near_id ? arena_printf(c->a, "%.4f", x->fate[i].near_sim) : NULL;
	}
	PGresult *ir = db_query(c, &q_import_row, &err, x->org, x->occ, x->lvl,
				sha256_hex(c, x->buf, x->len), db_ltoa(c, (long)sh->rows),
				db_ltoa(c, (long)x->nnew), db_ltoa(c, (long)x->ndup),
				db_ltoa(c, (long)x->nnear), db_ltoa(c, c->user.id), now);
	if (!ir)
		return err;
	x->import_id = strtol(PQgetvalue(ir, 0, 0), NULL, 10);
	if (x->nnew) {
		const char *p[17] = {
		    x->org, x->occ, x->lvl, db_ltoa(c, x->import_id), db_ltoa(c, c->user.id), now};
		for (int k = 0; k < 9; k++)
			p[6 + k] = paper_pg_text_array(c, col[k], x->nnew);
		p[15] = paper_pg_text_array(c, near, x->nnew);
		p[16] = paper_pg_text_array(c, simv, x->nnew);
		PGresult *res = db_exec(c, &q_insert, 17, p, &err);
		if (!res)
			return err;
		x->imported = (size_t)strtol(PQcmdTuples(res), NULL, 10);
	}
	if (x->nnear) {
		PGresult *ni = db_query(c, &q_near_ids, &err, db_ltoa(c, x->import_id));
		if (!ni)
			return err;
		struct strmap byn;
		strmap_init(c, &byn, (size_t)PQntuples(ni));
		for (int r = 0; r < PQntuples(ni); r++)
			strmap_get(&byn, PQgetvalue(ni, r, 1),
				   strtol(PQgetvalue(ni, r, 0), NULL, 10));
		for (size_t i = 0; i < sh->n; i++)
			if (x->fate[i].near_id)
				x->fate[i].new_id = strmap_get(&byn, sh->q[i].norm, 0);
	}
	json_object *detail = kwj_own(c, json_object_new_object());
	kwj_add_int(detail, "occupation_id", x->t.occupation_id);
	kwj_add_int(detail, "level", x->t.level);
	kwj_add_int(detail, "rows", sh->rows);
	kwj_add_int(detail, "imported", (long)x->imported);
	kwj_add_int(detail, "duplicates", (long)x->ndup);
	kwj_add_int(detail, "near_duplicates", (long)x->nnear);
	if ((err = audit_write(c, "bank.import", "bank_import", x->import_id, detail)))
		return err;
	return db_commit(c);
}

/* The summary of the bank question shown for a row (NULL when not among the shown ones). */
static json_object *shown_json(struct bank_import *x, long id)
{
	long at = id ? strmap_get(&x->shown, db_ltoa(x->c, id), 0) : 0;
	return at ? paper_summary_json(x->sum, (int)at - 1, "") : NULL;
}

/* Report: counts, the duplicates and near-duplicates (at most PAPER_MAX_ERRORS each), errors. */
static json_object *import_report(struct bank_import *x)
{
	struct kw_ctx *c = x->c;
	const struct paper_sheet *sh = &x->sh;
	json_object *o = kwj_own(c, json_object_new_object());
	kwj_add_bool(o, "dry_run", x->dry_run);
	json_object *oc = json_object_new_object();
	kwj_add_int(oc, "id", x->t.occupation_id);
	kwj_add_str(oc, "name", x->t.occupation_name);
	json_object_object_add(o, "occupation", oc);
	kwj_add_int(o, "level", x->t.level);
	kwj_add_str(o, "level_text", ref_level_label(x->t.level));
	kwj_add_int(o, "rows", sh->rows);
	kwj_put(o, "template_rows", sh->template_rows);
	kwj_add_int(o, "valid", (long)sh->n);
	kwj_add_int(o, "new", (long)x->nnew);
	kwj_add_int(o, "imported", (long)x->imported);
	if (x->import_id)
		kwj_add_int(o, "import_id", x->import_id);
	else
		json_object_object_add(o, "import_id", NULL);
	json_object *dups = json_object_new_array(), *nears = json_object_new_array();
	for (size_t i = 0; i < sh->n; i++) {
		const struct paper_q *q = &sh->q[i];
		const struct row_fate *f = &x->fate[i];
		if ((f->dup_existing || f->dup_row) &&
		    json_object_array_length(dups) < PAPER_MAX_ERRORS) {
			json_object *d = json_object_new_object();
			kwj_add_int(d, "row", q->row);
			kwj_add_str(d, "stem", q->stem);
			json_object_object_add(d, "existing", shown_json(x, f->dup_existing));
			if (f->dup_row)
				kwj_add_int(d, "duplicate_of_row", f->dup_row);
			else
				json_object_object_add(d, "duplicate_of_row", NULL);
			json_object_array_add(dups, d);
		}
		if (f->near_id && json_object_array_length(nears) < PAPER_MAX_ERRORS) {
			json_object *d = json_object_new_object();
			kwj_add_int(d, "row", q->row);
			if (f->new_id)
				kwj_add_int(d, "id", f->new_id);
			else
				json_object_object_add(d, "id", NULL);
			json_object_object_add(d, "similarity", paper_sim_json(f->near_sim));
			json_object_object_add(d, "question", row_summary(q));
			json_object_object_add(d, "existing", shown_json(x, f->near_id));
			json_object_array_add(nears, d);
		}
	}
	kwj_add_int(o, "duplicate_count", (long)x->ndup);
	json_object_object_add(o, "duplicates", dups);
	kwj_add_int(o, "near_duplicate_count", (long)x->nnear);
	json_object_object_add(o, "near_duplicates", nears);
	kwj_add_int(o, "bad_rows", sh->bad_rows);
	kwj_add_int(o, "error_count", sh->nerrors);
	kwj_put(o, "errors", sh->errors);
	return o;
}

int paper_bank_import(struct kw_ctx *c, const char *occupation, const char *level_text,
		      const void *buf, size_t len, bool dry_run, json_object **report)
{
	int err;
	struct bank_import x = {.c = c, .dry_run = dry_run, .buf = buf, .len = len};
	*report = NULL;
	if ((err = import_parse(&x, occupation, level_text)) || (err = import_validate(&x)) ||
	    (err = import_dedupe(&x)) || (!dry_run && (err = import_insert(&x))))
		return err;
	x.t_end = mono_ms();
	log_info("bank import org %ld occupation %ld level %d%s: %u rows, %zu new, %zu duplicates, "
		 "%zu near; read and check %.0f ms, duplicates %.0f ms, insert %.0f ms",
		 c->user.org_id, x.t.occupation_id, x.t.level, dry_run ? " (dry run)" : "",
		 x.sh.rows, x.nnew, x.ndup, x.nnear, x.t_read - x.t0, x.t_dedupe - x.t_read,
		 x.t_end - x.t_dedupe);
	*report = import_report(&x);
	return KW_OK;
}
