/* paper.c - paper schemes (组卷方案), papers generated from the bank, question replacement and
 * deletion, and the Word export of a paper and its answer key (R18, R28). */
#include "paper_int.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audit.h"
#include "batch.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/log.h"
#include "db/db.h"
#include "file.h"
#include "office/docx_writer.h"
#include "office/zipstream.h"
#include "org.h"
#include "ref.h"

/* ------------------------------------------------------------------ schemes */

#define SCHEME_COLS                                                                                \
	"SELECT s.id, s.occupation_id, oc.name AS occupation_name, s.level, s.minutes,"            \
	" s.single_basic, s.single_related, s.multi_basic, s.multi_related, s.judge_basic,"        \
	" s.judge_related, (SELECT count(*) FROM papers p WHERE p.scheme_id = s.id) AS papers,"    \
	" kw_ts(s.created_at) AS created_at"                                                       \
	" FROM paper_schemes s JOIN occupations oc ON oc.id = s.occupation_id"

static struct db_stmt q_scheme_insert =
    DB_STMT("paper_scheme_insert",
	    "INSERT INTO paper_schemes (org_id, occupation_id, level, minutes, single_basic,"
	    " single_related, multi_basic, multi_related, judge_basic, judge_related, created_by,"
	    " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id");
static struct db_stmt q_scheme_list =
    DB_STMT("paper_scheme_list", SCHEME_COLS
	    " WHERE s.org_id = $1 ORDER BY s.created_at DESC, s.id DESC LIMIT $2 OFFSET $3");
static struct db_stmt q_scheme_count =
    DB_STMT("paper_scheme_count", "SELECT count(*) FROM paper_schemes WHERE org_id = $1");
static struct db_stmt q_scheme_get =
    DB_STMT("paper_scheme_get", SCHEME_COLS " WHERE s.id = $1 AND s.org_id = $2");
static struct db_stmt q_scheme_delete =
    DB_STMT("paper_scheme_delete", "DELETE FROM paper_schemes WHERE id = $1 AND org_id = $2");

static const char *const count_cols[6] = {"single_basic",  "single_related", "multi_basic",
					  "multi_related", "judge_basic",    "judge_related"};

/* The smallest paper a level allows (R28): questions and minutes. */
static void r28_minimum(int level, long *questions, long *minutes)
{
	bool senior = level == 1 || level == 2;
	*questions = senior ? 120 : 90;
	*minutes = senior ? 90 : 60;
}

static json_object *scheme_json(const PGresult *res, int i)
{
	json_object *o = json_object_new_object();
	kwj_add_int(o, "id", db_long(res, i, "id"));
	json_object *occ = json_object_new_object();
	kwj_add_int(occ, "id", db_long(res, i, "occupation_id"));
	kwj_add_str(occ, "name", db_val(res, i, "occupation_name"));
	json_object_object_add(o, "occupation", occ);
	int level = (int)db_long(res, i, "level");
	kwj_add_int(o, "level", level);
	kwj_add_str(o, "level_text", ref_level_label(level));
	kwj_add_int(o, "minutes", db_long(res, i, "minutes"));
	long total = 0;
	for (int t = 0; t < 3; t++) {
		long b = db_long(res, i, count_cols[2 * t]),
		     r = db_long(res, i, count_cols[2 * t + 1]);
		json_object *c = json_object_new_object();
		kwj_add_int(c, "basic", b);
		kwj_add_int(c, "related", r);
		kwj_add_int(c, "total", b + r);
		json_object_object_add(o, paper_type_codes[t], c);
		total += b + r;
	}
	kwj_add_int(o, "total", total);
	kwj_add_int(o, "papers", db_long(res, i, "papers"));
	kwj_add_str(o, "created_at", db_val(res, i, "created_at"));
	return o;
}

static int need_org(struct kw_ctx *c)
{
	if (c->user.org_id <= 0)
		return kw_fail(c, KW_EFORBIDDEN, "只有机构可以管理组卷方案");
	return KW_OK;
}

int paper_scheme_create(struct kw_ctx *c, json_object *body, long *id)
{
	int err;
	if ((err = need_org(c)))
		return err;
	if (!body || !json_object_is_type(body, json_type_object))
		return kw_fail(c, KW_EBADREQ, "请求内容应为 JSON 对象");
	long level = 0, minutes = 0, occ_id = 0, counts[6] = {0};
	const char *occupation = NULL;
	kwj_get_int(c, body, "level", NULL, KWJ_REQUIRED, 1, 5, &level);
	kwj_get_int(c, body, "minutes", NULL, KWJ_REQUIRED, 1, 600, &minutes);
	json_object *v;
	if (json_object_object_get_ex(body, "occupation_id", &v) && v) {
		if (kwj_get_int(c, body, "occupation_id", NULL, KWJ_REQUIRED, 1, 2147483647L,
				&occ_id))
			occupation = db_ltoa(c, occ_id);
	} else {
		kwj_get_string(c, body, "occupation", "occupation_id", KWJ_OPTIONAL, 100,
			       &occupation);
	}
	for (int t = 0; t < 3; t++) {
		json_object *o;
		const char *type = paper_type_codes[t];
		if (!json_object_object_get_ex(body, type, &o) || !o)
			continue;
		if (!json_object_is_type(o, json_type_object)) {
			kw_field_error(c, type, 0, "type",
				       "应为 {\"basic\": 数量, \"related\": 数量}");
			continue;
		}
		kwj_get_int(c, o, "basic", arena_printf(c->a, "%s.basic", type), KWJ_OPTIONAL, 0,
			    1000, &counts[2 * t]);
		kwj_get_int(c, o, "related", arena_printf(c->a, "%s.related", type), KWJ_OPTIONAL,
			    0, 1000, &counts[2 * t + 1]);
	}
	long total = 0;
	for (int k = 0; k < 6; k++)
		total += counts[k];
	if (level >= 1 && level <= 5) {
		long minq, minm;
		r28_minimum((int)level, &minq, &minm);
		const char *lv = ref_level_name((int)level);
		if (total < minq)
			kw_field_error(c, "total", 0, "R28",
				       arena_printf(c->a, "%s试卷总题量不少于 %ld 题，现为 %ld 题",
						    lv, minq, total));
		if (minutes && minutes < minm)
			kw_field_error(
			    c, "minutes", 0, "R28",
			    arena_printf(c->a, "%s试卷测试时间不少于 %ld 分钟", lv, minm));
	}
	struct paper_target t;
	if ((err = paper_target_check(c, occupation, "occupation_id", level, &t)))
		return err;
	if ((err = kw_validation_result(c)))
		return err;

	const char *now = kw_now_text(c);
	if ((err = db_begin(c)))
		return err;
	PGresult *res = db_query(
	    c, &q_scheme_insert, &err, db_ltoa(c, c->user.org_id), db_ltoa(c, t.occupation_id),
	    db_ltoa(c, t.level), db_ltoa(c, minutes), db_ltoa(c, counts[0]), db_ltoa(c, counts[1]),
	    db_ltoa(c, counts[2]), db_ltoa(c, counts[3]), db_ltoa(c, counts[4]),
	    db_ltoa(c, counts[5]), db_ltoa(c, c->user.id), now);
	if (!res)
		return err;
	*id = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	json_object *detail = kwj_own(c, json_object_new_object());
	kwj_add_int(detail, "occupation_id", t.occupation_id);
	kwj_add_int(detail, "level", t.level);
	kwj_add_int(detail, "total", total);
	kwj_add_int(detail, "minutes", minutes);
	if ((err = audit_write(c, "scheme.create", "paper_scheme", *id, detail)))
		return err;
	return db_commit(c);
}

int paper_scheme_list(struct kw_ctx *c, long page, long per_page, json_object **items, long *total)
{
	int err;
	const char *org = db_ltoa(c, c->user.org_id);
	PGresult *cnt = db_query(c, &q_scheme_count, &err, org);
	if (!cnt)
		return err;
	*total = strtol(PQgetvalue(cnt, 0, 0), NULL, 10);
	PGresult *res = db_query(c, &q_scheme_list, &err, org, db_ltoa(c, per_page),
				 db_ltoa(c, (page - 1) * per_page));
	if (!res)
		return err;
	json_object *a = kwj_own(c, json_object_new_array());
	for (int i = 0; i < PQntuples(res); i++)
		json_object_array_add(a, scheme_json(res, i));
	*items = a;
	return KW_OK;
}

static int scheme_row(struct kw_ctx *c, long id, PGresult **out)
{
	int err;
	PGresult *res =
	    db_query(c, &q_scheme_get, &err, db_ltoa(c, id), db_ltoa(c, c->user.org_id));
	if (!res)
		return err;
	if (!PQntuples(res))
		return kw_fail(c, KW_ENOTFOUND, "组卷方案不存在");
	*out = res;
	return KW_OK;
}

int paper_scheme_get(struct kw_ctx *c, long id, json_object **out)
{
	PGresult *res;
	int err = scheme_row(c, id, &res);
	if (err)
		return err;
	*out = kwj_own(c, scheme_json(res, 0));
	return KW_OK;
}

int paper_scheme_delete(struct kw_ctx *c, long id)
{
	int err;
	if ((err = db_begin(c)))
		return err;
	PGresult *res =
	    db_query(c, &q_scheme_delete, &err, db_ltoa(c, id), db_ltoa(c, c->user.org_id));
	if (!res)
		return err;
	if (strcmp(PQcmdTuples(res), "1"))
		return kw_fail(c, KW_ENOTFOUND, "组卷方案不存在");
	if ((err = audit_write(c, "scheme.delete", "paper_scheme", id, NULL)))
		return err;
	return db_commit(c);
}

/* ------------------------------------------------------------------ generating papers */

static struct db_stmt q_pool =
    DB_STMT("paper_pool",
	    "SELECT id, type, kind FROM bank_questions q WHERE " ORG_SCOPE_SQL(
		"q.org_id", "$1", "$2") " AND q.occupation_id = $3 AND q.level = $4 ORDER BY id");
static struct db_stmt q_paper_insert =
    DB_STMT("paper_insert",
	    "INSERT INTO papers (org_id, source, scheme_id, occupation_id, level, minutes, title,"
	    " set_no, created_by, created_at) VALUES ($1, 'scheme', $2, $3, $4, $5, $6,"
	    " (SELECT count(*) + 1 FROM papers WHERE scheme_id = $2), $7, $8) RETURNING id");
static struct db_stmt q_paper_fill = DB_STMT(
    "paper_fill",
    "INSERT INTO paper_questions (paper_id, seq, question_id, type, kind, stem, options, answer)"
    " SELECT $1, t.ord, q.id, q.type, q.kind, q.stem, q.options, q.answer"
    " FROM unnest($2::bigint[]) WITH ORDINALITY AS t(id, ord) JOIN bank_questions q ON q.id = "
    "t.id");

struct bucket {
	long *id;
	size_t n, cap;
};

static void shuffle(long *v, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = randombytes_uniform((uint32_t)i);
		long t = v[i - 1];
		v[i - 1] = v[j];
		v[j] = t;
	}
}

static const char *paper_title(struct kw_ctx *c, const char *occupation, int level)
{
	return arena_printf(c->a, "%s（%s）理论知识试卷", occupation, ref_level_label(level));
}

int paper_generate(struct kw_ctx *c, long scheme_id, int sets, json_object **ids)
{
	int err;
	PGresult *sc;
	if ((err = need_org(c)) || (err = scheme_row(c, scheme_id, &sc)))
		return err;
	if (sets < 1 || sets > 10) {
		kw_field_error(c, "sets", 0, "range", "套数应为 1–10");
		return KW_EVALIDATION;
	}
	long need[6];
	for (int k = 0; k < 6; k++)
		need[k] = db_long(sc, 0, count_cols[k]);
	const char *occ = db_val(sc, 0, "occupation_id"), *lvl = db_val(sc, 0, "level");
	int level = (int)db_long(sc, 0, "level");

	struct org_scope s;
	org_scope_of(c, &s);
	PGresult *pool = db_query(c, &q_pool, &err, s.kind_param, s.root_param, occ, lvl);
	if (!pool)
		return err;
	struct bucket b[6];
	memset(b, 0, sizeof(b));
	int np = PQntuples(pool);
	for (int k = 0; k < 6; k++)
		b[k].id = arena_alloc(c->a, (size_t)(np ? np : 1) * sizeof(long));
	for (int i = 0; i < np; i++) {
		int t = paper_type_index(PQgetvalue(pool, i, 1)),
		    kd = paper_kind_index(PQgetvalue(pool, i, 2));
		if (t < 0 || kd < 0)
			continue;
		struct bucket *bk = &b[2 * t + kd];
		bk->id[bk->n++] = strtol(PQgetvalue(pool, i, 0), NULL, 10);
	}
	for (int k = 0; k < 6; k++)
		if ((long)b[k].n < need[k])
			kw_field_error(
			    c,
			    arena_printf(c->a, "%s.%s", paper_type_codes[k / 2],
					 paper_kind_codes[k % 2]),
			    0, "R28",
			    arena_printf(c->a,
					 "%s·%s 缺 %ld 道（题库现有 %zu 道，方案需要 %ld 道）",
					 paper_type_words[k / 2], paper_kind_words[k % 2],
					 need[k] - (long)b[k].n, b[k].n, need[k]));
	if (kw_validation_result(c))
		return kw_fail(c, KW_EVALIDATION, "题库中的试题不足，无法按组卷方案生成试卷");
	for (int k = 0; k < 6; k++)
		shuffle(b[k].id, b[k].n);

	const char *now = kw_now_text(c);
	const char *title = paper_title(c, db_val(sc, 0, "occupation_name"), level);
	long total = 0;
	for (int k = 0; k < 6; k++)
		total += need[k];
	long *pick = arena_alloc(c->a, (size_t)(total ? total : 1) * sizeof(long));
	json_object *out = kwj_own(c, json_object_new_array());
	if ((err = db_begin(c)))
		return err;
	for (int set = 0; set < sets; set++) {
		/*
		 * Set `set` takes the need[k] questions that follow set-1's in the shuffled
		 * bucket, wrapping round: disjoint while the bucket holds sets * need
		 * questions, otherwise every question is used as evenly as possible.
		 */
		size_t n = 0;
		for (int t = 0; t < 3; t++) {
			size_t from = n;
			for (int kd = 0; kd < 2; kd++) {
				struct bucket *bk = &b[2 * t + kd];
				long k = need[2 * t + kd];
				for (long j = 0; j < k; j++)
					pick[n++] =
					    bk->id[((size_t)set * (size_t)k + (size_t)j) % bk->n];
			}
			shuffle(pick + from,
				n - from); /* basic and related mixed within the type */
		}
		PGresult *res = db_query(c, &q_paper_insert, &err, db_ltoa(c, c->user.org_id),
					 db_ltoa(c, scheme_id), occ, lvl, db_val(sc, 0, "minutes"),
					 title, db_ltoa(c, c->user.id), now);
		if (!res)
			return err;
		long pid = strtol(PQgetvalue(res, 0, 0), NULL, 10);
		res = db_query(c, &q_paper_fill, &err, db_ltoa(c, pid),
			       paper_pg_long_array(c, pick, n));
		if (!res)
			return err;
		json_object_array_add(out, json_object_new_int64(pid));
	}
	json_object *detail = kwj_own(c, json_object_new_object());
	kwj_add_int(detail, "scheme_id", scheme_id);
	kwj_put(detail, "paper_ids", out);
	if ((err = audit_write(c, "paper.generate", "paper_scheme", scheme_id, detail)))
		return err;
	if ((err = db_commit(c)))
		return err;
	*ids = out;
	return KW_OK;
}

/* ------------------------------------------------------------------ papers */

#define PAPER_COLS                                                                                 \
	"SELECT p.id, p.org_id, g.name AS org_name, p.source, p.scheme_id, p.occupation_id,"       \
	" oc.name AS occupation_name, p.level, p.minutes, p.title, p.set_no, p.file_id, p.part,"   \
	" (SELECT count(*) FILTER (WHERE x.type = 'single') FROM paper_questions x"                \
	"   WHERE x.paper_id = p.id) AS n_single,"                                                 \
	" (SELECT count(*) FILTER (WHERE x.type = 'multi') FROM paper_questions x"                 \
	"   WHERE x.paper_id = p.id) AS n_multi,"                                                  \
	" (SELECT count(*) FILTER (WHERE x.type = 'judge') FROM paper_questions x"                 \
	"   WHERE x.paper_id = p.id) AS n_judge,"                                                  \
	" kw_ts(p.created_at) AS created_at"                                                       \
	" FROM papers p JOIN orgs g ON g.id = p.org_id"                                            \
	" JOIN occupations oc ON oc.id = p.occupation_id"

static struct db_stmt q_paper_list = DB_STMT(
    "paper_list", PAPER_COLS " WHERE " ORG_SCOPE_SQL(
		      "p.org_id", "$1",
		      "$2") " AND ($3::bigint IS NULL OR p.scheme_id = $3) AND p.source = 'scheme'"
			    " ORDER BY p.created_at DESC, p.id DESC LIMIT $4 OFFSET $5");
static struct db_stmt q_paper_count =
    DB_STMT("paper_count",
	    "SELECT count(*) FROM papers p WHERE " ORG_SCOPE_SQL(
		"p.org_id", "$1",
		"$2") " AND ($3::bigint IS NULL OR p.scheme_id = $3) AND p.source = 'scheme'");
static struct db_stmt q_paper_get =
    DB_STMT("paper_get", PAPER_COLS " WHERE p.id = $1 AND " ORG_SCOPE_SQL("p.org_id", "$2", "$3"));
static struct db_stmt q_paper_lock =
    DB_STMT("paper_lock", "SELECT id, org_id, source, occupation_id, level, batch_id, part,"
			  " (SELECT count(*) FROM paper_questions x WHERE x.paper_id = p.id) AS n"
			  " FROM papers p WHERE "
			  "p.id = $1 AND " ORG_SCOPE_SQL("p.org_id", "$2", "$3") " FOR UPDATE");
static struct db_stmt q_paper_questions = DB_STMT(
    "paper_questions", "SELECT id, row_number() OVER (ORDER BY seq) AS no, type, kind, stem,"
		       " array_to_json(options) AS options, answer, question_id"
		       " FROM paper_questions WHERE paper_id = $1 ORDER BY seq");
static struct db_stmt q_paper_delete = DB_STMT("paper_delete", "DELETE FROM papers WHERE id = $1");
static struct db_stmt q_pq_delete = DB_STMT(
    "paper_question_delete",
    "DELETE FROM paper_questions WHERE id = $2 AND paper_id = $1 RETURNING stem, question_id");
static struct db_stmt q_pq_get = DB_STMT(
    "paper_question_get",
    "SELECT id, type, kind, question_id FROM paper_questions WHERE id = $2 AND paper_id = $1");
#define REPLACEMENT_WHERE                                                                          \
	" FROM bank_questions q WHERE " ORG_SCOPE_SQL(                                             \
	    "q.org_id", "$1",                                                                      \
	    "$2") " AND q.occupation_id = $3 AND q.level = $4 AND q.type = $5 AND q.kind = $6"     \
		  " AND NOT EXISTS (SELECT 1 FROM paper_questions x WHERE x.paper_id = $7"         \
		  " AND x.question_id = q.id)"
static struct db_stmt q_pick_random =
    DB_STMT("paper_pick_random", "SELECT q.id" REPLACEMENT_WHERE " ORDER BY random() LIMIT 1");
static struct db_stmt q_pick_given =
    DB_STMT("paper_pick_given", "SELECT q.id" REPLACEMENT_WHERE " AND q.id = $8");
static struct db_stmt q_pq_replace =
    DB_STMT("paper_question_replace",
	    "UPDATE paper_questions x SET question_id = q.id, stem = q.stem, options = q.options,"
	    " answer = q.answer FROM bank_questions q"
	    " WHERE x.id = $2 AND x.paper_id = $1 AND q.id = $3"
	    " AND x.question_id IS NOT DISTINCT FROM $4::bigint");
static struct db_stmt q_pq_one =
    DB_STMT("paper_question_one",
	    "SELECT * FROM (SELECT id, row_number() OVER (ORDER BY seq) AS no, type, kind, stem,"
	    " array_to_json(options) AS options, answer, question_id"
	    " FROM paper_questions WHERE paper_id = $1) x WHERE id = $2");

static bool may_change(struct kw_ctx *c, const PGresult *res)
{
	long org = db_long(res, 0, "org_id");
	const char *source = db_val(res, 0, "source");
	if (!(c->user.role & (R_ORG | R_CENTER)))
		return false;
	if (org == c->user.org_id)
		return true;
	/* uploaded batch papers: reviewers in scope delete single questions (R18) */
	return source && !strcmp(source, "upload") && (c->user.role & (R_LEVEL2 | R_CENTER));
}

static json_object *paper_json(struct kw_ctx *c, const PGresult *res, int i)
{
	json_object *o = json_object_new_object();
	kwj_add_int(o, "id", db_long(res, i, "id"));
	kwj_add_str(o, "title", db_val(res, i, "title"));
	kwj_add_str(o, "source", db_val(res, i, "source"));
	long scheme = db_long(res, i, "scheme_id");
	if (scheme)
		kwj_add_int(o, "scheme_id", scheme);
	else
		json_object_object_add(o, "scheme_id", NULL);
	kwj_add_int(o, "set_no", db_long(res, i, "set_no"));
	json_object *org = json_object_new_object();
	kwj_add_int(org, "id", db_long(res, i, "org_id"));
	kwj_add_str(org, "name", db_val(res, i, "org_name"));
	json_object_object_add(o, "org", org);
	json_object *occ = json_object_new_object();
	kwj_add_int(occ, "id", db_long(res, i, "occupation_id"));
	kwj_add_str(occ, "name", db_val(res, i, "occupation_name"));
	json_object_object_add(o, "occupation", occ);
	int level = (int)db_long(res, i, "level");
	kwj_add_int(o, "level", level);
	kwj_add_str(o, "level_text", ref_level_label(level));
	if (db_val(res, i, "minutes"))
		kwj_add_int(o, "minutes", db_long(res, i, "minutes"));
	else
		json_object_object_add(o, "minutes", NULL);
	json_object *counts = json_object_new_object();
	long n = 0;
	static const char *const cols[3] = {"n_single", "n_multi", "n_judge"};
	for (int t = 0; t < 3; t++) {
		long k = db_long(res, i, cols[t]);
		kwj_add_int(counts, paper_type_codes[t], k);
		n += k;
	}
	json_object_object_add(o, "counts", counts);
	kwj_add_int(o, "question_count", n);
	kwj_add_bool(o, "editable",
		     may_change(c, res) && db_long(res, i, "org_id") == c->user.org_id);
	kwj_add_str(o, "created_at", db_val(res, i, "created_at"));
	return o;
}

static json_object *pq_json(const PGresult *res, int i)
{
	json_object *o = paper_summary_json(res, i, "");
	kwj_add_int(o, "no", db_long(res, i, "no"));
	long qid = db_long(res, i, "question_id");
	if (qid)
		kwj_add_int(o, "question_id", qid);
	else
		json_object_object_add(o, "question_id", NULL);
	return o;
}

int paper_list(struct kw_ctx *c, long scheme_id, long page, long per_page, json_object **items,
	       long *total)
{
	struct org_scope s;
	int err;
	org_scope_of(c, &s);
	const char *sid = scheme_id > 0 ? db_ltoa(c, scheme_id) : NULL;
	PGresult *cnt = db_query(c, &q_paper_count, &err, s.kind_param, s.root_param, sid);
	if (!cnt)
		return err;
	*total = strtol(PQgetvalue(cnt, 0, 0), NULL, 10);
	PGresult *res = db_query(c, &q_paper_list, &err, s.kind_param, s.root_param, sid,
				 db_ltoa(c, per_page), db_ltoa(c, (page - 1) * per_page));
	if (!res)
		return err;
	json_object *a = kwj_own(c, json_object_new_array());
	for (int i = 0; i < PQntuples(res); i++)
		json_object_array_add(a, paper_json(c, res, i));
	*items = a;
	return KW_OK;
}

static int paper_row(struct kw_ctx *c, long id, PGresult **out)
{
	struct org_scope s;
	int err;
	org_scope_of(c, &s);
	PGresult *res = db_query(c, &q_paper_get, &err, db_ltoa(c, id), s.kind_param, s.root_param);
	if (!res)
		return err;
	if (!PQntuples(res))
		return kw_fail(c, KW_ENOTFOUND, "试卷不存在");
	*out = res;
	return KW_OK;
}

int paper_get(struct kw_ctx *c, long id, json_object **out)
{
	PGresult *res;
	int err = paper_row(c, id, &res);
	if (err)
		return err;
	*out = kwj_own(c, paper_json(c, res, 0));
	return KW_OK;
}

int paper_questions(struct kw_ctx *c, long id, json_object **items)
{
	PGresult *res;
	int err = paper_row(c, id, &res);
	if (err)
		return err;
	PGresult *qs = db_query(c, &q_paper_questions, &err, db_ltoa(c, id));
	if (!qs)
		return err;
	json_object *a = kwj_own(c, json_object_new_array());
	for (int i = 0; i < PQntuples(qs); i++)
		json_object_array_add(a, pq_json(qs, i));
	*items = a;
	return KW_OK;
}

/* Lock a paper the caller may change (own generated papers; R18 reviewers for uploads). */
static int lock_paper(struct kw_ctx *c, long id, PGresult **out)
{
	struct org_scope s;
	int err;
	org_scope_of(c, &s);
	PGresult *res =
	    db_query(c, &q_paper_lock, &err, db_ltoa(c, id), s.kind_param, s.root_param);
	if (!res)
		return err;
	if (!PQntuples(res))
		return kw_fail(c, KW_ENOTFOUND, "试卷不存在");
	if (!may_change(c, res))
		return kw_fail(c, KW_EFORBIDDEN, "只能修改本机构的试卷");
	*out = res;
	return KW_OK;
}

int paper_delete(struct kw_ctx *c, long id)
{
	int err;
	PGresult *p;
	if ((err = db_begin(c)) || (err = lock_paper(c, id, &p)))
		return err;
	if (strcmp(db_val(p, 0, "source"), "scheme") || db_long(p, 0, "org_id") != c->user.org_id)
		return kw_fail(c, KW_EFORBIDDEN, "只能删除本机构生成的试卷");
	if (!db_query(c, &q_paper_delete, &err, db_ltoa(c, id)))
		return err;
	if ((err = audit_write(c, "paper.delete", "paper", id, NULL)))
		return err;
	return db_commit(c);
}

int paper_question_delete(struct kw_ctx *c, long paper_id, long pq_id)
{
	int err;
	PGresult *p;
	if ((err = db_begin(c)) || (err = lock_paper(c, paper_id, &p)))
		return err;
	long batch_id = db_long(p, 0, "batch_id");
	if (batch_id && (err = batch_paper_edit_check(c, batch_id)))
		return err;
	PGresult *res = db_query(c, &q_pq_delete, &err, db_ltoa(c, paper_id), db_ltoa(c, pq_id));
	if (!res)
		return err;
	if (!PQntuples(res))
		return kw_fail(c, KW_ENOTFOUND, "试卷中没有这道试题");
	int level = (int)db_long(p, 0, "level");
	long left = db_long(p, 0, "n") - 1, min = paper_r16_minimum(level);
	if (batch_id && left < min)
		return kw_fail(
		    c, KW_ECONFLICT,
		    arena_printf(c->a, "%s理论知识试卷不少于 %ld 题，现有 %ld 题，不能再删除试题",
				 ref_level_name(level), min, left + 1));
	json_object *detail = kwj_own(c, json_object_new_object());
	kwj_add_int(detail, "paper_question_id", pq_id);
	kwj_add_str(detail, "stem", PQgetvalue(res, 0, 0));
	if ((err = audit_write(c, "paper.question.delete", "paper", paper_id, detail)))
		return err;
	return db_commit(c);
}

int paper_question_replace(struct kw_ctx *c, long paper_id, long pq_id, long with_id,
			   json_object **out)
{
	int err;
	PGresult *p;
	if ((err = db_begin(c)) || (err = lock_paper(c, paper_id, &p)))
		return err;
	if (strcmp(db_val(p, 0, "source"), "scheme"))
		return kw_fail(c, KW_ECONFLICT, "上传的试卷不能从题库替换试题");
	const char *pid = db_ltoa(c, paper_id), *qid = db_ltoa(c, pq_id);
	PGresult *pq = db_query(c, &q_pq_get, &err, pid, qid);
	if (!pq)
		return err;
	if (!PQntuples(pq))
		return kw_fail(c, KW_ENOTFOUND, "试卷中没有这道试题");
	struct org_scope s;
	org_scope_of(c, &s);
	const char *occ = db_val(p, 0, "occupation_id"), *lvl = db_val(p, 0, "level"),
		   *type = db_val(pq, 0, "type"), *kind = db_val(pq, 0, "kind"),
		   *old = db_val(pq, 0, "question_id");
	PGresult *pick;
	if (with_id > 0) {
		pick = db_query(c, &q_pick_given, &err, s.kind_param, s.root_param, occ, lvl, type,
				kind, pid, db_ltoa(c, with_id));
		if (!pick)
			return err;
		if (!PQntuples(pick)) {
			kw_field_error(c, "question_id", 0, "R28",
				       "替换的试题应为题库中同职业/"
				       "工种、同等级、同题型和类型且不在本试卷中的试题");
			return KW_EVALIDATION;
		}
	} else {
		pick = db_query(c, &q_pick_random, &err, s.kind_param, s.root_param, occ, lvl, type,
				kind, pid);
		if (!pick)
			return err;
		if (!PQntuples(pick))
			return kw_fail(c, KW_ECONFLICT,
				       arena_printf(c->a, "题库中没有其他可替换的%s·%s试题",
						    paper_type_text(type), paper_kind_text(kind)));
	}
	const char *nid = PQgetvalue(pick, 0, 0);
	PGresult *up = db_query(c, &q_pq_replace, &err, pid, qid, nid, old);
	if (!up)
		return err;
	if (strcmp(PQcmdTuples(up), "1"))
		return kw_fail(c, KW_ECONFLICT, "试题已被修改，请刷新后重试");
	json_object *detail = kwj_own(c, json_object_new_object());
	kwj_add_int(detail, "paper_question_id", pq_id);
	kwj_add_str(detail, "old_question_id", old);
	kwj_add_str(detail, "new_question_id", nid);
	if ((err = audit_write(c, "paper.question.replace", "paper", paper_id, detail)))
		return err;
	if ((err = db_commit(c)))
		return err;
	PGresult *one = db_query(c, &q_pq_one, &err, pid, qid);
	if (!one)
		return err;
	*out = kwj_own(c, pq_json(one, 0));
	return KW_OK;
}

/* ------------------------------------------------------------------ Word export */

static const char *const section_nums[] = {"一", "二", "三"};
static const char *const section_hint[3] = {
    "每题只有一个正确答案，请将其字母填入题内的括号中",
    "每题有两个或两个以上正确答案，请将其字母填入题内的括号中",
    "正确的在括号中填“对”，错误的填“错”",
};

/* Does the stem already hold the blank to answer in? */
static bool has_blank(const char *stem)
{
	return strstr(stem, "（") || strchr(stem, '(');
}

int paper_export_docx(struct kw_ctx *c, long id, bool answers, const char **data, size_t *len,
		      const char **name)
{
	PGresult *p;
	int err = paper_row(c, id, &p);
	if (err)
		return err;
	long file_id = db_long(p, 0, "file_id");
	if (file_id) { /* a practical paper: the uploaded docx itself */
		if (answers)
			return kw_fail(c, KW_ECONFLICT, "操作技能试卷没有参考答案");
		struct file_blob f;
		if ((err = file_fetch(c, file_id, &f)))
			return err;
		*data = (const char *)f.data;
		*len = f.len;
		*name = f.name;
		return KW_OK;
	}
	PGresult *qs = db_query(c, &q_paper_questions, &err, db_ltoa(c, id));
	if (!qs)
		return err;
	const char *title = db_val(p, 0, "title");
	long set_no = db_long(p, 0, "set_no");
	const char *minutes = db_val(p, 0, "minutes");
	int nq = PQntuples(qs);
	int first[3] = {0}, count[3] = {0}; /* per type: first number and how many */
	for (int i = 0; i < nq; i++) {
		int t = paper_type_index(PQgetvalue(qs, i, 2));
		if (t < 0)
			continue;
		if (!count[t])
			first[t] = i + 1;
		count[t]++;
	}

	struct kw_membuf mb = {.limit = 32u * 1024 * 1024};
	const char *doc_title = answers ? arena_printf(c->a, "%s 参考答案", title) : title;
	docx_writer *w = docx_open(kw_membuf_sink, &mb, doc_title);
	docx_para(w, DOCX_TITLE, doc_title);
	if (!answers)
		docx_paraf(w, DOCX_SUBTITLE, "第 %ld 套%s%s%s", set_no,
			   minutes ? "　　考试时间：" : "", minutes ? minutes : "",
			   minutes ? " 分钟" : "");
	else if (set_no > 1)
		docx_paraf(w, DOCX_SUBTITLE, "第 %ld 套", set_no);
	if (!answers) {
		docx_para(w, DOCX_SUBTITLE,
			  "姓名：____________　准考证号：________________　单位：________________");
		docx_para(w, DOCX_HEADING, "注意事项");
		if (minutes)
			docx_paraf(w, DOCX_NOTE, "1. 考试时间：%s 分钟。", minutes);
		else
			docx_para(w, DOCX_NOTE, "1. 考试时间以考场规定为准。");
		docx_para(w, DOCX_NOTE,
			  "2. 请首先按要求在试卷的标封处填写您的姓名、准考证号和所在单位的名称。");
		docx_para(w, DOCX_NOTE,
			  "3. 请仔细阅读各种题目的回答要求，在规定的位置填写您的答案。");
		docx_para(w, DOCX_NOTE, "4. 不要在试卷上乱写乱画，不要在标封区填写无关的内容。");
	}
	int section = 0;
	for (int t = 0; t < 3; t++) {
		if (!count[t])
			continue;
		const char *sec = section_nums[section++];
		if (answers)
			docx_paraf(w, DOCX_HEADING, "%s、%s（第 %d–%d 题）", sec,
				   paper_type_words[t], first[t], first[t] + count[t] - 1);
		else
			docx_paraf(w, DOCX_HEADING, "%s、%s（第 %d–%d 题，共 %d 题。%s。）", sec,
				   paper_type_words[t], first[t], first[t] + count[t] - 1, count[t],
				   section_hint[t]);
		char line[512];
		size_t ll = 0;
		int in_line = 0;
		for (int i = first[t] - 1; i < first[t] - 1 + count[t]; i++) {
			const char *stem = PQgetvalue(qs, i, 4), *answer = PQgetvalue(qs, i, 6);
			if (answers) {
				/* five answers a line: "1. C　2. A　…" */
				int k = snprintf(line + ll, sizeof(line) - ll, "%s%d. %s",
						 in_line ? "　" : "", i + 1, answer);
				if (k > 0 && (size_t)k < sizeof(line) - ll)
					ll += (size_t)k;
				if (++in_line == 5) {
					docx_para(w, DOCX_NORMAL, line);
					ll = 0;
					in_line = 0;
				}
				continue;
			}
			if (t == 2 && !has_blank(stem))
				docx_paraf(w, DOCX_QUESTION, "%d. %s（　）", i + 1, stem);
			else
				docx_paraf(w, DOCX_QUESTION, "%d. %s", i + 1, stem);
			json_object *opts = paper_json_array(PQgetvalue(qs, i, 5));
			size_t no = json_object_array_length(opts);
			for (size_t k = 0; k < no && k < 4; k++)
				docx_paraf(
				    w, DOCX_OPTION, "%c. %s", (char)('A' + k),
				    json_object_get_string(json_object_array_get_idx(opts, k)));
			json_object_put(opts);
		}
		if (answers && in_line)
			docx_para(w, DOCX_NORMAL, line);
	}
	if (!nq)
		docx_para(w, DOCX_NORMAL, "（本试卷没有试题）");
	if ((err = docx_close(w))) {
		kw_membuf_free(&mb);
		log_error("paper %ld: docx writer failed (%d)", id, err);
		return err == KW_ETOOLARGE ? kw_fail(c, KW_ETOOLARGE, "试卷过大，无法导出")
					   : KW_EINTERNAL;
	}
	*data = arena_memdup(c->a, mb.data, mb.len);
	*len = mb.len;
	kw_membuf_free(&mb);
	const char *set = set_no > 1 ? arena_printf(c->a, "（第%ld套）", set_no) : "";
	*name = arena_printf(c->a, "%s%s%s.docx", title, set, answers ? "（答案）" : "");
	return KW_OK;
}
