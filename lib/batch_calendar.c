/* batch_calendar.c - 考试日历 (issue 11): the items of the batches in the caller's scope by exam
 * date, with their people, filterable by org and occupation. See batch.h. */
#include "batch_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "db/db.h"
#include "org.h"
#include "ref.h"

/* The longest span one request may ask for, in days. */
#define CALENDAR_MAX_DAYS 366

static struct db_stmt q_calendar = DB_STMT(
    "batch_calendar",
    "SELECT i.id, i.exam_date::text AS exam_date, b.id AS batch_id, b.name AS batch_name,"
    " b.status, b.status_param, b.org_id, o.name AS org_name, i.category, i.level,"
    " i.occupation_id, oc.name AS occupation_name, i.direction_id, dc.name AS direction_name,"
    " i.count, i.chief_assessor_id, ca.name AS chief_assessor_name, i.chief_supervisor_id,"
    " cs.name AS chief_supervisor_name,"
    " (SELECT json_agg(json_build_object('id', e.id, 'name', e.name) ORDER BY x.pos)"
    "  FROM batch_item_experts x JOIN experts e ON e.id = x.expert_id"
    "  WHERE x.item_id = i.id AND x.role = 'assessor') AS assessors,"
    " (SELECT json_agg(json_build_object('id', e.id, 'name', e.name) ORDER BY x.pos)"
    "  FROM batch_item_experts x JOIN experts e ON e.id = x.expert_id"
    "  WHERE x.item_id = i.id AND x.role = 'supervisor') AS supervisors"
    " FROM batch_items i JOIN batches b ON b.id = i.batch_id JOIN orgs o ON o.id = b.org_id"
    " JOIN occupations oc ON oc.id = i.occupation_id"
    " LEFT JOIN occupations dc ON dc.id = i.direction_id"
    " JOIN experts ca ON ca.id = i.chief_assessor_id"
    " LEFT JOIN experts cs ON cs.id = i.chief_supervisor_id"
    " WHERE " ORG_SCOPE_SQL(
	"b.org_id", "$1",
	"$2") " AND b.status <> 'draft'"
	      " AND i.exam_date BETWEEN $3::date AND $4::date"
	      " AND ($5::bigint IS NULL OR b.org_id = $5::bigint OR o.parent_id = $5::bigint)"
	      " AND ($6::bigint IS NULL OR i.occupation_id = $6::bigint OR i.direction_id = "
	      "$6::bigint)"
	      " ORDER BY i.exam_date, b.name, i.pos LIMIT 2000");

/* An array column (json_agg) as a JSON array; [] for NULL. */
static json_object *people_json(const char *text)
{
	json_object *o = text ? json_tokener_parse(text) : NULL;
	if (o && !json_object_is_type(o, json_type_array)) {
		json_object_put(o);
		o = NULL;
	}
	return o ? o : json_object_new_array();
}

/* {"id", "name"} of columns id and name, or null when id is NULL. */
static json_object *person(const PGresult *r, int i, const char *id, const char *name)
{
	long v = db_long(r, i, id);
	return v ? kwj_id_name(v, db_val(r, i, name)) : NULL;
}

/* Check the span: from <= to, at most CALENDAR_MAX_DAYS; defaults: this month (Beijing). */
static int calendar_span(struct kw_ctx *c, const struct batch_calendar_filter *f, const char **from,
			 const char **to)
{
	long a = 0, b = 0;
	bool has_from = f->from && *f->from, has_to = f->to && *f->to;
	if (has_from && !batch_parse_day(f->from, &a))
		kw_field_error(c, "from", 0, "date", "开始日期应为 YYYY-MM-DD 格式的日期");
	if (has_to && !batch_parse_day(f->to, &b))
		kw_field_error(c, "to", 0, "date", "结束日期应为 YYYY-MM-DD 格式的日期");
	int err = kw_validation_result(c);
	if (err)
		return err;
	if (!has_from) {
		const char *today = batch_format_day(c, has_to ? b : batch_today(c));
		batch_parse_day(arena_printf(c->a, "%.8s01", today), &a);
	}
	if (!has_to) {
		/* the last day of from's month: the 1st of the next month, minus one day */
		const char *first =
		    batch_format_day(c, a + 31 - (atoi(batch_format_day(c, a) + 8) - 1));
		batch_parse_day(arena_printf(c->a, "%.8s01", first), &b);
		b--;
	}
	if (b < a)
		kw_field_error(c, "to", 0, "range", "结束日期不能早于开始日期");
	else if (b - a + 1 > CALENDAR_MAX_DAYS)
		kw_field_error(c, "to", 0, "range", "一次最多查看一年的考试日历");
	if ((err = kw_validation_result(c)))
		return err;
	*from = batch_format_day(c, a);
	*to = batch_format_day(c, b);
	return KW_OK;
}

int batch_calendar(struct kw_ctx *c, const struct batch_calendar_filter *f, json_object **out)
{
	int err;
	const char *from, *to;
	struct org_scope s;
	*out = NULL;
	if ((err = calendar_span(c, f, &from, &to)))
		return err;
	if (f->org_id > 0 && (err = org_check_scope(c, f->org_id)))
		return err;
	org_scope_of(c, &s);
	PGresult *res = db_query(c, &q_calendar, &err, s.kind_param, s.root_param, from, to,
				 f->org_id > 0 ? db_ltoa(c, f->org_id) : NULL,
				 f->occupation_id > 0 ? db_ltoa(c, f->occupation_id) : NULL);
	if (!res)
		return err;
	json_object *o = kwj_own(c, json_object_new_object());
	json_object *a = json_object_new_array();
	kwj_add_str(o, "from", from);
	kwj_add_str(o, "to", to);
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *it = json_object_new_object();
		kwj_add_int(it, "id", db_long(res, i, "id"));
		kwj_add_str(it, "exam_date", db_val(res, i, "exam_date"));
		json_object_object_add(
		    it, "batch",
		    kwj_id_name(db_long(res, i, "batch_id"), db_val(res, i, "batch_name")));
		json_object_object_add(
		    it, "org", kwj_id_name(db_long(res, i, "org_id"), db_val(res, i, "org_name")));
		kwj_add_str(it, "status", db_val(res, i, "status"));
		kwj_add_str(
		    it, "status_text",
		    batch_status_text(c, db_val(res, i, "status"), db_val(res, i, "status_param")));
		kwj_add_str(it, "category", db_val(res, i, "category"));
		kwj_add_str(it, "category_text", ref_category_name(db_val(res, i, "category")));
		kwj_add_int(it, "level", db_long(res, i, "level"));
		kwj_add_str(it, "level_text", ref_level_label((int)db_long(res, i, "level")));
		json_object_object_add(it, "occupation",
				       person(res, i, "occupation_id", "occupation_name"));
		json_object_object_add(it, "direction",
				       person(res, i, "direction_id", "direction_name"));
		kwj_add_int(it, "count", db_long(res, i, "count"));
		json_object_object_add(it, "chief_assessor",
				       person(res, i, "chief_assessor_id", "chief_assessor_name"));
		json_object_object_add(it, "assessors", people_json(db_val(res, i, "assessors")));
		json_object_object_add(
		    it, "chief_supervisor",
		    person(res, i, "chief_supervisor_id", "chief_supervisor_name"));
		json_object_object_add(it, "supervisors",
				       people_json(db_val(res, i, "supervisors")));
		json_object_array_add(a, it);
	}
	json_object_object_add(o, "items", a);
	kwj_add_int(o, "total", PQntuples(res));
	*out = o;
	return KW_OK;
}
