/* ref.c - reference data: occupations, levels, categories, regions (see ref.h). */
#include "ref.h"

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "db/db.h"

static const struct {
	const char *name, *grade, *label;
} levels[] = {
    [1] = {"高级技师", "一级", "高级技师/一级"}, [2] = {"技师", "二级", "技师/二级"},
    [3] = {"高级", "三级", "高级/三级"},	 [4] = {"中级", "四级", "中级/四级"},
    [5] = {"初级", "五级", "初级/五级"},
};

const char *ref_level_name(int level)
{
	return level >= 1 && level <= 5 ? levels[level].name : NULL;
}

const char *ref_level_grade(int level)
{
	return level >= 1 && level <= 5 ? levels[level].grade : NULL;
}

const char *ref_level_label(int level)
{
	return level >= 1 && level <= 5 ? levels[level].label : NULL;
}

const char *ref_category_name(const char *code)
{
	if (!code)
		return NULL;
	if (!strcmp(code, "national"))
		return "国家职业技能鉴定";
	if (!strcmp(code, "industry"))
		return "行业能力水平评价";
	return NULL;
}

json_object *ref_levels_json(struct kw_ctx *c)
{
	json_object *a = json_object_new_array();
	for (int l = 5; l >= 1; l--) {
		json_object *o = json_object_new_object();
		kwj_add_int(o, "code", l);
		kwj_add_str(o, "name", levels[l].name);
		kwj_add_str(o, "grade", levels[l].grade);
		kwj_add_str(o, "label", levels[l].label);
		json_object_array_add(a, o);
	}
	return kwj_own(c, a);
}

json_object *ref_categories_json(struct kw_ctx *c)
{
	static const char *codes[] = {"national", "industry"};
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < 2; i++) {
		json_object *o = json_object_new_object();
		kwj_add_str(o, "code", codes[i]);
		kwj_add_str(o, "name", ref_category_name(codes[i]));
		json_object_array_add(a, o);
	}
	return kwj_own(c, a);
}

/* Each row is one occupation as JSON text, built by PostgreSQL (so escaping is its job). */
static struct db_stmt q_occupations = DB_STMT(
    "ref_occupations",
    "SELECT json_build_object('id', o.id, 'name', o.name, 'categories', o.categories,"
    " 'levels', (SELECT array_agg(l ORDER BY l DESC) FROM unnest(o.levels) l),"
    " 'aliases', o.aliases,"
    " 'directions', coalesce((SELECT json_agg(json_build_object('id', d.id, 'name', d.name,"
    "   'aliases', d.aliases) ORDER BY d.sort) FROM occupations d WHERE d.parent_id = o.id),"
    "   '[]'::json))::text"
    " FROM occupations o"
    " WHERE o.parent_id IS NULL"
    " AND ($1::text IS NULL OR $1 = ANY (o.categories))"
    " AND ($2::text IS NULL OR strpos(o.name, $2) > 0"
    "  OR EXISTS (SELECT 1 FROM unnest(o.aliases) a WHERE strpos(a, $2) > 0)"
    "  OR EXISTS (SELECT 1 FROM occupations d WHERE d.parent_id = o.id AND (strpos(d.name, $2) > 0"
    "   OR EXISTS (SELECT 1 FROM unnest(d.aliases) a WHERE strpos(a, $2) > 0))))"
    " ORDER BY o.sort, o.id");

/* Parse one JSON text PostgreSQL produced; a new reference (never NULL). */
static json_object *pg_json(const char *text)
{
	json_object *o = json_tokener_parse(text);
	return o ? o : json_object_new_object();
}

int ref_occupations(struct kw_ctx *c, const char *q, const char *category, json_object **items)
{
	int err;
	*items = NULL;
	if (category && !*category)
		category = NULL;
	if (category && !ref_category_name(category)) {
		kw_field_error(c, "category", 0, "category", "类别应为 national 或 industry");
		return KW_EVALIDATION;
	}
	if (q && !*q)
		q = NULL;
	PGresult *res = db_query_ro(c, &q_occupations, &err, category, q);
	if (!res)
		return err;
	json_object *a = kwj_own(c, json_object_new_array());
	for (int i = 0; i < PQntuples(res); i++)
		json_object_array_add(a, pg_json(PQgetvalue(res, i, 0)));
	*items = a;
	return KW_OK;
}

static struct db_stmt q_occupation_find = DB_STMT(
    "ref_occupation_find", "SELECT id FROM occupations WHERE name = $1 OR $1 = ANY (aliases)"
			   " ORDER BY (name = $1) DESC, id LIMIT 1");

int ref_occupation_find(struct kw_ctx *c, const char *name, long *id)
{
	int err;
	*id = 0;
	if (!name || !*name)
		return KW_OK;
	PGresult *res = db_query(c, &q_occupation_find, &err, name);
	if (!res)
		return err;
	if (PQntuples(res))
		*id = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	return KW_OK;
}

static struct db_stmt q_occupation_get = DB_STMT(
    "ref_occupation_get", "SELECT id, parent_id, name, 'national' = ANY (categories) AS national,"
			  " 'industry' = ANY (categories) AS industry,"
			  " (SELECT coalesce(sum(1 << l), 0) FROM unnest(levels) l) AS level_bits"
			  " FROM occupations WHERE id = $1");

int ref_occupation_get(struct kw_ctx *c, long id, struct ref_occupation *out)
{
	int err;
	memset(out, 0, sizeof(*out));
	if (id <= 0 || id > 2147483647L)
		return KW_OK;
	PGresult *res = db_query(c, &q_occupation_get, &err, arena_printf(c->a, "%ld", id));
	if (!res)
		return err;
	if (!PQntuples(res))
		return KW_OK;
	out->id = id;
	out->parent_id = PQgetisnull(res, 0, 1) ? 0 : strtol(PQgetvalue(res, 0, 1), NULL, 10);
	out->name = PQgetvalue(res, 0, 2);
	out->national = PQgetvalue(res, 0, 3)[0] == 't';
	out->industry = PQgetvalue(res, 0, 4)[0] == 't';
	out->levels = (unsigned)strtoul(PQgetvalue(res, 0, 5), NULL, 10);
	return KW_OK;
}

#define REGION_COLS                                                                                \
	"SELECT r.code, r.name, r.level, r.parent_code,"                                           \
	" EXISTS (SELECT 1 FROM regions k WHERE k.parent_code = r.code) AS has_children"           \
	" FROM regions r "

static struct db_stmt q_regions_top =
    DB_STMT("ref_regions_top", REGION_COLS "WHERE r.parent_code IS NULL ORDER BY r.code");
static struct db_stmt q_regions_under =
    DB_STMT("ref_regions_under", REGION_COLS "WHERE r.parent_code = $1 ORDER BY r.code");
static struct db_stmt q_region_exists =
    DB_STMT("ref_region_exists", "SELECT 1 FROM regions WHERE code = $1");

static bool six_digits(const char *s)
{
	if (!s || strlen(s) != 6)
		return false;
	for (int i = 0; i < 6; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

int ref_regions(struct kw_ctx *c, const char *parent, json_object **items)
{
	int err;
	PGresult *res;
	*items = NULL;
	if (parent && !*parent)
		parent = NULL;
	if (parent) {
		if (!six_digits(parent)) {
			kw_field_error(c, "parent", 0, "format", "行政区划代码应为 6 位数字");
			return KW_EVALIDATION;
		}
		res = db_query(c, &q_region_exists, &err, parent);
		if (!res)
			return err;
		if (!PQntuples(res))
			return kw_fail(c, KW_ENOTFOUND, "行政区划不存在");
		res = db_query_ro(c, &q_regions_under, &err, parent);
	} else {
		res = db_query0_ro(c, &q_regions_top, &err);
	}
	if (!res)
		return err;
	int f_code = PQfnumber(res, "code"), f_name = PQfnumber(res, "name"),
	    f_level = PQfnumber(res, "level"), f_parent = PQfnumber(res, "parent_code"),
	    f_kids = PQfnumber(res, "has_children");
	json_object *a = kwj_own(c, json_object_new_array());
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *o = json_object_new_object();
		kwj_add_str(o, "code", PQgetvalue(res, i, f_code));
		kwj_add_str(o, "name", PQgetvalue(res, i, f_name));
		kwj_add_int(o, "level", strtol(PQgetvalue(res, i, f_level), NULL, 10));
		kwj_add_str(o, "parent_code",
			    PQgetisnull(res, i, f_parent) ? NULL : PQgetvalue(res, i, f_parent));
		kwj_add_bool(o, "has_children", PQgetvalue(res, i, f_kids)[0] == 't');
		json_object_array_add(a, o);
	}
	*items = a;
	return KW_OK;
}

int ref_region_exists(struct kw_ctx *c, const char *code, bool *exists)
{
	int err;
	*exists = false;
	if (!six_digits(code))
		return KW_OK;
	PGresult *res = db_query(c, &q_region_exists, &err, code);
	if (!res)
		return err;
	*exists = PQntuples(res) > 0;
	return KW_OK;
}

static struct db_stmt q_region_path = DB_STMT(
    "ref_region_path", "WITH RECURSIVE up AS ("
		       " SELECT code, name, parent_code, level FROM regions WHERE code = $1"
		       " UNION ALL SELECT r.code, r.name, r.parent_code, r.level FROM regions r"
		       " JOIN up ON r.code = up.parent_code)"
		       " SELECT code, name, level FROM up ORDER BY level");

int ref_region_get(struct kw_ctx *c, const char *code, json_object **out)
{
	int err;
	*out = NULL;
	if (!six_digits(code))
		return kw_fail(c, KW_ENOTFOUND, "行政区划不存在");
	PGresult *res = db_query(c, &q_region_path, &err, code);
	if (!res)
		return err;
	int n = PQntuples(res);
	if (!n)
		return kw_fail(c, KW_ENOTFOUND, "行政区划不存在");
	json_object *o = kwj_own(c, json_object_new_object());
	json_object *path = json_object_new_array();
	char *full = "";
	for (int i = 0; i < n; i++) {
		const char *name = PQgetvalue(res, i, 1);
		json_object *p = json_object_new_object();
		kwj_add_str(p, "code", PQgetvalue(res, i, 0));
		kwj_add_str(p, "name", name);
		json_object_array_add(path, p);
		/* The municipalities' 市辖区 / 县 level is the package's structure, not a place
		 * name. */
		if (i > 0 && (!strcmp(name, "市辖区") || !strcmp(name, "县")))
			continue;
		full = *full ? arena_printf(c->a, "%s %s", full, name) : arena_strdup(c->a, name);
	}
	kwj_add_str(o, "code", PQgetvalue(res, n - 1, 0));
	kwj_add_str(o, "name", PQgetvalue(res, n - 1, 1));
	kwj_add_int(o, "level", strtol(PQgetvalue(res, n - 1, 2), NULL, 10));
	kwj_add_str(o, "full_name", full);
	json_object_object_add(o, "path", path);
	*out = o;
	return KW_OK;
}
