/* batch_read.c - reading batches: one batch in full (R25) and the list with its filters. See
 * batch.h. */
#include "batch_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "db/db.h"
#include "enroll.h"
#include "org.h"
#include "ref.h"

static json_object *pg_json(const char *text, json_type want)
{
	json_object *o = text ? json_tokener_parse(text) : NULL;
	if (o && !json_object_is_type(o, want)) {
		json_object_put(o);
		o = NULL;
	}
	if (!o)
		o = want == json_type_array ? json_object_new_array() : json_object_new_object();
	return o;
}

/* ------------------------------------------------------------------ the detail */

static struct db_stmt q_items = DB_STMT(
    "batch_items",
    "SELECT i.id, i.category, i.in_annual_plan, i.dual_cert, i.exam_date::text AS exam_date,"
    " (i.exam_date - $2::integer)::text AS closes_on, i.level, i.occupation_id,"
    " oc.name AS occupation_name, i.direction_id, dc.name AS direction_name, i.count,"
    " i.standard_equipped, i.chief_assessor_id, ca.name AS chief_assessor_name,"
    " i.chief_supervisor_id, cs.name AS chief_supervisor_name, i.syllabus_file_id,"
    " f.name AS syllabus_name,"
    " (SELECT json_agg(json_build_object('id', e.id, 'name', e.name) ORDER BY x.pos)"
    "  FROM batch_item_experts x JOIN experts e ON e.id = x.expert_id"
    "  WHERE x.item_id = i.id AND x.role = 'assessor') AS assessors,"
    " (SELECT json_agg(json_build_object('id', e.id, 'name', e.name) ORDER BY x.pos)"
    "  FROM batch_item_experts x JOIN experts e ON e.id = x.expert_id"
    "  WHERE x.item_id = i.id AND x.role = 'supervisor') AS supervisors"
    " FROM batch_items i JOIN occupations oc ON oc.id = i.occupation_id"
    " LEFT JOIN occupations dc ON dc.id = i.direction_id"
    " JOIN experts ca ON ca.id = i.chief_assessor_id"
    " LEFT JOIN experts cs ON cs.id = i.chief_supervisor_id"
    " LEFT JOIN files f ON f.id = i.syllabus_file_id"
    " WHERE i.batch_id = $1 ORDER BY i.pos");
static struct db_stmt q_trail_of = DB_STMT(
    "batch_trail_of", "SELECT kw_ts(t.at) AS at, t.actor, t.action, t.comment, t.text, t.item_id"
		      " FROM batch_trail t WHERE t.batch_id = $1 ORDER BY t.at, t.id");

int batch_get(struct kw_ctx *c, long id, json_object **out)
{
	int err;
	struct wf_subject b;
	PGresult *res;
	*out = NULL;
	if ((err = batch_load_row(c, id, false, &b, &res)))
		return err;
	const char *closed = db_ltoa(c, R5_CLOSED_DAYS + 1);
	const struct wf_status *st = batch_status_find(b.status);
	json_object *o = kwj_own(c, json_object_new_object());
	kwj_add_int(o, "id", id);
	kwj_add_str(o, "name", db_val(res, 0, "name"));
	kwj_add_str(o, "code", db_val(res, 0, "code"));
	json_object_object_add(o, "org", kwj_id_name(b.org_id, db_val(res, 0, "org_name")));
	kwj_add_str(o, "status", b.status);
	kwj_add_str(o, "status_text",
		    batch_status_text_on(c, b.status, b.status_param, db_val(res, 0, "closes_on")));
	kwj_add_int(o, "phase", st ? st->phase : 0);
	kwj_add_str(o, "created_at", db_val(res, 0, "created_at"));
	kwj_add_str(o, "updated_at", db_val(res, 0, "updated_at"));
	kwj_add_str(o, "submitted_at", db_val(res, 0, "submitted_at"));
	kwj_add_str(o, "approved_at", db_val(res, 0, "approved_at"));
	kwj_add_str(o, "registration_closes_on", db_val(res, 0, "closes_on"));
	json_object_object_add(o, "actions", wf_actions_json(c, &batch_wf, &b));
	json_object *shipping; /* phase 6: 证书寄出 / 签收 (batch_ship.c) */
	if ((err = batch_shipping_json(c, id, &shipping)))
		return err;
	kwj_put(o, "shipping", shipping);

	PGresult *items = db_query(c, &q_items, &err, db_ltoa(c, id), closed), *counts;
	if (!items)
		return err;
	if ((err = enroll_count_by_items(c, id, &counts)))
		return err;
	json_object *arr = json_object_new_array();
	json_object_object_add(o, "items", arr);
	for (int i = 0; i < PQntuples(items); i++) {
		json_object *it = json_object_new_object();
		const char *cat = db_val(items, i, "category");
		int level = (int)db_long(items, i, "level");
		kwj_add_int(it, "id", db_long(items, i, "id"));
		kwj_add_str(it, "category", cat);
		kwj_add_str(it, "category_text", ref_category_name(cat));
		kwj_add_bool(it, "in_annual_plan", db_bool(items, i, "in_annual_plan"));
		kwj_add_bool(it, "dual_cert", db_bool(items, i, "dual_cert"));
		kwj_add_str(it, "exam_date", db_val(items, i, "exam_date"));
		kwj_add_str(it, "registration_closes_on", db_val(items, i, "closes_on"));
		kwj_add_int(it, "level", level);
		kwj_add_str(it, "level_text", ref_level_name(level));
		json_object_object_add(it, "occupation",
				       kwj_id_name(db_long(items, i, "occupation_id"),
						   db_val(items, i, "occupation_name")));
		json_object_object_add(it, "direction",
				       kwj_id_name(db_long(items, i, "direction_id"),
						   db_val(items, i, "direction_name")));
		kwj_add_int(it, "count", db_long(items, i, "count"));
		long enrolled = 0; /* submitted enrollments, rejected ones not counted */
		for (int k = 0; k < PQntuples(counts); k++)
			if (db_long(counts, k, "item_id") == db_long(items, i, "id"))
				enrolled = db_long(counts, k, "enrolled");
		kwj_add_int(it, "enrolled", enrolled);
		kwj_add_bool(it, "standard_equipped", db_bool(items, i, "standard_equipped"));
		json_object_object_add(it, "chief_assessor",
				       kwj_id_name(db_long(items, i, "chief_assessor_id"),
						   db_val(items, i, "chief_assessor_name")));
		json_object_object_add(it, "assessors",
				       pg_json(db_val(items, i, "assessors"), json_type_array));
		json_object_object_add(it, "chief_supervisor",
				       kwj_id_name(db_long(items, i, "chief_supervisor_id"),
						   db_val(items, i, "chief_supervisor_name")));
		json_object_object_add(it, "supervisors",
				       pg_json(db_val(items, i, "supervisors"), json_type_array));
		json_object_object_add(it, "syllabus_file",
				       kwj_id_name(db_long(items, i, "syllabus_file_id"),
						   db_val(items, i, "syllabus_name")));
		json_object_array_add(arr, it);
	}

	PGresult *tr = db_query(c, &q_trail_of, &err, db_ltoa(c, id));
	if (!tr)
		return err;
	json_object *trail = json_object_new_array();
	json_object_object_add(o, "trail", trail);
	for (int i = 0; i < PQntuples(tr); i++) {
		json_object *e = json_object_new_object();
		kwj_add_str(e, "at", db_val(tr, i, "at"));
		kwj_add_str(e, "actor", db_val(tr, i, "actor"));
		kwj_add_str(e, "action", db_val(tr, i, "action"));
		kwj_add_str(e, "comment", db_val(tr, i, "comment"));
		kwj_add_str(e, "text", db_val(tr, i, "text"));
		json_object_object_add(e, "item_id",
				       db_val(tr, i, "item_id")
					   ? json_object_new_int64(db_long(tr, i, "item_id"))
					   : NULL);
		json_object_array_add(trail, e);
	}
	*out = o;
	return KW_OK;
}

/* ------------------------------------------------------------------ the list */

#define LIST_WHERE                                                                                 \
	" WHERE " ORG_SCOPE_SQL(                                                                   \
	    "b.org_id", "$1",                                                                      \
	    "$2") " AND (b.status <> 'draft' OR b.org_id = $3::bigint)"                            \
		  " AND ($4::text[] IS NULL OR b.status = ANY($4::text[]))"                        \
		  " AND ($5::text IS NULL OR strpos(b.name, $5) > 0 OR strpos(b.code, $5) > 0)"

static struct db_stmt q_list =
    DB_STMT("batch_list",
	    "SELECT b.id, b.name, b.code, b.org_id, o.name AS org_name, b.status, b.status_param,"
	    " kw_ts(b.created_at) AS created_at, kw_ts(b.updated_at) AS updated_at,"
	    " (SELECT count(*) FROM batch_items i WHERE i.batch_id = b.id) AS item_count,"
	    " (SELECT (min(i.exam_date) - $9::integer)::text FROM batch_items i"
	    "  WHERE i.batch_id = b.id) AS closes_on"
	    " FROM batches b JOIN orgs o ON o.id = b.org_id" LIST_WHERE
	    " ORDER BY CASE WHEN $6 = 'updated_at' THEN b.updated_at END ASC,"
	    " CASE WHEN $6 = '-updated_at' THEN b.updated_at END DESC,"
	    " CASE WHEN $6 = 'created_at' THEN b.created_at END ASC,"
	    " CASE WHEN $6 = '-created_at' THEN b.created_at END DESC,"
	    " b.id DESC LIMIT $7 OFFSET $8");
static struct db_stmt q_count = DB_STMT("batch_count", "SELECT count(*) FROM batches b" LIST_WHERE);

static const char *const sorts[] = {"updated_at", "-updated_at", "created_at", "-created_at"};

int batch_filter_check(struct kw_ctx *c, const struct batch_filter *f)
{
	if (f->status && *f->status) {
		const char *p = f->status;
		while (*p) {
			size_t n = strcspn(p, ",");
			char *code = arena_strndup(c->a, p, n);
			if (!batch_status_find(code)) {
				kw_field_error(c, "status", 0, "enum",
					       arena_printf(c->a, "没有“%s”这一状态", code));
				break;
			}
			p += n;
			if (*p == ',')
				p++;
		}
	}
	if (f->sort && *f->sort) {
		bool ok = false;
		for (size_t i = 0; i < sizeof(sorts) / sizeof(sorts[0]); i++)
			ok |= !strcmp(sorts[i], f->sort);
		if (!ok)
			kw_field_error(
			    c, "sort", 0, "enum",
			    "排序应为 updated_at、-updated_at、created_at 或 -created_at");
	}
	if (f->q && strlen(f->q) > 200)
		kw_field_error(c, "q", 0, "length", "查询条件过长");
	return kw_validation_result(c);
}

int batch_list(struct kw_ctx *c, const struct batch_filter *f, long page, long per_page,
	       json_object **items, long *total)
{
	int err;
	struct org_scope s;
	*items = NULL;
	*total = 0;
	org_scope_of(c, &s);
	/* The status filter as a text[] literal of known codes (the filter was checked), narrowed
	 * to the statuses that wait for the caller's role when todo is asked for. */
	const char *arr = NULL;
	if ((f->status && *f->status) || f->todo) {
		const char *list = "";
		for (size_t i = 0; i < batch_wf.nstatuses; i++) {
			const char *code = batch_wf.statuses[i].code;
			if (f->status && *f->status &&
			    !strstr(arena_printf(c->a, ",%s,", f->status),
				    arena_printf(c->a, ",%s,", code)))
				continue;
			if (f->todo && !batch_status_todo(code, c->user.role))
				continue;
			list = arena_printf(c->a, "%s%s%s", list, *list ? "," : "", code);
		}
		arr = arena_printf(c->a, "{%s}", list);
	}
	long own = (c->user.role & R_ORG) ? c->user.org_id : 0;
	const char *q = f->q && *f->q ? f->q : NULL;
	const char *sort = f->sort && *f->sort ? f->sort : "-updated_at";
	/* The page and the count in one round trip (a count(*) OVER () would build every
	 * matching row, joins and all, before the LIMIT). */
	const char *p[9] = {s.kind_param,
			    s.root_param,
			    db_ltoa(c, own),
			    arr,
			    q,
			    sort,
			    db_ltoa(c, per_page),
			    db_ltoa(c, (page - 1) * per_page),
			    db_ltoa(c, R5_CLOSED_DAYS + 1)};
	struct db_call calls[] = {{&q_list, 9, p, NULL}, {&q_count, 5, p, NULL}};
	if ((err = db_exec_pipeline(c, calls, 2)))
		return err;
	PGresult *res = calls[0].res;
	*total = strtol(PQgetvalue(calls[1].res, 0, 0), NULL, 10);
	json_object *a = kwj_own(c, json_object_new_array());
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *o = json_object_new_object();
		const char *status = db_val(res, i, "status");
		const struct wf_status *st = batch_status_find(status);
		kwj_add_int(o, "id", db_long(res, i, "id"));
		kwj_add_str(o, "name", db_val(res, i, "name"));
		kwj_add_str(o, "code", db_val(res, i, "code"));
		json_object_object_add(
		    o, "org", kwj_id_name(db_long(res, i, "org_id"), db_val(res, i, "org_name")));
		kwj_add_str(o, "status", status);
		kwj_add_str(o, "status_text",
			    batch_status_text_on(c, status, db_val(res, i, "status_param"),
						 db_val(res, i, "closes_on")));
		kwj_add_int(o, "phase", st ? st->phase : 0);
		kwj_add_str(o, "created_at", db_val(res, i, "created_at"));
		kwj_add_str(o, "updated_at", db_val(res, i, "updated_at"));
		kwj_add_int(o, "item_count", db_long(res, i, "item_count"));
		kwj_add_bool(o, "waiting_for_me", batch_status_todo(status, c->user.role));
		json_object_array_add(a, o);
	}
	*items = a;
	return KW_OK;
}
