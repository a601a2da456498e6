/* org.c - the institution tree: scope, org records, change requests, freezing (see org.h). */
#include "org.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audit.h"
#include "auth.h"
#include "core/clock.h"
#include "core/json.h"
#include "db/db.h"
#include "office/xlsx_writer.h"
#include "message.h"
#include "ref.h"

/* JSON text PostgreSQL produced, as a new reference (an empty object if unreadable). */
static json_object *pg_json(const char *text)
{
	json_object *o = text ? json_tokener_parse(text) : NULL;
	return o ? o : json_object_new_object();
}

/* Request bodies are JSON objects (the handler passes r->json, which may be NULL). */
static int need_object(struct kw_ctx *c, json_object *body)
{
	if (!body || !json_object_is_type(body, json_type_object))
		return kw_fail(c, KW_EBADREQ, "请求内容应为 JSON 对象");
	return KW_OK;
}

static bool streq_null(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* ------------------------------------------------------------------ scope */

void org_scope_of(const struct kw_ctx *c, struct org_scope *s)
{
	unsigned role = c->user.id ? c->user.role : 0;
	long org = c->user.org_id;
	s->root = 0;
	if (role & R_CENTER) {
		s->kind = ORG_SCOPE_ALL;
	} else if ((role & R_LEVEL2) && org > 0) {
		s->kind = ORG_SCOPE_TREE;
		s->root = org;
	} else if ((role & (R_STATION | R_EXPERT)) && org > 0) {
		s->kind = ORG_SCOPE_SELF;
		s->root = org;
	} else {
		s->kind = ORG_SCOPE_NONE;
	}
	static const char *names[] = {"none", "self", "tree", "all"};
	s->kind_param = names[s->kind];
	s->root_param = arena_printf(c->a, "%ld", s->root);
}

static struct db_stmt q_is_child =
    DB_STMT("org_is_child", "SELECT 1 FROM orgs WHERE id = $1 AND parent_id = $2");

int org_check_scope(struct kw_ctx *c, long org_id)
{
	struct org_scope s;
	int err;
	org_scope_of(c, &s);
	if (org_id > 0) {
		if (s.kind == ORG_SCOPE_ALL)
			return KW_OK;
		if ((s.kind == ORG_SCOPE_SELF || s.kind == ORG_SCOPE_TREE) && org_id == s.root)
			return KW_OK;
		if (s.kind == ORG_SCOPE_TREE) {
			PGresult *res =
			    db_query(c, &q_is_child, &err, db_ltoa(c, org_id), s.root_param);
			if (!res)
				return err;
			if (PQntuples(res))
				return KW_OK;
		}
	}
	return kw_fail(c, KW_ENOTFOUND, "机构不存在");
}

/* ------------------------------------------------------------------ fields */

enum fcheck { F_TEXT, F_NAME, F_CODE, F_ORG_TYPE, F_PHONE, F_EMAIL, F_POSTCODE, F_DATE, F_REGION };

/* The text fields of an org, in the order of enum ofield; `request`: an org may ask to change it.
 */
static const struct ofield {
	const char *key;
	const char *label;
	size_t max;
	enum fcheck check;
	bool request;
} ofields[] = {
    {"name", "机构名称", 100, F_NAME, false},
    {"code", "机构代码", 8, F_CODE, false},
    {"org_type", "机构类别", 20, F_ORG_TYPE, false},
    {"builder", "承建单位", 100, F_TEXT, true},
    {"leader_name", "负责人姓名", 50, F_TEXT, true},
    {"contact_name", "联系人姓名", 50, F_TEXT, true},
    {"phone", "电话", 30, F_PHONE, true},
    {"email", "邮箱", 100, F_EMAIL, true},
    {"postcode", "邮编", 6, F_POSTCODE, true},
    {"address", "地址", 200, F_TEXT, true},
    {"valid_until", "有效期至", 10, F_DATE, false},
    {"region_code", "区域范围", 6, F_REGION, false},
};
enum ofield_id {
	OF_NAME,
	OF_CODE,
	OF_ORG_TYPE,
	OF_BUILDER,
	OF_LEADER,
	OF_CONTACT,
	OF_PHONE,
	OF_EMAIL,
	OF_POSTCODE,
	OF_ADDRESS,
	OF_VALID_UNTIL,
	OF_REGION,
	OF_N
};

const char *const org_request_fields[] = {"builder", "leader_name", "contact_name", "phone",
					  "email",   "postcode",    "address",	    NULL};

const char *org_field_label(const char *field)
{
	for (int k = 0; k < OF_N; k++)
		if (field && !strcmp(ofields[k].key, field))
			return ofields[k].label;
	if (field && !strcmp(field, "parent_id"))
		return "上级主管机构";
	if (field && !strcmp(field, "kind"))
		return "机构类型";
	if (field && !strcmp(field, "scopes"))
		return "鉴定范围";
	return NULL;
}

/* Values read from a request body: present[k] when the key was sent; v[k] NULL clears. */
struct org_vals {
	const char *v[OF_N];
	bool present[OF_N];
	bool bad[OF_N]; /* a field error was recorded for it */
};

static bool all_digits(const char *s, size_t n)
{
	if (strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static bool phone_ok(const char *s)
{
	int digits = 0;
	for (const char *p = s; *p; p++) {
		if (isdigit((unsigned char)*p))
			digits++;
		else if (!strchr("-+() ", *p))
			return false;
	}
	return digits >= 7 && digits <= 20;
}

static bool email_ok(const char *s)
{
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@'))
		return false;
	const char *dot = strrchr(at + 1, '.');
	if (!dot || dot == at + 1 || !dot[1])
		return false;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || strchr("<>()[],;:\\\"", *p))
			return false;
	return true;
}

static bool date_ok(const char *s)
{
	time_t t;
	return strlen(s) == 10 && kw_parse_time(s, &t);
}

/* Check one non-empty value's format; records a field error and returns false when wrong. */
static bool check_format(struct kw_ctx *c, int k, const char *s)
{
	const char *key = ofields[k].key, *msg = NULL, *rule = "format";
	switch (ofields[k].check) {
	case F_NAME:
		if (kw_utf8_len(s, strlen(s)) < 2) {
			msg = "机构名称至少 2 个字";
			rule = "length";
		}
		break;
	case F_CODE:
		if (!all_digits(s, 8))
			msg = "机构代码应为 8 位数字";
		break;
	case F_PHONE:
		if (!phone_ok(s))
			msg = "电话格式不正确，例如 010-12345678 或 13800000000";
		break;
	case F_EMAIL:
		if (!email_ok(s))
			msg = "邮箱格式不正确，例如 name@example.com";
		break;
	case F_POSTCODE:
		if (!all_digits(s, 6))
			msg = "邮编应为 6 位数字";
		break;
	case F_DATE:
		if (!date_ok(s))
			msg = "日期格式应为 YYYY-MM-DD";
		break;
	case F_REGION:
		if (!all_digits(s, 6))
			msg = "区域范围应为 6 位行政区划代码";
		break;
	case F_TEXT:
	case F_ORG_TYPE:
		break;
	}
	if (msg)
		kw_field_error(c, key, 0, rule, msg);
	return msg == NULL;
}

/* Read the fields of ofields that body has (only the `request` ones when request_only). */
static void read_fields(struct kw_ctx *c, json_object *body, struct org_vals *in, bool request_only)
{
	for (int k = 0; k < OF_N; k++) {
		json_object *v;
		if (request_only && !ofields[k].request)
			continue;
		if (!json_object_object_get_ex(body, ofields[k].key, &v))
			continue;
		in->present[k] = true;
		if (!v)
			continue; /* JSON null: clear */
		const char *s = NULL;
		if (!kwj_get_string(c, body, ofields[k].key, NULL, KWJ_OPTIONAL, ofields[k].max,
				    &s)) {
			in->bad[k] = true;
			continue;
		}
		if (s && *s) {
			if (check_format(c, k, s))
				in->v[k] = s;
			else
				in->bad[k] = true;
		}
	}
}

/* Required fields: present-and-empty or (when must_have) absent is an error. */
static void require_field(struct kw_ctx *c, struct org_vals *in, int k, bool must_have)
{
	if (in->bad[k] || in->v[k])
		return;
	if (in->present[k] || must_have) {
		kw_field_error(c, ofields[k].key, 0, "required",
			       arena_printf(c->a, "请填写%s", ofields[k].label));
		in->bad[k] = true;
	}
}

static const char *kind_text(const char *kind)
{
	if (!kind)
		return NULL;
	if (!strcmp(kind, "center"))
		return "中心";
	if (!strcmp(kind, "level2"))
		return "二级机构";
	if (!strcmp(kind, "station"))
		return "鉴定站";
	return NULL;
}

/* 机构类别 allowed per kind; the first is the default. */
static const char *const types_level2[] = {"分中心", "管理站", "实训基地", NULL};
static const char *const types_station[] = {"鉴定站", "评价机构", NULL};
static const char *const types_center[] = {"中心", NULL};

static const char *const *types_of(const char *kind)
{
	if (!kind)
		return NULL;
	if (!strcmp(kind, "level2"))
		return types_level2;
	if (!strcmp(kind, "station"))
		return types_station;
	if (!strcmp(kind, "center"))
		return types_center;
	return NULL;
}

static void check_org_type(struct kw_ctx *c, const char *kind, const char *type)
{
	const char *const *t = types_of(kind);
	if (!t || !type)
		return;
	for (const char *const *p = t; *p; p++)
		if (!strcmp(*p, type))
			return;
	const char *list = t[0];
	for (const char *const *p = t + 1; *p; p++)
		list = arena_printf(c->a, "%s、%s", list, *p);
	kw_field_error(c, "org_type", 0, "org_type",
		       arena_printf(c->a, "%s的机构类别应为%s", kind_text(kind), list));
}

/* ------------------------------------------------------------------ checks against the database */

static struct db_stmt q_parent = DB_STMT("org_parent", "SELECT kind FROM orgs WHERE id = $1");

/* A level-2 org hangs under the center; a station under the center or a level-2 org. */
static int check_parent(struct kw_ctx *c, const char *kind, long parent_id, long self_id)
{
	int err;
	if (!kind || parent_id <= 0)
		return KW_OK;
	if (parent_id == self_id) {
		kw_field_error(c, "parent_id", 0, "parent", "上级主管机构不能是本机构");
		return KW_OK;
	}
	PGresult *res = db_query(c, &q_parent, &err, db_ltoa(c, parent_id));
	if (!res)
		return err;
	const char *pk = PQntuples(res) ? PQgetvalue(res, 0, 0) : NULL;
	if (!pk)
		kw_field_error(c, "parent_id", 0, "parent", "上级主管机构不存在");
	else if (!strcmp(kind, "level2") && strcmp(pk, "center"))
		kw_field_error(c, "parent_id", 0, "parent", "二级机构的上级主管机构应为中心");
	else if (!strcmp(kind, "station") && strcmp(pk, "center") && strcmp(pk, "level2"))
		kw_field_error(c, "parent_id", 0, "parent",
			       "鉴定站的上级主管机构应为中心或二级机构");
	return KW_OK;
}

static struct db_stmt q_name_taken = DB_STMT(
    "org_name_taken", "SELECT EXISTS (SELECT 1 FROM orgs WHERE name = $1 AND id <> $2::bigint)"
		      " OR EXISTS (SELECT 1 FROM accounts WHERE kind = 'org' AND username = $1"
		      "  AND org_id IS DISTINCT FROM $2::bigint)");
static struct db_stmt q_code_taken = DB_STMT(
    "org_code_taken", "SELECT EXISTS (SELECT 1 FROM orgs WHERE code = $1 AND id <> $2::bigint)");

/* Name (the login name too) and code must be unique; self_id is excluded (0 on create). */
static int check_unique(struct kw_ctx *c, const char *name, const char *code, long self_id)
{
	int err;
	PGresult *res;
	if (name) {
		if (!(res = db_query(c, &q_name_taken, &err, name, db_ltoa(c, self_id))))
			return err;
		if (PQgetvalue(res, 0, 0)[0] == 't')
			kw_field_error(c, "name", 0, "unique",
				       "机构名称已被使用（机构名称即登录用户名）");
	}
	if (code) {
		if (!(res = db_query(c, &q_code_taken, &err, code, db_ltoa(c, self_id))))
			return err;
		if (PQgetvalue(res, 0, 0)[0] == 't')
			kw_field_error(c, "code", 0, "unique", "机构代码已被使用");
	}
	return KW_OK;
}

static int check_region(struct kw_ctx *c, const char *code)
{
	bool exists;
	int err;
	if (!code)
		return KW_OK;
	if ((err = ref_region_exists(c, code, &exists)))
		return err;
	if (!exists)
		kw_field_error(c, "region_code", 0, "region", "区域范围不存在");
	return KW_OK;
}

#define MAX_SCOPES 200

/*
 * Read "scopes" ([{"category", "occupation_id"}]) into a normalised array
 * (*out, a new reference; NULL when absent). Each entry names a top-level
 * occupation assessable in its category, once.
 */
static int read_scopes(struct kw_ctx *c, json_object *body, json_object **out)
{
	json_object *a;
	int err;
	*out = NULL;
	if (!json_object_object_get_ex(body, "scopes", &a))
		return KW_OK;
	if (!a) {
		*out = kwj_own(c, json_object_new_array());
		return KW_OK;
	}
	if (!json_object_is_type(a, json_type_array)) {
		kw_field_error(c, "scopes", 0, "type", "鉴定范围应为列表");
		return KW_OK;
	}
	size_t n = json_object_array_length(a);
	if (n > MAX_SCOPES) {
		kw_field_error(c, "scopes", 0, "length",
			       arena_printf(c->a, "鉴定范围最多 %d 项", MAX_SCOPES));
		return KW_OK;
	}
	json_object *norm = kwj_own(c, json_object_new_array());
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(a, i);
		const char *path_cat = arena_printf(c->a, "scopes[%zu].category", i);
		const char *path_occ = arena_printf(c->a, "scopes[%zu].occupation_id", i);
		const char *cat = NULL;
		long occ = 0;
		if (!e || !json_object_is_type(e, json_type_object)) {
			kw_field_error(c, arena_printf(c->a, "scopes[%zu]", i), 0, "type",
				       "应为 {category, occupation_id}");
			continue;
		}
		bool ok = kwj_get_string(c, e, "category", path_cat, KWJ_REQUIRED, 20, &cat);
		if (ok && !ref_category_name(cat)) {
			kw_field_error(
			    c, path_cat, 0, "category",
			    "类别应为 national（国家职业技能鉴定）或 industry（行业能力水平评价）");
			ok = false;
		}
		ok &= kwj_get_int(c, e, "occupation_id", path_occ, KWJ_REQUIRED, 1, INT_MAX, &occ);
		if (!ok)
			continue;
		struct ref_occupation o;
		if ((err = ref_occupation_get(c, occ, &o)))
			return err;
		if (!o.id) {
			kw_field_error(c, path_occ, 0, "occupation", "职业不存在");
			continue;
		}
		if (o.parent_id) {
			kw_field_error(
			    c, path_occ, 0, "occupation",
			    arena_printf(c->a, "%s是职业方向，请选择其所属职业", o.name));
			continue;
		}
		if ((!strcmp(cat, "national") && !o.national) ||
		    (!strcmp(cat, "industry") && !o.industry)) {
			kw_field_error(
			    c, path_occ, 0, "category",
			    arena_printf(c->a, "%s不属于%s", o.name, ref_category_name(cat)));
			continue;
		}
		bool dup = false;
		for (size_t j = 0; j < json_object_array_length(norm); j++) {
			json_object *p = json_object_array_get_idx(norm, j), *pc, *po;
			json_object_object_get_ex(p, "category", &pc);
			json_object_object_get_ex(p, "occupation_id", &po);
			dup |= !strcmp(json_object_get_string(pc), cat) &&
			       json_object_get_int64(po) == occ;
		}
		if (dup) {
			kw_field_error(
			    c, path_occ, 0, "duplicate",
			    arena_printf(c->a, "%s在%s中重复", o.name, ref_category_name(cat)));
			continue;
		}
		json_object *s = json_object_new_object();
		kwj_add_str(s, "category", cat);
		kwj_add_int(s, "occupation_id", occ);
		json_object_array_add(norm, s);
	}
	*out = norm;
	return KW_OK;
}

static struct db_stmt q_scopes_clear =
    DB_STMT("org_scopes_clear", "DELETE FROM org_scopes WHERE org_id = $1");
static struct db_stmt q_scopes_insert =
    DB_STMT("org_scopes_insert",
	    "INSERT INTO org_scopes (org_id, category, occupation_id)"
	    " SELECT $1, x.category, x.occupation_id"
	    " FROM json_to_recordset($2::json) AS x(category text, occupation_id integer)");

/* ------------------------------------------------------------------ reading orgs */

#define ORG_LIST_COLS                                                                              \
	"SELECT o.id, o.kind, o.org_type, o.name, o.code, o.parent_id, p.name AS parent_name,"     \
	" o.leader_name, o.contact_name, o.phone, o.valid_until, o.region_code,"                   \
	" r.name AS region_name, o.frozen"                                                         \
	" FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id"                                      \
	" LEFT JOIN regions r ON r.code = o.region_code"

#define ORG_LIST_WHERE                                                                             \
	" WHERE " ORG_SCOPE_SQL(                                                                   \
	    "o.id", "$1",                                                                          \
	    "$2") " AND ($3::text IS NULL OR strpos(o.name, $3) > 0 OR strpos(o.code, $3) > 0)"    \
		  " AND ($4::text IS NULL OR o.kind = $4)"                                         \
		  " AND ($5::bigint IS NULL OR o.parent_id = $5::bigint)"                          \
		  " AND ($6::boolean IS NULL OR o.frozen = $6::boolean)"

static struct db_stmt q_list =
    DB_STMT("org_list", ORG_LIST_COLS ORG_LIST_WHERE " ORDER BY o.code LIMIT $7 OFFSET $8");
static struct db_stmt q_count = DB_STMT("org_count", "SELECT count(*) FROM orgs o" ORG_LIST_WHERE);

int org_filter_check(struct kw_ctx *c, const struct org_filter *f)
{
	if (f->kind && *f->kind && !kind_text(f->kind))
		kw_field_error(c, "kind", 0, "kind", "机构类型应为 center、level2 或 station");
	if (f->frozen && *f->frozen && strcmp(f->frozen, "true") && strcmp(f->frozen, "false"))
		kw_field_error(c, "frozen", 0, "type", "应为 true 或 false");
	if (f->q && strlen(f->q) > 200)
		kw_field_error(c, "q", 0, "length", "查询条件过长");
	return kw_validation_result(c);
}

static const char *nz(const char *s)
{
	return s && *s ? s : NULL;
}

/* The list item of row i (also the base of the detail). */
static json_object *org_item(struct kw_ctx *c, const PGresult *res, int i, const char *today)
{
	json_object *o = json_object_new_object();
	const char *kind = db_val(res, i, "kind"), *valid = db_val(res, i, "valid_until");
	bool frozen = db_bool(res, i, "frozen");
	kwj_add_int(o, "id", db_long(res, i, "id"));
	kwj_add_str(o, "name", db_val(res, i, "name"));
	kwj_add_str(o, "code", db_val(res, i, "code"));
	kwj_add_str(o, "kind", kind);
	kwj_add_str(o, "kind_text", kind_text(kind));
	kwj_add_str(o, "org_type", db_val(res, i, "org_type"));
	json_object_object_add(
	    o, "parent", kwj_id_name(db_long(res, i, "parent_id"), db_val(res, i, "parent_name")));
	const char *region = db_val(res, i, "region_code");
	json_object *reg = NULL;
	if (region) {
		reg = json_object_new_object();
		kwj_add_str(reg, "code", region);
		kwj_add_str(reg, "name", db_val(res, i, "region_name"));
	}
	json_object_object_add(o, "region", reg);
	kwj_add_str(o, "leader_name", db_val(res, i, "leader_name"));
	kwj_add_str(o, "contact_name", db_val(res, i, "contact_name"));
	kwj_add_str(o, "phone", db_val(res, i, "phone"));
	kwj_add_str(o, "valid_until", valid);
	kwj_add_bool(o, "expired", valid && strcmp(valid, today) < 0);
	kwj_add_bool(o, "frozen", frozen);
	kwj_add_str(o, "status", frozen ? "frozen" : "active");
	kwj_add_str(o, "status_text", frozen ? "已冻结" : "正常");
	(void)c;
	return o;
}

int org_list(struct kw_ctx *c, const struct org_filter *f, long page, long per_page,
	     json_object **items, long *total)
{
	struct org_scope s;
	int err;
	char today[16];
	*items = NULL;
	*total = 0;
	org_scope_of(c, &s);
	kw_format_date(c->now, today, sizeof(today));
	const char *parent = f->parent_id > 0 ? db_ltoa(c, f->parent_id) : NULL;
	PGresult *cnt = db_query(c, &q_count, &err, s.kind_param, s.root_param, nz(f->q),
				 nz(f->kind), parent, nz(f->frozen));
	if (!cnt)
		return err;
	*total = strtol(PQgetvalue(cnt, 0, 0), NULL, 10);
	PGresult *res =
	    db_query(c, &q_list, &err, s.kind_param, s.root_param, nz(f->q), nz(f->kind), parent,
		     nz(f->frozen), db_ltoa(c, per_page), db_ltoa(c, (page - 1) * per_page));
	if (!res)
		return err;
	json_object *a = kwj_own(c, json_object_new_array());
	for (int i = 0; i < PQntuples(res); i++)
		json_object_array_add(a, org_item(c, res, i, today));
	*items = a;
	return KW_OK;
}

/* The columns of the 机构 export, in the order of q_export's result columns. */
const struct xlsx_col org_export_cols[] = {
    {.header = "机构类别", .type = XLSX_TEXT, .width = 10},
    {.header = "机构名称", .type = XLSX_TEXT, .width = 40},
    {.header = "机构代码", .type = XLSX_TEXT, .width = 12},
    {.header = "上级主管机构", .type = XLSX_TEXT, .width = 36},
    {.header = "承建单位", .type = XLSX_TEXT, .width = 30},
    {.header = "负责人姓名", .type = XLSX_TEXT, .width = 10},
    {.header = "联系人", .type = XLSX_TEXT, .width = 10},
    {.header = "电话", .type = XLSX_TEXT, .width = 16},
    {.header = "邮箱", .type = XLSX_TEXT, .width = 26},
    {.header = "邮编", .type = XLSX_TEXT, .width = 8},
    {.header = "地址", .type = XLSX_TEXT, .width = 36},
    {.header = "区域范围", .type = XLSX_TEXT, .width = 14},
    {.header = "有效期至", .type = XLSX_DATE, .width = 12},
    {.header = "状态", .type = XLSX_TEXT, .width = 8},
};
const size_t org_export_ncols = sizeof(org_export_cols) / sizeof(org_export_cols[0]);

static struct db_stmt q_export =
    DB_STMT("org_export",
	    "SELECT o.org_type, o.name, o.code, p.name AS parent_name, o.builder,"
	    " o.leader_name, o.contact_name, o.phone, o.email, o.postcode, o.address,"
	    " r.name AS region_name, o.valid_until::text,"
	    " CASE WHEN o.frozen THEN '已冻结' ELSE '正常' END AS status"
	    " FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id"
	    " LEFT JOIN regions r ON r.code = o.region_code" ORG_LIST_WHERE " ORDER BY o.code");

int org_export_rows(struct kw_ctx *c, const struct org_filter *f, struct db_rows **rows)
{
	struct org_scope s;
	org_scope_of(c, &s);
	return db_rows_query(c, &q_export, rows, s.kind_param, s.root_param, nz(f->q), nz(f->kind),
			     f->parent_id > 0 ? db_ltoa(c, f->parent_id) : NULL, nz(f->frozen));
}

static struct db_stmt q_detail = DB_STMT(
    "org_detail",
    "SELECT o.id, o.kind, o.org_type, o.name, o.code, o.parent_id, p.name AS parent_name,"
    " o.builder, o.leader_name, o.contact_name, o.phone, o.email, o.postcode, o.address,"
    " o.valid_until, o.region_code, o.frozen, kw_ts(o.created_at) AS created_at,"
    " (SELECT a.username FROM accounts a WHERE a.org_id = o.id AND a.role IN ('org2', 'station')"
    "   ORDER BY a.id LIMIT 1) AS username,"
    " (SELECT count(*) FROM orgs k WHERE k.parent_id = o.id) AS children_count,"
    " q.id AS pending_id, kw_ts(q.created_at) AS pending_at"
    " FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id"
    " LEFT JOIN org_change_requests q ON q.org_id = o.id AND q.status = 'pending'"
    " WHERE o.id = $1");
static struct db_stmt q_scopes = DB_STMT(
    "org_scopes", "SELECT s.category, c.id, c.name FROM org_scopes s JOIN occupations c ON c.id ="
		  " s.occupation_id WHERE s.org_id = $1 ORDER BY s.category DESC, c.sort, c.id");

int org_get(struct kw_ctx *c, long id, json_object **out)
{
	int err;
	char today[16];
	*out = NULL;
	if ((err = org_check_scope(c, id)))
		return err;
	PGresult *res = db_query(c, &q_detail, &err, db_ltoa(c, id));
	if (!res)
		return err;
	if (!PQntuples(res))
		return kw_fail(c, KW_ENOTFOUND, "机构不存在");
	kw_format_date(c->now, today, sizeof(today));
	json_object *o = kwj_own(c, org_item(c, res, 0, today));
	kwj_add_str(o, "username", db_val(res, 0, "username"));
	kwj_add_str(o, "builder", db_val(res, 0, "builder"));
	kwj_add_str(o, "email", db_val(res, 0, "email"));
	kwj_add_str(o, "postcode", db_val(res, 0, "postcode"));
	kwj_add_str(o, "address", db_val(res, 0, "address"));
	kwj_add_str(o, "created_at", db_val(res, 0, "created_at"));
	kwj_add_int(o, "children_count", db_long(res, 0, "children_count"));
	json_object *pending = NULL;
	if (db_val(res, 0, "pending_id")) {
		pending = json_object_new_object();
		kwj_add_int(pending, "id", db_long(res, 0, "pending_id"));
		kwj_add_str(pending, "created_at", db_val(res, 0, "pending_at"));
	}
	json_object_object_add(o, "pending_change_request", pending);
	const char *region = db_val(res, 0, "region_code");
	if (region) {
		json_object *reg;
		if ((err = ref_region_get(c, region, &reg)))
			return err;
		kwj_put(o, "region", reg);
	}
	PGresult *sc = db_query(c, &q_scopes, &err, db_ltoa(c, id));
	if (!sc)
		return err;
	json_object *scopes = json_object_new_object();
	json_object *nat = json_object_new_array(), *ind = json_object_new_array();
	json_object_object_add(scopes, "national", nat);
	json_object_object_add(scopes, "industry", ind);
	for (int i = 0; i < PQntuples(sc); i++) {
		json_object *e = json_object_new_object();
		kwj_add_int(e, "id", strtol(PQgetvalue(sc, i, 1), NULL, 10));
		kwj_add_str(e, "name", PQgetvalue(sc, i, 2));
		json_object_array_add(strcmp(PQgetvalue(sc, i, 0), "national") ? ind : nat, e);
	}
	json_object_object_add(o, "scopes", scopes);
	*out = o;
	return KW_OK;
}

/* ------------------------------------------------------------------ create and update */

static struct db_stmt q_insert =
    DB_STMT("org_insert",
	    "INSERT INTO orgs (kind, org_type, name, code, parent_id, builder, leader_name,"
	    " contact_name, phone, email, postcode, address, valid_until, region_code, created_at)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::date, $14, $15)"
	    " RETURNING id");
static struct db_stmt q_account_insert = DB_STMT(
    "org_account_insert",
    "INSERT INTO accounts (kind, username, role, display_name, org_id, email, password_hash,"
    " must_change_password, created_at, initial_password_expires)"
    " VALUES ('org', $1, $2, $1, $3, $4, $5, true, $6,"
    " $6::timestamptz + make_interval(days => $7::int)) RETURNING id");

int org_create(struct kw_ctx *c, json_object *body, long *id, const char **initial_password)
{
	struct org_vals in = {0};
	const char *kind = NULL;
	long parent_id = 0;
	json_object *scopes = NULL;
	int err;
	*id = 0;
	*initial_password = NULL;
	if ((err = need_object(c, body)))
		return err;

	read_fields(c, body, &in, false);
	require_field(c, &in, OF_NAME, true);
	require_field(c, &in, OF_CODE, true);
	if (kwj_get_string(c, body, "kind", NULL, KWJ_REQUIRED, 20, &kind) && kind &&
	    strcmp(kind, "level2") && strcmp(kind, "station")) {
		kw_field_error(c, "kind", 0, "kind",
			       "机构类型应为 level2（二级机构）或 station（鉴定站）");
		kind = NULL;
	}
	kwj_get_int(c, body, "parent_id", NULL, KWJ_REQUIRED, 1, LONG_MAX, &parent_id);
	if (kind && !in.bad[OF_ORG_TYPE]) {
		if (!in.v[OF_ORG_TYPE])
			in.v[OF_ORG_TYPE] = types_of(kind)[0];
		else
			check_org_type(c, kind, in.v[OF_ORG_TYPE]);
	}
	if ((err = read_scopes(c, body, &scopes)) || (err = check_parent(c, kind, parent_id, 0)) ||
	    (err = check_unique(c, in.v[OF_NAME], in.v[OF_CODE], 0)) ||
	    (err = check_region(c, in.v[OF_REGION])))
		return err;
	if ((err = kw_validation_result(c)))
		return err;

	/* The first password is the code (manual 第一部分 一 登录), changed at first login,
	 * or a random one (KAOWU_INITIAL_PASSWORD=random) shown once in the answer. */
	char hash[crypto_pwhash_STRBYTES];
	if ((err = auth_initial_password(c, in.v[OF_CODE], hash, initial_password)))
		return err;

	const char *now = kw_now_text(c);
	if ((err = db_begin(c)))
		return err;
	PGresult *res =
	    db_query(c, &q_insert, &err, kind, in.v[OF_ORG_TYPE], in.v[OF_NAME], in.v[OF_CODE],
		     db_ltoa(c, parent_id), in.v[OF_BUILDER], in.v[OF_LEADER], in.v[OF_CONTACT],
		     in.v[OF_PHONE], in.v[OF_EMAIL], in.v[OF_POSTCODE], in.v[OF_ADDRESS],
		     in.v[OF_VALID_UNTIL], in.v[OF_REGION], now);
	if (!res)
		return err;
	long org_id = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	const char *oid = db_ltoa(c, org_id);
	if (scopes && json_object_array_length(scopes) &&
	    !db_query(c, &q_scopes_insert, &err, oid, kwj_string(scopes, NULL)))
		return err;
	res = db_query(c, &q_account_insert, &err, in.v[OF_NAME],
		       strcmp(kind, "level2") ? "station" : "org2", oid, in.v[OF_EMAIL], hash, now,
		       db_ltoa(c, AUTH_INITIAL_DAYS));
	if (!res)
		return err;
	sodium_memzero(hash, sizeof(hash));

	json_object *detail = kwj_own(c, json_object_new_object());
	kwj_add_str(detail, "name", in.v[OF_NAME]);
	kwj_add_str(detail, "code", in.v[OF_CODE]);
	kwj_add_str(detail, "kind", kind);
	kwj_add_int(detail, "parent_id", parent_id);
	kwj_add_int(detail, "account_id", strtol(PQgetvalue(res, 0, 0), NULL, 10));
	if (scopes)
		kwj_put(detail, "scopes", scopes);
	/* Every issue of an initial password tells the account's org (issue 14 item 1). */
	if ((err = audit_write(c, "org.create", "org", org_id, detail)) ||
	    (err = message_send(
		 c, org_id, NULL, 0,
		 arena_printf(c->a, "本机构账号已开通：初始密码 %d 天内有效，首次登录须修改密码",
			      AUTH_INITIAL_DAYS),
		 NULL)) ||
	    (err = db_commit(c)))
		return err;
	*id = org_id;
	return KW_OK;
}

/* ------------------------------------------------------------------ initial password */

static struct db_stmt q_issuer = DB_STMT(
    "org_issuer", "SELECT o.code, o.name, o.parent_id, p.kind AS parent_kind, a.id AS account_id"
		  " FROM orgs o JOIN orgs p ON p.id = o.parent_id"
		  " JOIN accounts a ON a.org_id = o.id AND a.role IN ('org2', 'station')"
		  " WHERE o.id = $1 FOR UPDATE OF a");

int org_reissue_password(struct kw_ctx *c, long id, json_object **out)
{
	int err;
	if ((err = org_check_scope(c, id)))
		return err;
	PGresult *r = db_query(c, &q_issuer, &err, db_ltoa(c, id));
	if (!r)
		return err;
	if (PQntuples(r) != 1)
		return kw_fail(c, KW_ENOTFOUND, "机构不存在");
	/* The issuing authority: the org's parent (the center, or the station's level-2 org). */
	bool by_center = !strcmp(db_val(r, 0, "parent_kind"), "center");
	if (by_center ? !(c->user.role & R_CENTER)
		      : !(c->user.role & R_LEVEL2) || c->user.org_id != db_long(r, 0, "parent_id"))
		return kw_fail(c, KW_EFORBIDDEN,
			       by_center ? "该机构的初始密码由中心发放"
					 : "该机构的初始密码由其所属二级机构发放");
	const char *code = arena_strdup(c->a, db_val(r, 0, "code"));
	const char *name = arena_strdup(c->a, db_val(r, 0, "name"));
	long account_id = db_long(r, 0, "account_id");
	const char *shown;
	char hash[crypto_pwhash_STRBYTES];
	if ((err = auth_initial_password(c, code, hash, &shown)))
		return err;
	if ((err = db_begin(c)))
		return err;
	if (!(r = db_query(c, &q_issuer, &err, db_ltoa(c, id))))
		return err;
	struct auth_reissue ri = {.account_id = account_id,
				  .hash = hash,
				  .shown = shown,
				  .rule = "org_code",
				  .audit = "org.initial_password",
				  .object_type = "org",
				  .object_id = id,
				  .notify_org = id,
				  .name = name};
	return auth_initial_reissue(c, &ri, out);
}

/* The row as it is, locked for the change; columns named as the ofields keys. */
static struct db_stmt q_lock = DB_STMT(
    "org_lock", "SELECT id, kind, parent_id, frozen, name, code, org_type, builder, leader_name,"
		" contact_name, phone, email, postcode, address, valid_until::text AS valid_until,"
		" region_code FROM orgs WHERE id = $1 FOR UPDATE");
static struct db_stmt q_update =
    DB_STMT("org_update",
	    "UPDATE orgs SET name = $2, code = $3, org_type = $4, builder = $5, leader_name = $6,"
	    " contact_name = $7, phone = $8, email = $9, postcode = $10, address = $11,"
	    " valid_until = $12::date, region_code = $13, parent_id = $14::bigint WHERE id = $1");
/* The org's login accounts keep its email (找回密码 sends the reset mail there). */
static struct db_stmt q_account_email =
    DB_STMT("org_account_email",
	    "UPDATE accounts a SET email = o.email FROM orgs o WHERE o.id = $1 AND a.org_id = o.id"
	    " AND a.role IN ('org2', 'station') AND a.email IS DISTINCT FROM o.email");
static struct db_stmt q_account_rename = DB_STMT(
    "org_account_rename", "UPDATE accounts SET username = $2, display_name = $2 WHERE org_id = $1"
			  " AND role IN ('org2', 'station')");

int org_update(struct kw_ctx *c, long id, json_object *body)
{
	struct org_vals in = {0};
	json_object *scopes = NULL, *v;
	const char *cur[OF_N], *kind = NULL;
	long parent_id = 0;
	int err;

	if ((err = need_object(c, body)) || (err = org_check_scope(c, id)) || (err = db_begin(c)))
		return err;
	PGresult *row = db_query(c, &q_lock, &err, db_ltoa(c, id));
	if (!row)
		return err;
	if (!PQntuples(row))
		return kw_fail(c, KW_ENOTFOUND, "机构不存在");
	const char *cur_kind = db_val(row, 0, "kind");
	long cur_parent = db_long(row, 0, "parent_id");
	for (int k = 0; k < OF_N; k++)
		cur[k] = db_val(row, 0, ofields[k].key);

	read_fields(c, body, &in, false);
	require_field(c, &in, OF_NAME, false);
	require_field(c, &in, OF_CODE, false);
	require_field(c, &in, OF_ORG_TYPE, false);
	if (kwj_get_string(c, body, "kind", NULL, KWJ_OPTIONAL, 20, &kind) && kind &&
	    strcmp(kind, cur_kind))
		kw_field_error(c, "kind", 0, "kind", "机构类型不能修改");
	parent_id = cur_parent;
	if (json_object_object_get_ex(body, "parent_id", &v)) {
		if (!strcmp(cur_kind, "center")) {
			if (v)
				kw_field_error(c, "parent_id", 0, "parent", "中心没有上级主管机构");
		} else if (!v) {
			kw_field_error(c, "parent_id", 0, "required", "请选择上级主管机构");
		} else if (kwj_get_int(c, body, "parent_id", NULL, KWJ_REQUIRED, 1, LONG_MAX,
				       &parent_id) &&
			   parent_id != cur_parent &&
			   (err = check_parent(c, cur_kind, parent_id, id))) {
			return err;
		}
	}
	if (in.v[OF_ORG_TYPE])
		check_org_type(c, cur_kind, in.v[OF_ORG_TYPE]);
	const char *nv[OF_N];
	for (int k = 0; k < OF_N; k++)
		nv[k] = in.present[k] && !in.bad[k] ? in.v[k] : cur[k];
	if ((err = read_scopes(c, body, &scopes)) ||
	    (err = check_unique(c, streq_null(nv[OF_NAME], cur[OF_NAME]) ? NULL : nv[OF_NAME],
				streq_null(nv[OF_CODE], cur[OF_CODE]) ? NULL : nv[OF_CODE], id)) ||
	    (err =
		 check_region(c, streq_null(nv[OF_REGION], cur[OF_REGION]) ? NULL : nv[OF_REGION])))
		return err;
	if ((err = kw_validation_result(c)))
		return err;

	const char *oid = db_ltoa(c, id);
	if (!db_query(c, &q_update, &err, oid, nv[OF_NAME], nv[OF_CODE], nv[OF_ORG_TYPE],
		      nv[OF_BUILDER], nv[OF_LEADER], nv[OF_CONTACT], nv[OF_PHONE], nv[OF_EMAIL],
		      nv[OF_POSTCODE], nv[OF_ADDRESS], nv[OF_VALID_UNTIL], nv[OF_REGION],
		      parent_id ? db_ltoa(c, parent_id) : NULL))
		return err;
	if (!streq_null(nv[OF_NAME], cur[OF_NAME]) &&
	    !db_query(c, &q_account_rename, &err, oid, nv[OF_NAME]))
		return err;
	if (!streq_null(nv[OF_EMAIL], cur[OF_EMAIL]) && !db_query(c, &q_account_email, &err, oid))
		return err;
	if (scopes && (!db_query(c, &q_scopes_clear, &err, oid) ||
		       (json_object_array_length(scopes) &&
			!db_query(c, &q_scopes_insert, &err, oid, kwj_string(scopes, NULL)))))
		return err;

	json_object *detail = kwj_own(c, json_object_new_object());
	json_object *changes = json_object_new_object();
	json_object_object_add(detail, "changes", changes);
	for (int k = 0; k < OF_N; k++) {
		if (streq_null(nv[k], cur[k]))
			continue;
		json_object *ch = json_object_new_object();
		kwj_add_str(ch, "old", cur[k]);
		kwj_add_str(ch, "new", nv[k]);
		json_object_object_add(changes, ofields[k].key, ch);
	}
	if (parent_id != cur_parent) {
		json_object *ch = json_object_new_object();
		kwj_add_int(ch, "old", cur_parent);
		kwj_add_int(ch, "new", parent_id);
		json_object_object_add(changes, "parent_id", ch);
	}
	if (scopes)
		kwj_put(detail, "scopes", scopes);
	if ((err = audit_write(c, "org.update", "org", id, detail)))
		return err;
	return db_commit(c);
}

/* ------------------------------------------------------------------ freeze */

static struct db_stmt q_set_frozen =
    DB_STMT("org_set_frozen",
	    "UPDATE orgs SET frozen = $2::boolean WHERE id = $1 AND frozen <> $2::boolean");
static struct db_stmt q_accounts_frozen =
    DB_STMT("org_accounts_frozen",
	    "UPDATE accounts SET frozen = $2::boolean WHERE org_id = $1 AND kind = 'org'");
/* Freezing ends the org's sessions and remembers why (the cookie's next request says so). */
static struct db_stmt q_sessions_end = DB_STMT(
    "org_sessions_end",
    "WITH gone AS (DELETE FROM sessions WHERE account_id IN"
    " (SELECT id FROM accounts WHERE org_id = $1 AND kind = 'org') RETURNING token_hash)"
    " INSERT INTO session_ends (token_hash, reason, at) SELECT token_hash, 'frozen', $2 FROM gone"
    " ON CONFLICT (token_hash) DO UPDATE SET at = excluded.at");
static struct db_stmt q_session_ends_prune =
    DB_STMT("org_session_ends_prune",
	    "DELETE FROM session_ends WHERE at < $1::timestamptz - make_interval(secs => $2::int)");

int org_set_frozen(struct kw_ctx *c, long id, bool frozen)
{
	int err;
	if ((err = org_check_scope(c, id)) || (err = db_begin(c)))
		return err;
	const char *oid = db_ltoa(c, id);
	PGresult *row = db_query(c, &q_lock, &err, oid);
	if (!row)
		return err;
	if (!PQntuples(row))
		return kw_fail(c, KW_ENOTFOUND, "机构不存在");
	if (!strcmp(db_val(row, 0, "kind"), "center"))
		return kw_fail(c, KW_EFORBIDDEN, "不能冻结中心");
	if (!(c->user.role & R_CENTER) &&
	    !((c->user.role & R_LEVEL2) && db_long(row, 0, "parent_id") == c->user.org_id))
		return kw_fail(c, KW_EFORBIDDEN, "只能冻结或解冻下属机构");
	const char *fz = frozen ? "true" : "false";
	PGresult *res = db_query(c, &q_set_frozen, &err, oid, fz);
	if (!res)
		return err;
	if (strcmp(PQcmdTuples(res), "1"))
		return kw_fail(c, KW_ECONFLICT, frozen ? "该机构已冻结" : "该机构未冻结");
	if (!db_query(c, &q_accounts_frozen, &err, oid, fz))
		return err;
	long ended = 0;
	if (frozen) {
		const char *now = kw_time_text(c, c->now);
		if (!db_query(c, &q_session_ends_prune, &err, now,
			      db_ltoa(c, AUTH_ABSOLUTE_SECONDS)) ||
		    !(res = db_query(c, &q_sessions_end, &err, oid, now)))
			return err;
		ended = strtol(PQcmdTuples(res), NULL, 10);
	}
	json_object *detail = kwj_own(c, json_object_new_object());
	kwj_add_str(detail, "name", db_val(row, 0, "name"));
	if (frozen)
		kwj_add_int(detail, "sessions_ended", ended);
	if ((err = audit_write(c, frozen ? "org.freeze" : "org.unfreeze", "org", id, detail)))
		return err;
	return db_commit(c);
}

static struct db_stmt q_cr_parties = DB_STMT(
    "org_cr_parties",
    "SELECT o.name, (SELECT id FROM orgs WHERE kind = 'center' ORDER BY id LIMIT 1) AS center"
    " FROM orgs o WHERE o.id = $1");

/*
 * 站内信 about a change request, in the caller's transaction: a new request waits for the
 * center staff (decision NULL); a decision goes to the org that asked.
 */
static int notify_change_request(struct kw_ctx *c, long org_id, const char *decision)
{
	int err;
	PGresult *r = db_query(c, &q_cr_parties, &err, db_ltoa(c, org_id));
	if (!r)
		return err;
	if (!PQntuples(r))
		return KW_OK;
	if (!decision)
		return message_send(c, db_long(r, 0, "center"), "center_staff", 0,
				    arena_printf(c->a,
						 "%s提交了机构信息变更申请，等待您审核，请查看",
						 db_val(r, 0, "name")),
				    "/app/org-change-requests");
	return message_send(c, org_id, NULL, 0,
			    strcmp(decision, "approved") == 0
				? "您的机构信息变更申请已通过审核，请查看"
				: "您的机构信息变更申请被驳回，请查看详情",
			    "/app/org-info");
}

/* ------------------------------------------------------------------ change requests */

static bool is_request_field(const char *key)
{
	for (const char *const *f = org_request_fields; *f; f++)
		if (!strcmp(*f, key))
			return true;
	return false;
}

static struct db_stmt q_pending =
    DB_STMT("org_cr_pending",
	    "SELECT id FROM org_change_requests WHERE org_id = $1 AND status = 'pending'");
static struct db_stmt q_cr_insert =
    DB_STMT("org_cr_insert",
	    "INSERT INTO org_change_requests (org_id, requested_by, changes, previous, reason,"
	    " leader_resume, created_at) VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $6, $7)"
	    " RETURNING id");

int org_change_request_create(struct kw_ctx *c, long org_id, json_object *body, long *id)
{
	struct org_vals in = {0};
	const char *reason = NULL, *resume = NULL;
	int err;
	*id = 0;
	if ((err = need_object(c, body)) || (err = org_check_scope(c, org_id)))
		return err;
	if (!(c->user.role & R_ORG) || c->user.org_id != org_id)
		return kw_fail(c, KW_EFORBIDDEN, "只能申请修改本机构的信息");

	/* 注意事项 ②: only the fields of the form's text boxes. */
	json_object_object_foreach(body, key, value)
	{
		(void)value;
		if (is_request_field(key) || !strcmp(key, "reason") ||
		    !strcmp(key, "leader_resume"))
			continue;
		const char *label = org_field_label(key);
		kw_field_error(c, key, 0, "editable",
			       label ? arena_printf(c->a, "%s由中心维护，不能申请修改", label)
				     : "不能申请修改此项");
	}
	read_fields(c, body, &in, true);
	kwj_get_string(c, body, "reason", NULL, KWJ_REQUIRED, 500, &reason);
	kwj_get_string(c, body, "leader_resume", NULL, KWJ_OPTIONAL, 2000, &resume);
	if (resume && !*resume)
		resume = NULL;
	if ((err = kw_validation_result(c)))
		return err;

	if ((err = db_begin(c)))
		return err;
	const char *oid = db_ltoa(c, org_id);
	PGresult *row = db_query(c, &q_lock, &err, oid);
	if (!row)
		return err;
	if (!PQntuples(row))
		return kw_fail(c, KW_ENOTFOUND, "机构不存在");
	json_object *changes = kwj_own(c, json_object_new_object());
	json_object *previous = kwj_own(c, json_object_new_object());
	bool leader_changes = false;
	for (int k = 0; k < OF_N; k++) {
		if (!ofields[k].request || !in.present[k])
			continue;
		const char *now_v = db_val(row, 0, ofields[k].key);
		if (streq_null(in.v[k], now_v))
			continue;
		kwj_add_str(changes, ofields[k].key, in.v[k]);
		kwj_add_str(previous, ofields[k].key, now_v);
		leader_changes |= k == OF_LEADER && in.v[k];
	}
	if (!json_object_object_length(changes))
		kw_field_error(c, "changes", 0, "required", "没有修改任何信息");
	/* 注意事项 ③: a new leader needs the new leader's résumé. */
	if (leader_changes && !resume)
		kw_field_error(c, "leader_resume", 0, "required", "更换负责人须填写新任负责人简历");
	if ((err = kw_validation_result(c)))
		return err;
	PGresult *res = db_query(c, &q_pending, &err, oid);
	if (!res)
		return err;
	if (PQntuples(res))
		return kw_fail(c, KW_ECONFLICT, "已有待中心审核的信息变更申请，请等待审核结果");
	const char *now = kw_now_text(c);
	res = db_query(c, &q_cr_insert, &err, oid, db_ltoa(c, c->user.id),
		       kwj_string(changes, NULL), kwj_string(previous, NULL), reason, resume, now);
	if (!res)
		return err;
	long rid = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	json_object *detail = kwj_own(c, json_object_new_object());
	kwj_add_int(detail, "org_id", org_id);
	kwj_put(detail, "changes", changes);
	if ((err =
		 audit_write(c, "org.change_request.create", "org_change_request", rid, detail)) ||
	    (err = notify_change_request(c, org_id, NULL)) || (err = db_commit(c)))
		return err;
	*id = rid;
	return KW_OK;
}

#define CR_COLS                                                                                    \
	"SELECT r.id, r.org_id, o.name AS org_name, o.code AS org_code, r.status,"                 \
	" r.changes::text AS changes, r.previous::text AS previous, r.reason,"                     \
	" r.leader_resume, kw_ts(r.created_at) AS created_at, r.requested_by,"                     \
	" ra.display_name AS requested_by_name, kw_ts(r.decided_at) AS decided_at,"                \
	" r.decided_by, da.display_name AS decided_by_name, r.comment"                             \
	" FROM org_change_requests r JOIN orgs o ON o.id = r.org_id"                               \
	" LEFT JOIN accounts ra ON ra.id = r.requested_by"                                         \
	" LEFT JOIN accounts da ON da.id = r.decided_by"
#define CR_WHERE                                                                                   \
	" WHERE ($1::text IS NULL OR r.status = $1) AND ($2::bigint IS NULL OR r.org_id = "        \
	"$2::bigint)"

static struct db_stmt q_cr_list = DB_STMT(
    "org_cr_list", CR_COLS CR_WHERE " ORDER BY r.created_at DESC, r.id DESC LIMIT $3 OFFSET $4");
static struct db_stmt q_cr_count =
    DB_STMT("org_cr_count", "SELECT count(*) FROM org_change_requests r" CR_WHERE);
static struct db_stmt q_cr_get = DB_STMT("org_cr_get", CR_COLS " WHERE r.id = $1");

static const char *cr_status_text(const char *s)
{
	if (!s)
		return NULL;
	if (!strcmp(s, "pending"))
		return "待审核";
	if (!strcmp(s, "approved"))
		return "已通过";
	if (!strcmp(s, "rejected"))
		return "已驳回";
	return s;
}

static json_object *cr_item(const PGresult *res, int i)
{
	json_object *o = json_object_new_object();
	kwj_add_int(o, "id", db_long(res, i, "id"));
	json_object *org = kwj_id_name(db_long(res, i, "org_id"), db_val(res, i, "org_name"));
	kwj_add_str(org, "code", db_val(res, i, "org_code"));
	json_object_object_add(o, "org", org);
	kwj_add_str(o, "status", db_val(res, i, "status"));
	kwj_add_str(o, "status_text", cr_status_text(db_val(res, i, "status")));
	json_object_object_add(o, "changes", pg_json(db_val(res, i, "changes")));
	json_object_object_add(o, "previous", pg_json(db_val(res, i, "previous")));
	kwj_add_str(o, "reason", db_val(res, i, "reason"));
	kwj_add_str(o, "leader_resume", db_val(res, i, "leader_resume"));
	kwj_add_str(o, "created_at", db_val(res, i, "created_at"));
	json_object_object_add(
	    o, "requested_by",
	    kwj_id_name(db_long(res, i, "requested_by"), db_val(res, i, "requested_by_name")));
	kwj_add_str(o, "decided_at", db_val(res, i, "decided_at"));
	json_object_object_add(
	    o, "decided_by",
	    kwj_id_name(db_long(res, i, "decided_by"), db_val(res, i, "decided_by_name")));
	kwj_add_str(o, "comment", db_val(res, i, "comment"));
	return o;
}

int org_change_request_list(struct kw_ctx *c, const char *status, long org_id, long page,
			    long per_page, json_object **items, long *total)
{
	int err;
	*items = NULL;
	*total = 0;
	if (status && !*status)
		status = NULL;
	if (status && strcmp(status, "pending") && strcmp(status, "approved") &&
	    strcmp(status, "rejected")) {
		kw_field_error(c, "status", 0, "status", "状态应为 pending、approved 或 rejected");
		return KW_EVALIDATION;
	}
	if (!(c->user.role & R_CENTER)) {
		/* An org sees its own requests only. */
		if (org_id && org_id != c->user.org_id) {
			*items = kwj_own(c, json_object_new_array());
			return KW_OK;
		}
		org_id = c->user.org_id > 0 ? c->user.org_id : -1;
	}
	const char *oid = org_id ? db_ltoa(c, org_id) : NULL;
	PGresult *cnt = db_query(c, &q_cr_count, &err, status, oid);
	if (!cnt)
		return err;
	*total = strtol(PQgetvalue(cnt, 0, 0), NULL, 10);
	PGresult *res = db_query(c, &q_cr_list, &err, status, oid, db_ltoa(c, per_page),
				 db_ltoa(c, (page - 1) * per_page));
	if (!res)
		return err;
	json_object *a = kwj_own(c, json_object_new_array());
	for (int i = 0; i < PQntuples(res); i++)
		json_object_array_add(a, cr_item(res, i));
	*items = a;
	return KW_OK;
}

int org_change_request_get(struct kw_ctx *c, long id, json_object **out)
{
	int err;
	*out = NULL;
	PGresult *res = db_query(c, &q_cr_get, &err, db_ltoa(c, id));
	if (!res)
		return err;
	if (!PQntuples(res) ||
	    (!(c->user.role & R_CENTER) && db_long(res, 0, "org_id") != c->user.org_id))
		return kw_fail(c, KW_ENOTFOUND, "信息变更申请不存在");
	*out = kwj_own(c, cr_item(res, 0));
	return KW_OK;
}

static struct db_stmt q_cr_lock = DB_STMT(
    "org_cr_lock", "SELECT org_id, status, changes::text AS changes FROM org_change_requests"
		   " WHERE id = $1 FOR UPDATE");
static struct db_stmt q_cr_decide = DB_STMT(
    "org_cr_decide",
    "UPDATE org_change_requests SET status = $2, decided_by = $3, decided_at = $4, comment = $5"
    " WHERE id = $1 AND status = 'pending'");
/* Apply an approved request: each field it names takes its new value (JSON null clears). */
static struct db_stmt q_cr_apply = DB_STMT(
    "org_cr_apply",
    "UPDATE orgs o SET"
    " builder = CASE WHEN r.changes ? 'builder' THEN r.changes->>'builder' ELSE o.builder END,"
    " leader_name = CASE WHEN r.changes ? 'leader_name' THEN r.changes->>'leader_name'"
    "  ELSE o.leader_name END,"
    " contact_name = CASE WHEN r.changes ? 'contact_name' THEN r.changes->>'contact_name'"
    "  ELSE o.contact_name END,"
    " phone = CASE WHEN r.changes ? 'phone' THEN r.changes->>'phone' ELSE o.phone END,"
    " email = CASE WHEN r.changes ? 'email' THEN r.changes->>'email' ELSE o.email END,"
    " postcode = CASE WHEN r.changes ? 'postcode' THEN r.changes->>'postcode' ELSE o.postcode END,"
    " address = CASE WHEN r.changes ? 'address' THEN r.changes->>'address' ELSE o.address END"
    " FROM org_change_requests r WHERE r.id = $1 AND o.id = r.org_id");

int org_change_request_decide(struct kw_ctx *c, long id, bool approve, const char *comment)
{
	int err;
	if (comment && !*comment)
		comment = NULL;
	if (!approve && !comment) {
		kw_field_error(c, "comment", 0, "required", "请填写驳回理由");
		return KW_EVALIDATION;
	}
	if ((err = db_begin(c)))
		return err;
	const char *rid = db_ltoa(c, id);
	PGresult *row = db_query(c, &q_cr_lock, &err, rid);
	if (!row)
		return err;
	if (!PQntuples(row))
		return kw_fail(c, KW_ENOTFOUND, "信息变更申请不存在");
	if (strcmp(db_val(row, 0, "status"), "pending"))
		return kw_fail(c, KW_ECONFLICT, "该申请已审核，不能重复操作");
	const char *now = kw_now_text(c);
	PGresult *res = db_query(c, &q_cr_decide, &err, rid, approve ? "approved" : "rejected",
				 db_ltoa(c, c->user.id), now, comment);
	if (!res)
		return err;
	if (strcmp(PQcmdTuples(res), "1"))
		return kw_fail(c, KW_ECONFLICT, "该申请已审核，不能重复操作");
	long org_id = db_long(row, 0, "org_id");
	if (approve && (!db_query(c, &q_cr_apply, &err, rid) ||
			!db_query(c, &q_account_email, &err, db_ltoa(c, org_id))))
		return err;
	json_object *detail = kwj_own(c, json_object_new_object());
	kwj_add_int(detail, "org_id", org_id);
	if (approve)
		json_object_object_add(detail, "changes", pg_json(db_val(row, 0, "changes")));
	kwj_add_str(detail, "comment", comment);
	if ((err = audit_write(c,
			       approve ? "org.change_request.approve" : "org.change_request.reject",
			       "org_change_request", id, detail)) ||
	    (err = notify_change_request(c, org_id, approve ? "approved" : "rejected")))
		return err;
	return db_commit(c);
}
