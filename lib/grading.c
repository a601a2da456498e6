/* grading.c - batch phase 4, scores (R19): the item loader, 准考证号, entry, import, template,
 * grades and the score-change trail. See grading.h. */
#include "grading.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "batch.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/log.h"
#include "db/db.h"
#include "office/xlsx_reader.h"
#include "office/xlsx_writer.h"
#include "office/zipstream.h"
#include "org.h"
#include "ref.h"

#define MAX_SCORES 200 /* rows of one PUT: an item has at most 100 candidates */
#define MAX_REASON 200

/* ------------------------------------------------------------------ the item */

#define ITEM_SQL                                                                                   \
	"SELECT b.id AS batch_id, b.org_id, b.name AS batch_name, b.status, b.status_param,"       \
	" o.name AS org_name, i.exam_date::text AS exam_date, i.category, i.level,"                \
	" oc.name || coalesce('/' || d.name, '') AS occupation, i.chief_assessor_id,"              \
	" i.chief_supervisor_id,"                                                                  \
	" EXISTS (SELECT 1 FROM batch_item_experts x WHERE x.item_id = i.id"                       \
	"  AND x.role = 'assessor' AND x.expert_id = $3::bigint) AS is_assessor,"                  \
	" EXISTS (SELECT 1 FROM batch_item_experts x WHERE x.item_id = i.id"                       \
	"  AND x.role = 'supervisor' AND x.expert_id = $3::bigint) AS is_supervisor"               \
	" FROM batch_items i JOIN batches b ON b.id = i.batch_id JOIN orgs o ON o.id = b.org_id"   \
	" JOIN occupations oc ON oc.id = i.occupation_id"                                          \
	" LEFT JOIN occupations d ON d.id = i.direction_id WHERE i.id = $2 AND b.id = $1"

static struct db_stmt q_item = DB_STMT("grading_item", ITEM_SQL);
static struct db_stmt q_item_lock = DB_STMT("grading_item_lock", ITEM_SQL " FOR UPDATE OF b");

int grading_item_load(struct kw_ctx *c, long batch_id, long item_id, bool lock,
		      struct grading_item *it)
{
	int err;
	memset(it, 0, sizeof(*it));
	long me = c->user.expert_id;
	PGresult *res = db_query(c, lock ? &q_item_lock : &q_item, &err, db_ltoa(c, batch_id),
				 db_ltoa(c, item_id), db_ltoa(c, me));
	if (!res)
		return err;
	if (!PQntuples(res))
		return kw_fail(c, KW_ENOTFOUND, "批次或职业等级不存在");
	it->batch_id = batch_id;
	it->item_id = item_id;
	it->org_id = db_long(res, 0, "org_id");
	it->chief_assessor_id = db_long(res, 0, "chief_assessor_id");
	it->chief_supervisor_id = db_long(res, 0, "chief_supervisor_id");
	it->batch_name = db_val(res, 0, "batch_name");
	it->batch_status = db_val(res, 0, "status");
	it->batch_status_text =
	    batch_status_text(c, it->batch_status, db_val(res, 0, "status_param"));
	it->org_name = db_val(res, 0, "org_name");
	it->exam_date = db_val(res, 0, "exam_date");
	it->category = db_val(res, 0, "category");
	it->occupation = db_val(res, 0, "occupation");
	it->level = (int)db_long(res, 0, "level");
	const struct wf_status *st = batch_status_find(it->batch_status);
	it->phase = st ? st->phase : 0;
	if (it->phase < 2) /* a batch still in its application serves nobody yet */
		return kw_fail(c, KW_ENOTFOUND, "批次或职业等级不存在");
	if (c->user.role & (R_CENTER | R_ORG)) {
		if ((err = org_check_scope(c, it->org_id)))
			return kw_fail(c, KW_ENOTFOUND, "批次或职业等级不存在");
		it->rel = (c->user.role & R_STATION) && c->user.org_id == it->org_id ? GR_OWNER
										     : GR_REVIEWER;
		return KW_OK;
	}
	if (me > 0) {
		if (c->user.role & R_ASSESSOR) {
			if (it->chief_assessor_id == me)
				it->rel |= GR_CHIEF_ASSESSOR;
			if (db_bool(res, 0, "is_assessor"))
				it->rel |= GR_ASSESSOR;
		}
		if (c->user.role & R_SUPERVISOR) {
			if (it->chief_supervisor_id == me)
				it->rel |= GR_CHIEF_SUPERVISOR;
			if (db_bool(res, 0, "is_supervisor"))
				it->rel |= GR_SUPERVISOR;
		}
	}
	if (!it->rel)
		return kw_fail(c, KW_ENOTFOUND, "批次或职业等级不存在");
	return KW_OK;
}

/* Scores and reports change only while the station prepares the scores (or after a reject). */
static bool writable_status(const struct grading_item *it)
{
	return !strcmp(it->batch_status, "examining") ||
	       !strcmp(it->batch_status, "score_rejected");
}

/* Days since 1970-01-01 of a Beijing date "YYYY-MM-DD"; false when malformed. */
static bool day_of(const char *s, long *day)
{
	time_t t;
	if (!s || strlen(s) != 10 || !kw_parse_time(s, &t))
		return false;
	*day = (long)((t + 8 * 3600) / 86400);
	return true;
}

/* Today's day number in Beijing by the business clock. */
static long today(const struct kw_ctx *c)
{
	return (long)((c->now + 8 * 3600) / 86400);
}

int grading_item_writable(struct kw_ctx *c, const struct grading_item *it, const char *what)
{
	if (!writable_status(it))
		return kw_fail(
		    c, KW_ECONFLICT,
		    arena_printf(c->a, "批次当前状态为“%s”，不能%s", it->batch_status_text, what));
	return KW_OK;
}

json_object *grading_item_json(struct kw_ctx *c, const struct grading_item *it)
{
	(void)c;
	json_object *o = kwj_own(c, json_object_new_object());
	json_object *b = json_object_new_object();
	kwj_add_int(b, "id", it->batch_id);
	kwj_add_str(b, "name", it->batch_name);
	kwj_add_str(b, "status", it->batch_status);
	kwj_add_str(b, "status_text", it->batch_status_text);
	json_object_object_add(b, "org", kwj_id_name(it->org_id, it->org_name));
	json_object_object_add(o, "batch", b);
	json_object *i = json_object_new_object();
	kwj_add_int(i, "id", it->item_id);
	kwj_add_str(i, "category", it->category);
	kwj_add_str(i, "category_text", ref_category_name(it->category));
	kwj_add_int(i, "level", it->level);
	kwj_add_str(i, "level_text", ref_level_name(it->level));
	kwj_add_str(i, "occupation", it->occupation);
	kwj_add_str(i, "exam_date", it->exam_date);
	json_object_object_add(o, "item", i);
	json_object *roles = json_object_new_array();
	static const struct {
		unsigned bit;
		const char *code;
	} rr[] = {{GR_OWNER, "station"},
		  {GR_REVIEWER, "reviewer"},
		  {GR_CHIEF_ASSESSOR, "chief_assessor"},
		  {GR_ASSESSOR, "assessor"},
		  {GR_CHIEF_SUPERVISOR, "chief_supervisor"},
		  {GR_SUPERVISOR, "supervisor"}};
	for (size_t k = 0; k < sizeof(rr) / sizeof(*rr); k++)
		if (it->rel & rr[k].bit)
			json_object_array_add(roles, json_object_new_string(rr[k].code));
	json_object_object_add(o, "roles", roles);
	return o;
}

/* ------------------------------------------------------------------ grades (R19) */

const char *grading_grade(double theory, double practical, bool absent)
{
	if (absent)
		return "absent";
	double low = theory < practical ? theory : practical;
	if (low < 60)
		return "fail";
	if (low < 80)
		return "pass";
	if (low < 90)
		return "good";
	return "excellent";
}

const char *grading_grade_text(const char *grade)
{
	static const char *map[][2] = {{"fail", "不合格"},
				       {"pass", "合格"},
				       {"good", "良好"},
				       {"excellent", "优秀"},
				       {"absent", "缺考"}};
	for (size_t i = 0; grade && i < sizeof(map) / sizeof(*map); i++)
		if (!strcmp(grade, map[i][0]))
			return map[i][1];
	return "";
}

/* ------------------------------------------------------------------ 准考证号 */

/*
 * 准考证号: the item id in 6 digits + the candidate's place among the item's enrollments in 3
 * digits (000159001: item 159, first enrollment). Rejected enrollments keep their place, so a
 * number never changes once given; it is stored once per enrollment, on first use.
 */
static struct db_stmt q_tickets = DB_STMT(
    "grading_tickets",
    "INSERT INTO scores (enrollment_id, item_id, ticket_no, updated_at)"
    " SELECT e.id, e.item_id, lpad(e.item_id::text, greatest(6, length(e.item_id::text)), '0')"
    " || lpad(e.n::text, greatest(3, length(e.n::text)), '0'), $2::timestamptz"
    " FROM (SELECT id, item_id, status, row_number() OVER (ORDER BY id) AS n FROM enrollments"
    "  WHERE item_id = $1) e"
    " WHERE e.status = 'submitted' AND NOT EXISTS (SELECT 1 FROM scores s"
    "  WHERE s.enrollment_id = e.id) ON CONFLICT DO NOTHING");

static int ensure_tickets(struct kw_ctx *c, long item_id)
{
	int err;
	return db_query(c, &q_tickets, &err, db_ltoa(c, item_id), kw_now_text(c)) ? KW_OK : err;
}

/* ------------------------------------------------------------------ reading */

static struct db_stmt q_roster =
    DB_STMT("grading_roster",
	    "SELECT e.id, e.real_name, e.id_number, s.ticket_no, s.theory_score::text AS theory,"
	    " s.practical_score::text AS practical, s.absent, s.grade,"
	    " (s.theory_score IS NOT NULL OR s.practical_score IS NOT NULL OR s.absent) AS entered"
	    " FROM enrollments e JOIN scores s ON s.enrollment_id = e.id"
	    " WHERE e.item_id = $1 AND e.status = 'submitted' ORDER BY s.ticket_no");
static struct db_stmt q_changes = DB_STMT(
    "grading_changes",
    "SELECT x.enrollment_id, e.real_name, kw_ts(x.at) AS at, x.actor,"
    " x.old_theory::text AS old_theory, x.old_practical::text AS old_practical, x.old_absent,"
    " x.new_theory::text AS new_theory, x.new_practical::text AS new_practical, x.new_absent,"
    " x.reason FROM score_changes x JOIN enrollments e ON e.id = x.enrollment_id"
    " WHERE x.item_id = $1 ORDER BY x.at, x.id");

static void add_score(json_object *o, const char *key, const char *text)
{
	if (text)
		json_object_object_add(o, key, json_object_new_double(strtod(text, NULL)));
	else
		json_object_object_add(o, key, NULL);
}

static json_object *score_triplet(PGresult *r, int i, const char *t, const char *p, const char *a)
{
	json_object *o = json_object_new_object();
	add_score(o, "theory_score", db_val(r, i, t));
	add_score(o, "practical_score", db_val(r, i, p));
	kwj_add_bool(o, "absent", db_bool(r, i, a));
	return o;
}

int grading_scores(struct kw_ctx *c, long batch_id, long item_id, json_object **out)
{
	int err;
	struct grading_item it;
	if ((err = grading_item_load(c, batch_id, item_id, false, &it)))
		return err;
	if (it.phase < 3)
		return kw_fail(c, KW_ECONFLICT, "批次尚未进入考试阶段，还没有成绩");
	if ((err = ensure_tickets(c, item_id)))
		return err;
	PGresult *r = db_query(c, &q_roster, &err, db_ltoa(c, item_id));
	PGresult *ch = r ? db_query(c, &q_changes, &err, db_ltoa(c, item_id)) : NULL;
	if (!ch)
		return err;
	json_object *o = grading_item_json(c, &it);
	json_object *a = json_object_new_array();
	for (int i = 0; i < PQntuples(r); i++) {
		json_object *row = json_object_new_object();
		kwj_add_int(row, "enrollment_id", db_long(r, i, "id"));
		kwj_add_str(row, "name", db_val(r, i, "real_name"));
		kwj_add_str(row, "id_number", db_val(r, i, "id_number"));
		kwj_add_str(row, "ticket_no", db_val(r, i, "ticket_no"));
		add_score(row, "theory_score", db_val(r, i, "theory"));
		add_score(row, "practical_score", db_val(r, i, "practical"));
		kwj_add_bool(row, "absent", db_bool(r, i, "absent"));
		kwj_add_str(row, "grade", db_val(r, i, "grade"));
		kwj_add_str(row, "grade_text", grading_grade_text(db_val(r, i, "grade")));
		kwj_add_bool(row, "entered", db_bool(r, i, "entered"));
		json_object_array_add(a, row);
	}
	json_object_object_add(o, "items", a);
	json_object *ca = json_object_new_array();
	for (int i = 0; i < PQntuples(ch); i++) {
		json_object *x = json_object_new_object();
		kwj_add_int(x, "enrollment_id", db_long(ch, i, "enrollment_id"));
		kwj_add_str(x, "name", db_val(ch, i, "real_name"));
		kwj_add_str(x, "at", db_val(ch, i, "at"));
		kwj_add_str(x, "actor", db_val(ch, i, "actor"));
		json_object_object_add(
		    x, "old", score_triplet(ch, i, "old_theory", "old_practical", "old_absent"));
		json_object_object_add(
		    x, "new", score_triplet(ch, i, "new_theory", "new_practical", "new_absent"));
		kwj_add_str(x, "reason", db_val(ch, i, "reason"));
		json_object_array_add(ca, x);
	}
	json_object_object_add(o, "changes", ca);
	long day = 0;
	kwj_add_bool(o, "editable",
		     it.rel == GR_OWNER && writable_status(&it) && day_of(it.exam_date, &day) &&
			 day <= today(c));
	*out = o;
	return KW_OK;
}

/* ------------------------------------------------------------------ entering */

/* One score as entered: "80.5" (one decimal) or NULL. */
struct entry {
	long enrollment_id;
	const char *theory, *practical; /* "%.1f" or NULL */
	bool absent;
	const char *reason;
	int row; /* import: the sheet row, else 0 */
};

/* A score value: null, or a number 0-100 with at most one decimal. false after a field error. */
static bool read_score(struct kw_ctx *c, json_object *o, const char *key, const char *path,
		       const char **out)
{
	json_object *v = NULL;
	*out = NULL;
	if (!json_object_object_get_ex(o, key, &v) || !v)
		return true;
	if (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_double)) {
		kw_field_error(c, path, 0, "R19", "成绩应为 0–100 之间的数字");
		return false;
	}
	double d = json_object_get_double(v);
	if (!(d >= 0 && d <= 100)) {
		kw_field_error(c, path, 0, "R19", "成绩应在 0 到 100 之间");
		return false;
	}
	if (fabs(d * 10 - round(d * 10)) > 1e-6) {
		kw_field_error(c, path, 0, "R19", "成绩最多保留一位小数");
		return false;
	}
	*out = arena_printf(c->a, "%.1f", round(d * 10) / 10);
	return true;
}

static struct db_stmt q_current =
    DB_STMT("grading_current",
	    "SELECT e.id, e.real_name, s.theory_score::text AS theory, s.practical_score::text AS"
	    " practical, s.absent, s.ticket_no, e.id_number,"
	    " (s.theory_score IS NOT NULL OR s.practical_score IS NOT NULL OR s.absent) AS entered"
	    " FROM enrollments e JOIN scores s ON s.enrollment_id = e.id"
	    " WHERE e.item_id = $1 AND e.status = 'submitted' FOR UPDATE OF s");
static struct db_stmt q_update =
    DB_STMT("grading_update",
	    "UPDATE scores SET theory_score = $2::numeric, practical_score = $3::numeric,"
	    " absent = $4::boolean, grade = $5, updated_by = $6, updated_at = $7::timestamptz"
	    " WHERE enrollment_id = $1");
static struct db_stmt q_change_add =
    DB_STMT("grading_change_add",
	    "INSERT INTO score_changes (enrollment_id, item_id, at, actor_id, actor, old_theory,"
	    " old_practical, old_absent, new_theory, new_practical, new_absent, reason)"
	    " VALUES ($1, $2, $3, $4, $5, $6::numeric, $7::numeric, $8::boolean, $9::numeric,"
	    " $10::numeric, $11::boolean, $12)");

static bool same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static int row_of(PGresult *cur, long enrollment_id)
{
	for (int i = 0; i < PQntuples(cur); i++)
		if (db_long(cur, i, "id") == enrollment_id)
			return i;
	return -1;
}

/* Record a field error of entry k: a path for a JSON body, a row for an import. */
static void entry_error(struct kw_ctx *c, const struct entry *e, size_t k, const char *key,
			const char *msg)
{
	if (e->row)
		kw_field_error(c, key, e->row, "R19", msg);
	else
		kw_field_error(c, arena_printf(c->a, "scores[%zu].%s", k, key), 0, "R19", msg);
}

/* Apply entries in the caller's open transaction: check all, then write; *changed counts rows. */
static int apply(struct kw_ctx *c, const struct grading_item *it, struct entry *es, size_t n,
		 long *changed)
{
	int err;
	long day;
	*changed = 0;
	if ((err = grading_item_writable(c, it, "录入成绩")))
		return err;
	if (!day_of(it->exam_date, &day) || day > today(c)) {
		kw_field_error(c, "scores", 0, "R19",
			       arena_printf(c->a, "考试日期 %s 起才能录入成绩", it->exam_date));
		return KW_EVALIDATION;
	}
	if ((err = ensure_tickets(c, it->item_id)))
		return err;
	PGresult *cur = db_query(c, &q_current, &err, db_ltoa(c, it->item_id));
	if (!cur)
		return err;
	int *rows = arena_alloc(c->a, sizeof(int) * (n + 1));
	for (size_t k = 0; k < n; k++) {
		struct entry *e = &es[k];
		rows[k] = row_of(cur, e->enrollment_id);
		for (size_t j = 0; j < k; j++)
			if (es[j].enrollment_id == e->enrollment_id) {
				entry_error(c, e, k, "enrollment_id", "同一考生的成绩重复填写");
				rows[k] = -2;
			}
		if (rows[k] == -1)
			entry_error(c, e, k, "enrollment_id", "该考生不在本职业等级的花名册中");
		if (rows[k] < 0)
			continue;
		if (e->absent)
			e->theory = e->practical = NULL;
		int i = rows[k];
		bool same = same_text(e->theory, db_val(cur, i, "theory")) &&
			    same_text(e->practical, db_val(cur, i, "practical")) &&
			    e->absent == db_bool(cur, i, "absent");
		if (same) {
			rows[k] = -3; /* nothing to do */
			continue;
		}
		if (db_bool(cur, i, "entered") && (!e->reason || !*e->reason))
			entry_error(c, e, k, "reason",
				    arena_printf(c->a, "修改%s已录入的成绩，请填写修改原因",
						 db_val(cur, i, "real_name")));
	}
	if ((err = kw_validation_result(c)))
		return err;
	const char *now = kw_now_text(c), *me = db_ltoa(c, c->user.id);
	for (size_t k = 0; k < n; k++) {
		struct entry *e = &es[k];
		if (rows[k] < 0)
			continue;
		int i = rows[k];
		const char *grade = NULL;
		if (e->absent || (e->theory && e->practical))
			grade =
			    grading_grade(e->theory ? strtod(e->theory, NULL) : 0,
					  e->practical ? strtod(e->practical, NULL) : 0, e->absent);
		const char *eid = db_ltoa(c, e->enrollment_id);
		if (!db_query(c, &q_update, &err, eid, e->theory, e->practical,
			      e->absent ? "true" : "false", grade, me, now))
			return err;
		if (db_bool(cur, i, "entered") &&
		    !db_query(c, &q_change_add, &err, eid, db_ltoa(c, it->item_id), now, me,
			      c->user.name ? c->user.name : "", db_val(cur, i, "theory"),
			      db_val(cur, i, "practical"),
			      db_bool(cur, i, "absent") ? "true" : "false", e->theory, e->practical,
			      e->absent ? "true" : "false", e->reason))
			return err;
		(*changed)++;
	}
	if (*changed) {
		json_object *d = kwj_own(c, json_object_new_object());
		kwj_add_int(d, "item_id", it->item_id);
		kwj_add_int(d, "changed", *changed);
		if ((err = audit_write(c, "grading.scores", "batch", it->batch_id, d)))
			return err;
	}
	return KW_OK;
}

int grading_save(struct kw_ctx *c, long batch_id, long item_id, json_object *body,
		 json_object **out)
{
	int err;
	json_object *list = NULL;
	if (!body || !json_object_is_type(body, json_type_object))
		return kw_fail(c, KW_EBADREQ, "请求内容应为 JSON 对象");
	if (!json_object_object_get_ex(body, "scores", &list) ||
	    !json_object_is_type(list, json_type_array)) {
		kw_field_error(c, "scores", 0, "required", "请填写成绩");
		return KW_EVALIDATION;
	}
	size_t n = json_object_array_length(list);
	if (n > MAX_SCORES) {
		kw_field_error(c, "scores", 0, "max_items",
			       arena_printf(c->a, "一次最多提交 %d 名考生的成绩", MAX_SCORES));
		return KW_EVALIDATION;
	}
	struct entry *es = arena_alloc(c->a, sizeof(*es) * (n + 1));
	memset(es, 0, sizeof(*es) * (n + 1));
	for (size_t k = 0; k < n; k++) {
		json_object *o = json_object_array_get_idx(list, k);
		const char *p = arena_printf(c->a, "scores[%zu]", k);
		if (!o || !json_object_is_type(o, json_type_object)) {
			kw_field_error(c, p, 0, "type", "每一行应为对象");
			continue;
		}
		kwj_get_int(c, o, "enrollment_id", arena_printf(c->a, "%s.enrollment_id", p),
			    KWJ_REQUIRED, 1, 1L << 50, &es[k].enrollment_id);
		read_score(c, o, "theory_score", arena_printf(c->a, "%s.theory_score", p),
			   &es[k].theory);
		read_score(c, o, "practical_score", arena_printf(c->a, "%s.practical_score", p),
			   &es[k].practical);
		kwj_get_bool(c, o, "absent", arena_printf(c->a, "%s.absent", p), KWJ_OPTIONAL,
			     &es[k].absent);
		kwj_get_string(c, o, "reason", arena_printf(c->a, "%s.reason", p), KWJ_OPTIONAL,
			       MAX_REASON, &es[k].reason);
	}
	if ((err = kw_validation_result(c)))
		return err;
	struct grading_item it;
	long changed;
	if ((err = db_begin(c)) || (err = grading_item_load(c, batch_id, item_id, true, &it)))
		return err;
	if (it.rel != GR_OWNER)
		return kw_fail(c, KW_EFORBIDDEN, "只有申请机构可以录入成绩");
	if ((err = apply(c, &it, es, n, &changed)) || (err = db_commit(c)))
		return err;
	return grading_scores(c, batch_id, item_id, out);
}

/* ------------------------------------------------------------------ template and import */

static const char *const sheet_header[] = {"姓名",     "身份证号",	"准考证号", "理论成绩",
					   "实操成绩", "缺考（是/否）", "修改原因"};
#define NCOLS (sizeof(sheet_header) / sizeof(*sheet_header))

int grading_template(struct kw_ctx *c, long batch_id, long item_id, const char **data, size_t *len)
{
	int err;
	struct grading_item it;
	if ((err = grading_item_load(c, batch_id, item_id, false, &it)))
		return err;
	if (it.phase < 3)
		return kw_fail(c, KW_ECONFLICT, "批次尚未进入考试阶段，还没有成绩");
	if ((err = ensure_tickets(c, item_id)))
		return err;
	PGresult *r = db_query(c, &q_roster, &err, db_ltoa(c, item_id));
	if (!r)
		return err;
	struct xlsx_col cols[NCOLS];
	for (size_t i = 0; i < NCOLS; i++)
		cols[i] = (struct xlsx_col){.header = sheet_header[i],
					    .type = XLSX_TEXT,
					    .width = i == 1 ? 22 : (i == 6 ? 30 : 14)};
	struct kw_membuf mb = {.limit = 4 * 1024 * 1024};
	xlsx_writer *w = xlsx_open(kw_membuf_sink, &mb);
	xlsx_add_sheet(w, "成绩");
	xlsx_columns(w, cols, NCOLS);
	for (int i = 0; i < PQntuples(r); i++) {
		xlsx_row_begin(w);
		xlsx_cell_text(w, db_val(r, i, "real_name"));
		xlsx_cell_text(w, db_val(r, i, "id_number"));
		xlsx_cell_text(w, db_val(r, i, "ticket_no"));
		const char *t = db_val(r, i, "theory"), *p = db_val(r, i, "practical");
		if (t)
			xlsx_cell_number(w, strtod(t, NULL));
		else
			xlsx_cell_blank(w);
		if (p)
			xlsx_cell_number(w, strtod(p, NULL));
		else
			xlsx_cell_blank(w);
		xlsx_cell_text(w, db_bool(r, i, "absent") ? "是" : "否");
		xlsx_cell_blank(w);
		xlsx_row_end(w);
	}
	if ((err = xlsx_close(w))) {
		kw_membuf_free(&mb);
		log_error("score template: xlsx writer failed (%d)", err);
		return KW_EINTERNAL;
	}
	*data = arena_memdup(c->a, mb.data, mb.len);
	*len = mb.len;
	kw_membuf_free(&mb);
	return KW_OK;
}

/* One sheet row's text as a score: "" is none; else a number 0-100 with one decimal at most. */
static bool sheet_score(struct kw_ctx *c, const char *s, int row, const char *what,
			const char **out)
{
	*out = NULL;
	if (!*s)
		return true;
	char *end;
	double d = strtod(s, &end);
	while (*end == ' ')
		end++;
	if (*end || !(d >= 0 && d <= 100) || fabs(d * 10 - round(d * 10)) > 1e-6) {
		kw_field_error(
		    c, what, row, "R19",
		    arena_printf(c->a, "%s“%s”应为 0–100 之间、最多一位小数的数字", what, s));
		return false;
	}
	*out = arena_printf(c->a, "%.1f", round(d * 10) / 10);
	return true;
}

int grading_import(struct kw_ctx *c, long batch_id, long item_id, const char *buf, size_t len,
		   json_object **out)
{
	int err;
	struct grading_item it;
	if ((err = db_begin(c)) || (err = grading_item_load(c, batch_id, item_id, true, &it)))
		return err;
	if (it.rel != GR_OWNER)
		return kw_fail(c, KW_EFORBIDDEN, "只有申请机构可以导入成绩");
	if ((err = grading_item_writable(c, &it, "导入成绩")) || (err = ensure_tickets(c, item_id)))
		return err;
	PGresult *cur = db_query(c, &q_current, &err, db_ltoa(c, item_id));
	if (!cur)
		return err;
	struct xlsx_read_limits lim = xlsx_read_limits_default();
	lim.max_rows = 1000;
	struct xlsx_read_error xe;
	struct xlsx_reader *rd;
	const struct xlsx_read_row *row;
	size_t cap = (size_t)PQntuples(cur) + 1, n = 0;
	struct entry *es = arena_alloc(c->a, sizeof(*es) * cap);
	err = xlsx_reader_open(&rd, buf, len, &lim, &xe);
	while (!err && !(err = xlsx_reader_next(rd, &row, &xe)) && row) {
		const char *ticket = xlsx_read_text(row, 2), *idn = xlsx_read_text(row, 1);
		if (!strcmp(xlsx_read_text(row, 0), sheet_header[0]))
			continue; /* the header row */
		int r = (int)row->num, found = -1;
		for (int i = 0; i < PQntuples(cur) && found < 0; i++)
			if ((*ticket && !strcmp(ticket, db_val(cur, i, "ticket_no"))) ||
			    (!*ticket && *idn && !strcmp(idn, db_val(cur, i, "id_number"))))
				found = i;
		if (found < 0) {
			kw_field_error(c, "准考证号", r, "R19",
				       "准考证号或身份证号不在本职业等级的花名册中");
			continue;
		}
		if (n >= cap) {
			kw_field_error(c, "准考证号", r, "R19", "同一考生出现多次");
			continue;
		}
		struct entry *e = &es[n];
		memset(e, 0, sizeof(*e));
		e->row = r;
		e->enrollment_id = db_long(cur, found, "id");
		const char *ab = xlsx_read_text(row, 5);
		e->absent = !strcmp(ab, "是") || !strcmp(ab, "缺考");
		bool ok = sheet_score(c, xlsx_read_text(row, 3), r, "理论成绩", &e->theory);
		ok = sheet_score(c, xlsx_read_text(row, 4), r, "实操成绩", &e->practical) && ok;
		e->reason = xlsx_read_text(row, 6);
		if (kw_utf8_len(e->reason, strlen(e->reason)) > MAX_REASON) {
			kw_field_error(c, "修改原因", r, "R19", "修改原因不能超过 200 字");
			ok = false;
		}
		if (ok && (e->theory || e->practical || e->absent))
			n++;
	}
	xlsx_reader_close(rd);
	if (err)
		return xlsx_read_fail(c, &xe);
	if ((err = kw_validation_result(c)))
		return err;
	long changed;
	if ((err = apply(c, &it, es, n, &changed)) || (err = db_commit(c)))
		return err;
	json_object *o = kwj_own(c, json_object_new_object());
	kwj_add_int(o, "rows", (long)n);
	kwj_add_int(o, "changed", changed);
	*out = o;
	return KW_OK;
}

/* ------------------------------------------------------------------ counts */

static struct db_stmt q_counts =
    DB_STMT("grading_counts",
	    "SELECT count(*) AS enrolled, count(*) FILTER (WHERE s.grade IS NULL) AS missing,"
	    " count(*) FILTER (WHERE s.absent) AS absent,"
	    " count(*) FILTER (WHERE s.grade IN ('pass', 'good', 'excellent')) AS passed"
	    " FROM enrollments e LEFT JOIN scores s ON s.enrollment_id = e.id"
	    " WHERE e.item_id = $1 AND e.status = 'submitted'");

int grading_missing(struct kw_ctx *c, long item_id, long *missing, long *total)
{
	int err;
	PGresult *r = db_query(c, &q_counts, &err, db_ltoa(c, item_id));
	if (!r)
		return err;
	*missing = db_long(r, 0, "missing");
	*total = db_long(r, 0, "enrolled");
	return KW_OK;
}

int grading_counts(struct kw_ctx *c, long item_id, long *enrolled, long *absent, long *passed)
{
	int err;
	PGresult *r = db_query(c, &q_counts, &err, db_ltoa(c, item_id));
	if (!r)
		return err;
	*enrolled = db_long(r, 0, "enrolled");
	*absent = db_long(r, 0, "absent");
	*passed = db_long(r, 0, "passed");
	return KW_OK;
}

/* ------------------------------------------------------------------ 成绩查询 */

static struct db_stmt q_mine = DB_STMT(
    "grading_mine", "SELECT ticket_no, theory_score::text AS theory, practical_score::text AS"
		    " practical, absent, grade FROM scores WHERE enrollment_id = $1");

json_object *grading_candidate_score(struct kw_ctx *c, long enrollment_id, const char *batch_status)
{
	int err;
	const struct wf_status *st = batch_status ? batch_status_find(batch_status) : NULL;
	if (!st || st->phase < 5)
		return NULL;
	PGresult *r = db_query(c, &q_mine, &err, db_ltoa(c, enrollment_id));
	if (!r || !PQntuples(r) || !db_val(r, 0, "grade"))
		return NULL;
	json_object *o = json_object_new_object();
	kwj_add_str(o, "ticket_no", db_val(r, 0, "ticket_no"));
	add_score(o, "theory_score", db_val(r, 0, "theory"));
	add_score(o, "practical_score", db_val(r, 0, "practical"));
	kwj_add_bool(o, "absent", db_bool(r, 0, "absent"));
	kwj_add_str(o, "grade", db_val(r, 0, "grade"));
	kwj_add_str(o, "grade_text", grading_grade_text(db_val(r, 0, "grade")));
	return o;
}
