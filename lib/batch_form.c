/* batch_form.c - the application form of a batch: its rules (R4-R10), its name (R12), create and
 * update, and the check again on submit. See batch.h. */
#include "batch_int.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "core/clock.h"
#include "core/json.h"
#include "db/db.h"
#include "expert.h"
#include "file.h"
#include "ref.h"

/* ------------------------------------------------------------------ the form (R4-R10) */

/* One item of the form after checking. */
struct item_in {
	const char *category;
	bool in_plan, dual, standard;
	const char *exam_date;
	long level, occupation, direction, count, chief, syllabus;
	long *assessors;
	size_t nassessors;
};

/*
 * One item as given, before the rules: from the request's JSON (read_item: type errors are
 * recorded there, and a badly typed value reads as absent-but-present) or from the stored rows
 * (q_stored_items on submit). has_* tell which keys were given at all.
 */
struct item_raw {
	bool has_category, has_exam_date, has_level, has_occupation, has_direction, has_count;
	bool has_chief, has_syllabus;
	const char *category, *exam_date;		    /* NULL when not a string */
	long level, occupation, direction, chief, syllabus; /* 0 when not a valid number */
	bool count_ok;					    /* count is a number */
	long count;
	bool in_plan, dual, standard;
	long *assessors;
	size_t nassessors;
	bool assessors_ok; /* the list is well formed (no type errors, no repeats) */
};

static struct db_stmt q_in_scope = DB_STMT(
    "batch_r7_scope", "SELECT EXISTS (SELECT 1 FROM org_scopes WHERE org_id = $1 AND category = $2"
		      " AND occupation_id = $3)");

/* Read a list of positive ids (no repeats) at key; records errors under path[i]. */
bool batch_read_ids(struct kw_ctx *c, json_object *o, const char *key, const char *path,
		    const char *rule, const char *what, long **ids, size_t *n)
{
	json_object *a = NULL;
	*ids = NULL;
	*n = 0;
	json_object_object_get_ex(o, key, &a);
	if (!a || json_object_is_type(a, json_type_null))
		return true;
	if (!json_object_is_type(a, json_type_array)) {
		kw_field_error(c, path, 0, "type", arena_printf(c->a, "%s应为列表", what));
		return false;
	}
	size_t len = json_object_array_length(a);
	if (len > BATCH_MAX_PEOPLE) {
		kw_field_error(c, path, 0, "length",
			       arena_printf(c->a, "%s最多 %d 位", what, BATCH_MAX_PEOPLE));
		return false;
	}
	long *out = arena_alloc(c->a, sizeof(long) * (len + 1));
	bool ok = true;
	for (size_t i = 0; i < len; i++) {
		json_object *e = json_object_array_get_idx(a, i);
		const char *p = arena_printf(c->a, "%s[%zu]", path, i);
		if (!e || !json_object_is_type(e, json_type_int) || json_object_get_int64(e) <= 0 ||
		    json_object_get_int64(e) > LONG_MAX / 2) {
			kw_field_error(c, p, 0, "type", arena_printf(c->a, "请选择%s", what));
			ok = false;
			continue;
		}
		out[i] = (long)json_object_get_int64(e);
		for (size_t j = 0; j < i; j++)
			if (out[j] == out[i]) {
				kw_field_error(c, p, 0, rule, arena_printf(c->a, "%s重复", what));
				ok = false;
			}
	}
	*ids = out;
	*n = len;
	return ok;
}

/* Read one item of the request (types only; type errors recorded under pre). */
static void read_item(struct kw_ctx *c, json_object *o, const char *pre, struct item_raw *r)
{
#define F(name) arena_printf(c->a, "%s" name, pre)
	memset(r, 0, sizeof(*r));
	const char *str = NULL;
	if ((r->has_category = batch_present(o, "category")) &&
	    kwj_get_string(c, o, "category", F("category"), KWJ_OPTIONAL, 20, &str))
		r->category = str;
	kwj_get_bool(c, o, "in_annual_plan", F("in_annual_plan"), KWJ_OPTIONAL, &r->in_plan);
	kwj_get_bool(c, o, "dual_cert", F("dual_cert"), KWJ_OPTIONAL, &r->dual);
	kwj_get_bool(c, o, "standard_equipped", F("standard_equipped"), KWJ_OPTIONAL, &r->standard);
	str = NULL;
	if ((r->has_exam_date = batch_present(o, "exam_date")) &&
	    kwj_get_string(c, o, "exam_date", F("exam_date"), KWJ_OPTIONAL, 10, &str))
		r->exam_date = str;
	if ((r->has_level = batch_present(o, "level")) &&
	    !kwj_get_int(c, o, "level", F("level"), KWJ_OPTIONAL, 1, 5, &r->level))
		r->level = 0;
	if ((r->has_occupation = batch_present(o, "occupation_id")) &&
	    !kwj_get_int(c, o, "occupation_id", F("occupation_id"), KWJ_OPTIONAL, 1, INT_MAX,
			 &r->occupation))
		r->occupation = 0;
	if ((r->has_direction = batch_present(o, "direction_id")) &&
	    !kwj_get_int(c, o, "direction_id", F("direction_id"), KWJ_OPTIONAL, 1, INT_MAX,
			 &r->direction))
		r->direction = 0;
	if ((r->has_count = batch_present(o, "count")))
		r->count_ok = kwj_get_int(c, o, "count", F("count"), KWJ_OPTIONAL, LONG_MIN,
					  LONG_MAX, &r->count);
	if ((r->has_chief = batch_present(o, "chief_assessor_id")) &&
	    !kwj_get_int(c, o, "chief_assessor_id", F("chief_assessor_id"), KWJ_OPTIONAL, 1,
			 LONG_MAX / 2, &r->chief))
		r->chief = 0;
	r->assessors_ok = batch_read_ids(c, o, "assessor_ids", F("assessor_ids"), "R4", "考评员",
					 &r->assessors, &r->nassessors);
	if ((r->has_syllabus = batch_present(o, "syllabus_file_id")) &&
	    !kwj_get_int(c, o, "syllabus_file_id", F("syllabus_file_id"), KWJ_OPTIONAL, 1,
			 LONG_MAX / 2, &r->syllabus))
		r->syllabus = 0;
#undef F
}

/* The rules R4-R10 over one item (items[i] in field names); fills *it. Records field errors;
 * returns only database errors. */
static int check_item(struct kw_ctx *c, long org_id, const struct item_raw *r, size_t i,
		      struct item_in *it)
{
	int err;
	const char *pre = arena_printf(c->a, "items[%zu].", i);
#define F(name) arena_printf(c->a, "%s" name, pre)
	memset(it, 0, sizeof(*it));

	/* category (R4) and the flags */
	const char *cat = r->category;
	if (!r->has_category) {
		kw_field_error(c, F("category"), 0, "R4", "请选择种类");
	} else if (cat && !ref_category_name(cat)) {
		kw_field_error(
		    c, F("category"), 0, "R4",
		    "种类应为 national（国家职业技能鉴定）或 industry（行业能力水平评价）");
		cat = NULL;
	}
	it->category = cat;
	it->in_plan = r->in_plan;
	it->dual = r->dual;
	it->standard = r->standard;
	if (it->dual && cat && strcmp(cat, "national"))
		kw_field_error(c, F("dual_cert"), 0, "R4", "只有国家职业技能鉴定可以允许申请双证");

	/* exam date (R4, R5) */
	long day = 0;
	bool day_ok = false, parsed = false;
	long today = batch_today(c);
	if (!r->has_exam_date)
		kw_field_error(c, F("exam_date"), 0, "R4", "请选择计划鉴定/评价时间");
	else if (r->exam_date) {
		if (!(parsed = batch_parse_day(r->exam_date, &day)))
			kw_field_error(c, F("exam_date"), 0, "format", "日期格式应为 YYYY-MM-DD");
		else if (day < today + R5_LEAD_DAYS)
			kw_field_error(c, F("exam_date"), 0, "R5",
				       arena_printf(c->a, "考试时间距申请不少于 %d 天，最早可选 %s",
						    R5_LEAD_DAYS,
						    batch_format_day(c, today + R5_LEAD_DAYS)));
		else if (day > today + MAX_AHEAD_DAYS)
			kw_field_error(c, F("exam_date"), 0, "range", "考试时间不能晚于两年之后");
		else
			day_ok = true;
	}
	it->exam_date = day_ok ? batch_format_day(c, day) : NULL;

	/* level, occupation, direction (R4, R6, R7) */
	long level = r->level, occ = r->occupation, dir = r->direction;
	if (!r->has_level)
		kw_field_error(c, F("level"), 0, "R4", "请选择计划鉴定/评价等级");
	struct ref_occupation oc = {0}, dc = {0};
	if (!r->has_occupation) {
		kw_field_error(c, F("occupation_id"), 0, "R4", "请选择计划鉴定/评价工种");
	} else if (occ) {
		if ((err = ref_occupation_get(c, occ, &oc)))
			return err;
		if (!oc.id) {
			kw_field_error(c, F("occupation_id"), 0, "R7", "职业/工种不存在");
			occ = 0;
		} else if (oc.parent_id) {
			kw_field_error(
			    c, F("occupation_id"), 0, "R4",
			    arena_printf(c->a, "%s是职业方向，请选择其所属职业，再选择职业方向",
					 oc.name));
			occ = 0;
		}
	}
	/* the direction is optional (可以选择); one given must belong to the occupation */
	if (r->has_direction && dir && occ) {
		if ((err = ref_occupation_get(c, dir, &dc)))
			return err;
		if (cat && strcmp(cat, "national")) {
			kw_field_error(c, F("direction_id"), 0, "R4",
				       "只有国家职业技能鉴定可以选择职业方向");
			dir = 0;
		} else if (!dc.id || dc.parent_id != occ) {
			kw_field_error(c, F("direction_id"), 0, "R4",
				       arena_printf(c->a, "所选职业方向不属于%s", oc.name));
			dir = 0;
		}
	}
	if (occ && cat) {
		bool in_cat = !strcmp(cat, "national") ? oc.national : oc.industry;
		PGresult *res =
		    db_query(c, &q_in_scope, &err, db_ltoa(c, org_id), cat, db_ltoa(c, occ));
		if (!res)
			return err;
		if (!in_cat || PQgetvalue(res, 0, 0)[0] != 't')
			kw_field_error(c, F("occupation_id"), 0, "R7",
				       arena_printf(c->a, "%s不在本机构%s的批准范围内", oc.name,
						    ref_category_name(cat)));
	}
	if (occ && level) {
		bool ok = oc.levels & (1u << level);
		if (dir && dc.id)
			ok = ok && (dc.levels & (1u << level));
		if (!ok)
			kw_field_error(c, F("level"), 0, "R6",
				       arena_printf(c->a, "%s的职业标准中没有%s这一等级",
						    dir && dc.id ? dc.name : oc.name,
						    ref_level_label((int)level)));
	}
	it->level = level;
	it->occupation = occ;
	it->direction = dir;

	/* count (R8) */
	long count = 0;
	if (!r->has_count) {
		kw_field_error(c, F("count"), 0, "R4", "请填写计划鉴定/评价人数");
	} else if (r->count_ok) {
		count = r->count;
		if (count < 1 || count > 100) {
			kw_field_error(c, F("count"), 0, "R8",
				       "每个职业每个等级的人数应为 1–100 人");
			count = 0;
		}
	}
	it->count = count;

	/* chief assessor and assessors (R4, R9) */
	if (!r->has_chief)
		kw_field_error(c, F("chief_assessor_id"), 0, "R4", "请选择考评组长");
	long chief = r->chief;
	bool ids_ok = r->assessors_ok;
	size_t n = r->nassessors;
	if (ids_ok && n == 0) {
		kw_field_error(c, F("assessor_ids"), 0, "R4", "请至少选择一位考评员");
		ids_ok = false;
	}
	it->chief = chief;
	it->assessors = r->assessors;
	it->nassessors = ids_ok ? n : 0;
	if (parsed && occ && (chief > 0 || (ids_ok && n))) {
		/* R9 is judged on the date given even when R5 refuses it */
		err = expert_check_assessors_at(c, pre, org_id, (int)(dir ? dir : occ),
						batch_format_day(c, day), chief,
						ids_ok ? r->assessors : NULL, ids_ok ? n : 0);
		if (err && err != KW_EVALIDATION)
			return err;
	}

	/* training syllabus (R10) */
	long syl = r->syllabus;
	if (syl > 0) {
		bool ok;
		if ((err = file_usable(c, syl, FILE_WORD, org_id, &ok, NULL)))
			return err;
		if (!ok) {
			kw_field_error(c, F("syllabus_file_id"), 0, "R10",
				       "培训大纲须为本机构上传的 doc、docx 文件");
			syl = 0;
		}
	} else if (level && level <= 2 && !r->has_syllabus) {
		kw_field_error(c, F("syllabus_file_id"), 0, "R10",
			       "技师、高级技师鉴定需上传培训大纲（doc、docx 文件）");
	}
	it->syllabus = syl;
#undef F
	return KW_OK;
}

/* Each item against the ones before it: one per category x occupation x direction x level. */
static void check_repeat(struct kw_ctx *c, const struct item_in *it, size_t i)
{
	for (size_t j = 0; j < i; j++) {
		if (it[i].occupation && it[j].occupation == it[i].occupation &&
		    it[j].direction == it[i].direction && it[j].level == it[i].level &&
		    it[i].category && it[j].category && !strcmp(it[j].category, it[i].category)) {
			kw_field_error(
			    c, arena_printf(c->a, "items[%zu].occupation_id", i), 0, "R4",
			    arena_printf(c->a, "与第 %zu 条重复：每个职业/工种、每个等级只增加一次",
					 j + 1));
			return;
		}
	}
}

/* No one of the checked items' people serves another batch on the item's exam date; inside the
 * transaction (it takes the people lock). */
static int check_free(struct kw_ctx *c, long batch_id, const struct item_in *it, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int err = batch_people_check_free(c, batch_id, it[i].exam_date,
						  arena_printf(c->a, "items[%zu].", i),
						  "chief_assessor_id", it[i].chief, "assessor_ids",
						  it[i].assessors, it[i].nassessors);
		if (err && err != KW_EVALIDATION)
			return err;
	}
	return kw_validation_result(c);
}

/* Check the whole form; *items and *n are set when it passes (KW_EVALIDATION otherwise). */
static int check_form(struct kw_ctx *c, long org_id, json_object *body, struct item_in **items,
		      size_t *n)
{
	int err;
	json_object *a = NULL;
	*items = NULL;
	*n = 0;
	if ((err = batch_need_object(c, body)))
		return err;
	json_object_object_get_ex(body, "items", &a);
	if (!a || json_object_is_type(a, json_type_null)) {
		kw_field_error(c, "items", 0, "R4", "请至少增加一条批次细则");
		return KW_EVALIDATION;
	}
	if (!json_object_is_type(a, json_type_array)) {
		kw_field_error(c, "items", 0, "type", "批次细则应为列表");
		return KW_EVALIDATION;
	}
	size_t len = json_object_array_length(a);
	if (len == 0) {
		kw_field_error(c, "items", 0, "R4", "请至少增加一条批次细则");
		return KW_EVALIDATION;
	}
	if (len > BATCH_MAX_ITEMS) {
		kw_field_error(c, "items", 0, "length",
			       arena_printf(c->a, "一个批次最多 %d 条细则", BATCH_MAX_ITEMS));
		return KW_EVALIDATION;
	}
	struct item_in *it = arena_zalloc(c->a, sizeof(*it) * len);
	for (size_t i = 0; i < len; i++) {
		json_object *o = json_object_array_get_idx(a, i);
		if (!o || !json_object_is_type(o, json_type_object)) {
			kw_field_error(c, arena_printf(c->a, "items[%zu]", i), 0, "type",
				       "批次细则应为对象");
			continue;
		}
		struct item_raw raw;
		read_item(c, o, arena_printf(c->a, "items[%zu].", i), &raw);
		if ((err = check_item(c, org_id, &raw, i, &it[i])))
			return err;
		check_repeat(c, it, i);
	}
	if ((err = kw_validation_result(c)))
		return err;
	*items = it;
	*n = len;
	return KW_OK;
}

static struct db_stmt q_items_clear =
    DB_STMT("batch_items_clear", "DELETE FROM batch_items WHERE batch_id = $1");
static struct db_stmt q_item_insert = DB_STMT(
    "batch_item_insert",
    "INSERT INTO batch_items (batch_id, pos, category, in_annual_plan, dual_cert, exam_date,"
    " level, occupation_id, direction_id, count, standard_equipped, chief_assessor_id,"
    " syllabus_file_id) VALUES ($1, $2, $3, $4, $5, $6::date, $7, $8, $9, $10, $11, $12, $13)"
    " RETURNING id");
static struct db_stmt q_item_people =
    DB_STMT("batch_item_people",
	    "INSERT INTO batch_item_experts (item_id, role, expert_id, pos)"
	    " SELECT $1, $2, t.x, t.ord FROM unnest($3::bigint[]) WITH ORDINALITY AS t(x, ord)");

static const char *tf(bool b)
{
	return b ? "true" : "false";
}

/* Write the items of a checked form (the batch's old items are removed first). */
static int save_items(struct kw_ctx *c, long batch_id, const struct item_in *it, size_t n)
{
	int err;
	if (!db_query(c, &q_items_clear, &err, db_ltoa(c, batch_id)))
		return err;
	for (size_t i = 0; i < n; i++) {
		PGresult *res =
		    db_query(c, &q_item_insert, &err, db_ltoa(c, batch_id), db_ltoa(c, (long)i + 1),
			     it[i].category, tf(it[i].in_plan), tf(it[i].dual), it[i].exam_date,
			     db_ltoa(c, it[i].level), db_ltoa(c, it[i].occupation),
			     it[i].direction ? db_ltoa(c, it[i].direction) : NULL,
			     db_ltoa(c, it[i].count), tf(it[i].standard), db_ltoa(c, it[i].chief),
			     it[i].syllabus ? db_ltoa(c, it[i].syllabus) : NULL);
		if (!res)
			return err;
		if (!db_query(c, &q_item_people, &err, PQgetvalue(res, 0, 0), "assessor",
			      db_id_array(c, it[i].assessors, it[i].nassessors)))
			return err;
	}
	return KW_OK;
}

/* The stored items of a batch, to check them again on submit. */
static struct db_stmt q_stored_items = DB_STMT(
    "batch_stored_items",
    "SELECT i.category, i.in_annual_plan, i.dual_cert, i.exam_date::text AS exam_date, i.level,"
    " i.occupation_id, i.direction_id, i.count, i.standard_equipped, i.chief_assessor_id,"
    " i.syllabus_file_id, (SELECT string_agg(x.expert_id::text, ',' ORDER BY x.pos)"
    "  FROM batch_item_experts x WHERE x.item_id = i.id AND x.role = 'assessor') AS assessors"
    " FROM batch_items i WHERE i.batch_id = $1 ORDER BY i.pos");

/* One stored row as an item as given (every stored value is well typed). */
static void stored_item(struct kw_ctx *c, const PGresult *res, int i, struct item_raw *r)
{
	memset(r, 0, sizeof(*r));
	r->category = db_val(res, i, "category");
	r->has_category = r->category != NULL;
	r->in_plan = db_bool(res, i, "in_annual_plan");
	r->dual = db_bool(res, i, "dual_cert");
	r->standard = db_bool(res, i, "standard_equipped");
	r->exam_date = db_val(res, i, "exam_date");
	r->has_exam_date = r->exam_date != NULL;
	r->level = db_long(res, i, "level");
	r->has_level = r->level != 0;
	r->occupation = db_long(res, i, "occupation_id");
	r->has_occupation = r->occupation != 0;
	r->direction = db_long(res, i, "direction_id");
	r->has_direction = r->direction != 0;
	r->count = db_long(res, i, "count");
	r->has_count = r->count_ok = db_val(res, i, "count") != NULL;
	r->chief = db_long(res, i, "chief_assessor_id");
	r->has_chief = r->chief != 0;
	r->syllabus = db_long(res, i, "syllabus_file_id");
	r->has_syllabus = r->syllabus != 0;
	const char *ids = db_val(res, i, "assessors");
	size_t n = 0;
	for (const char *p = ids; p && *p; p++)
		n += *p == ',';
	r->assessors = arena_alloc(c->a, sizeof(long) * (n + 2));
	for (const char *p = ids; p && *p;) {
		char *end;
		r->assessors[r->nassessors++] = strtol(p, &end, 10);
		p = *end == ',' ? end + 1 : end + strlen(end);
	}
	r->assessors_ok = true;
}

int batch_check_stored(struct kw_ctx *c, const struct wf_subject *s)
{
	int err;
	PGresult *res = db_query(c, &q_stored_items, &err, db_ltoa(c, s->id));
	if (!res)
		return err;
	size_t n = (size_t)PQntuples(res);
	if (!n) {
		kw_field_error(c, "items", 0, "R4", "请至少增加一条批次细则");
		return KW_EVALIDATION;
	}
	struct item_in *it = arena_zalloc(c->a, sizeof(*it) * n);
	for (size_t i = 0; i < n; i++) {
		struct item_raw raw;
		stored_item(c, res, (int)i, &raw);
		if ((err = check_item(c, s->org_id, &raw, i, &it[i])))
			return err;
		check_repeat(c, it, i);
	}
	if ((err = kw_validation_result(c)))
		return err;
	return check_free(c, s->id, it, n);
}

int batch_item_people_save(struct kw_ctx *c, long item_id, const char *role, const long *ids,
			   size_t n)
{
	int err;
	return db_query(c, &q_item_people, &err, db_ltoa(c, item_id), role, db_id_array(c, ids, n))
		   ? KW_OK
		   : err;
}

/* ------------------------------------------------------------------ create, update */

static struct db_stmt q_counter =
    DB_STMT("batch_counter",
	    "INSERT INTO batch_counters (org_id, year, n) VALUES ($1, $2, 1)"
	    " ON CONFLICT (org_id, year) DO UPDATE SET n = batch_counters.n + 1 RETURNING n");
static struct db_stmt q_org_name =
    DB_STMT("batch_org_name", "SELECT name, kind FROM orgs WHERE id = $1");
static struct db_stmt q_insert = DB_STMT(
    "batch_insert",
    "INSERT INTO batches (org_id, year, seq, name, status, created_by, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, 'draft', $5, $6, $6) RETURNING id");

int batch_create(struct kw_ctx *c, json_object *body, long *id)
{
	int err;
	struct item_in *items;
	size_t n;
	*id = 0;
	long org_id = c->user.org_id;
	if (!(c->user.role & R_STATION) || org_id <= 0)
		return kw_fail(c, KW_EFORBIDDEN, "只有鉴定站可以申请批次");
	if ((err = check_form(c, org_id, body, &items, &n)))
		return err;
	if ((err = db_begin(c)) || (err = check_free(c, 0, items, n)))
		return err;
	PGresult *org = db_query(c, &q_org_name, &err, db_ltoa(c, org_id));
	if (!org)
		return err;
	if (!PQntuples(org))
		return kw_fail(c, KW_ENOTFOUND, "机构不存在");
	char date[16];
	kw_format_date(c->now, date, sizeof(date));
	const char *year = arena_strndup(c->a, date, 4);
	PGresult *cnt = db_query(c, &q_counter, &err, db_ltoa(c, org_id), year);
	if (!cnt)
		return err;
	/* R12: {org name}{year}年第{n}次鉴定 */
	const char *name = arena_printf(c->a, "%s%s年第%s次鉴定", PQgetvalue(org, 0, 0), year,
					PQgetvalue(cnt, 0, 0));
	PGresult *res =
	    db_query(c, &q_insert, &err, db_ltoa(c, org_id), year, PQgetvalue(cnt, 0, 0), name,
		     db_ltoa(c, c->user.id), kw_now_text(c));
	if (!res)
		return err;
	*id = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	if ((err = save_items(c, *id, items, n)))
		return err;
	json_object *d = kwj_own(c, json_object_new_object());
	kwj_add_str(d, "name", name);
	kwj_add_int(d, "items", (long)n);
	if ((err = audit_write(c, "batch.create", "batch", *id, d)))
		return err;
	return db_commit(c);
}

int batch_update(struct kw_ctx *c, long id, json_object *body)
{
	int err;
	struct wf_subject b;
	const struct wf_row *t;
	struct item_in *items;
	size_t n;
	if (!wf_may(&batch_wf, BA_EDIT, c->user.role, ~0u))
		return kw_fail(c, KW_EFORBIDDEN, "只有申请机构可以修改批次");
	if ((err = batch_need_object(c, body)))
		return err;
	if ((err = wf_begin(c, &batch_wf, id, "edit", &b, &t)))
		return err;
	if ((err = check_form(c, b.org_id, body, &items, &n)) ||
	    (err = check_free(c, id, items, n)))
		return err;
	if ((err = save_items(c, id, items, n)) || (err = batch_touch(c, id)))
		return err;
	json_object *d = kwj_own(c, json_object_new_object());
	kwj_add_str(d, "status", b.status);
	kwj_add_int(d, "items", (long)n);
	if ((err = audit_write(c, "batch.update", "batch", id, d)))
		return err;
	return db_commit(c);
}

/* ------------------------------------------------------------------ deleting a draft */

static struct db_stmt q_delete_draft =
    DB_STMT("batch_delete_draft", "DELETE FROM batches WHERE id = $1 AND status = 'draft'"
				  " RETURNING org_id, year, seq, name");
static struct db_stmt q_counter_back =
    DB_STMT("batch_counter_back", "UPDATE batch_counters SET n = n - 1"
				  " WHERE org_id = $1 AND year = $2 AND n = $3");

int batch_delete(struct kw_ctx *c, long id)
{
	int err;
	struct wf_subject s;
	if ((err = db_begin(c)) || (err = batch_load(c, id, true, &s)))
		return err;
	if (!(c->user.role & R_STATION) || c->user.org_id != s.org_id)
		return kw_fail(c, KW_EFORBIDDEN, "只有申请机构可以删除自己的草稿");
	if (strcmp(s.status, "draft"))
		return kw_fail(c, KW_ECONFLICT,
			       arena_printf(c->a, "批次当前状态为“%s”，只能删除草稿",
					    batch_status_text(c, s.status, s.status_param)));
	PGresult *res = db_query(c, &q_delete_draft, &err, db_ltoa(c, id));
	if (!res)
		return err;
	if (!PQntuples(res))
		return kw_fail(c, KW_ECONFLICT, "批次的状态已改变，请刷新后重试");
	/* R12: the last number of the org and year is given back; an earlier one stays a gap
	 * (names already given never change). */
	if (!db_query(c, &q_counter_back, &err, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
		      PQgetvalue(res, 0, 2)))
		return err;
	json_object *detail = kwj_own(c, json_object_new_object());
	kwj_add_str(detail, "name", PQgetvalue(res, 0, 3));
	if ((err = audit_write(c, "batch.delete", "batch", id, detail)))
		return err;
	return db_commit(c);
}
