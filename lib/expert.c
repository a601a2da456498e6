/* expert.c - assessors and supervisors: list, search, export, create, certificates, R9. */
#include "expert.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audit.h"
#include "auth.h"
#include "batch.h"
#include "message.h"
#include "core/clock.h"
#include "core/idcard.h"
#include "core/json.h"
#include "db/db.h"
#include "office/xlsx_writer.h"
#include "org.h"
#include "ref.h"

#define NAME_MAX_CHARS 50
#define CERT_NO_MAX 30
#define MAX_CERTS 20
#define MAX_CERT_OCCUPATIONS 60

/* ------------------------------------------------------------------ codes and words */

static const char *const type_codes[] = {"assessor", "senior_assessor", "supervisor"};
static const char *const type_words[] = {"考评员", "高级考评员", "督导员"};
static const char *const role_codes[] = {"assessor", "supervisor"};
static const char *const role_words[] = {"考评员", "督导员"};
static const char *const category_codes[] = {"national", "industry"};
static const char *const category_words[] = {"国家职业技能鉴定", "行业能力水平评价"};

static const char *lookup_word(const char *code, const char *const *codes, const char *const *words,
			       size_t n)
{
	for (size_t i = 0; code && i < n; i++)
		if (strcmp(code, codes[i]) == 0)
			return words[i];
	return NULL;
}

const char *expert_type_text(const char *type)
{
	return lookup_word(type, type_codes, type_words, 3);
}

const char *expert_role_text(const char *role)
{
	return lookup_word(role, role_codes, role_words, 2);
}

const char *expert_category_text(const char *category)
{
	return lookup_word(category, category_codes, category_words, 2);
}

/* ------------------------------------------------------------------ small helpers */

/* A strict calendar date "YYYY-MM-DD". */
static bool is_date(const char *s)
{
	time_t t;
	if (!s || strlen(s) != 10)
		return false;
	for (int i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return false;
		} else if (!isdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return kw_parse_time(s, &t);
}

/* ------------------------------------------------------------------ scope */

/*
 * The caller's scope as three statement parameters: lib/org.h's kind and
 * root ($1, $2 of ORG_SCOPE_SQL over the expert's org) and, for an assessor
 * or supervisor, its own expert id ($3; NULL for everyone else), so an expert
 * sees itself and no colleague.
 */
static void scope_params(struct kw_ctx *c, const char **p)
{
	struct org_scope s;
	org_scope_of(c, &s);
	p[0] = s.kind_param;
	p[1] = s.root_param;
	p[2] = NULL;
	if (c->user.role & R_EXPERT)
		p[2] = db_ltoa(c, c->user.expert_id > 0 ? c->user.expert_id : -1);
}

/* Scope condition over experts e; $1 kind, $2 root, $3 the calling expert or NULL. */
#define SCOPE_SQL                                                                                  \
	ORG_SCOPE_SQL("e.org_id", "$1", "$2") " AND ($3::bigint IS NULL OR e.id = $3::bigint)"

/* The occupation ids a certificate may list to cover occupation $n: it and its parent. */
#define COVERS_SQL(n)                                                                              \
	"(SELECT " n "::int UNION ALL SELECT parent_id FROM occupations"                           \
	" WHERE id = " n "::int AND parent_id IS NOT NULL)"

/* ------------------------------------------------------------------ list and search */

/*
 * $1 kind, $2 root, $3 self (SCOPE_SQL), $4 role, $5 org_id, $6 occupation_id, $7 cert_no,
 * $8 type, $9 category, $10 q
 */
#define LIST_FROM " FROM experts e JOIN orgs o ON o.id = e.org_id"
#define LIST_WHERE                                                                                 \
	" WHERE " SCOPE_SQL " AND ($4::text IS NULL OR e.role = $4)"                               \
	" AND ($5::bigint IS NULL OR e.org_id = $5::bigint)"                                       \
	" AND ($10::text IS NULL OR strpos(e.name, $10) > 0"                                       \
	"      OR strpos(e.id_number, upper($10)) > 0"                                             \
	"      OR EXISTS (SELECT 1 FROM expert_certificates k WHERE k.expert_id = e.id"            \
	"                 AND strpos(k.cert_no, $10) > 0))"                                        \
	" AND (($6::int IS NULL AND $7::text IS NULL AND $8::text IS NULL AND $9::text IS NULL)"   \
	"      OR EXISTS (SELECT 1 FROM expert_certificates k WHERE k.expert_id = e.id"            \
	"        AND ($7::text IS NULL OR strpos(k.cert_no, $7) > 0)"                              \
	"        AND ($8::text IS NULL OR k.type = $8)"                                            \
	"        AND ($9::text IS NULL OR k.category = $9)"                                        \
	"        AND ($6::int IS NULL OR EXISTS (SELECT 1 FROM expert_certificate_occupations x"   \
	"             WHERE x.certificate_id = k.id AND x.occupation_id IN " OCC6 "))))"

/* COVERS_SQL of $6, named so the line above stays short. */
#define OCC6 COVERS_SQL("$6")

static struct db_stmt q_list_count =
    DB_STMT("expert_list_count", "SELECT count(*) AS n" LIST_FROM LIST_WHERE);

static struct db_stmt q_list_page = DB_STMT(
    "expert_list_page",
    "SELECT e.id, e.name, e.id_number, e.role, e.org_id, o.name AS org_name,"
    " e.phone, e.email" LIST_FROM LIST_WHERE " ORDER BY o.code, e.name COLLATE \"zh-x-icu\","
    " e.id LIMIT $11::int OFFSET $12::bigint");

static struct db_stmt q_export =
    DB_STMT("expert_export",
	    "SELECT e.name, e.id_number, k.cert_no,"
	    " CASE k.category WHEN 'national' THEN '国家职业技能鉴定'"
	    "  WHEN 'industry' THEN '行业能力水平评价' END AS category,"
	    " CASE k.type WHEN 'assessor' THEN '考评员' WHEN 'senior_assessor' THEN '高级考评员'"
	    "  WHEN 'supervisor' THEN '督导员' END AS type,"
	    " (SELECT string_agg(oc.name, '、' ORDER BY oc.sort)"
	    "  FROM expert_certificate_occupations x JOIN occupations oc ON oc.id = x.occupation_id"
	    "  WHERE x.certificate_id = k.id) AS occupations, o.name AS org_name" LIST_FROM
	    " LEFT JOIN expert_certificates k ON k.expert_id = e.id" LIST_WHERE
	    " ORDER BY o.code, e.name COLLATE \"zh-x-icu\", e.id,"
	    " CASE k.category WHEN 'national' THEN 0 ELSE 1 END, k.issued_on DESC, k.id");

static struct db_stmt q_certs_of = DB_STMT(
    "expert_certs_of",
    "SELECT k.id, k.expert_id, k.category, k.cert_no, k.type, k.issued_on, k.valid_until,"
    " k.org_id, o.name AS org_name,"
    " COALESCE((SELECT json_agg(json_build_object('id', oc.id, 'name', oc.name) ORDER BY oc.sort)"
    "  FROM expert_certificate_occupations x JOIN occupations oc ON oc.id = x.occupation_id"
    "  WHERE x.certificate_id = k.id), '[]') AS occupations"
    " FROM expert_certificates k JOIN orgs o ON o.id = k.org_id"
    " WHERE k.expert_id = ANY($1::bigint[])"
    " ORDER BY k.expert_id, CASE k.category WHEN 'national' THEN 0 ELSE 1 END,"
    " k.issued_on DESC, k.id");

static const char *filter_or_null(const char *s)
{
	return s && *s ? s : NULL;
}

/* The ten parameters $1..$10 of LIST_WHERE. */
static void list_params(struct kw_ctx *c, const struct expert_filter *f, const char **p)
{
	scope_params(c, p);
	p[3] = filter_or_null(f->role);
	p[4] = f->org_id > 0 ? db_ltoa(c, f->org_id) : NULL;
	p[5] = f->occupation_id > 0 ? db_ltoa(c, f->occupation_id) : NULL;
	p[6] = filter_or_null(f->cert_no);
	p[7] = filter_or_null(f->type);
	p[8] = filter_or_null(f->category);
	p[9] = filter_or_null(f->q);
}

int expert_filter_check(struct kw_ctx *c, const struct expert_filter *f)
{
	if (filter_or_null(f->role) && !expert_role_text(f->role))
		kw_field_error(c, "role", 0, "enum", "应为 assessor 或 supervisor");
	if (filter_or_null(f->type) && !expert_type_text(f->type))
		kw_field_error(c, "type", 0, "enum",
			       "应为 assessor、senior_assessor 或 supervisor");
	if (filter_or_null(f->category) && !expert_category_text(f->category))
		kw_field_error(c, "category", 0, "enum", "应为 national 或 industry");
	if (f->q && strlen(f->q) > 100)
		kw_field_error(c, "q", 0, "length", "关键词过长");
	if (f->cert_no && strlen(f->cert_no) > 100)
		kw_field_error(c, "cert_no", 0, "length", "证书号过长");
	return kw_validation_result(c);
}

/* A certificate row of q_certs_of as JSON. */
static json_object *cert_json(struct kw_ctx *c, const PGresult *r, int i)
{
	json_object *o = json_object_new_object();
	const char *category = db_val(r, i, "category"), *type = db_val(r, i, "type");
	kwj_add_int(o, "id", db_long(r, i, "id"));
	kwj_add_str(o, "category", category);
	kwj_add_str(o, "category_text", expert_category_text(category));
	kwj_add_str(o, "cert_no", db_val(r, i, "cert_no"));
	kwj_add_str(o, "type", type);
	kwj_add_str(o, "type_text", expert_type_text(type));
	json_object *occ = json_tokener_parse(db_val(r, i, "occupations"));
	if (!occ || !json_object_is_type(occ, json_type_array)) {
		json_object_put(occ);
		occ = json_object_new_array();
	}
	char *text = arena_strdup(c->a, "");
	for (size_t k = 0; k < json_object_array_length(occ); k++) {
		json_object *name;
		json_object_object_get_ex(json_object_array_get_idx(occ, k), "name", &name);
		text =
		    arena_printf(c->a, "%s%s%s", text, k ? "、" : "", json_object_get_string(name));
	}
	json_object_object_add(o, "occupations", occ);
	kwj_add_str(o, "occupations_text", text);
	kwj_add_str(o, "issued_on", db_val(r, i, "issued_on"));
	kwj_add_str(o, "valid_until", db_val(r, i, "valid_until"));
	kwj_add_int(o, "org_id", db_long(r, i, "org_id"));
	json_object_object_add(o, "org",
			       kwj_id_name(db_long(r, i, "org_id"), db_val(r, i, "org_name")));
	return o;
}

/*
 * Attach the certificates of the experts in arr (objects with "id") as
 * "certificates" arrays. ids has the same n ids in the same order.
 */
static int attach_certs(struct kw_ctx *c, json_object *arr, const long *ids, size_t n)
{
	int err;
	for (size_t i = 0; i < n; i++)
		json_object_object_add(json_object_array_get_idx(arr, i), "certificates",
				       json_object_new_array());
	if (!n)
		return KW_OK;
	PGresult *r = db_query(c, &q_certs_of, &err, db_id_array(c, ids, n));
	if (!r)
		return err;
	for (int k = 0; k < PQntuples(r); k++) {
		long eid = db_long(r, k, "expert_id");
		for (size_t i = 0; i < n; i++) {
			if (ids[i] != eid)
				continue;
			json_object *certs;
			json_object_object_get_ex(json_object_array_get_idx(arr, i), "certificates",
						  &certs);
			json_object_array_add(certs, cert_json(c, r, k));
			break;
		}
	}
	return KW_OK;
}

/* An expert row (id, name, id_number, role, org_id, org_name, phone, email) as JSON. */
static json_object *expert_json(struct kw_ctx *c, const PGresult *r, int i)
{
	json_object *o = json_object_new_object();
	const char *idn = db_val(r, i, "id_number"), *role = db_val(r, i, "role");
	struct idcard_info info;
	bool ok = idcard_check(idn, c->now, &info);
	kwj_add_int(o, "id", db_long(r, i, "id"));
	kwj_add_str(o, "name", db_val(r, i, "name"));
	kwj_add_str(o, "id_number", idn);
	kwj_add_str(o, "sex", ok ? (info.sex == 'M' ? "M" : "F") : NULL);
	kwj_add_str(o, "birth_date", ok ? info.birth_date : NULL);
	kwj_add_str(o, "role", role);
	kwj_add_str(o, "role_text", expert_role_text(role));
	kwj_add_int(o, "org_id", db_long(r, i, "org_id"));
	json_object_object_add(o, "org",
			       kwj_id_name(db_long(r, i, "org_id"), db_val(r, i, "org_name")));
	kwj_add_str(o, "phone", db_val(r, i, "phone"));
	kwj_add_str(o, "email", db_val(r, i, "email"));
	return o;
}

int expert_list(struct kw_ctx *c, const struct expert_filter *f, long page, long per_page,
		json_object **items, long *total)
{
	const char *p[12];
	int err;
	list_params(c, f, p);
	PGresult *r = db_exec_ro(c, &q_list_count, 10, p, &err);
	if (!r)
		return err;
	*total = db_long(r, 0, "n");
	p[10] = db_ltoa(c, per_page);
	p[11] = db_ltoa(c, (page - 1) * per_page);
	if (!(r = db_exec_ro(c, &q_list_page, 12, p, &err)))
		return err;
	int n = PQntuples(r);
	json_object *arr = kwj_own(c, json_object_new_array());
	long *ids = arena_alloc(c->a, sizeof(long) * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++) {
		ids[i] = db_long(r, i, "id");
		json_object_array_add(arr, expert_json(c, r, i));
	}
	if ((err = attach_certs(c, arr, ids, (size_t)n)))
		return err;
	*items = arr;
	return KW_OK;
}

/* ------------------------------------------------------------------ counts (统计) */

static struct db_stmt q_counts = DB_STMT(
    "expert_counts",
    "SELECT count(*) AS total, count(*) FILTER (WHERE e.role = 'assessor') AS assessors,"
    " count(*) FILTER (WHERE e.role = 'assessor' AND EXISTS (SELECT 1 FROM expert_certificates s"
    "  WHERE s.expert_id = e.id AND s.type = 'senior_assessor')) AS senior,"
    " count(*) FILTER (WHERE e.role = 'supervisor') AS supervisors,"
    " count(*) FILTER (WHERE EXISTS (SELECT 1 FROM expert_certificates s WHERE s.expert_id = e.id"
    "  AND s.category = 'national')) AS national,"
    " count(*) FILTER (WHERE EXISTS (SELECT 1 FROM expert_certificates s WHERE s.expert_id = e.id"
    "  AND s.category = 'industry')) AS industry" LIST_FROM LIST_WHERE);

/* One {"code", "text", "count"} row. */
static json_object *count_row(const char *code, const char *text, long n)
{
	json_object *o = json_object_new_object();
	kwj_add_str(o, "code", code);
	kwj_add_str(o, "text", text);
	kwj_add_int(o, "count", n);
	return o;
}

int expert_counts(struct kw_ctx *c, const struct expert_filter *f, json_object **out)
{
	const char *p[10];
	int err;
	list_params(c, f, p);
	PGresult *r = db_exec_ro(c, &q_counts, 10, p, &err);
	if (!r)
		return err;
	long assessors = db_long(r, 0, "assessors"), senior = db_long(r, 0, "senior");
	json_object *o = kwj_own(c, json_object_new_object());
	json_object *types = json_object_new_array(), *cats = json_object_new_array();
	kwj_add_int(o, "total", db_long(r, 0, "total"));
	json_object_array_add(types, count_row("assessor", "考评员", assessors - senior));
	json_object_array_add(types, count_row("senior_assessor", "高级考评员", senior));
	json_object_array_add(types,
			      count_row("supervisor", "督导员", db_long(r, 0, "supervisors")));
	json_object_array_add(cats, count_row("national", expert_category_text("national"),
					      db_long(r, 0, "national")));
	json_object_array_add(cats, count_row("industry", expert_category_text("industry"),
					      db_long(r, 0, "industry")));
	json_object_object_add(o, "by_type", types);
	json_object_object_add(o, "by_category", cats);
	*out = o;
	return KW_OK;
}

/* ------------------------------------------------------------------ export */

/* The manual's columns, in the order of q_export's result columns. */
const struct xlsx_col expert_export_cols[] = {
    {.header = "姓名", .type = XLSX_TEXT, .width = 12},
    {.header = "身份证号", .type = XLSX_TEXT, .width = 21},
    {.header = "证书号码", .type = XLSX_TEXT, .width = 20},
    {.header = "评价类别", .type = XLSX_TEXT, .width = 18},
    {.header = "类型", .type = XLSX_TEXT, .width = 12},
    {.header = "职业工种", .type = XLSX_TEXT, .width = 40},
    {.header = "所属机构", .type = XLSX_TEXT, .width = 40},
};
const size_t expert_export_ncols = sizeof(expert_export_cols) / sizeof(expert_export_cols[0]);

int expert_export_rows(struct kw_ctx *c, const struct expert_filter *f, struct db_rows **rows)
{
	const char *p[10];
	list_params(c, f, p);
	return db_rows_open(c, &q_export, 10, p, rows);
}

/* ------------------------------------------------------------------ one expert */

static struct db_stmt q_get = DB_STMT(
    "expert_get",
    "SELECT e.id, e.name, e.id_number, e.role, e.org_id, o.name AS org_name, e.phone, e.email,"
    " a.username, a.must_change_password"
    " FROM experts e JOIN orgs o ON o.id = e.org_id"
    " LEFT JOIN accounts a ON a.expert_id = e.id"
    " WHERE e.id = $4::bigint AND " SCOPE_SQL);

/* 考评记录 / 督导记录: the batch items an expert served (approved batches), newest exam first. */
static struct db_stmt q_records = DB_STMT(
    "expert_records",
    "SELECT b.id AS batch_id, b.name AS batch_name, b.status, b.status_param, i.id AS item_id,"
    " i.category, i.level, oc.name || coalesce('/' || d.name, '') AS occupation,"
    " i.exam_date::text AS exam_date, r.role FROM ("
    "  SELECT id AS item_id, 'chief_assessor' AS role FROM batch_items WHERE chief_assessor_id = $1"
    "  UNION SELECT id, 'chief_supervisor' FROM batch_items WHERE chief_supervisor_id = $1"
    "  UNION SELECT item_id, role FROM batch_item_experts x WHERE x.expert_id = $1"
    "   AND NOT EXISTS (SELECT 1 FROM batch_items c WHERE c.id = x.item_id"
    "    AND $1 IN (c.chief_assessor_id, coalesce(c.chief_supervisor_id, 0)))) r"
    " JOIN batch_items i ON i.id = r.item_id JOIN batches b ON b.id = i.batch_id"
    " JOIN occupations oc ON oc.id = i.occupation_id"
    " LEFT JOIN occupations d ON d.id = i.direction_id"
    " WHERE b.status NOT IN ('draft', 'app_org2', 'app_staff', 'app_director', 'app_rejected')"
    " ORDER BY i.exam_date DESC, i.id DESC LIMIT 500");

/* The records array of expert id (arena-owned). */
static int expert_records(struct kw_ctx *c, long id, json_object **out)
{
	int err;
	PGresult *r = db_query(c, &q_records, &err, db_ltoa(c, id));
	if (!r)
		return err;
	static const char *words[][2] = {{"chief_assessor", "考评组长"},
					 {"assessor", "考评员"},
					 {"chief_supervisor", "督导组长"},
					 {"supervisor", "督导员"}};
	json_object *a = kwj_own(c, json_object_new_array());
	for (int i = 0; i < PQntuples(r); i++) {
		json_object *o = json_object_new_object();
		const char *role = db_val(r, i, "role");
		json_object_object_add(
		    o, "batch", kwj_id_name(db_long(r, i, "batch_id"), db_val(r, i, "batch_name")));
		kwj_add_int(o, "item_id", db_long(r, i, "item_id"));
		kwj_add_str(o, "category", db_val(r, i, "category"));
		kwj_add_int(o, "level", db_long(r, i, "level"));
		kwj_add_str(o, "level_text", ref_level_name((int)db_long(r, i, "level")));
		kwj_add_str(o, "occupation", db_val(r, i, "occupation"));
		kwj_add_str(o, "exam_date", db_val(r, i, "exam_date"));
		kwj_add_str(o, "role", role);
		for (size_t k = 0; k < sizeof(words) / sizeof(*words); k++)
			if (!strcmp(role, words[k][0]))
				kwj_add_str(o, "role_text", words[k][1]);
		kwj_add_str(
		    o, "status_text",
		    batch_status_text(c, db_val(r, i, "status"), db_val(r, i, "status_param")));
		json_object_array_add(a, o);
	}
	*out = a;
	return KW_OK;
}

/* The detail's title: the highest certificate type held (高级考评员 over 考评员), else the role. */
static const char *expert_title_text(json_object *o)
{
	json_object *certs = NULL, *role = NULL;
	const char *best = NULL;
	json_object_object_get_ex(o, "role", &role);
	if (json_object_object_get_ex(o, "certificates", &certs))
		for (size_t i = 0; i < json_object_array_length(certs); i++) {
			json_object *t = NULL;
			json_object_object_get_ex(json_object_array_get_idx(certs, i), "type", &t);
			const char *type = json_object_get_string(t);
			if (type && !strcmp(type, "senior_assessor"))
				best = type;
			else if (type && !best && !strcmp(type, json_object_get_string(role)))
				best = type;
		}
	return best ? expert_type_text(best) : expert_role_text(json_object_get_string(role));
}

int expert_get(struct kw_ctx *c, long id, json_object **out)
{
	const char *p[4];
	int err;
	scope_params(c, p);
	p[3] = db_ltoa(c, id);
	PGresult *r = db_exec(c, &q_get, 4, p, &err);
	if (!r)
		return err;
	if (PQntuples(r) == 0)
		return kw_fail(c, KW_ENOTFOUND, "专家不存在");
	json_object *arr = kwj_own(c, json_object_new_array());
	json_object *o = kwj_own(c, expert_json(c, r, 0));
	if (db_val(r, 0, "username")) {
		json_object *acc = json_object_new_object();
		kwj_add_str(acc, "username", db_val(r, 0, "username"));
		kwj_add_bool(acc, "must_change_password", db_bool(r, 0, "must_change_password"));
		json_object_object_add(o, "account", acc);
	}
	kwj_push(arr, o);
	if ((err = attach_certs(c, arr, &id, 1)))
		return err;
	kwj_add_str(o, "title_text", expert_title_text(o));
	json_object *rec = NULL;
	if ((err = expert_records(c, id, &rec)))
		return err;
	kwj_put(o, "records", rec);
	*out = o;
	return KW_OK;
}

/* ------------------------------------------------------------------ validation of input */

struct cert_in {
	const char *category, *cert_no, *type, *issued_on, *valid_until;
	long org_id; /* 0: the expert's org */
	long occ[MAX_CERT_OCCUPATIONS];
	size_t nocc;
	const char *path; /* "certificates[1]." or "" */
};

static const char *field(struct kw_ctx *c, const char *prefix, const char *name)
{
	return arena_printf(c->a, "%s%s", prefix, name);
}

/* A code member that must be one of codes; records a field error otherwise. */
static void get_code(struct kw_ctx *c, json_object *obj, const char *key, const char *path,
		     const char *const *codes, size_t n, const char *what, const char **out)
{
	const char *s = NULL;
	*out = NULL;
	if (!kwj_get_string(c, obj, key, path, KWJ_REQUIRED, 40, &s))
		return;
	if (!lookup_word(s, codes, codes, n)) {
		kw_field_error(c, path, 0, "enum", what);
		return;
	}
	*out = s;
}

/*
 * Read one certificate object at prefix ("certificates[0]." or ""), checking
 * every field; role is the expert's role (the type must suit it) or NULL.
 */
static void parse_cert(struct kw_ctx *c, json_object *obj, const char *prefix, const char *role,
		       struct cert_in *ci)
{
	memset(ci, 0, sizeof(*ci));
	ci->path = prefix;
	if (!obj || !json_object_is_type(obj, json_type_object)) {
		kw_field_error(
		    c, *prefix ? arena_strndup(c->a, prefix, strlen(prefix) - 1) : "certificate", 0,
		    "type", "应为证书对象");
		return;
	}
	get_code(c, obj, "category", field(c, prefix, "category"), category_codes, 2,
		 "证书类别应为国家职业技能鉴定或行业能力水平评价", &ci->category);
	get_code(c, obj, "type", field(c, prefix, "type"), type_codes, 3,
		 "证书类型应为考评员、高级考评员或督导员", &ci->type);
	if (ci->type && role) {
		bool sup = strcmp(ci->type, "supervisor") == 0;
		if (sup != (strcmp(role, "supervisor") == 0))
			kw_field_error(c, field(c, prefix, "type"), 0, "type",
				       sup ? "考评员不能登记督导员证书"
					   : "督导员只能登记督导员证书");
	}
	const char *no = NULL;
	if (kwj_get_string(c, obj, "cert_no", field(c, prefix, "cert_no"), KWJ_REQUIRED,
			   CERT_NO_MAX, &no)) {
		bool ok = strlen(no) >= 4;
		for (const char *p = no; *p; p++)
			ok = ok && (isalnum((unsigned char)*p) || *p == '-');
		if (!ok)
			kw_field_error(c, field(c, prefix, "cert_no"), 0, "format",
				       "证书编号应为 4 到 30 位数字或字母");
		else
			ci->cert_no = no;
	}
	const char *from = NULL, *to = NULL;
	if (kwj_get_string(c, obj, "issued_on", field(c, prefix, "issued_on"), KWJ_REQUIRED, 10,
			   &from) &&
	    !is_date(from)) {
		kw_field_error(c, field(c, prefix, "issued_on"), 0, "date",
			       "颁证日期应为 YYYY-MM-DD 格式的日期");
		from = NULL;
	}
	if (kwj_get_string(c, obj, "valid_until", field(c, prefix, "valid_until"), KWJ_REQUIRED, 10,
			   &to) &&
	    !is_date(to)) {
		kw_field_error(c, field(c, prefix, "valid_until"), 0, "date",
			       "有效期至应为 YYYY-MM-DD 格式的日期");
		to = NULL;
	}
	if (from && to && strcmp(to, from) < 0) {
		kw_field_error(c, field(c, prefix, "valid_until"), 0, "range",
			       "有效期至不能早于颁证日期");
		to = NULL;
	}
	ci->issued_on = from;
	ci->valid_until = to;
	kwj_get_int(c, obj, "org_id", field(c, prefix, "org_id"), KWJ_OPTIONAL, 1, LONG_MAX,
		    &ci->org_id);

	json_object *occ = NULL;
	const char *opath = field(c, prefix, "occupation_ids");
	json_object_object_get_ex(obj, "occupation_ids", &occ);
	if (!occ || !json_object_is_type(occ, json_type_array) ||
	    json_object_array_length(occ) == 0) {
		kw_field_error(c, opath, 0, "required", "请至少选择一个职业/工种");
		return;
	}
	if (json_object_array_length(occ) > MAX_CERT_OCCUPATIONS) {
		kw_field_error(c, opath, 0, "length", "职业/工种过多");
		return;
	}
	for (size_t i = 0; i < json_object_array_length(occ); i++) {
		json_object *v = json_object_array_get_idx(occ, i);
		int64_t id = json_object_is_type(v, json_type_int) ? json_object_get_int64(v) : 0;
		if (id <= 0 || id > 2147483647) {
			kw_field_error(c, arena_printf(c->a, "%s[%zu]", opath, i), 0, "type",
				       "应为职业/工种编号");
			continue;
		}
		bool dup = false;
		for (size_t k = 0; k < ci->nocc; k++)
			dup = dup || ci->occ[k] == (long)id;
		if (!dup)
			ci->occ[ci->nocc++] = (long)id;
	}
}

static struct db_stmt q_org_exists =
    DB_STMT("expert_org_exists", "SELECT id FROM orgs WHERE id = $1::bigint");

static struct db_stmt q_occ_missing = DB_STMT(
    "expert_occ_missing",
    "SELECT x AS id FROM unnest($1::int[]) AS x WHERE x NOT IN (SELECT id FROM occupations)");

static struct db_stmt q_cert_no_taken =
    DB_STMT("expert_cert_no_taken",
	    "SELECT id FROM expert_certificates WHERE cert_no = $1 AND id <> $2::bigint");

/*
 * The database checks of one certificate: its org and occupations exist, its
 * number is not another certificate's (self_id: the certificate being
 * replaced, or 0). Records field errors; returns a database error or KW_OK.
 */
static int check_cert_db(struct kw_ctx *c, const struct cert_in *ci, long self_id)
{
	int err;
	PGresult *r;
	if (ci->org_id > 0) {
		if (!(r = db_query(c, &q_org_exists, &err, db_ltoa(c, ci->org_id))))
			return err;
		if (!PQntuples(r))
			kw_field_error(c, field(c, ci->path, "org_id"), 0, "exists", "机构不存在");
	}
	if (ci->nocc) {
		if (!(r = db_query(c, &q_occ_missing, &err, db_id_array(c, ci->occ, ci->nocc))))
			return err;
		if (PQntuples(r))
			kw_field_error(c, field(c, ci->path, "occupation_ids"), 0, "exists",
				       "所选职业/工种不存在");
	}
	if (ci->cert_no) {
		if (!(r = db_query(c, &q_cert_no_taken, &err, ci->cert_no, db_ltoa(c, self_id))))
			return err;
		if (PQntuples(r))
			kw_field_error(c, field(c, ci->path, "cert_no"), 0, "unique",
				       "该证书编号已登记");
	}
	return KW_OK;
}

static struct db_stmt q_cert_insert =
    DB_STMT("expert_cert_insert",
	    "INSERT INTO expert_certificates (expert_id, category, cert_no, type, issued_on,"
	    " valid_until, org_id) VALUES ($1::bigint, $2, $3, $4, $5::date, $6::date, $7::bigint)"
	    " RETURNING id");

static struct db_stmt q_cert_occ_insert =
    DB_STMT("expert_cert_occ_insert",
	    "INSERT INTO expert_certificate_occupations (certificate_id, occupation_id)"
	    " SELECT $1::bigint, x FROM unnest($2::int[]) AS x");

static struct db_stmt q_cert_occ_clear =
    DB_STMT("expert_cert_occ_clear",
	    "DELETE FROM expert_certificate_occupations WHERE certificate_id = $1::bigint");

/* Insert one checked certificate of expert_id (org default: expert_org). */
static int insert_cert(struct kw_ctx *c, long expert_id, long expert_org, const struct cert_in *ci,
		       long *cert_id)
{
	int err;
	PGresult *r = db_query(c, &q_cert_insert, &err, db_ltoa(c, expert_id), ci->category,
			       ci->cert_no, ci->type, ci->issued_on, ci->valid_until,
			       db_ltoa(c, ci->org_id > 0 ? ci->org_id : expert_org));
	if (!r)
		return err;
	*cert_id = db_long(r, 0, "id");
	if (!db_query(c, &q_cert_occ_insert, &err, db_ltoa(c, *cert_id),
		      db_id_array(c, ci->occ, ci->nocc)))
		return err;
	return KW_OK;
}

/* The audit detail of a certificate. */
static json_object *cert_detail(struct kw_ctx *c, const struct cert_in *ci)
{
	json_object *d = kwj_own(c, json_object_new_object());
	kwj_add_str(d, "category", ci->category);
	kwj_add_str(d, "cert_no", ci->cert_no);
	kwj_add_str(d, "type", ci->type);
	kwj_add_str(d, "issued_on", ci->issued_on);
	kwj_add_str(d, "valid_until", ci->valid_until);
	json_object *occ = json_object_new_array();
	for (size_t i = 0; i < ci->nocc; i++)
		json_object_array_add(occ, json_object_new_int64(ci->occ[i]));
	json_object_object_add(d, "occupation_ids", occ);
	return d;
}

/* The person fields shared by create and update. */
struct person_in {
	const char *name, *id_number, *role, *phone, *email;
	long org_id;
};

static void parse_person(struct kw_ctx *c, json_object *body, struct person_in *p,
			 bool role_required)
{
	memset(p, 0, sizeof(*p));
	kwj_get_string(c, body, "name", NULL, KWJ_REQUIRED, NAME_MAX_CHARS, &p->name);
	const char *idn = NULL;
	if (kwj_get_string(c, body, "id_number", NULL, KWJ_REQUIRED, 18, &idn)) {
		struct idcard_info info;
		if (!idcard_check(idn, c->now, &info))
			kw_field_error(c, "id_number", 0, "R29",
				       "身份证号无效（应为 18 位，出生日期和校验码正确）");
		else
			p->id_number = arena_strdup(c->a, info.normalized);
	}
	if (role_required || json_object_object_get_ex(body, "role", NULL))
		get_code(c, body, "role", "role", role_codes, 2, "角色应为考评员或督导员",
			 &p->role);
	kwj_get_int(c, body, "org_id", NULL, KWJ_REQUIRED, 1, LONG_MAX, &p->org_id);
	if (kwj_get_string(c, body, "phone", NULL, KWJ_OPTIONAL, 20, &p->phone) && p->phone) {
		bool ok = strlen(p->phone) >= 5;
		for (const char *s = p->phone; *s; s++)
			ok = ok &&
			     (isdigit((unsigned char)*s) || *s == '-' || *s == '+' || *s == ' ');
		if (!ok)
			kw_field_error(c, "phone", 0, "format", "联系电话应为数字");
		if (!*p->phone)
			p->phone = NULL;
	}
	if (kwj_get_string(c, body, "email", NULL, KWJ_OPTIONAL, 100, &p->email) && p->email) {
		const char *at = strchr(p->email, '@');
		if (!*p->email)
			p->email = NULL;
		else if (!at || at == p->email || !strchr(at, '.') || strchr(p->email, ' '))
			kw_field_error(c, "email", 0, "format", "电子邮箱格式不正确");
	}
}

/* ------------------------------------------------------------------ create and update */

static struct db_stmt q_id_taken = DB_STMT(
    "expert_id_taken", "SELECT 1 FROM experts WHERE id_number = $1 AND id <> $2::bigint"
		       " UNION ALL SELECT 1 FROM accounts WHERE kind IN ('assessor', 'supervisor')"
		       " AND username = $1 AND (expert_id IS NULL OR expert_id <> $2::bigint)");

static struct db_stmt q_expert_insert = DB_STMT(
    "expert_insert", "INSERT INTO experts (name, id_number, role, org_id, phone, email, created_at)"
		     " VALUES ($1, $2, $3, $4::bigint, $5, $6, $7::timestamptz) RETURNING id");

static struct db_stmt q_account_insert = DB_STMT(
    "expert_account_insert",
    "INSERT INTO accounts (kind, username, role, display_name, expert_id, email, password_hash,"
    " must_change_password, created_at, initial_password_expires)"
    " VALUES ($1, $2, $1, $3, $4::bigint, $5, $6, true, $7::timestamptz,"
    " $7::timestamptz + make_interval(days => $8::int))");

/* Database checks shared by create and update: the org exists, the ID number is free. */
static int check_person_db(struct kw_ctx *c, const struct person_in *p, long self_id)
{
	int err;
	PGresult *r;
	if (p->org_id > 0) {
		if (!(r = db_query(c, &q_org_exists, &err, db_ltoa(c, p->org_id))))
			return err;
		if (!PQntuples(r))
			kw_field_error(c, "org_id", 0, "exists", "机构不存在");
	}
	if (p->id_number) {
		if (!(r = db_query(c, &q_id_taken, &err, p->id_number, db_ltoa(c, self_id))))
			return err;
		if (PQntuples(r))
			kw_field_error(c, "id_number", 0, "unique",
				       "该身份证号已登记为考评/督导人员");
	}
	return KW_OK;
}

int expert_create(struct kw_ctx *c, json_object *body, long *id, const char **initial_password)
{
	struct person_in p;
	int err;
	*initial_password = NULL;
	parse_person(c, body, &p, true);
	json_object *certs = NULL;
	json_object_object_get_ex(body, "certificates", &certs);
	size_t ncert = certs && json_object_is_type(certs, json_type_array)
			   ? json_object_array_length(certs)
			   : 0;
	if (ncert == 0)
		kw_field_error(c, "certificates", 0, "required", "请至少登记一个证书");
	else if (ncert > MAX_CERTS)
		kw_field_error(c, "certificates", 0, "length", "证书过多");
	if (ncert > MAX_CERTS)
		ncert = 0;
	struct cert_in *ci = arena_zalloc(c->a, sizeof(*ci) * (ncert ? ncert : 1));
	for (size_t i = 0; i < ncert; i++) {
		parse_cert(c, json_object_array_get_idx(certs, i),
			   arena_printf(c->a, "certificates[%zu].", i), p.role, &ci[i]);
		for (size_t k = 0; k < i && ci[i].cert_no; k++)
			if (ci[k].cert_no && strcmp(ci[k].cert_no, ci[i].cert_no) == 0)
				kw_field_error(c, field(c, ci[i].path, "cert_no"), 0, "unique",
					       "证书编号重复");
	}
	if ((err = kw_validation_result(c)))
		return err;
	for (size_t i = 0; i < ncert; i++)
		if ((err = check_cert_db(c, &ci[i], 0)))
			return err;
	if ((err = check_person_db(c, &p, 0)))
		return err;
	if ((err = kw_validation_result(c)))
		return err;

	/* First password: the last six characters of the ID number (DESIGN.md section 2), or a
	 * random one (KAOWU_INITIAL_PASSWORD=random) shown once in the answer. */
	char hash[crypto_pwhash_STRBYTES];
	if ((err = auth_initial_password(c, p.id_number + 12, hash, initial_password)))
		return err;

	const char *now = kw_now_text(c);
	if ((err = db_begin(c)))
		return err;
	PGresult *r = db_query(c, &q_expert_insert, &err, p.name, p.id_number, p.role,
			       db_ltoa(c, p.org_id), p.phone, p.email, now);
	if (!r)
		return err;
	*id = db_long(r, 0, "id");
	json_object *cert_ids = json_object_new_array();
	json_object *detail = kwj_own(c, json_object_new_object());
	kwj_add_str(detail, "name", p.name);
	kwj_add_str(detail, "id_number", p.id_number);
	kwj_add_str(detail, "role", p.role);
	kwj_add_int(detail, "org_id", p.org_id);
	json_object_object_add(detail, "certificate_ids", cert_ids);
	for (size_t i = 0; i < ncert; i++) {
		long cid;
		if ((err = insert_cert(c, *id, p.org_id, &ci[i], &cid)))
			return err;
		json_object_array_add(cert_ids, json_object_new_int64(cid));
	}
	if (!db_query(c, &q_account_insert, &err, p.role, p.id_number, p.name, db_ltoa(c, *id),
		      p.email, hash, now, db_ltoa(c, AUTH_INITIAL_DAYS)))
		return err;
	/* Every issue of an initial password tells the account's org (issue 14 item 1). */
	if ((err = audit_write(c, "expert.create", "expert", *id, detail)) ||
	    (err = message_send(
		 c, p.org_id, NULL, 0,
		 arena_printf(c->a, "%s的登录账号已开通：初始密码 %d 天内有效，首次登录须修改密码",
			      p.name, AUTH_INITIAL_DAYS),
		 NULL)))
		return err;
	return db_commit(c);
}

static struct db_stmt q_lock =
    DB_STMT("expert_lock", "SELECT id, name, id_number, role, org_id, phone, email FROM experts"
			   " WHERE id = $1::bigint FOR UPDATE");

static struct db_stmt q_expert_update = DB_STMT(
    "expert_update",
    "UPDATE experts SET name = $2, id_number = $3, org_id = $4::bigint, phone = $5, email = $6"
    " WHERE id = $1::bigint");

static struct db_stmt q_account_update = DB_STMT(
    "expert_account_update", "UPDATE accounts SET username = $2, display_name = $3, email = $4"
			     " WHERE expert_id = $1::bigint");

/* Lock expert id (center scope: every expert); KW_ENOTFOUND when absent. */
static int lock_expert(struct kw_ctx *c, long id, PGresult **out)
{
	int err;
	PGresult *r = db_query(c, &q_lock, &err, db_ltoa(c, id));
	if (!r)
		return err;
	if (!PQntuples(r))
		return kw_fail(c, KW_ENOTFOUND, "专家不存在");
	*out = r;
	return KW_OK;
}

int expert_update(struct kw_ctx *c, long id, json_object *body)
{
	struct person_in p;
	int err;
	PGresult *old;
	parse_person(c, body, &p, false);
	if ((err = kw_validation_result(c)))
		return err;
	if ((err = db_begin(c)))
		return err;
	if ((err = lock_expert(c, id, &old)))
		return err;
	const char *role = db_val(old, 0, "role");
	if (p.role && strcmp(p.role, role) != 0)
		kw_field_error(c, "role", 0, "immutable", "角色不能修改；请为该人员另行登记");
	if ((err = check_person_db(c, &p, id)))
		return err;
	if ((err = kw_validation_result(c)))
		return err;
	if (!db_query(c, &q_expert_update, &err, db_ltoa(c, id), p.name, p.id_number,
		      db_ltoa(c, p.org_id), p.phone, p.email))
		return err;
	if (!db_query(c, &q_account_update, &err, db_ltoa(c, id), p.id_number, p.name, p.email))
		return err;
	json_object *detail = kwj_own(c, json_object_new_object());
	static const char *const cols[] = {"name", "id_number", "org_id", "phone", "email"};
	const char *now[] = {p.name, p.id_number, db_ltoa(c, p.org_id), p.phone, p.email};
	for (size_t i = 0; i < 5; i++) {
		const char *was = db_val(old, 0, cols[i]);
		if ((was == NULL) != (now[i] == NULL) || (was && strcmp(was, now[i]) != 0)) {
			json_object *ch = json_object_new_object();
			kwj_add_str(ch, "from", was);
			kwj_add_str(ch, "to", now[i]);
			json_object_object_add(detail, cols[i], ch);
		}
	}
	if ((err = audit_write(c, "expert.update", "expert", id, detail)))
		return err;
	return db_commit(c);
}

/* ------------------------------------------------------------------ certificates */

int expert_certificate_add(struct kw_ctx *c, long expert_id, json_object *body, long *cert_id)
{
	struct cert_in ci;
	PGresult *old;
	int err;
	if ((err = db_begin(c)))
		return err;
	if ((err = lock_expert(c, expert_id, &old)))
		return err;
	parse_cert(c, body, "", db_val(old, 0, "role"), &ci);
	if ((err = kw_validation_result(c)))
		return err;
	if ((err = check_cert_db(c, &ci, 0)) || (err = kw_validation_result(c)))
		return err;
	if ((err = insert_cert(c, expert_id, db_long(old, 0, "org_id"), &ci, cert_id)))
		return err;
	json_object *d = cert_detail(c, &ci);
	kwj_add_int(d, "certificate_id", *cert_id);
	if ((err = audit_write(c, "expert.certificate_add", "expert", expert_id, d)))
		return err;
	return db_commit(c);
}

static struct db_stmt q_cert_update =
    DB_STMT("expert_cert_update",
	    "UPDATE expert_certificates SET category = $3, cert_no = $4, type = $5,"
	    " issued_on = $6::date, valid_until = $7::date, org_id = COALESCE($8::bigint, org_id)"
	    " WHERE id = $1::bigint AND expert_id = $2::bigint");

int expert_certificate_update(struct kw_ctx *c, long expert_id, long cert_id, json_object *body)
{
	struct cert_in ci;
	PGresult *old, *r;
	int err;
	if ((err = db_begin(c)))
		return err;
	if ((err = lock_expert(c, expert_id, &old)))
		return err;
	parse_cert(c, body, "", db_val(old, 0, "role"), &ci);
	if ((err = kw_validation_result(c)))
		return err;
	if ((err = check_cert_db(c, &ci, cert_id)) || (err = kw_validation_result(c)))
		return err;
	if (!(r = db_query(c, &q_cert_update, &err, db_ltoa(c, cert_id), db_ltoa(c, expert_id),
			   ci.category, ci.cert_no, ci.type, ci.issued_on, ci.valid_until,
			   ci.org_id > 0 ? db_ltoa(c, ci.org_id) : NULL)))
		return err;
	if (strcmp(PQcmdTuples(r), "1") != 0)
		return kw_fail(c, KW_ENOTFOUND, "证书不存在");
	if (!db_query(c, &q_cert_occ_clear, &err, db_ltoa(c, cert_id)) ||
	    !db_query(c, &q_cert_occ_insert, &err, db_ltoa(c, cert_id),
		      db_id_array(c, ci.occ, ci.nocc)))
		return err;
	json_object *d = cert_detail(c, &ci);
	kwj_add_int(d, "certificate_id", cert_id);
	if ((err = audit_write(c, "expert.certificate_update", "expert", expert_id, d)))
		return err;
	return db_commit(c);
}

static struct db_stmt q_cert_delete = DB_STMT(
    "expert_cert_delete",
    "DELETE FROM expert_certificates WHERE id = $1::bigint AND expert_id = $2::bigint"
    " RETURNING cert_no, (SELECT count(*) FROM expert_certificates WHERE expert_id = $2::bigint)"
    " AS n");

int expert_certificate_remove(struct kw_ctx *c, long expert_id, long cert_id)
{
	PGresult *old, *r;
	int err;
	if ((err = db_begin(c)))
		return err;
	if ((err = lock_expert(c, expert_id, &old)))
		return err;
	if (!(r = db_query(c, &q_cert_delete, &err, db_ltoa(c, cert_id), db_ltoa(c, expert_id))))
		return err;
	if (!PQntuples(r))
		return kw_fail(c, KW_ENOTFOUND, "证书不存在");
	/* n counts the certificates as they were before this statement. */
	if (db_long(r, 0, "n") <= 1)
		return kw_fail(c, KW_ECONFLICT, "这是该人员唯一的证书，不能删除；请先登记新证书");
	json_object *d = kwj_own(c, json_object_new_object());
	kwj_add_int(d, "certificate_id", cert_id);
	kwj_add_str(d, "cert_no", db_val(r, 0, "cert_no"));
	if ((err = audit_write(c, "expert.certificate_remove", "expert", expert_id, d)))
		return err;
	return db_commit(c);
}

int expert_my_certificates(struct kw_ctx *c, json_object **items)
{
	if (c->user.expert_id <= 0)
		return kw_fail(c, KW_EFORBIDDEN, "仅考评、督导人员可查看");
	json_object *holder = kwj_own(c, json_object_new_array());
	json_object_array_add(holder, json_object_new_object());
	long id = c->user.expert_id;
	int err = attach_certs(c, holder, &id, 1);
	if (err)
		return err;
	/* the array belongs to holder: hand out an arena-owned copy, never the borrowed child
	 * (kwj_put would take it over, and the worker would free it twice at the end) */
	json_object *certs;
	json_object_object_get_ex(json_object_array_get_idx(holder, 0), "certificates", &certs);
	*items = kwj_own(c, kwj_copy(certs));
	return KW_OK;
}

/* ------------------------------------------------------------------ R9 */

/* A certificate k qualifies for R9: an assessor certificate covering $2, valid on $3. */
#define R9_CERT_SQL                                                                                \
	"k.type IN ('assessor', 'senior_assessor')"                                                \
	" AND EXISTS (SELECT 1 FROM expert_certificate_occupations x WHERE x.certificate_id = "    \
	"k.id"                                                                                     \
	"             AND x.occupation_id IN " COVERS_SQL("$2") ")"

static struct db_stmt q_eligible =
    DB_STMT("expert_eligible",
	    "SELECT e.id, e.name, e.id_number, k.id AS cert_id, k.category, k.cert_no, k.type,"
	    " k.issued_on, k.valid_until"
	    " FROM experts e JOIN expert_certificates k ON k.expert_id = e.id"
	    " WHERE e.org_id = $1::bigint AND e.role = 'assessor' AND " R9_CERT_SQL
	    " AND k.issued_on <= $3::date AND k.valid_until >= $3::date"
	    " ORDER BY e.name COLLATE \"zh-x-icu\", e.id, k.id");

static struct db_stmt q_check =
    DB_STMT("expert_r9_check",
	    "SELECT e.id, e.name, e.role, e.org_id, e.org_id = $1::bigint AS own,"
	    " EXISTS (SELECT 1 FROM expert_certificates k WHERE k.expert_id = e.id AND " R9_CERT_SQL
	    ") AS covers,"
	    " EXISTS (SELECT 1 FROM expert_certificates k WHERE k.expert_id = e.id AND " R9_CERT_SQL
	    " AND k.issued_on <= $3::date AND k.valid_until >= $3::date) AS valid"
	    " FROM experts e WHERE e.id = ANY($4::bigint[])");

int expert_eligible_assessors(struct kw_ctx *c, long org_id, int occupation_id,
			      const char *exam_date, json_object **out)
{
	int err;
	if (!is_date(exam_date)) {
		kw_field_error(c, "exam_date", 0, "date", "考试日期应为 YYYY-MM-DD 格式的日期");
		return KW_EVALIDATION;
	}
	PGresult *r = db_query(c, &q_eligible, &err, db_ltoa(c, org_id),
			       arena_printf(c->a, "%d", occupation_id), exam_date);
	if (!r)
		return err;
	json_object *arr = kwj_own(c, json_object_new_array());
	json_object *cur = NULL, *certs = NULL;
	long cur_id = 0;
	for (int i = 0; i < PQntuples(r); i++) {
		long id = db_long(r, i, "id");
		const char *type = db_val(r, i, "type");
		if (!cur || id != cur_id) {
			cur = json_object_new_object();
			cur_id = id;
			kwj_add_int(cur, "id", id);
			kwj_add_str(cur, "name", db_val(r, i, "name"));
			kwj_add_str(cur, "id_number", db_val(r, i, "id_number"));
			kwj_add_str(cur, "type", "assessor");
			kwj_add_str(cur, "type_text", expert_type_text("assessor"));
			certs = json_object_new_array();
			json_object_object_add(cur, "certificates", certs);
			json_object_array_add(arr, cur);
		}
		if (strcmp(type, "senior_assessor") == 0) {
			kwj_add_str(cur, "type", type);
			kwj_add_str(cur, "type_text", expert_type_text(type));
		}
		json_object *k = json_object_new_object();
		const char *category = db_val(r, i, "category");
		kwj_add_int(k, "id", db_long(r, i, "cert_id"));
		kwj_add_str(k, "category", category);
		kwj_add_str(k, "category_text", expert_category_text(category));
		kwj_add_str(k, "cert_no", db_val(r, i, "cert_no"));
		kwj_add_str(k, "type", type);
		kwj_add_str(k, "type_text", expert_type_text(type));
		kwj_add_str(k, "issued_on", db_val(r, i, "issued_on"));
		kwj_add_str(k, "valid_until", db_val(r, i, "valid_until"));
		json_object_array_add(certs, k);
	}
	*out = arr;
	return KW_OK;
}

/* Check one person against the q_check result; records an R9 error under name. */
static void check_one(struct kw_ctx *c, const PGresult *r, long org_id, const char *exam_date,
		      long id, const char *name)
{
	for (int i = 0; i < PQntuples(r); i++) {
		if (db_long(r, i, "id") != id)
			continue;
		const char *who = db_val(r, i, "name");
		if (db_long(r, i, "org_id") != org_id)
			break; /* another org's person: no name, as for an unknown id */
		if (strcmp(db_val(r, i, "role"), "assessor") != 0)
			kw_field_error(c, name, 0, "R9",
				       arena_printf(c->a, "%s不是本机构的考评员", who));
		else if (!db_bool(r, i, "covers"))
			kw_field_error(c, name, 0, "R9",
				       arena_printf(c->a, "%s的考评员证书不含此职业/工种", who));
		else if (!db_bool(r, i, "valid"))
			kw_field_error(c, name, 0, "R9",
				       arena_printf(c->a,
						    "%s的考评员证书在考试日期 %s 不在有效期内", who,
						    exam_date));
		return;
	}
	kw_field_error(c, name, 0, "R9", "所选人员不是本机构的考评员");
}

int expert_check_assessors_at(struct kw_ctx *c, const char *prefix, long org_id, int occupation_id,
			      const char *exam_date, long chief_id, const long *ids, size_t n)
{
	int err;
	prefix = prefix ? prefix : "";
	if (chief_id <= 0 && n == 0)
		return KW_OK;
	if (!is_date(exam_date)) {
		/* Without a date R9 cannot be judged; the caller reports the date itself. */
		return KW_OK;
	}
	long *all = arena_alloc(c->a, sizeof(long) * (n + 1));
	size_t m = 0;
	if (chief_id > 0)
		all[m++] = chief_id;
	for (size_t i = 0; i < n; i++)
		all[m++] = ids[i] > 0 ? ids[i] : 0;
	PGresult *r =
	    db_query(c, &q_check, &err, db_ltoa(c, org_id), arena_printf(c->a, "%d", occupation_id),
		     exam_date, db_id_array(c, all, m));
	if (!r)
		return err;
	size_t before = c->err_fields ? json_object_array_length(c->err_fields) : 0;
	if (chief_id > 0)
		check_one(c, r, org_id, exam_date, chief_id,
			  arena_printf(c->a, "%schief_assessor_id", prefix));
	for (size_t i = 0; i < n; i++)
		check_one(c, r, org_id, exam_date, ids[i],
			  arena_printf(c->a, "%sassessor_ids[%zu]", prefix, i));
	size_t after = c->err_fields ? json_object_array_length(c->err_fields) : 0;
	return after > before ? KW_EVALIDATION : KW_OK;
}

int expert_check_assessors(struct kw_ctx *c, long org_id, int occupation_id, const char *exam_date,
			   long chief_id, const long *ids, size_t n)
{
	return expert_check_assessors_at(c, "", org_id, occupation_id, exam_date, chief_id, ids, n);
}

int expert_eligible_in_scope(struct kw_ctx *c, long org_id, int occupation_id,
			     const char *exam_date, json_object **out)
{
	int err = org_check_scope(c, org_id);
	if (err)
		return err;
	return expert_eligible_assessors(c, org_id, occupation_id, exam_date, out);
}

/* ------------------------------------------------------------------ initial password */

static struct db_stmt q_expert_account =
    DB_STMT("expert_account_of", "SELECT e.id_number, e.name, e.org_id, a.id AS account_id"
				 " FROM experts e JOIN accounts a ON a.expert_id = e.id"
				 " WHERE e.id = $1 FOR UPDATE OF a");

int expert_reissue_password(struct kw_ctx *c, long id, json_object **out)
{
	int err;
	if (!(c->user.role & R_CENTER))
		return kw_fail(c, KW_EFORBIDDEN, "考评员与督导员的初始密码由中心发放");
	PGresult *r = db_query(c, &q_expert_account, &err, db_ltoa(c, id));
	if (!r)
		return err;
	if (PQntuples(r) != 1)
		return kw_fail(c, KW_ENOTFOUND, "人员不存在");
	const char *idn = arena_strdup(c->a, db_val(r, 0, "id_number"));
	const char *name = arena_strdup(c->a, db_val(r, 0, "name"));
	long org_id = db_long(r, 0, "org_id"), account_id = db_long(r, 0, "account_id");
	const char *shown;
	char hash[crypto_pwhash_STRBYTES];
	if ((err = auth_initial_password(c, idn + 12, hash, &shown)))
		return err;
	if ((err = db_begin(c)))
		return err;
	if (!db_query(c, &q_expert_account, &err, db_ltoa(c, id)))
		return err;
	struct auth_reissue ri = {.account_id = account_id,
				  .hash = hash,
				  .shown = shown,
				  .rule = "id_last6",
				  .audit = "expert.initial_password",
				  .object_type = "expert",
				  .object_id = id,
				  .notify_org = org_id,
				  .name = name};
	return auth_initial_reissue(c, &ri, out);
}
