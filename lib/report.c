/* report.c - batch phase 4, the reports of a batch item (R20), 督促, the expert's tasks and the
 * R21 check of 提交成绩. See report.h. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "batch.h"
#include "core/json.h"
#include "db/db.h"
#include "grading.h"
#include "message.h"
#include "org.h"
#include "ref.h"

#define MAX_TEXT 2000
#define MAX_SHORT 200

static struct db_stmt q_report =
    DB_STMT("report_get", "SELECT body::text AS body, filed_name, kw_ts(filed_at) AS filed_at"
			  " FROM item_reports WHERE item_id = $1 AND kind = $2");
static struct db_stmt q_report_put = DB_STMT(
    "report_put",
    "INSERT INTO item_reports (item_id, kind, body, filed_by, filed_name, filed_at)"
    " VALUES ($1, $2, $3::jsonb, $4, $5, $6::timestamptz) ON CONFLICT (item_id, kind) DO UPDATE"
    " SET body = EXCLUDED.body, filed_by = EXCLUDED.filed_by, filed_name = EXCLUDED.filed_name,"
    " filed_at = EXCLUDED.filed_at");
static struct db_stmt q_confirms_clear = DB_STMT(
    "report_confirms_clear", "DELETE FROM report_confirmations WHERE item_id = $1 AND kind = $2");
static struct db_stmt q_confirm_add = DB_STMT(
    "report_confirm_add", "INSERT INTO report_confirmations (item_id, kind, expert_id, comment, at)"
			  " VALUES ($1, $2, $3, $4, $5::timestamptz) ON CONFLICT DO NOTHING");
/* The members of a role on an item: the chief first, then the listed ones in their order. */
static struct db_stmt q_members =
    DB_STMT("report_members",
	    "SELECT e.id, e.name, e.id = $3::bigint AS chief,"
	    " (SELECT min(a.id) FROM accounts a WHERE a.expert_id = e.id) AS account_id,"
	    " coalesce((SELECT min(x.pos) FROM batch_item_experts x WHERE x.item_id = $1"
	    "  AND x.role = $2 AND x.expert_id = e.id), -1) AS pos,"
	    " k.comment, kw_ts(k.at) AS confirmed_at, k.expert_id IS NOT NULL AS confirmed"
	    " FROM experts e LEFT JOIN report_confirmations k ON k.item_id = $1 AND k.kind = $4"
	    "  AND k.expert_id = e.id"
	    " WHERE e.id = $3::bigint OR EXISTS (SELECT 1 FROM batch_item_experts x"
	    "  WHERE x.item_id = $1 AND x.role = $2 AND x.expert_id = e.id)"
	    " ORDER BY (e.id = $3::bigint) DESC, pos");

/* ------------------------------------------------------------------ reading */

/* The stored body of a report (arena-owned object), or NULL when not filed. */
static int report_body(struct kw_ctx *c, long item_id, const char *kind, json_object **body)
{
	int err;
	*body = NULL;
	PGresult *r = db_query(c, &q_report, &err, db_ltoa(c, item_id), kind);
	if (!r)
		return err;
	if (!PQntuples(r))
		return KW_OK;
	const char *t = db_val(r, 0, "body");
	json_object *o = kwj_parse(c, t, strlen(t), &err);
	if (!o)
		return err ? err : KW_EINTERNAL;
	kwj_add_str(o, "filed_by", db_val(r, 0, "filed_name"));
	kwj_add_str(o, "filed_at", db_val(r, 0, "filed_at"));
	*body = o;
	return KW_OK;
}

/* One role's members with their confirmation; *all: everyone confirmed (the chief by filing). */
static int members(struct kw_ctx *c, long item_id, const char *role, const char *kind, long chief,
		   bool filed, PGresult **res, json_object **arr, bool *all)
{
	int err;
	PGresult *r =
	    db_query(c, &q_members, &err, db_ltoa(c, item_id), role, db_ltoa(c, chief), kind);
	if (!r)
		return err;
	json_object *a = kwj_own(c, json_object_new_array());
	*all = filed;
	for (int i = 0; i < PQntuples(r); i++) {
		json_object *o = json_object_new_object();
		bool is_chief = db_bool(r, i, "chief");
		bool ok = is_chief ? filed : db_bool(r, i, "confirmed");
		kwj_add_int(o, "id", db_long(r, i, "id"));
		kwj_add_str(o, "name", db_val(r, i, "name"));
		kwj_add_bool(o, "chief", is_chief);
		kwj_add_bool(o, "confirmed", ok);
		kwj_add_str(o, "comment", db_val(r, i, "comment"));
		kwj_add_str(o, "confirmed_at", db_val(r, i, "confirmed_at"));
		json_object_array_add(a, o);
		if (!ok)
			*all = false;
	}
	if (res)
		*res = r;
	*arr = a;
	return KW_OK;
}

/* What keeps one item from 提交成绩: a list of {kind, text, people: [{id, name, account_id}]}. */
static int pending_of(struct kw_ctx *c, long item_id, long chief_a, long chief_s, json_object **out)
{
	int err;
	json_object *p = kwj_own(c, json_object_new_array());
	long missing, total;
	if ((err = grading_missing(c, item_id, &missing, &total)))
		return err;
	if (missing) {
		json_object *o = json_object_new_object();
		kwj_add_str(o, "kind", "scores");
		kwj_add_str(o, "text", arena_printf(c->a, "还有%ld名考生未录入成绩", missing));
		json_object_object_add(o, "people", json_object_new_array());
		json_object_array_add(p, o);
	}
	static const struct {
		const char *kind, *role, *what, *chief_word, *member_word;
	} ks[] = {{"appraisal", NULL, "鉴定报告", NULL, NULL},
		  {"assessment", "assessor", "考评报告", "考评组长", "考评员"},
		  {"supervision", "supervisor", "督导报告", "督导组长", "督导员"}};
	for (size_t k = 0; k < 3; k++) {
		long chief = k == 1 ? chief_a : (k == 2 ? chief_s : 0);
		if (k == 2 && !chief)
			continue; /* no supervision arranged */
		json_object *body;
		if ((err = report_body(c, item_id, ks[k].kind, &body)))
			return err;
		if (!ks[k].role) {
			if (!body) {
				json_object *o = json_object_new_object();
				kwj_add_str(o, "kind", "appraisal");
				kwj_add_str(o, "text", "申请机构未填写鉴定报告");
				json_object_object_add(o, "people", json_object_new_array());
				json_object_array_add(p, o);
			}
			continue;
		}
		PGresult *r;
		json_object *arr;
		bool all;
		if ((err = members(c, item_id, ks[k].role, ks[k].kind, chief, body != NULL, &r,
				   &arr, &all)))
			return err;
		json_object *people = kwj_own(c, json_object_new_array());
		const char *names = "";
		for (int i = 0; i < PQntuples(r); i++) {
			bool is_chief = db_bool(r, i, "chief");
			if (is_chief ? body != NULL : (db_bool(r, i, "confirmed") || !body))
				continue;
			json_object *m = json_object_new_object();
			kwj_add_int(m, "id", db_long(r, i, "id"));
			kwj_add_str(m, "name", db_val(r, i, "name"));
			kwj_add_int(m, "account_id", db_long(r, i, "account_id"));
			json_object_array_add(people, m);
			names = arena_printf(c->a, "%s%s%s", names, *names ? "、" : "",
					     db_val(r, i, "name"));
		}
		if (!json_object_array_length(people))
			continue;
		json_object *o = json_object_new_object();
		bool chief_pending = !body;
		kwj_add_str(
		    o, "kind",
		    arena_printf(c->a, "%s%s", ks[k].kind, chief_pending ? "" : "_confirm"));
		kwj_add_str(
		    o, "text",
		    chief_pending
			? arena_printf(c->a, "%s%s未填写%s", ks[k].chief_word, names, ks[k].what)
			: arena_printf(c->a, "%s%s未确认%s", ks[k].member_word, names, ks[k].what));
		kwj_put(o, "people", people);
		json_object_array_add(p, o);
	}
	*out = p;
	return KW_OK;
}

/* "报考N人，参加考试M人，通过率P%" of an item as its scores stand. */
static int summary_of(struct kw_ctx *c, long item_id, const char **out, long *passed)
{
	long enrolled, absent;
	int err = grading_counts(c, item_id, &enrolled, &absent, passed);
	if (err)
		return err;
	long took = enrolled - absent;
	long rate = took ? (*passed * 100 + took / 2) / took : 0;
	*out = arena_printf(c->a, "报考%ld人，参加考试%ld人，通过率%ld%%", enrolled, took, rate);
	return KW_OK;
}

int report_get(struct kw_ctx *c, long batch_id, long item_id, json_object **out)
{
	int err;
	struct grading_item it;
	if ((err = grading_item_load(c, batch_id, item_id, false, &it)))
		return err;
	if (it.phase < 3)
		return kw_fail(c, KW_ECONFLICT, "批次尚未进入考试阶段，还没有报告");
	json_object *o = grading_item_json(c, &it);
	json_object *ap, *as, *su, *arr, *pend;
	const char *summary;
	long passed;
	bool all;
	if ((err = report_body(c, item_id, "appraisal", &ap)) ||
	    (err = report_body(c, item_id, "assessment", &as)) ||
	    (err = report_body(c, item_id, "supervision", &su)) ||
	    (err = summary_of(c, item_id, &summary, &passed)))
		return err;
	kwj_add_str(o, "summary", summary);
	kwj_add_int(o, "passed_count", passed);
	kwj_put(o, "appraisal", ap);
	kwj_put(o, "assessment", as);
	kwj_put(o, "supervision", su);
	if ((err = members(c, item_id, "assessor", "assessment", it.chief_assessor_id, as != NULL,
			   NULL, &arr, &all)))
		return err;
	kwj_put(o, "assessors", arr);
	kwj_add_bool(o, "all_assessors_confirmed", all);
	kwj_add_bool(o, "has_supervision", it.chief_supervisor_id != 0);
	if ((err = members(c, item_id, "supervisor", "supervision", it.chief_supervisor_id,
			   su != NULL, NULL, &arr, &all)))
		return err;
	kwj_put(o, "supervisors", arr);
	kwj_add_bool(o, "all_supervisors_confirmed", it.chief_supervisor_id ? all : true);
	if ((err = pending_of(c, item_id, it.chief_assessor_id, it.chief_supervisor_id, &pend)))
		return err;
	kwj_put(o, "pending", pend);
	/* What the caller may do now. */
	json_object *can = json_object_new_array();
	bool open =
	    !strcmp(it.batch_status, "examining") || !strcmp(it.batch_status, "score_rejected");
	long me = c->user.expert_id;
	if (open) {
		if (it.rel & GR_OWNER) {
			json_object_array_add(can, json_object_new_string("file_appraisal"));
			if (json_object_array_length(pend))
				json_object_array_add(can, json_object_new_string("remind"));
		}
		if ((it.rel & GR_CHIEF_ASSESSOR) && ap)
			json_object_array_add(can, json_object_new_string("file_assessment"));
		if ((it.rel & GR_CHIEF_SUPERVISOR) && ap)
			json_object_array_add(can, json_object_new_string("file_supervision"));
		json_object *list = NULL;
		if ((it.rel & GR_ASSESSOR) && !(it.rel & GR_CHIEF_ASSESSOR) && as &&
		    json_object_object_get_ex(o, "assessors", &list))
			for (size_t i = 0; i < json_object_array_length(list); i++) {
				json_object *m = json_object_array_get_idx(list, i), *v;
				if (json_object_object_get_ex(m, "id", &v) &&
				    json_object_get_int64(v) == me &&
				    json_object_object_get_ex(m, "confirmed", &v) &&
				    !json_object_get_boolean(v))
					json_object_array_add(
					    can, json_object_new_string("confirm_assessment"));
			}
		if ((it.rel & GR_SUPERVISOR) && !(it.rel & GR_CHIEF_SUPERVISOR) && su &&
		    json_object_object_get_ex(o, "supervisors", &list))
			for (size_t i = 0; i < json_object_array_length(list); i++) {
				json_object *m = json_object_array_get_idx(list, i), *v;
				if (json_object_object_get_ex(m, "id", &v) &&
				    json_object_get_int64(v) == me &&
				    json_object_object_get_ex(m, "confirmed", &v) &&
				    !json_object_get_boolean(v))
					json_object_array_add(
					    can, json_object_new_string("confirm_supervision"));
			}
	}
	json_object_object_add(o, "can", can);
	*out = o;
	return KW_OK;
}

/* ------------------------------------------------------------------ filing */

static struct db_stmt q_absent = DB_STMT(
    "report_absent", "SELECT e.id, e.real_name, e.id_number FROM enrollments e"
		     " JOIN scores s ON s.enrollment_id = e.id"
		     " WHERE e.item_id = $1 AND e.status = 'submitted' AND s.absent ORDER BY e.id");

/* A required short text field into o; false after a field error. */
static bool text_field(struct kw_ctx *c, json_object *body, json_object *o, const char *key,
		       size_t max)
{
	const char *v = NULL;
	if (!kwj_get_string(c, body, key, NULL, KWJ_REQUIRED, max, &v))
		return false;
	if (!v || !*v) {
		kw_field_error(c, key, 0, "required", "请填写此项");
		return false;
	}
	kwj_add_str(o, key, v);
	return true;
}

/* A required date "YYYY-MM-DD" field into o. */
static bool date_field(struct kw_ctx *c, json_object *body, json_object *o, const char *key)
{
	const char *v = NULL;
	if (!kwj_get_string(c, body, key, NULL, KWJ_REQUIRED, 10, &v))
		return false;
	int y, m, d;
	char tail;
	if (!v || sscanf(v, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || strlen(v) != 10 || m < 1 ||
	    m > 12 || d < 1 || d > 31) {
		kw_field_error(c, key, 0, "date", "日期格式应为 YYYY-MM-DD");
		return false;
	}
	kwj_add_str(o, key, v);
	return true;
}

/* The 鉴定报告's fields (R20): dates, the passed count as the scores give it, the text. */
static int appraisal_body(struct kw_ctx *c, const struct grading_item *it, json_object *body,
			  json_object *o)
{
	int err;
	long missing, total, passed, given = -1;
	if ((err = grading_missing(c, it->item_id, &missing, &total)))
		return err;
	if (missing) {
		kw_field_error(
		    c, "scores", 0, "R20",
		    arena_printf(c->a, "还有%ld名考生未录入成绩，请先登记成绩", missing));
		return KW_EVALIDATION;
	}
	const char *summary;
	if ((err = summary_of(c, it->item_id, &summary, &passed)))
		return err;
	date_field(c, body, o, "theory_date");
	date_field(c, body, o, "practical_date");
	text_field(c, body, o, "text", MAX_TEXT);
	if (kwj_get_int(c, body, "passed_count", NULL, KWJ_OPTIONAL, 0, 1000, &given) &&
	    given >= 0 && given != passed)
		kw_field_error(c, "passed_count", 0, "R20",
			       arena_printf(c->a, "按登记的成绩，通过考试人数为%ld人", passed));
	kwj_add_int(o, "passed_count", passed);
	kwj_add_str(o, "summary", summary);
	return kw_validation_result(c);
}

/* The 考评报告's fields: the counts come from the roster and its 缺考 marks, never typed. */
static int assessment_body(struct kw_ctx *c, const struct grading_item *it, json_object *body,
			   json_object *o)
{
	int err;
	long enrolled, absent, passed;
	if ((err = grading_counts(c, it->item_id, &enrolled, &absent, &passed)))
		return err;
	PGresult *ab = db_query(c, &q_absent, &err, db_ltoa(c, it->item_id));
	if (!ab)
		return err;
	date_field(c, body, o, "date");
	text_field(c, body, o, "place", MAX_SHORT);
	text_field(c, body, o, "text", MAX_TEXT);
	json_object *ids = NULL;
	if (json_object_object_get_ex(body, "absent_ids", &ids) && ids) {
		bool same = json_object_is_type(ids, json_type_array) &&
			    json_object_array_length(ids) == (size_t)PQntuples(ab);
		for (size_t i = 0; same && i < json_object_array_length(ids); i++) {
			long v = json_object_get_int64(json_object_array_get_idx(ids, i));
			bool found = false;
			for (int r = 0; r < PQntuples(ab) && !found; r++)
				found = db_long(ab, r, "id") == v;
			same = found;
		}
		if (!same)
			kw_field_error(c, "absent_ids", 0, "R20",
				       "缺考人应与成绩中标记为缺考的考生一致");
	}
	kwj_add_int(o, "expected", enrolled);
	kwj_add_int(o, "actual", enrolled - absent);
	kwj_add_int(o, "absent_count", absent);
	json_object *list = json_object_new_array();
	for (int r = 0; r < PQntuples(ab); r++) {
		json_object *p = json_object_new_object();
		kwj_add_int(p, "enrollment_id", db_long(ab, r, "id"));
		kwj_add_str(p, "name", db_val(ab, r, "real_name"));
		kwj_add_str(p, "id_number", db_val(ab, r, "id_number"));
		json_object_array_add(list, p);
	}
	json_object_object_add(o, "absent", list);
	return kw_validation_result(c);
}

/* The 督导报告's fields. */
static int supervision_body(struct kw_ctx *c, json_object *body, json_object *o)
{
	date_field(c, body, o, "date");
	text_field(c, body, o, "place", MAX_SHORT);
	text_field(c, body, o, "order", MAX_SHORT);
	text_field(c, body, o, "assessor_work", MAX_SHORT);
	text_field(c, body, o, "paper_use", MAX_SHORT);
	text_field(c, body, o, "text", MAX_TEXT);
	return kw_validation_result(c);
}

/* Tell each member of role (but the chief) that the chief's report waits for them. */
static int tell_members(struct kw_ctx *c, const struct grading_item *it, const char *role,
			const char *kind, long chief, const char *text)
{
	int err;
	PGresult *r =
	    db_query(c, &q_members, &err, db_ltoa(c, it->item_id), role, db_ltoa(c, chief), kind);
	if (!r)
		return err;
	for (int i = 0; i < PQntuples(r); i++)
		if (!db_bool(r, i, "chief") && db_long(r, i, "account_id") &&
		    (err = message_send(c, 0, NULL, db_long(r, i, "account_id"), text,
					"/app/expert-tasks")))
			return err;
	return KW_OK;
}

/* "批次名 职业 等级" as the messages name an item. */
static const char *item_words(struct kw_ctx *c, const struct grading_item *it)
{
	return arena_printf(c->a, "%s %s %s", it->batch_name, it->occupation,
			    ref_level_name(it->level));
}

int report_file(struct kw_ctx *c, long batch_id, long item_id, const char *kind, json_object *body,
		json_object **out)
{
	int err;
	struct grading_item it;
	if (!body || !json_object_is_type(body, json_type_object))
		return kw_fail(c, KW_EBADREQ, "请求内容应为 JSON 对象");
	if ((err = db_begin(c)) || (err = grading_item_load(c, batch_id, item_id, true, &it)))
		return err;
	bool appraisal = !strcmp(kind, "appraisal"), assessment = !strcmp(kind, "assessment");
	unsigned need =
	    appraisal ? GR_OWNER : (assessment ? GR_CHIEF_ASSESSOR : GR_CHIEF_SUPERVISOR);
	if (!(it.rel & need))
		return kw_fail(c, KW_EFORBIDDEN,
			       appraisal ? "只有申请机构可以填写鉴定报告"
					 : (assessment ? "只有考评组长可以填写考评报告"
						       : "只有督导组长可以填写督导报告"));
	if ((err = grading_item_writable(c, &it, "填写报告")))
		return err;
	json_object *prev;
	if ((err = report_body(c, item_id, kind, &prev)))
		return err;
	if (!appraisal) {
		json_object *ap;
		if ((err = report_body(c, item_id, "appraisal", &ap)))
			return err;
		if (!ap)
			return kw_fail(c, KW_ECONFLICT,
				       assessment
					   ? "申请机构填写鉴定报告后，考评组长才能填写考评报告"
					   : "申请机构填写鉴定报告后，督导组长才能填写督导报告");
	}
	json_object *o = kwj_own(c, json_object_new_object());
	if (appraisal)
		err = appraisal_body(c, &it, body, o);
	else if (assessment)
		err = assessment_body(c, &it, body, o);
	else
		err = supervision_body(c, body, o);
	if (err)
		return err;
	const char *text = kwj_string(o, NULL);
	bool changed = true;
	if (prev) {
		json_object_object_del(prev, "filed_by");
		json_object_object_del(prev, "filed_at");
		changed = !json_object_equal(prev, o);
	}
	const char *who = c->user.name ? c->user.name : "";
	if (!db_query(c, &q_report_put, &err, db_ltoa(c, item_id), kind, text,
		      db_ltoa(c, c->user.id), who, kw_now_text(c)))
		return err;
	if (!appraisal && changed) {
		/* a changed report is confirmed again by everyone */
		if (!db_query(c, &q_confirms_clear, &err, db_ltoa(c, item_id), kind))
			return err;
		const char *msg =
		    arena_printf(c->a, "%s的%s已由%s填写，请查看并确认", item_words(c, &it),
				 assessment ? "考评报告" : "督导报告", who);
		if ((err = tell_members(c, &it, assessment ? "assessor" : "supervisor", kind,
					assessment ? it.chief_assessor_id : it.chief_supervisor_id,
					msg)))
			return err;
	}
	json_object *d = kwj_own(c, json_object_new_object());
	kwj_add_int(d, "item_id", item_id);
	kwj_add_str(d, "kind", kind);
	if ((err = audit_write(c, "grading.report", "batch", batch_id, d)) || (err = db_commit(c)))
		return err;
	return report_get(c, batch_id, item_id, out);
}

int report_confirm(struct kw_ctx *c, long batch_id, long item_id, const char *kind,
		   json_object *body, json_object **out)
{
	int err;
	struct grading_item it;
	const char *comment = NULL;
	if (body && !kwj_get_string(c, body, "comment", NULL, KWJ_OPTIONAL, 500, &comment))
		return KW_EVALIDATION;
	if ((err = db_begin(c)) || (err = grading_item_load(c, batch_id, item_id, true, &it)))
		return err;
	bool assessment = !strcmp(kind, "assessment");
	unsigned member = assessment ? GR_ASSESSOR : GR_SUPERVISOR;
	unsigned chief = assessment ? GR_CHIEF_ASSESSOR : GR_CHIEF_SUPERVISOR;
	if (it.rel & chief)
		return kw_fail(c, KW_ECONFLICT,
			       assessment ? "考评组长提交考评报告即为确认"
					  : "督导组长提交督导报告即为确认");
	if (!(it.rel & member))
		return kw_fail(c, KW_EFORBIDDEN,
			       assessment ? "只有本职业等级的考评员可以确认考评报告"
					  : "只有本职业等级的督导员可以确认督导报告");
	if ((err = grading_item_writable(c, &it, "确认报告")))
		return err;
	json_object *rep;
	if ((err = report_body(c, item_id, kind, &rep)))
		return err;
	if (!rep)
		return kw_fail(c, KW_ECONFLICT,
			       assessment ? "考评组长尚未填写考评报告，请稍后确认"
					  : "督导组长尚未填写督导报告，请稍后确认");
	PGresult *r = db_query(c, &q_confirm_add, &err, db_ltoa(c, item_id), kind,
			       db_ltoa(c, c->user.expert_id), comment && *comment ? comment : NULL,
			       kw_now_text(c));
	if (!r)
		return err;
	if (strcmp(PQcmdTuples(r), "1"))
		return kw_fail(c, KW_ECONFLICT, "您已确认过该报告");
	json_object *d = kwj_own(c, json_object_new_object());
	kwj_add_int(d, "item_id", item_id);
	kwj_add_str(d, "kind", kind);
	kwj_add_str(d, "comment", comment);
	if ((err = audit_write(c, "grading.confirm", "batch", batch_id, d)) || (err = db_commit(c)))
		return err;
	return report_get(c, batch_id, item_id, out);
}

int report_remind(struct kw_ctx *c, long batch_id, long item_id, json_object **out)
{
	int err;
	struct grading_item it;
	json_object *pend;
	if ((err = db_begin(c)) || (err = grading_item_load(c, batch_id, item_id, true, &it)))
		return err;
	if (it.rel != GR_OWNER)
		return kw_fail(c, KW_EFORBIDDEN, "只有申请机构可以督促");
	if ((err = grading_item_writable(c, &it, "督促填写报告")) ||
	    (err = pending_of(c, item_id, it.chief_assessor_id, it.chief_supervisor_id, &pend)))
		return err;
	json_object *names = kwj_own(c, json_object_new_array());
	for (size_t k = 0; k < json_object_array_length(pend); k++) {
		json_object *p = json_object_array_get_idx(pend, k), *people, *kv;
		json_object_object_get_ex(p, "kind", &kv);
		json_object_object_get_ex(p, "people", &people);
		const char *kd = json_object_get_string(kv);
		const char *what = strstr(kd, "assessment") ? "考评报告" : "督导报告";
		bool confirm = strstr(kd, "_confirm") != NULL;
		for (size_t i = 0; people && i < json_object_array_length(people); i++) {
			json_object *m = json_object_array_get_idx(people, i), *v, *nm;
			json_object_object_get_ex(m, "account_id", &v);
			json_object_object_get_ex(m, "name", &nm);
			long acc = json_object_get_int64(v);
			const char *msg =
			    arena_printf(c->a, "%s督促您%s%s的%s", it.org_name,
					 confirm ? "确认" : "填写", item_words(c, &it), what);
			if (acc && (err = message_send(c, 0, NULL, acc, msg, "/app/expert-tasks")))
				return err;
			json_object_array_add(names,
					      json_object_new_string(json_object_get_string(nm)));
		}
	}
	if (!json_object_array_length(names))
		return kw_fail(c, KW_ECONFLICT, "没有待填写或待确认报告的考评、督导人员");
	json_object *d = kwj_own(c, json_object_new_object());
	kwj_add_int(d, "item_id", item_id);
	kwj_put(d, "reminded", names);
	if ((err = audit_write(c, "grading.remind", "batch", batch_id, d)) || (err = db_commit(c)))
		return err;
	json_object *o = kwj_own(c, json_object_new_object());
	kwj_put(o, "reminded", names);
	*out = o;
	return KW_OK;
}

/* ------------------------------------------------------------------ the expert's tasks */

static struct db_stmt q_tasks = DB_STMT(
    "report_tasks",
    "SELECT i.id AS item_id, b.id AS batch_id, b.name AS batch_name, b.status, b.status_param,"
    " i.category, i.level, oc.name || coalesce('/' || d.name, '') AS occupation,"
    " i.exam_date::text AS exam_date, o.id AS org_id, o.name AS org_name,"
    " (SELECT count(*) FROM enrollments e WHERE e.item_id = i.id AND e.status = 'submitted')"
    "  AS enrolled,"
    " i.chief_assessor_id = $1 AS chief_assessor, i.chief_supervisor_id = $1 AS chief_supervisor,"
    " EXISTS (SELECT 1 FROM batch_item_experts x WHERE x.item_id = i.id AND x.expert_id = $1"
    "  AND x.role = 'assessor') AS assessor,"
    " EXISTS (SELECT 1 FROM batch_item_experts x WHERE x.item_id = i.id AND x.expert_id = $1"
    "  AND x.role = 'supervisor') AS supervisor,"
    " EXISTS (SELECT 1 FROM item_reports r WHERE r.item_id = i.id AND r.kind = 'appraisal')"
    "  AS appraisal,"
    " EXISTS (SELECT 1 FROM item_reports r WHERE r.item_id = i.id AND r.kind = 'assessment')"
    "  AS assessment,"
    " EXISTS (SELECT 1 FROM item_reports r WHERE r.item_id = i.id AND r.kind = 'supervision')"
    "  AS supervision,"
    " EXISTS (SELECT 1 FROM report_confirmations k WHERE k.item_id = i.id AND k.expert_id = $1)"
    "  AS confirmed"
    " FROM batch_items i JOIN batches b ON b.id = i.batch_id JOIN orgs o ON o.id = b.org_id"
    " JOIN occupations oc ON oc.id = i.occupation_id"
    " LEFT JOIN occupations d ON d.id = i.direction_id"
    " WHERE (i.chief_assessor_id = $1 OR i.chief_supervisor_id = $1 OR EXISTS (SELECT 1"
    "  FROM batch_item_experts x WHERE x.item_id = i.id AND x.expert_id = $1))"
    " AND b.status NOT IN ('draft', 'app_org2', 'app_staff', 'app_director', 'app_rejected')"
    " ORDER BY i.exam_date DESC, i.id DESC");

int report_tasks(struct kw_ctx *c, json_object **items)
{
	int err;
	long me = c->user.expert_id;
	bool sup = (c->user.role & R_SUPERVISOR) != 0;
	PGresult *r = db_query(c, &q_tasks, &err, db_ltoa(c, me));
	if (!r)
		return err;
	json_object *a = kwj_own(c, json_object_new_array());
	for (int i = 0; i < PQntuples(r); i++) {
		bool chief = db_bool(r, i, sup ? "chief_supervisor" : "chief_assessor");
		bool member = db_bool(r, i, sup ? "supervisor" : "assessor");
		if (!chief && !member)
			continue;
		const char *status = db_val(r, i, "status");
		const struct wf_status *st = batch_status_find(status);
		bool open = !strcmp(status, "examining") || !strcmp(status, "score_rejected");
		bool filed = db_bool(r, i, sup ? "supervision" : "assessment");
		const char *what = sup ? "督导报告" : "考评报告";
		const char *pending = NULL;
		if (open && chief && !filed)
			pending = db_bool(r, i, "appraisal") ? arena_printf(c->a, "填写%s", what)
							     : "等待申请机构登记成绩、填写鉴定报告";
		else if (open && !chief && !db_bool(r, i, "confirmed"))
			pending = filed ? arena_printf(c->a, "确认%s", what)
					: arena_printf(c->a, "等待%s填写%s",
						       sup ? "督导组长" : "考评组长", what);
		json_object *o = json_object_new_object();
		kwj_add_int(o, "item_id", db_long(r, i, "item_id"));
		json_object_object_add(
		    o, "batch", kwj_id_name(db_long(r, i, "batch_id"), db_val(r, i, "batch_name")));
		kwj_add_str(o, "status", status);
		kwj_add_str(o, "status_text",
			    batch_status_text(c, status, db_val(r, i, "status_param")));
		kwj_add_str(o, "category", db_val(r, i, "category"));
		kwj_add_str(o, "category_text", ref_category_name(db_val(r, i, "category")));
		kwj_add_int(o, "level", db_long(r, i, "level"));
		kwj_add_str(o, "level_text", ref_level_name((int)db_long(r, i, "level")));
		kwj_add_str(o, "occupation", db_val(r, i, "occupation"));
		kwj_add_str(o, "exam_date", db_val(r, i, "exam_date"));
		kwj_add_int(o, "enrolled", db_long(r, i, "enrolled"));
		json_object_object_add(
		    o, "org", kwj_id_name(db_long(r, i, "org_id"), db_val(r, i, "org_name")));
		kwj_add_str(o, "role",
			    sup ? (chief ? "chief_supervisor" : "supervisor")
				: (chief ? "chief_assessor" : "assessor"));
		kwj_add_str(o, "role_text",
			    sup ? (chief ? "督导组长" : "督导员")
				: (chief ? "考评组长" : "考评员"));
		kwj_add_str(o, "pending", pending);
		kwj_add_bool(o, "scores_visible", st && st->phase >= 3);
		json_object_array_add(a, o);
	}
	*items = a;
	return KW_OK;
}

/* ------------------------------------------------------------------ R21 */

static struct db_stmt q_items = DB_STMT(
    "report_items",
    "SELECT i.id, oc.name || coalesce('/' || d.name, '') AS occupation, i.level,"
    " i.chief_assessor_id, i.chief_supervisor_id FROM batch_items i"
    " JOIN occupations oc ON oc.id = i.occupation_id"
    " LEFT JOIN occupations d ON d.id = i.direction_id WHERE i.batch_id = $1 ORDER BY i.pos");

/* Each item of the batch with its pending list (arena-owned array). */
static int batch_pending(struct kw_ctx *c, long batch_id, json_object **out)
{
	int err;
	PGresult *r = db_query(c, &q_items, &err, db_ltoa(c, batch_id));
	if (!r)
		return err;
	json_object *a = kwj_own(c, json_object_new_array());
	for (int i = 0; i < PQntuples(r); i++) {
		json_object *p;
		if ((err = pending_of(c, db_long(r, i, "id"), db_long(r, i, "chief_assessor_id"),
				      db_long(r, i, "chief_supervisor_id"), &p)))
			return err;
		json_object *o = json_object_new_object();
		kwj_add_int(o, "item_id", db_long(r, i, "id"));
		kwj_add_str(o, "occupation", db_val(r, i, "occupation"));
		kwj_add_int(o, "level", db_long(r, i, "level"));
		kwj_add_str(o, "level_text", ref_level_name((int)db_long(r, i, "level")));
		kwj_put(o, "pending", p);
		json_object_array_add(a, o);
	}
	*out = a;
	return KW_OK;
}

int report_check_batch(struct kw_ctx *c, long batch_id)
{
	json_object *items;
	int err = batch_pending(c, batch_id, &items);
	if (err)
		return err;
	for (size_t i = 0; i < json_object_array_length(items); i++) {
		json_object *it = json_object_array_get_idx(items, i), *p, *v, *occ, *lv;
		json_object_object_get_ex(it, "pending", &p);
		json_object_object_get_ex(it, "occupation", &occ);
		json_object_object_get_ex(it, "level_text", &lv);
		for (size_t k = 0; k < json_object_array_length(p); k++) {
			json_object *x = json_object_array_get_idx(p, k), *kd;
			json_object_object_get_ex(x, "text", &v);
			json_object_object_get_ex(x, "kind", &kd);
			kw_field_error(
			    c, arena_printf(c->a, "items[%zu].%s", i, json_object_get_string(kd)),
			    0, "R21",
			    arena_printf(c->a, "%s %s：%s", json_object_get_string(occ),
					 json_object_get_string(lv), json_object_get_string(v)));
		}
	}
	if (kw_validation_result(c))
		return kw_fail(c, KW_EVALIDATION, "成绩、报告或确认尚未完成，不能提交成绩");
	return KW_OK;
}

static struct db_stmt q_batch_org =
    DB_STMT("report_batch_org", "SELECT org_id, status FROM batches WHERE id = $1");

int report_missing(struct kw_ctx *c, long batch_id, json_object **out)
{
	int err;
	PGresult *r = db_query(c, &q_batch_org, &err, db_ltoa(c, batch_id));
	if (!r)
		return err;
	if (!PQntuples(r) || org_check_scope(c, db_long(r, 0, "org_id")))
		return kw_fail(c, KW_ENOTFOUND, "批次不存在");
	const struct wf_status *st = batch_status_find(db_val(r, 0, "status"));
	if (!st || st->phase < 3)
		return kw_fail(c, KW_ECONFLICT, "批次尚未进入考试阶段");
	json_object *items;
	if ((err = batch_pending(c, batch_id, &items)))
		return err;
	bool ready = true;
	for (size_t i = 0; i < json_object_array_length(items); i++) {
		json_object *p;
		json_object_object_get_ex(json_object_array_get_idx(items, i), "pending", &p);
		if (json_object_array_length(p))
			ready = false;
	}
	json_object *o = kwj_own(c, json_object_new_object());
	kwj_put(o, "items", items);
	kwj_add_bool(o, "ready", ready);
	*out = o;
	return KW_OK;
}
