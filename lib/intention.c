/* intention.c - 报名意向表: candidates state, replace and withdraw intentions; the center counts
 * them per region x occupation x level and forwards a region's counts to its stations (站内信). */
#include "intention.h"

#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "core/clock.h"
#include "core/json.h"
#include "db/db.h"
#include "message.h"
#include "ref.h"

/* Region code x (a column) is r or lies inside r (GB/T 2260: province XX0000, city XXXX00). */
#define INSIDE(x, r)                                                                               \
	"(" x " = " r " OR left(" x ", 2) || '0000' = " r " OR left(" x ", 4) || '00' = " r ")"

/* Regions with their full names ("北京市 大兴区"; the municipalities' 市辖区 / 县 level left out).
 */
#define REGION_FULL                                                                                   \
	"(SELECT r.code, concat_ws(' ', p2.name, CASE WHEN p1.name IN ('市辖区', '县') THEN NULL" \
	" ELSE p1.name END, r.name) AS name FROM regions r"                                           \
	" LEFT JOIN regions p1 ON p1.code = r.parent_code"                                            \
	" LEFT JOIN regions p2 ON p2.code = p1.parent_code)"

#define COLS                                                                                       \
	"SELECT i.id, i.occupation_id, oc.name AS occupation_name, i.level, i.region_code,"        \
	" rg.name AS region_name, to_char(i.expected_month, 'YYYY-MM') AS expected_month,"         \
	" kw_ts(i.created_at) AS created_at, kw_ts(i.updated_at) AS updated_at"                    \
	" FROM intentions i JOIN occupations oc ON oc.id = i.occupation_id"                        \
	" JOIN " REGION_FULL " rg ON rg.code = i.region_code"

static struct db_stmt q_upsert =
    DB_STMT("intention_upsert",
	    "INSERT INTO intentions (candidate_id, account_id, occupation_id, level, region_code,"
	    " expected_month, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)"
	    " ON CONFLICT (candidate_id, occupation_id, level) DO UPDATE SET region_code = $5,"
	    " expected_month = $6, updated_at = $7, account_id = $2"
	    " RETURNING id, (xmax <> 0) AS replaced");
static struct db_stmt q_get =
    DB_STMT("intention_get", COLS " WHERE i.id = $1 AND i.account_id = $2");
static struct db_stmt q_mine = DB_STMT(
    "intention_mine", COLS " WHERE i.account_id = $1 ORDER BY i.updated_at DESC, i.id DESC");
static struct db_stmt q_delete =
    DB_STMT("intention_delete", "DELETE FROM intentions WHERE id = $1 AND account_id = $2"
				" RETURNING occupation_id, level, region_code");
static struct db_stmt q_month_range =
    DB_STMT("intention_month_range",
	    "SELECT $1::date >= date_trunc('month', $2::date)"
	    " AND $1::date <= date_trunc('month', $2::date) + make_interval(months => $3::int)");

/* The filter both summaries share: $1 year (0: any), $2 region ('' : all). */
#define SUMMARY_FROM                                                                               \
	" FROM intentions i JOIN " REGION_FULL " rg ON rg.code = i.region_code"                    \
	" JOIN occupations oc ON oc.id = i.occupation_id"                                          \
	" WHERE ($1::int = 0 OR extract(year FROM i.expected_month) = $1::int)"                    \
	" AND ($2::text = '' OR " INSIDE(                                                          \
	    "i.region_code", "$2::text") ")"                                                       \
					 " GROUP BY GROUPING SETS ((i.region_code, rg.name, "      \
					 "i.occupation_id, oc.name, oc.sort,"                      \
					 " i.level), (i.region_code, rg.name), ())"                \
					 " ORDER BY i.region_code NULLS LAST, (i.occupation_id "   \
					 "IS NULL), oc.sort, i.occupation_id,"                     \
					 " i.level DESC"

static struct db_stmt q_summary = DB_STMT(
    "intention_summary", "SELECT i.region_code, rg.name AS region_name, i.occupation_id,"
			 " oc.name AS occupation_name, i.level, count(*) AS n" SUMMARY_FROM);
/* $3: the level labels as a text array, indexed by level. */
static struct db_stmt q_summary_rows = DB_STMT(
    "intention_summary_rows",
    "SELECT CASE WHEN i.region_code IS NULL THEN '合计' ELSE rg.name || '（' || i.region_code"
    " || '）' END, CASE WHEN i.region_code IS NULL THEN '' WHEN i.occupation_id IS NULL THEN"
    " '小计' ELSE oc.name END, coalesce(($3::text[])[i.level], ''), count(*)" SUMMARY_FROM);

static struct db_stmt q_region_name =
    DB_STMT("intention_region_name", "SELECT name FROM " REGION_FULL " rg WHERE code = $1");
/* The stations serving region $1: theirs is it, inside it, or holds it. */
static struct db_stmt q_stations = DB_STMT(
    "intention_stations",
    "SELECT id, name FROM orgs WHERE kind = 'station' AND NOT frozen AND region_code IS NOT NULL"
    " AND (" INSIDE("region_code", "$1::text") " OR " INSIDE(
	"$1::text", "region_code") ")"
				   " ORDER BY code FOR SHARE");

/* The caller must be a candidate. */
static int need_candidate(struct kw_ctx *c)
{
	if (c->user.candidate_id <= 0)
		return kw_fail(c, KW_EFORBIDDEN, "只有考生可以填写报名意向");
	return KW_OK;
}

/* One intention row as JSON (a new reference). */
static json_object *intention_json(const PGresult *r, int i)
{
	json_object *o = json_object_new_object();
	kwj_add_int(o, "id", db_long(r, i, "id"));
	json_object_object_add(
	    o, "occupation",
	    kwj_id_name(db_long(r, i, "occupation_id"), db_val(r, i, "occupation_name")));
	int level = (int)db_long(r, i, "level");
	kwj_add_int(o, "level", level);
	kwj_add_str(o, "level_text", ref_level_label(level));
	json_object *rg = json_object_new_object();
	kwj_add_str(rg, "code", db_val(r, i, "region_code"));
	kwj_add_str(rg, "name", db_val(r, i, "region_name"));
	json_object_object_add(o, "region", rg);
	kwj_add_str(o, "expected_month", db_val(r, i, "expected_month"));
	kwj_add_str(o, "created_at", db_val(r, i, "created_at"));
	kwj_add_str(o, "updated_at", db_val(r, i, "updated_at"));
	return o;
}

/* Check a region code given as field; true when it names a region (field error otherwise). */
static bool region_ok(struct kw_ctx *c, const char *code, const char *field, int *err)
{
	bool exists = false;
	if (!code)
		return false;
	if (strlen(code) != 6 || strspn(code, "0123456789") != 6) {
		kw_field_error(c, field, 0, "region", "区域代码应为 6 位数字");
		return false;
	}
	if ((*err = ref_region_exists(c, code, &exists)))
		return false;
	if (!exists)
		kw_field_error(c, field, 0, "region", "没有这个区域");
	return exists;
}

/* "YYYY-MM" -> "YYYY-MM-01" (arena), or NULL when s is not such a month. */
static const char *month_date(struct kw_ctx *c, const char *s)
{
	if (!s || strlen(s) != 7 || s[4] != '-' || strspn(s, "0123456789") != 4 ||
	    strspn(s + 5, "0123456789") != 2)
		return NULL;
	int m = atoi(s + 5);
	if (m < 1 || m > 12)
		return NULL;
	return arena_printf(c->a, "%s-01", s);
}

int intention_save(struct kw_ctx *c, json_object *body, long *id, bool *replaced)
{
	int err;
	if ((err = need_candidate(c)))
		return err;
	if (!body || !json_object_is_type(body, json_type_object))
		return kw_fail(c, KW_EBADREQ, "请求内容应为 JSON 对象");
	long occ = 0, level = 0;
	const char *region = NULL, *month = NULL;
	bool have_occ =
	    kwj_get_int(c, body, "occupation_id", NULL, KWJ_REQUIRED, 1, 2147483647L, &occ);
	bool have_level = kwj_get_int(c, body, "level", NULL, KWJ_REQUIRED, 1, 5, &level);
	kwj_get_string(c, body, "region", NULL, KWJ_REQUIRED, 6, &region);
	kwj_get_string(c, body, "expected_month", NULL, KWJ_REQUIRED, 7, &month);

	if (have_occ && occ) {
		struct ref_occupation o;
		if ((err = ref_occupation_get(c, occ, &o)))
			return err;
		if (!o.id)
			kw_field_error(c, "occupation_id", 0, "occupation", "没有这个职业（工种）");
		else if (have_level && level && !(o.levels & (1u << level)))
			kw_field_error(
			    c, "level", 0, "level",
			    arena_printf(c->a, "%s没有%s", o.name, ref_level_label((int)level)));
	}
	err = KW_OK;
	region_ok(c, region, "region", &err);
	if (err)
		return err;
	const char *mdate = NULL;
	if (month) {
		char today[16];
		kw_format_date(c->now, today, sizeof(today));
		if (!(mdate = month_date(c, month))) {
			kw_field_error(c, "expected_month", 0, "format",
				       "预计报考时间应为年月，如 2027-03");
		} else {
			PGresult *r = db_query(c, &q_month_range, &err, mdate, today,
					       db_ltoa(c, INTENTION_MAX_AHEAD));
			if (!r)
				return err;
			if (strcmp(PQgetvalue(r, 0, 0), "t"))
				kw_field_error(c, "expected_month", 0, "range",
					       arena_printf(c->a,
							    "预计报考时间应在本月至 %d 个月之内",
							    INTENTION_MAX_AHEAD));
		}
	}
	if ((err = kw_validation_result(c)))
		return err;

	if ((err = db_begin(c)))
		return err;
	PGresult *r =
	    db_query(c, &q_upsert, &err, db_ltoa(c, c->user.candidate_id), db_ltoa(c, c->user.id),
		     db_ltoa(c, occ), db_ltoa(c, level), region, mdate, kw_now_text(c));
	if (!r)
		return err;
	*id = strtol(PQgetvalue(r, 0, 0), NULL, 10);
	*replaced = !strcmp(PQgetvalue(r, 0, 1), "t");
	json_object *detail = kwj_own(c, json_object_new_object());
	kwj_add_int(detail, "occupation_id", occ);
	kwj_add_int(detail, "level", level);
	kwj_add_str(detail, "region", region);
	kwj_add_str(detail, "expected_month", month);
	kwj_add_bool(detail, "replaced", *replaced);
	if ((err = audit_write(c, "intention.save", "intention", *id, detail)))
		return err;
	return db_commit(c);
}

int intention_get(struct kw_ctx *c, long id, json_object **out)
{
	int err;
	PGresult *r = db_query(c, &q_get, &err, db_ltoa(c, id), db_ltoa(c, c->user.id));
	if (!r)
		return err;
	if (!PQntuples(r))
		return kw_fail(c, KW_ENOTFOUND, "报名意向不存在");
	*out = kwj_own(c, intention_json(r, 0));
	return KW_OK;
}

int intention_mine(struct kw_ctx *c, json_object **items)
{
	int err;
	PGresult *r = db_query(c, &q_mine, &err, db_ltoa(c, c->user.id));
	if (!r)
		return err;
	json_object *a = kwj_own(c, json_object_new_array());
	for (int i = 0; i < PQntuples(r); i++)
		json_object_array_add(a, intention_json(r, i));
	*items = a;
	return KW_OK;
}

int intention_delete(struct kw_ctx *c, long id)
{
	int err;
	if ((err = db_begin(c)))
		return err;
	PGresult *r = db_query(c, &q_delete, &err, db_ltoa(c, id), db_ltoa(c, c->user.id));
	if (!r)
		return err;
	if (!PQntuples(r))
		return kw_fail(c, KW_ENOTFOUND, "报名意向不存在");
	json_object *detail = kwj_own(c, json_object_new_object());
	kwj_add_int(detail, "occupation_id", db_long(r, 0, "occupation_id"));
	kwj_add_int(detail, "level", db_long(r, 0, "level"));
	kwj_add_str(detail, "region", db_val(r, 0, "region_code"));
	if ((err = audit_write(c, "intention.delete", "intention", id, detail)))
		return err;
	return db_commit(c);
}

/* Check the summary's filters: year ("" / NULL: any) and region; *y is the year as text. */
static int summary_filter(struct kw_ctx *c, const char *year, const char *region, const char **y)
{
	int err = KW_OK;
	*y = "0";
	if (year && *year) {
		char *end;
		long v = strtol(year, &end, 10);
		if (*end || v < 2000 || v > 2100)
			kw_field_error(c, "year", 0, "range", "年份应为 2000–2100");
		else
			*y = db_ltoa(c, v);
	}
	if (region && *region)
		region_ok(c, region, "region", &err);
	if (err)
		return err;
	return kw_validation_result(c);
}

/* A {"code", "name"} of a region (a new reference); name looked up when not given. */
static json_object *region_json(struct kw_ctx *c, const char *code, const char *name)
{
	if (!name) {
		int err;
		PGresult *r = db_query(c, &q_region_name, &err, code);
		name = r && PQntuples(r) ? PQgetvalue(r, 0, 0) : code;
	}
	json_object *o = json_object_new_object();
	kwj_add_str(o, "code", code);
	kwj_add_str(o, "name", name);
	return o;
}

int intention_summary(struct kw_ctx *c, const char *year, const char *region, json_object **out)
{
	const char *y;
	int err = summary_filter(c, year, region, &y);
	if (err)
		return err;
	PGresult *r = db_query(c, &q_summary, &err, y, region ? region : "");
	if (!r)
		return err;
	json_object *o = kwj_own(c, json_object_new_object());
	if (strcmp(y, "0"))
		kwj_add_int(o, "year", atol(y));
	else
		json_object_object_add(o, "year", NULL);
	json_object_object_add(o, "region",
			       region && *region ? region_json(c, region, NULL) : NULL);
	json_object *items = json_object_new_array(), *regions = json_object_new_array();
	long total = 0;
	for (int i = 0; i < PQntuples(r); i++) {
		long n = db_long(r, i, "n");
		if (PQgetisnull(r, i, 0)) {
			total = n;
			continue;
		}
		json_object *e = json_object_new_object();
		json_object_object_add(
		    e, "region",
		    region_json(c, db_val(r, i, "region_code"), db_val(r, i, "region_name")));
		if (PQgetisnull(r, i, 2)) {
			kwj_add_int(e, "count", n);
			json_object_array_add(regions, e);
			continue;
		}
		json_object_object_add(
		    e, "occupation",
		    kwj_id_name(db_long(r, i, "occupation_id"), db_val(r, i, "occupation_name")));
		int level = (int)db_long(r, i, "level");
		kwj_add_int(e, "level", level);
		kwj_add_str(e, "level_text", ref_level_label(level));
		kwj_add_int(e, "count", n);
		json_object_array_add(items, e);
	}
	json_object_object_add(o, "items", items);
	json_object_object_add(o, "regions", regions);
	kwj_add_int(o, "total", total);
	*out = o;
	return KW_OK;
}

/* The level labels as a PostgreSQL text array indexed by level ({高级技师/一级,…}). */
static const char *level_labels(struct kw_ctx *c)
{
	return arena_printf(c->a, "{%s,%s,%s,%s,%s}", ref_level_label(1), ref_level_label(2),
			    ref_level_label(3), ref_level_label(4), ref_level_label(5));
}

int intention_summary_rows(struct kw_ctx *c, const char *year, const char *region,
			   struct db_rows **rows)
{
	const char *y;
	int err = summary_filter(c, year, region, &y);
	if (err)
		return err;
	return db_rows_query(c, &q_summary_rows, rows, y, region ? region : "", level_labels(c));
}

/* The 站内信 text of a forwarded list, at most 500 characters (the messages table's limit). */
static const char *forward_text(struct kw_ctx *c, const char *region_name, const PGresult *r,
				long total)
{
	const char *head =
	    arena_printf(c->a, "中心转来%s的报名意向，共 %ld 人：", region_name, total);
	const char *tail = "。请据此安排考试计划。";
	size_t cap = 500, used = (size_t)kw_utf8_len(head, strlen(head)) +
				 (size_t)kw_utf8_len(tail, strlen(tail));
	const char *text = head;
	int shown = 0, rows = 0;
	for (int i = 0; i < PQntuples(r); i++) {
		if (PQgetisnull(r, i, 2))
			continue; /* subtotals and the total */
		rows++;
		const char *part = arena_printf(
		    c->a, "%s%s·%s %ld 人", shown ? "；" : "", db_val(r, i, "occupation_name"),
		    ref_level_label((int)db_long(r, i, "level")), db_long(r, i, "n"));
		size_t n = (size_t)kw_utf8_len(part, strlen(part));
		if (used + n + 8 > cap)
			continue;
		used += n;
		text = arena_printf(c->a, "%s%s", text, part);
		shown++;
	}
	if (shown < rows)
		text = arena_printf(c->a, "%s等 %d 项", text, rows);
	return arena_printf(c->a, "%s%s", text, tail);
}

int intention_forward(struct kw_ctx *c, json_object *body, json_object **out)
{
	int err;
	if (!body || !json_object_is_type(body, json_type_object))
		return kw_fail(c, KW_EBADREQ, "请求内容应为 JSON 对象");
	const char *region = NULL, *year = NULL, *y;
	long yv = 0;
	kwj_get_string(c, body, "region", NULL, KWJ_REQUIRED, 6, &region);
	if (kwj_get_int(c, body, "year", NULL, KWJ_OPTIONAL, 2000, 2100, &yv) && yv)
		year = db_ltoa(c, yv);
	if (!region)
		return kw_validation_result(c);
	if ((err = summary_filter(c, year, region, &y)))
		return err;

	if ((err = db_begin(c)))
		return err;
	PGresult *r = db_query(c, &q_summary, &err, y, region);
	if (!r)
		return err;
	long total = 0;
	for (int i = 0; i < PQntuples(r); i++)
		if (PQgetisnull(r, i, 0))
			total = db_long(r, i, "n");
	if (!total)
		return kw_fail(c, KW_ECONFLICT, "该区域还没有考生填写报名意向，无需转发");
	PGresult *st = db_query(c, &q_stations, &err, region);
	if (!st)
		return err;
	if (!PQntuples(st))
		return kw_fail(c, KW_ECONFLICT, "该区域没有鉴定站，无法转发");
	json_object *rg = kwj_own(c, region_json(c, region, NULL));
	const char *rname = json_object_get_string(json_object_object_get(rg, "name"));
	const char *text = forward_text(c, rname, r, total);
	json_object *names = kwj_own(c, json_object_new_array()),
		    *ids = kwj_own(c, json_object_new_array());
	for (int i = 0; i < PQntuples(st); i++) {
		long sid = db_long(st, i, "id");
		if ((err = message_send(c, sid, NULL, 0, text, NULL)))
			return err;
		json_object_array_add(names, json_object_new_string(db_val(st, i, "name")));
		json_object_array_add(ids, json_object_new_int64(sid));
	}
	json_object *detail = kwj_own(c, json_object_new_object());
	kwj_add_str(detail, "region", region);
	kwj_add_int(detail, "intentions", total);
	kwj_put(detail, "station_ids", ids);
	if ((err = audit_write(c, "intention.forward", "region", atol(region), detail)))
		return err;
	if ((err = db_commit(c)))
		return err;
	json_object *o = kwj_own(c, json_object_new_object());
	kwj_put(o, "region", rg);
	kwj_add_int(o, "intentions", total);
	kwj_add_int(o, "stations", PQntuples(st));
	kwj_put(o, "station_names", names);
	kwj_add_str(o, "text", text);
	*out = o;
	return KW_OK;
}
