/* plan_items.c - the items of an annual plan: parsing and the rules R1, R6, R7, and storing them.
 */
#include "plan_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/json.h"
#include "db/db.h"
#include "ref.h"

static struct db_stmt q_insert_item =
    DB_STMT("plan_insert_item",
	    "INSERT INTO plan_items (plan_id, pos, category, level, occupation_id, count,"
	    " train_theory_date, train_practical_date, exam_theory_date, exam_practical_date,"
	    " standard_equipped) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)");
/* R7: the org's approved scope; a level-2 org's own exams: its own scope or its stations'. */
static struct db_stmt q_in_scope = DB_STMT(
    "plan_in_scope",
    "SELECT 1 FROM org_scopes s WHERE s.category = $2 AND s.occupation_id = $3 AND"
    " (s.org_id = $1 OR s.org_id IN (SELECT c.id FROM orgs c WHERE c.parent_id = $1)) LIMIT 1");

/* ------------------------------------------------------------------ items (R1, R6, R7) */

static const char *const date_keys[4] = {"train_theory_date", "train_practical_date",
					 "exam_theory_date", "exam_practical_date"};
static const char *const date_labels[4] = {"预计培训时间（理论）", "预计培训时间（实操）",
					   "预计考试时间（理论）", "预计考试时间（实操）"};

/* A member that is present and not JSON null, else NULL. */
static json_object *member(json_object *o, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return NULL;
	return v;
}

static const char *path_of(struct kw_ctx *c, int i, const char *key)
{
	return arena_printf(c->a, "items[%d].%s", i, key);
}

/* An integer member of item i; missing is an R1 error. */
static bool item_int(struct kw_ctx *c, json_object *o, int i, const char *key, const char *label,
		     long *out)
{
	json_object *v = member(o, key);
	if (!v) {
		kw_field_error(c, path_of(c, i, key), 0, "R1",
			       arena_printf(c->a, "请填写%s", label));
		return false;
	}
	if (!json_object_is_type(v, json_type_int)) {
		kw_field_error(c, path_of(c, i, key), 0, "type",
			       arena_printf(c->a, "%s应为整数", label));
		return false;
	}
	*out = (long)json_object_get_int64(v);
	return true;
}

/* "YYYY-MM-DD", a real date between 2000 and 2100. */
static bool valid_date(const char *s)
{
	time_t t;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int k = 0; k < 10; k++)
		if (k != 4 && k != 7 && (s[k] < '0' || s[k] > '9'))
			return false;
	int y = atoi(s);
	return y >= 2000 && y <= 2100 && kw_parse_time(s, &t);
}

/* Parse and check item i of the body (R1 shape only; R6/R7 need the database). */
static void item_parse(struct kw_ctx *c, json_object *o, int i, struct plan_item *it)
{
	memset(it, 0, sizeof(*it));
	if (!json_object_is_type(o, json_type_object)) {
		kw_field_error(c, arena_printf(c->a, "items[%d]", i), 0, "type", "应为对象");
		return;
	}
	json_object *v = member(o, "category");
	if (!v)
		kw_field_error(c, path_of(c, i, "category"), 0, "R1", "请选择类别");
	else if (!json_object_is_type(v, json_type_string) ||
		 (strcmp(json_object_get_string(v), "national") &&
		  strcmp(json_object_get_string(v), "industry")))
		kw_field_error(
		    c, path_of(c, i, "category"), 0, "enum",
		    "类别应为 national（国家职业技能鉴定）或 industry（行业能力水平评价）");
	else
		it->category = arena_strdup(c->a, json_object_get_string(v));

	if (item_int(c, o, i, "level", "等级", &it->level) && (it->level < 1 || it->level > 5)) {
		kw_field_error(c, path_of(c, i, "level"), 0, "enum",
			       "等级应为 1（高级技师）至 5（初级）");
		it->level = 0;
	}
	if (item_int(c, o, i, "occupation_id", "职业/工种", &it->occupation_id) &&
	    it->occupation_id <= 0) {
		kw_field_error(c, path_of(c, i, "occupation_id"), 0, "exists", "职业/工种不存在");
		it->occupation_id = 0;
	}
	if (item_int(c, o, i, "count", "人数", &it->count)) {
		if (it->count < 1)
			kw_field_error(c, path_of(c, i, "count"), 0, "R1", "人数至少为 1");
		else if (it->count > PLAN_MAX_COUNT)
			kw_field_error(
			    c, path_of(c, i, "count"), 0, "range",
			    arena_printf(c->a, "每条计划的人数不能超过 %d", PLAN_MAX_COUNT));
	}
	for (int k = 0; k < 4; k++) {
		v = member(o, date_keys[k]);
		if (!v) {
			kw_field_error(c, path_of(c, i, date_keys[k]), 0, "R1",
				       arena_printf(c->a, "请填写%s", date_labels[k]));
		} else if (!json_object_is_type(v, json_type_string) ||
			   !valid_date(json_object_get_string(v))) {
			kw_field_error(
			    c, path_of(c, i, date_keys[k]), 0, "format",
			    arena_printf(c->a, "%s应为 YYYY-MM-DD 格式的日期", date_labels[k]));
		} else {
			it->dates[k] = arena_strdup(c->a, json_object_get_string(v));
		}
	}
	/* Training before the exam, theory with theory, practice with practice. */
	for (int k = 0; k < 2; k++)
		if (it->dates[k] && it->dates[k + 2] && strcmp(it->dates[k + 2], it->dates[k]) < 0)
			kw_field_error(
			    c, path_of(c, i, date_keys[k + 2]), 0, "dates",
			    arena_printf(c->a, "%s不能早于%s", date_labels[k + 2], date_labels[k]));
	v = member(o, "standard_equipped");
	if (!v)
		kw_field_error(c, path_of(c, i, "standard_equipped"), 0, "R1", "请选择配备标准");
	else if (!json_object_is_type(v, json_type_boolean))
		kw_field_error(c, path_of(c, i, "standard_equipped"), 0, "type",
			       "配备标准应为是或否");
	else
		it->standard_equipped = json_object_get_boolean(v);
}

/*
 * The whole body: items (1..200, R1), each checked against the occupation's
 * standard (R6) and the org's scope (R7), no duplicates; *year from the body or
 * the earliest theory exam. KW_EVALIDATION with every broken rule.
 */
int plan_body_parse(struct kw_ctx *c, json_object *body, long org_id, struct plan_item **out,
		    int *n_out, long *year)
{
	int err;
	if (!body || !json_object_is_type(body, json_type_object))
		return kw_fail(c, KW_EBADREQ, "请求内容应为 JSON 对象");
	json_object *items = member(body, "items");
	json_object *y = member(body, "year");
	*year = 0;
	if (y) {
		if (!json_object_is_type(y, json_type_int) || json_object_get_int64(y) < 2000 ||
		    json_object_get_int64(y) > 2100)
			kw_field_error(c, "year", 0, "range", "年度应为 2000 至 2100 之间的整数");
		else
			*year = (long)json_object_get_int64(y);
	}
	if (!items || !json_object_is_type(items, json_type_array) ||
	    json_object_array_length(items) == 0) {
		kw_field_error(c, "items", 0, "R1",
			       "年度计划至少要有一条（每个职业、每个等级一条）");
		return KW_EVALIDATION;
	}
	int n = (int)json_object_array_length(items);
	if (n > 200) {
		kw_field_error(c, "items", 0, "range", "一个年度计划最多 200 条");
		return KW_EVALIDATION;
	}
	struct plan_item *it = arena_zalloc(c->a, sizeof(*it) * (size_t)n);
	for (int i = 0; i < n; i++)
		item_parse(c, json_object_array_get_idx(items, (size_t)i), i, &it[i]);

	for (int i = 0; i < n; i++) {
		if (!it[i].occupation_id)
			continue;
		struct ref_occupation occ;
		if ((err = ref_occupation_get(c, it[i].occupation_id, &occ)))
			return err;
		if (!occ.id) {
			kw_field_error(c, path_of(c, i, "occupation_id"), 0, "exists",
				       "职业/工种不存在");
			continue;
		}
		if (it[i].level && !(occ.levels & (1u << it[i].level)))
			kw_field_error(c, path_of(c, i, "level"), 0, "R6",
				       arena_printf(c->a, "%s的职业标准没有%s这一等级", occ.name,
						    ref_level_label((int)it[i].level)));
		if (!it[i].category)
			continue;
		bool national = !strcmp(it[i].category, "national");
		if ((national && !occ.national) || (!national && !occ.industry)) {
			kw_field_error(c, path_of(c, i, "category"), 0, "R6",
				       arena_printf(c->a, "%s不属于%s", occ.name,
						    plan_category_text(it[i].category)));
			continue;
		}
		long top = occ.parent_id ? occ.parent_id : occ.id;
		PGresult *r = db_query(c, &q_in_scope, &err, db_ltoa(c, org_id), it[i].category,
				       db_ltoa(c, top));
		if (!r)
			return err;
		if (!PQntuples(r))
			kw_field_error(c, path_of(c, i, "occupation_id"), 0, "R7",
				       arena_printf(c->a, "%s（%s）不在本机构批复的鉴定范围内",
						    occ.name, plan_category_text(it[i].category)));
		for (int j = 0; j < i; j++)
			if (it[j].occupation_id == it[i].occupation_id &&
			    it[j].level == it[i].level && it[j].category &&
			    !strcmp(it[j].category, it[i].category)) {
				kw_field_error(
				    c, path_of(c, i, "occupation_id"), 0, "unique",
				    arena_printf(
					c->a, "与第 %d 条重复：同一类别、职业/工种和等级只填一条",
					j + 1));
				break;
			}
	}
	if ((err = kw_validation_result(c)))
		return err;
	if (!*year) {
		const char *first = NULL;
		for (int i = 0; i < n; i++)
			if (!first || strcmp(it[i].dates[2], first) < 0)
				first = it[i].dates[2];
		*year = atol(first);
	}
	/* Every date lies in the plan's year. */
	for (int i = 0; i < n; i++)
		for (int k = 0; k < 4; k++)
			if (atol(it[i].dates[k]) != *year)
				kw_field_error(c, path_of(c, i, date_keys[k]), 0, "year",
					       arena_printf(c->a, "%s应在 %ld 年内（本计划的年度）",
							    date_labels[k], *year));
	if ((err = kw_validation_result(c)))
		return err;
	*out = it;
	*n_out = n;
	return KW_OK;
}

int plan_items_insert(struct kw_ctx *c, long plan_id, const struct plan_item *it, int n)
{
	int err;
	const char *pid = db_ltoa(c, plan_id);
	for (int i = 0; i < n; i++)
		if (!db_query(c, &q_insert_item, &err, pid, db_ltoa(c, i + 1), it[i].category,
			      db_ltoa(c, it[i].level), db_ltoa(c, it[i].occupation_id),
			      db_ltoa(c, it[i].count), it[i].dates[0], it[i].dates[1],
			      it[i].dates[2], it[i].dates[3],
			      it[i].standard_equipped ? "true" : "false"))
			return err;
	return KW_OK;
}

json_object *plan_items_detail(struct kw_ctx *c, long year, int n)
{
	json_object *d = kwj_own(c, json_object_new_object());
	kwj_add_int(d, "year", year);
	kwj_add_int(d, "items", n);
	return d;
}
