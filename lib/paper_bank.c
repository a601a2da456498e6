/* paper_bank.c - the question bank (我的题库): the bank a request names, list and search,
 * statistics, export rows, edit and delete (R17, R27). The import is paper_import.c. */
#include "paper_int.h"

#include <ctype.h>
#include <math.h>
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
#include "org.h"
#include "ref.h"

/* ------------------------------------------------------------------ the bank a request names */

static struct db_stmt q_in_scope =
    DB_STMT("paper_in_scope", "SELECT EXISTS (SELECT 1 FROM org_scopes s"
			      " JOIN occupations o ON s.occupation_id IN (o.id, o.parent_id)"
			      " WHERE o.id = $1 AND (s.org_id = $2 OR ($3::bool AND s.org_id IN"
			      "   (SELECT k.id FROM orgs k WHERE k.parent_id = $2))))");

static bool all_digits(const char *s)
{
	if (!s || !*s || strlen(s) > 9)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* An occupation given as an id or a name/alias; *id 0 when nothing matches. */
static int occupation_lookup(struct kw_ctx *c, const char *occupation, long *id)
{
	*id = 0;
	if (!occupation || !*occupation)
		return KW_OK;
	if (all_digits(occupation)) {
		*id = strtol(occupation, NULL, 10);
		return KW_OK;
	}
	return ref_occupation_find(c, occupation, id);
}

int paper_target_check(struct kw_ctx *c, const char *occupation, const char *field, long level,
		       struct paper_target *out)
{
	int err;
	long id;
	memset(out, 0, sizeof(*out));
	if (level < 1 || level > 5)
		kw_field_error(c, "level", 0, "enum", "等级应为 1–5（1 高级技师 … 5 初级）");
	if (!occupation || !*occupation) {
		kw_field_error(c, field, 0, "required", "请选择职业/工种");
		return KW_EVALIDATION;
	}
	if ((err = occupation_lookup(c, occupation, &id)))
		return err;
	struct ref_occupation occ;
	if ((err = ref_occupation_get(c, id, &occ)))
		return err;
	if (!occ.id) {
		kw_field_error(c, field, 0, "exists", "职业/工种不存在");
		return KW_EVALIDATION;
	}
	if (level >= 1 && level <= 5 && !(occ.levels & (1u << level)))
		kw_field_error(
		    c, "level", 0, "R6",
		    arena_printf(c->a, "%s没有%s", occ.name, ref_level_label((int)level)));
	if (!(c->user.role & R_CENTER)) {
		PGresult *res =
		    db_query(c, &q_in_scope, &err, db_ltoa(c, occ.id), db_ltoa(c, c->user.org_id),
			     (c->user.role & R_LEVEL2) ? "true" : "false");
		if (!res)
			return err;
		if (PQgetvalue(res, 0, 0)[0] != 't')
			kw_field_error(c, field, 0, "scope",
				       arena_printf(c->a, "%s不在本机构的考评范围内", occ.name));
	}
	if ((err = kw_validation_result(c)))
		return err;
	out->occupation_id = occ.id;
	out->occupation_name = occ.name;
	out->level = (int)level;
	return KW_OK;
}

/* A level from a query parameter (see paper_int.h). */
long paper_query_level(struct kw_ctx *c, const char *v, bool required)
{
	if (!v || !*v) {
		if (required)
			kw_field_error(c, "level", 0, "required", "请选择等级");
		return required ? -1 : 0;
	}
	if (strlen(v) != 1 || v[0] < '1' || v[0] > '5') {
		kw_field_error(c, "level", 0, "enum", "等级应为 1–5（1 高级技师 … 5 初级）");
		return -1;
	}
	return v[0] - '0';
}

/* Round to 3 decimals for the report. */
json_object *paper_sim_json(double s)
{
	return json_object_new_double(round(s * 1000) / 1000);
}

/* ------------------------------------------------------------------ list, export, statistics */

#define BANK_WHERE                                                                                 \
	" WHERE " ORG_SCOPE_SQL("q.org_id", "$1",                                                  \
				"$2") " AND ($3::int IS NULL OR q.occupation_id = $3)"             \
				      " AND ($4::smallint IS NULL OR q.level = $4)"                \
				      " AND ($5::text IS NULL OR q.type = $5)"                     \
				      " AND ($6::text IS NULL OR q.kind = $6)"                     \
				      " AND ($7::text IS NULL OR q.stem ILIKE '%' || $7 || '%')"   \
				      " AND ($8::bigint IS NULL OR q.org_id = $8)"                 \
				      " AND (NOT $9::bool OR q.near_of IS NOT NULL)"

#define QUESTION_COLS                                                                              \
	"SELECT q.id, q.org_id, g.name AS org_name, q.occupation_id, oc.name AS occupation_name,"  \
	" q.level, q.type, q.kind, q.stem, array_to_json(q.options) AS options, q.answer,"         \
	" q.similarity, n.id AS n_id, n.type AS n_type, n.kind AS n_kind, n.stem AS n_stem,"       \
	" array_to_json(n.options) AS n_options, n.answer AS n_answer,"                            \
	" kw_ts(q.created_at) AS created_at, kw_ts(q.updated_at) AS updated_at"                    \
	" FROM bank_questions q JOIN orgs g ON g.id = q.org_id"                                    \
	" JOIN occupations oc ON oc.id = q.occupation_id"                                          \
	" LEFT JOIN bank_questions n ON n.id = q.near_of"

static struct db_stmt q_list =
    DB_STMT("paper_bank_list", QUESTION_COLS BANK_WHERE " ORDER BY q.id DESC LIMIT $10 OFFSET $11");
static struct db_stmt q_count =
    DB_STMT("paper_bank_count", "SELECT count(*) FROM bank_questions q" BANK_WHERE);
static struct db_stmt q_get = DB_STMT(
    "paper_bank_get", QUESTION_COLS " WHERE q.id = $1 AND " ORG_SCOPE_SQL("q.org_id", "$2", "$3"));
static struct db_stmt q_export = DB_STMT(
    "paper_bank_export",
    "SELECT q.stem, CASE q.type WHEN 'single' THEN '单选题' WHEN 'multi' THEN '多选题'"
    " ELSE '判断题' END, q.options[1], q.options[2], q.options[3], q.options[4], q.answer,"
    " CASE q.kind WHEN 'basic' THEN '基础知识' ELSE '相关知识' END, oc.name,"
    " CASE q.level WHEN 1 THEN '高级技师/一级' WHEN 2 THEN '技师/二级' WHEN 3 THEN '高级/三级'"
    " WHEN 4 THEN '中级/四级' ELSE '初级/五级' END, g.name"
    " FROM bank_questions q JOIN orgs g ON g.id = q.org_id"
    " JOIN occupations oc ON oc.id = q.occupation_id" BANK_WHERE
    " ORDER BY g.code, oc.sort, q.level DESC, array_position(ARRAY['single','multi','judge'],"
    " q.type), q.id");
static struct db_stmt q_stats =
    DB_STMT("paper_bank_stats",
	    "SELECT q.occupation_id, oc.name AS occupation_name, q.level,"
	    " count(*) FILTER (WHERE q.type = 'single' AND q.kind = 'basic') AS single_basic,"
	    " count(*) FILTER (WHERE q.type = 'single' AND q.kind = 'related') AS single_related,"
	    " count(*) FILTER (WHERE q.type = 'multi' AND q.kind = 'basic') AS multi_basic,"
	    " count(*) FILTER (WHERE q.type = 'multi' AND q.kind = 'related') AS multi_related,"
	    " count(*) FILTER (WHERE q.type = 'judge' AND q.kind = 'basic') AS judge_basic,"
	    " count(*) FILTER (WHERE q.type = 'judge' AND q.kind = 'related') AS judge_related,"
	    " count(*) AS total"
	    " FROM bank_questions q JOIN occupations oc ON oc.id = q.occupation_id" BANK_WHERE
	    " GROUP BY q.occupation_id, oc.name, oc.sort, q.level ORDER BY oc.sort, q.level DESC");

/* The filter as statement parameters $3..$9. */
struct bank_params {
	const char *occ, *level, *type, *kind, *q, *org, *near;
};

static const char *nz(const char *s)
{
	return s && *s ? s : NULL;
}

/* LIKE pattern characters escaped (the default escape is the backslash). */
static const char *like_escape(struct kw_ctx *c, const char *s)
{
	char *out = arena_alloc(c->a, 2 * strlen(s) + 1), *p = out;
	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			*p++ = '\\';
		*p++ = *s;
	}
	*p = '\0';
	return out;
}

static int bank_params(struct kw_ctx *c, const struct bank_filter *f, struct bank_params *p)
{
	int err;
	memset(p, 0, sizeof(*p));
	if (nz(f->occupation)) {
		long id;
		if ((err = occupation_lookup(c, f->occupation, &id)))
			return err;
		p->occ = db_ltoa(c, id); /* unknown name: id 0 matches nothing */
	}
	p->level = nz(f->level);
	p->type = nz(f->type);
	p->kind = nz(f->kind);
	const char *q = f->q ? paper_trim(c, f->q) : NULL;
	p->q = nz(q) ? like_escape(c, q) : NULL;
	p->org = nz(f->org_id);
	p->near = f->near && !strcmp(f->near, "1") ? "true" : "false";
	return KW_OK;
}

int paper_bank_filter_check(struct kw_ctx *c, const struct bank_filter *f)
{
	if (nz(f->level))
		paper_query_level(c, f->level, false);
	if (nz(f->type) && paper_type_index(f->type) < 0)
		kw_field_error(c, "type", 0, "enum", "题型应为 single、multi 或 judge");
	if (nz(f->kind) && paper_kind_index(f->kind) < 0)
		kw_field_error(c, "kind", 0, "enum", "类型应为 basic 或 related");
	if (f->q && strlen(f->q) > 200)
		kw_field_error(c, "q", 0, "length", "查询条件过长");
	if (nz(f->org_id) && !all_digits(f->org_id))
		kw_field_error(c, "org_id", 0, "format", "应为正整数");
	if (nz(f->occupation) && strlen(f->occupation) > 100)
		kw_field_error(c, "occupation_id", 0, "length", "职业/工种过长");
	if (f->near && *f->near && strcmp(f->near, "1") && strcmp(f->near, "0"))
		kw_field_error(c, "near", 0, "enum", "应为 0 或 1");
	return kw_validation_result(c);
}

/* Type and kind filters accept the Chinese words too; the SQL gets codes. */
static void codes(struct bank_params *p)
{
	if (p->type) {
		int t = paper_type_index(p->type);
		p->type = t >= 0 ? paper_type_codes[t] : p->type;
	}
	if (p->kind) {
		int k = paper_kind_index(p->kind);
		p->kind = k >= 0 ? paper_kind_codes[k] : p->kind;
	}
}

static json_object *question_json(struct kw_ctx *c, const PGresult *res, int i)
{
	json_object *o = paper_summary_json(res, i, "");
	json_object *org = json_object_new_object();
	long org_id = db_long(res, i, "org_id");
	kwj_add_int(org, "id", org_id);
	kwj_add_str(org, "name", db_val(res, i, "org_name"));
	json_object_object_add(o, "org", org);
	json_object *occ = json_object_new_object();
	kwj_add_int(occ, "id", db_long(res, i, "occupation_id"));
	kwj_add_str(occ, "name", db_val(res, i, "occupation_name"));
	json_object_object_add(o, "occupation", occ);
	int level = (int)db_long(res, i, "level");
	kwj_add_int(o, "level", level);
	kwj_add_str(o, "level_text", ref_level_label(level));
	if (db_val(res, i, "n_id")) {
		json_object_object_add(o, "near_of", paper_summary_json(res, i, "n_"));
		const char *s = db_val(res, i, "similarity");
		json_object_object_add(o, "similarity", s ? paper_sim_json(strtod(s, NULL)) : NULL);
	} else {
		json_object_object_add(o, "near_of", NULL);
		json_object_object_add(o, "similarity", NULL);
	}
	kwj_add_bool(o, "editable", (c->user.role & R_ORG) && org_id == c->user.org_id);
	kwj_add_str(o, "created_at", db_val(res, i, "created_at"));
	kwj_add_str(o, "updated_at", db_val(res, i, "updated_at"));
	return o;
}

int paper_bank_list(struct kw_ctx *c, const struct bank_filter *f, long page, long per_page,
		    json_object **items, long *total)
{
	struct org_scope s;
	struct bank_params p;
	int err;
	*items = NULL;
	*total = 0;
	if ((err = bank_params(c, f, &p)))
		return err;
	codes(&p);
	org_scope_of(c, &s);
	PGresult *cnt = db_query(c, &q_count, &err, s.kind_param, s.root_param, p.occ, p.level,
				 p.type, p.kind, p.q, p.org, p.near);
	if (!cnt)
		return err;
	*total = strtol(PQgetvalue(cnt, 0, 0), NULL, 10);
	PGresult *res =
	    db_query(c, &q_list, &err, s.kind_param, s.root_param, p.occ, p.level, p.type, p.kind,
		     p.q, p.org, p.near, db_ltoa(c, per_page), db_ltoa(c, (page - 1) * per_page));
	if (!res)
		return err;
	json_object *a = kwj_own(c, json_object_new_array());
	for (int i = 0; i < PQntuples(res); i++)
		json_object_array_add(a, question_json(c, res, i));
	*items = a;
	return KW_OK;
}

/* The 9 parameters of a filtered statement: scope kind and root, then the filter's. */
static int filtered_args(struct kw_ctx *c, const struct bank_filter *f, const char *args[9])
{
	struct org_scope s;
	struct bank_params p;
	int err;
	if ((err = bank_params(c, f, &p)))
		return err;
	codes(&p);
	org_scope_of(c, &s);
	const char *a[9] = {s.kind_param, s.root_param, p.occ, p.level, p.type,
			    p.kind,	  p.q,		p.org, p.near};
	memcpy(args, a, sizeof(a));
	return KW_OK;
}

/* Run st ($1..$9: scope kind and root, then the filter's parameters) over the bank in the caller's
 * scope. */
static int filtered(struct kw_ctx *c, const struct bank_filter *f, struct db_stmt *st,
		    PGresult **out)
{
	const char *args[9];
	int err;
	if ((err = filtered_args(c, f, args)))
		return err;
	*out = db_exec(c, st, 9, args, &err);
	return *out ? KW_OK : err;
}

int paper_bank_export(struct kw_ctx *c, const struct bank_filter *f, struct db_rows **rows)
{
	const char *args[9];
	int err;
	if ((err = filtered_args(c, f, args)))
		return err;
	return db_rows_open(c, &q_export, 9, args, rows);
}

static json_object *counts_json(long basic, long related)
{
	json_object *o = json_object_new_object();
	kwj_add_int(o, "basic", basic);
	kwj_add_int(o, "related", related);
	kwj_add_int(o, "total", basic + related);
	return o;
}

int paper_bank_stats(struct kw_ctx *c, const struct bank_filter *f, json_object **out)
{
	PGresult *res;
	int err = filtered(c, f, &q_stats, &res);
	if (err)
		return err;
	static const char *const cols[6] = {"single_basic",  "single_related", "multi_basic",
					    "multi_related", "judge_basic",    "judge_related"};
	long sum[6] = {0}, all = 0;
	json_object *items = json_object_new_array();
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *o = json_object_new_object();
		json_object *occ = json_object_new_object();
		kwj_add_int(occ, "id", db_long(res, i, "occupation_id"));
		kwj_add_str(occ, "name", db_val(res, i, "occupation_name"));
		json_object_object_add(o, "occupation", occ);
		int level = (int)db_long(res, i, "level");
		kwj_add_int(o, "level", level);
		kwj_add_str(o, "level_text", ref_level_label(level));
		long v[6];
		for (int k = 0; k < 6; k++) {
			v[k] = db_long(res, i, cols[k]);
			sum[k] += v[k];
		}
		for (int t = 0; t < 3; t++)
			json_object_object_add(o, paper_type_codes[t],
					       counts_json(v[2 * t], v[2 * t + 1]));
		long total = db_long(res, i, "total");
		all += total;
		kwj_add_int(o, "total", total);
		json_object_array_add(items, o);
	}
	json_object *totals = json_object_new_object();
	for (int t = 0; t < 3; t++)
		json_object_object_add(totals, paper_type_codes[t],
				       counts_json(sum[2 * t], sum[2 * t + 1]));
	kwj_add_int(totals, "total", all);
	json_object *o = kwj_own(c, json_object_new_object());
	json_object_object_add(o, "items", items);
	json_object_object_add(o, "totals", totals);
	*out = o;
	return KW_OK;
}

/* ------------------------------------------------------------------ one question */

int paper_bank_get(struct kw_ctx *c, long id, json_object **out)
{
	struct org_scope s;
	int err;
	org_scope_of(c, &s);
	PGresult *res = db_query(c, &q_get, &err, db_ltoa(c, id), s.kind_param, s.root_param);
	if (!res)
		return err;
	if (!PQntuples(res))
		return kw_fail(c, KW_ENOTFOUND, "试题不存在");
	*out = kwj_own(c, question_json(c, res, 0));
	return KW_OK;
}

static struct db_stmt q_lock_question =
    DB_STMT("paper_bank_lock_question",
	    "SELECT org_id, type, kind, stem, options, answer FROM bank_questions"
	    " WHERE id = $1 AND " ORG_SCOPE_SQL("org_id", "$2", "$3") " FOR UPDATE");
static struct db_stmt q_update =
    DB_STMT("paper_bank_update",
	    "UPDATE bank_questions SET type = $2, kind = $3, stem = $4, options = $5::text[],"
	    " answer = $6, norm = $7, updated_at = $8::timestamptz,"
	    " near_of = CASE WHEN $9::bool THEN NULL ELSE near_of END,"
	    " similarity = CASE WHEN $9::bool THEN NULL ELSE similarity END"
	    " WHERE id = $1");
static struct db_stmt q_dup_of =
    DB_STMT("paper_bank_dup_of",
	    "SELECT o.id FROM bank_questions q JOIN bank_questions o ON o.org_id = q.org_id"
	    " AND o.occupation_id = q.occupation_id AND o.level = q.level AND md5(o.norm) = md5($2)"
	    " AND o.norm = $2 AND o.id <> q.id WHERE q.id = $1");
static struct db_stmt q_delete =
    DB_STMT("paper_bank_delete", "DELETE FROM bank_questions WHERE id = $1");

/* Lock a question the caller may change: 404 outside the scope, 403 another org's. */
static int lock_own(struct kw_ctx *c, long id, PGresult **row)
{
	struct org_scope s;
	int err;
	org_scope_of(c, &s);
	PGresult *res =
	    db_query(c, &q_lock_question, &err, db_ltoa(c, id), s.kind_param, s.root_param);
	if (!res)
		return err;
	if (!PQntuples(res))
		return kw_fail(c, KW_ENOTFOUND, "试题不存在");
	if (!(c->user.role & R_ORG) || db_long(res, 0, "org_id") != c->user.org_id)
		return kw_fail(c, KW_EFORBIDDEN, "只能修改本机构题库中的试题");
	*row = res;
	return KW_OK;
}

struct json_problems {
	struct kw_ctx *c;
};

static void json_problem(void *ctx, int col, const char *message)
{
	struct json_problems *jp = ctx;
	static const char *const fields[8] = {"stem",	    "type",	  "options[0]",
					      "options[1]", "options[2]", "options[3]",
					      "answer",	    "kind"};
	kw_field_error(jp->c, fields[col], 0, "R16", message);
}

int paper_bank_update(struct kw_ctx *c, long id, json_object *body)
{
	int err;
	PGresult *row;
	/* the object first: another org's question is 404/403 whatever the body */
	if ((err = db_begin(c)) || (err = lock_own(c, id, &row)))
		return err;
	if (!body || !json_object_is_type(body, json_type_object))
		return kw_fail(c, KW_EBADREQ, "请求内容应为 JSON 对象");
	const char *cells[8] = {"", "", "", "", "", "", "", ""};
	kwj_get_string(c, body, "stem", NULL, KWJ_REQUIRED, PAPER_MAX_STEM, &cells[0]);
	kwj_get_string(c, body, "type", NULL, KWJ_REQUIRED, 20, &cells[1]);
	kwj_get_string(c, body, "answer", NULL, KWJ_REQUIRED, 20, &cells[6]);
	kwj_get_string(c, body, "kind", NULL, KWJ_REQUIRED, 20, &cells[7]);
	json_object *opts = NULL;
	if (json_object_object_get_ex(body, "options", &opts) && opts &&
	    !json_object_is_type(opts, json_type_array)) {
		kw_field_error(c, "options", 0, "type", "选项应为数组");
	} else if (opts) {
		size_t n = json_object_array_length(opts);
		if (n > 4)
			kw_field_error(c, "options", 0, "R16", "选项最多 4 个");
		for (size_t i = 0; i < n && i < 4; i++) {
			json_object *v = json_object_array_get_idx(opts, i);
			if (v && !json_object_is_type(v, json_type_string))
				kw_field_error(c, arena_printf(c->a, "options[%zu]", i), 0, "type",
					       "选项应为文字");
			else
				cells[2 + i] = v ? json_object_get_string(v) : "";
		}
	}
	bool clear_near = false;
	json_object *nv;
	if (json_object_object_get_ex(body, "near_of", &nv) && nv == NULL)
		clear_near = true;
	if ((err = kw_validation_result(c)))
		return err;
	struct paper_q q;
	struct json_problems jp = {c};
	if (!paper_q_check(c, cells, &q, json_problem, &jp))
		return kw_validation_result(c);

	const char *ids = db_ltoa(c, id);
	PGresult *dup = db_query(c, &q_dup_of, &err, ids, q.norm);
	if (!dup)
		return err;
	if (PQntuples(dup))
		return kw_fail(
		    c, KW_ECONFLICT,
		    arena_printf(c->a, "题库中已有相同的试题（编号 %s）", PQgetvalue(dup, 0, 0)));
	const char *now = kw_now_text(c);
	PGresult *res =
	    db_query(c, &q_update, &err, ids, paper_type_codes[q.type], paper_kind_codes[q.kind],
		     q.stem, paper_pg_text_array(c, q.opt, (size_t)q.nopt), q.answer, q.norm, now,
		     clear_near ? "true" : "false");
	if (!res)
		return err;
	json_object *detail = kwj_own(c, json_object_new_object());
	json_object *before = json_object_new_object();
	kwj_add_str(before, "type", db_val(row, 0, "type"));
	kwj_add_str(before, "kind", db_val(row, 0, "kind"));
	kwj_add_str(before, "stem", db_val(row, 0, "stem"));
	kwj_add_str(before, "options", db_val(row, 0, "options"));
	kwj_add_str(before, "answer", db_val(row, 0, "answer"));
	json_object_object_add(detail, "before", before);
	if ((err = audit_write(c, "bank.question.update", "bank_question", id, detail)))
		return err;
	return db_commit(c);
}

int paper_bank_delete(struct kw_ctx *c, long id)
{
	int err;
	if ((err = db_begin(c)))
		return err;
	PGresult *row;
	if ((err = lock_own(c, id, &row)))
		return err;
	PGresult *res = db_query(c, &q_delete, &err, db_ltoa(c, id));
	if (!res)
		return err;
	json_object *detail = kwj_own(c, json_object_new_object());
	kwj_add_str(detail, "stem", db_val(row, 0, "stem"));
	if ((err = audit_write(c, "bank.question.delete", "bank_question", id, detail)))
		return err;
	return db_commit(c);
}
