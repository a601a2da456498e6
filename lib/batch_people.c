/* batch_people.c - 调配 (R11): the assessors and the supervisors of a batch item, one algorithm
 * driven by a role descriptor. See batch.h. */
#include "batch_int.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "core/json.h"
#include "db/db.h"
#include "expert.h"
#include "message.h"
#include "ref.h"

static struct db_stmt q_item_lock =
    DB_STMT("batch_item_lock",
	    "SELECT i.id, i.exam_date::text AS exam_date, i.occupation_id, i.direction_id,"
	    " i.chief_assessor_id, ca.name AS chief_assessor_name, i.chief_supervisor_id,"
	    " cs.name AS chief_supervisor_name"
	    " FROM batch_items i JOIN experts ca ON ca.id = i.chief_assessor_id"
	    " LEFT JOIN experts cs ON cs.id = i.chief_supervisor_id"
	    " WHERE i.id = $1 AND i.batch_id = $2 FOR UPDATE OF i");
static struct db_stmt q_item_people_of =
    DB_STMT("batch_item_people_of",
	    "SELECT e.id, e.name FROM batch_item_experts x JOIN experts e ON e.id = x.expert_id"
	    " WHERE x.item_id = $1 AND x.role = $2 ORDER BY x.pos");
static struct db_stmt q_names =
    DB_STMT("batch_expert_names",
	    "SELECT t.x AS id, e.name FROM unnest($1::bigint[]) WITH ORDINALITY AS t(x, ord)"
	    " JOIN experts e ON e.id = t.x ORDER BY t.ord");
static struct db_stmt q_people_clear = DB_STMT(
    "batch_item_people_clear", "DELETE FROM batch_item_experts WHERE item_id = $1 AND role = $2");
static struct db_stmt q_set_chief_assessor = DB_STMT(
    "batch_item_chief_assessor", "UPDATE batch_items SET chief_assessor_id = $2 WHERE id = $1");
static struct db_stmt q_set_chief_supervisor = DB_STMT(
    "batch_item_chief_supervisor", "UPDATE batch_items SET chief_supervisor_id = $2 WHERE id = $1");
static struct db_stmt q_supervisor_check =
    DB_STMT("batch_supervisor_check",
	    "SELECT e.id, e.name, e.role,"
	    " EXISTS (SELECT 1 FROM expert_certificates k WHERE k.expert_id = e.id"
	    "  AND k.type = 'supervisor' AND k.issued_on <= $2::date AND k.valid_until >= $2::date)"
	    "  AS valid FROM experts e WHERE e.id = ANY($1::bigint[])");

/* People as a list of ids and the names joined by a space (the manual's trail). */
struct people {
	long *ids;
	size_t n;
	const char *names; /* "笔尖 胜利" */
};

static int people_of(struct kw_ctx *c, long item_id, const char *role, struct people *p)
{
	int err;
	PGresult *res = db_query(c, &q_item_people_of, &err, db_ltoa(c, item_id), role);
	if (!res)
		return err;
	p->n = (size_t)PQntuples(res);
	p->ids = arena_alloc(c->a, sizeof(long) * (p->n + 1));
	p->names = "";
	for (size_t i = 0; i < p->n; i++) {
		p->ids[i] = strtol(PQgetvalue(res, (int)i, 0), NULL, 10);
		p->names = arena_printf(c->a, "%s%s%s", p->names, i ? " " : "",
					PQgetvalue(res, (int)i, 1));
	}
	return KW_OK;
}

static int names_of(struct kw_ctx *c, const long *ids, size_t n, const char **names)
{
	int err;
	*names = "";
	if (!n)
		return KW_OK;
	PGresult *res = db_query(c, &q_names, &err, db_id_array(c, ids, n));
	if (!res)
		return err;
	for (int i = 0; i < PQntuples(res); i++)
		*names = arena_printf(c->a, "%s%s%s", *names, i ? " " : "", PQgetvalue(res, i, 1));
	return KW_OK;
}

static bool same_set(const long *a, size_t na, const long *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++) {
		bool found = false;
		for (size_t j = 0; j < nb && !found; j++)
			found = a[i] == b[j];
		if (!found)
			return false;
	}
	return true;
}

struct people_role;
/* Check that chief (0: none) and ids may take this role on the item; field errors only. */
typedef int (*people_check)(struct kw_ctx *c, const struct wf_subject *b, const PGresult *item,
			    long chief, const long *ids, size_t n);

/* What differs between assigning assessors and supervisors. */
struct people_role {
	enum batch_action action;		/* the state table's action (and the audit code) */
	const char *role;			/* batch_item_experts.role */
	const char *chief_key;			/* body key and batch_items column of the chief */
	const char *ids_key;			/* body key of the others */
	const char *chief_name;			/* column of the chief's name in q_item_lock */
	const char *audit_chief, *audit_people; /* audit detail key stems */
	bool chief_required;
	const char *rule;		      /* rule of the list errors */
	const char *what;		      /* 考评员 */
	const char *need_chief, *need_people; /* messages when missing (NULL: may be missing) */
	struct db_stmt *set_chief;
	people_check check;
	const char *same;	   /* 409 when nothing changes */
	const char *chief_line;	   /* {actor} {old} {new} */
	const char *chief_cleared; /* {actor} {old}; NULL: a chief is always there */
	const char *people_line; /* {actor} {old} ({old} ends with a space when not empty) {new} */
	const char *chief_trail, *people_trail; /* trail action codes */
	bool chief_detail;			/* the chief's trail line carries {"old", "new"} */
	const char *words;			/* the station's message: 考评人员 */
};

/* Assessors: R9 via lib/expert.h. */
static int check_assessors(struct kw_ctx *c, const struct wf_subject *b, const PGresult *item,
			   long chief, const long *ids, size_t n)
{
	long occ = db_long(item, 0, "direction_id");
	if (!occ)
		occ = db_long(item, 0, "occupation_id");
	int err = expert_check_assessors(c, b->org_id, (int)occ, db_val(item, 0, "exam_date"),
					 chief, ids, n);
	return err == KW_EVALIDATION ? KW_OK : err;
}

/* Supervisors: experts of role supervisor with a supervisor certificate valid on the exam date. */
static int check_supervisors(struct kw_ctx *c, const struct wf_subject *b, const PGresult *item,
			     long chief, const long *ids, size_t n)
{
	int err;
	(void)b;
	size_t m = (chief > 0 ? 1 : 0) + n;
	if (!m)
		return KW_OK;
	long *all = arena_alloc(c->a, sizeof(long) * m);
	size_t k = 0;
	if (chief > 0)
		all[k++] = chief;
	for (size_t i = 0; i < n; i++)
		all[k++] = ids[i];
	const char *date = db_val(item, 0, "exam_date");
	PGresult *res = db_query(c, &q_supervisor_check, &err, db_id_array(c, all, m), date);
	if (!res)
		return err;
	for (size_t i = 0; i < m; i++) {
		const char *field = chief > 0 && i == 0 ? "chief_supervisor_id"
							: arena_printf(c->a, "supervisor_ids[%zu]",
								       i - (chief > 0 ? 1 : 0));
		int row = -1;
		for (int r = 0; r < PQntuples(res); r++)
			if (db_long(res, r, "id") == all[i])
				row = r;
		if (row < 0)
			kw_field_error(c, field, 0, "R11", "所选督导员不存在");
		else if (strcmp(db_val(res, row, "role"), "supervisor"))
			kw_field_error(
			    c, field, 0, "R11",
			    arena_printf(c->a, "%s不是督导员", db_val(res, row, "name")));
		else if (!db_bool(res, row, "valid"))
			kw_field_error(c, field, 0, "R11",
				       arena_printf(c->a,
						    "%s的督导员证书在考试日期 %s 不在有效期内",
						    db_val(res, row, "name"), date));
	}
	return KW_OK;
}

static const struct people_role assessors = {
    .action = BA_REASSIGN,
    .role = "assessor",
    .chief_key = "chief_assessor_id",
    .ids_key = "assessor_ids",
    .chief_name = "chief_assessor_name",
    .audit_chief = "chief_assessor",
    .audit_people = "assessors",
    .chief_required = true,
    .rule = "R4",
    .what = "考评员",
    .need_chief = "请选择考评组长",
    .need_people = "请至少选择一位考评员",
    .set_chief = &q_set_chief_assessor,
    .check = check_assessors,
    .same = "调配前后的考评组长和考评员相同",
    .chief_line = "{actor}将考评组长{old}调配为{new}",
    .chief_cleared = NULL,
    .people_line = "{actor}将考评员{old}调配为 {new}",
    .chief_trail = "reassign_chief_assessor",
    .people_trail = "reassign_assessors",
    .chief_detail = true,
    .words = "考评人员",
};

static const struct people_role supervisors = {
    .action = BA_SUPERVISE,
    .role = "supervisor",
    .chief_key = "chief_supervisor_id",
    .ids_key = "supervisor_ids",
    .chief_name = "chief_supervisor_name",
    .audit_chief = "chief_supervisor",
    .audit_people = "supervisors",
    .chief_required = false,
    .rule = "R11",
    .what = "督导员",
    .need_chief = "请先安排督导组长",
    .need_people = NULL,
    .set_chief = &q_set_chief_supervisor,
    .check = check_supervisors,
    .same = "安排前后的督导组长和督导员相同",
    .chief_line = "{actor}将督导组长{old}调配为 {new}",
    .chief_cleared = "{actor}取消了督导组长{old}",
    .people_line = "{actor}将督导员{old}调配为 {new}",
    .chief_trail = "assign_chief_supervisor",
    .people_trail = "assign_supervisors",
    .chief_detail = false,
    .words = "督导人员",
};

/* ------------------------------------------------------------------ assignment is news */

static struct db_stmt q_item_words = DB_STMT(
    "batch_item_words", "SELECT oc.name || coalesce('/' || d.name, '') AS occupation, i.level,"
			" i.exam_date::text AS exam_date FROM batch_items i"
			" JOIN occupations oc ON oc.id = i.occupation_id"
			" LEFT JOIN occupations d ON d.id = i.direction_id WHERE i.id = $1");
static struct db_stmt q_expert_account =
    DB_STMT("batch_expert_account", "SELECT min(id) AS id FROM accounts WHERE expert_id = $1");
static struct db_stmt q_batch_people =
    DB_STMT("batch_all_people",
	    "SELECT i.id AS item_id, i.chief_assessor_id AS expert_id, 'chief_assessor' AS role"
	    " FROM batch_items i WHERE i.batch_id = $1"
	    " UNION ALL SELECT i.id, i.chief_supervisor_id, 'chief_supervisor' FROM batch_items i"
	    " WHERE i.batch_id = $1 AND i.chief_supervisor_id IS NOT NULL"
	    " UNION ALL SELECT x.item_id, x.expert_id, x.role FROM batch_item_experts x"
	    " JOIN batch_items i ON i.id = x.item_id WHERE i.batch_id = $1");

/* A 站内信 to one expert about one item of batch b: "{verb}{batch} {occupation} {level}（考试日期
 * …）的{role}". */
static int tell_expert(struct kw_ctx *c, const struct wf_subject *b, long item_id, long expert,
		       const char *verb, const char *role)
{
	int err;
	PGresult *w = db_query(c, &q_item_words, &err, db_ltoa(c, item_id));
	PGresult *a = w ? db_query(c, &q_expert_account, &err, db_ltoa(c, expert)) : NULL;
	if (!a)
		return err;
	if (!PQntuples(w) || !db_long(a, 0, "id"))
		return KW_OK;
	const char *text = arena_printf(
	    c->a, "%s%s %s %s（考试日期 %s）的%s", verb, b->name, db_val(w, 0, "occupation"),
	    ref_level_name((int)db_long(w, 0, "level")), db_val(w, 0, "exam_date"), role);
	return message_send(c, 0, NULL, db_long(a, 0, "id"), text, "/app/expert-tasks");
}

static bool in_set(long id, long chief, const long *ids, size_t n)
{
	if (id == chief)
		return true;
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* After 调配 / 安排督导: tell whoever was added, moved between chief and member, or removed. */
static int tell_changes(struct kw_ctx *c, const struct people_role *pr, const struct wf_subject *b,
			long item_id, long old_chief, const struct people *old, long chief,
			const long *ids, size_t n)
{
	int err;
	bool sup = !strcmp(pr->role, "supervisor");
	const char *chief_word = sup ? "督导组长" : "考评组长";
	if (chief && chief != old_chief &&
	    (err = tell_expert(c, b, item_id, chief, "您被安排为", chief_word)))
		return err;
	for (size_t i = 0; i < n; i++)
		if (ids[i] != chief && !in_set(ids[i], 0, old->ids, old->n) &&
		    (err = tell_expert(c, b, item_id, ids[i], "您被安排为", pr->what)))
			return err;
	if (old_chief && !in_set(old_chief, chief, ids, n) &&
	    (err = tell_expert(c, b, item_id, old_chief, "您已不再担任", chief_word)))
		return err;
	for (size_t i = 0; i < old->n; i++)
		if (!in_set(old->ids[i], chief, ids, n) && old->ids[i] != old_chief &&
		    (err = tell_expert(c, b, item_id, old->ids[i], "您已不再担任", pr->what)))
			return err;
	return KW_OK;
}

int batch_people_notify(struct kw_ctx *c, const struct wf_subject *b)
{
	int err;
	PGresult *r = db_query(c, &q_batch_people, &err, db_ltoa(c, b->id));
	if (!r)
		return err;
	static const struct {
		const char *code, *word;
	} words[] = {{"chief_assessor", "考评组长"},
		     {"assessor", "考评员"},
		     {"chief_supervisor", "督导组长"},
		     {"supervisor", "督导员"}};
	for (int i = 0; i < PQntuples(r); i++)
		for (size_t k = 0; k < sizeof(words) / sizeof(*words); k++)
			if (!strcmp(db_val(r, i, "role"), words[k].code) &&
			    (err = tell_expert(c, b, db_long(r, i, "item_id"),
					       db_long(r, i, "expert_id"), "您被安排为",
					       words[k].word)))
				return err;
	return KW_OK;
}

/* Read and check the body of an assignment: the chief (0: none) and the others. */
static int read_people(struct kw_ctx *c, const struct people_role *pr, const struct wf_subject *b,
		       const PGresult *item, json_object *body, long *chief, long **ids, size_t *n)
{
	int err;
	*chief = 0;
	if (!batch_present(body, pr->chief_key)) {
		if (pr->chief_required)
			kw_field_error(c, pr->chief_key, 0, pr->rule, pr->need_chief);
	} else {
		kwj_get_int(c, body, pr->chief_key, NULL, KWJ_OPTIONAL, 1, LONG_MAX / 2, chief);
	}
	bool ok = batch_read_ids(c, body, pr->ids_key, pr->ids_key, pr->rule, pr->what, ids, n);
	if (ok && *n == 0 && pr->need_people) {
		kw_field_error(c, pr->ids_key, 0, pr->rule, pr->need_people);
		ok = false;
	}
	if (ok && *n && !*chief && !pr->chief_required && !batch_present(body, pr->chief_key))
		kw_field_error(c, pr->chief_key, 0, pr->rule, pr->need_chief);
	if (!ok)
		*n = 0;
	if ((err = pr->check(c, b, item, *chief, ok ? *ids : NULL, ok ? *n : 0)))
		return err;
	err = batch_people_check_free(c, b->id, db_val(item, 0, "exam_date"), "", pr->chief_key,
				      *chief, pr->ids_key, ok ? *ids : NULL, ok ? *n : 0);
	if (err && err != KW_EVALIDATION)
		return err;
	return kw_validation_result(c);
}

/* One assignment: lock, state table row, the item, the check, the change, trail, audit, message. */
static int assign(struct kw_ctx *c, const struct people_role *pr, long id, long item_id,
		  json_object *body)
{
	int err;
	struct wf_subject b;
	const struct wf_row *t;
	if ((err = batch_need_object(c, body)))
		return err;
	if ((err = wf_begin(c, &batch_wf, id, batch_action_code(pr->action), &b, &t)))
		return err;
	PGresult *item = db_query(c, &q_item_lock, &err, db_ltoa(c, item_id), db_ltoa(c, id));
	if (!item)
		return err;
	if (!PQntuples(item))
		return kw_fail(c, KW_ENOTFOUND, "批次细则不存在");
	long chief, *ids = NULL;
	size_t n;
	if ((err = read_people(c, pr, &b, item, body, &chief, &ids, &n)))
		return err;

	struct people old = {0};
	if ((err = people_of(c, item_id, pr->role, &old)))
		return err;
	long old_chief = db_long(item, 0, pr->chief_key);
	if (old_chief == chief && same_set(old.ids, old.n, ids, n))
		return kw_fail(c, KW_ECONFLICT, pr->same);
	const char *actor = wf_actor_label(c, &b);
	json_object *d = kwj_own(c, json_object_new_object());
	kwj_add_int(d, "item_id", item_id);
	if (old_chief != chief) {
		const char *new_name = "";
		if (chief && (err = names_of(c, &chief, 1, &new_name)))
			return err;
		if (!db_query(c, pr->set_chief, &err, db_ltoa(c, item_id),
			      chief ? db_ltoa(c, chief) : NULL))
			return err;
		const char *old_name = db_val(item, 0, pr->chief_name);
		const char *line = chief ? pr->chief_line : pr->chief_cleared;
		line = wf_fill(c, wf_fill(c, wf_fill(c, line, "{actor}", actor), "{old}", old_name),
			       "{new}", new_name);
		json_object *td = NULL;
		if (pr->chief_detail) {
			td = kwj_own(c, json_object_new_object());
			kwj_add_int(td, "old", old_chief);
			kwj_add_int(td, "new", chief);
		}
		if ((err = batch_trail_add(c, &b, item_id, actor, pr->chief_trail, b.status,
					   b.status, NULL, line, td)))
			return err;
		kwj_add_int(d, arena_printf(c->a, "%s_from", pr->audit_chief), old_chief);
		kwj_add_int(d, arena_printf(c->a, "%s_to", pr->audit_chief), chief);
	}
	/* The order chosen is kept, even when only the order changed. */
	if (!db_query(c, &q_people_clear, &err, db_ltoa(c, item_id), pr->role) ||
	    (err = batch_item_people_save(c, item_id, pr->role, ids, n)))
		return err;
	if (!same_set(old.ids, old.n, ids, n)) {
		const char *new_names;
		if ((err = names_of(c, ids, n, &new_names)))
			return err;
		const char *was = *old.names ? arena_printf(c->a, "%s ", old.names) : "";
		const char *line = wf_fill(
		    c, wf_fill(c, wf_fill(c, pr->people_line, "{actor}", actor), "{old}", was),
		    "{new}", new_names);
		if ((err = batch_trail_add(c, &b, item_id, actor, pr->people_trail, b.status,
					   b.status, NULL, line, NULL)))
			return err;
		kwj_add_str(d, arena_printf(c->a, "%s_from", pr->audit_people), old.names);
		kwj_add_str(d, arena_printf(c->a, "%s_to", pr->audit_people), new_names);
	}
	if ((err = batch_touch(c, b.id)))
		return err;
	const char *code = batch_action_code(pr->action);
	if ((err = audit_write(c, arena_printf(c->a, "batch.%s", code), "batch", b.id, d)))
		return err;
	if ((err = tell_changes(c, pr, &b, item_id, old_chief, &old, chief, ids, n)))
		return err;
	const char *msg =
	    arena_printf(c->a, "%s调整了批次%s的%s，请查看", actor, b.name, pr->words);
	if ((err = message_send(c, b.org_id, NULL, 0, msg,
				arena_printf(c->a, "/app/batches/%ld", b.id))))
		return err;
	return db_commit(c);
}

int batch_reassign_assessors(struct kw_ctx *c, long id, long item_id, json_object *body)
{
	return assign(c, &assessors, id, item_id, body);
}

int batch_assign_supervisors(struct kw_ctx *c, long id, long item_id, json_object *body)
{
	return assign(c, &supervisors, id, item_id, body);
}

/* ------------------------------------------------------------------ never a double booking */

/* Who of $3 serves an item of a batch other than $2 (drafts do not count) on exam date $1. */
static struct db_stmt q_busy = DB_STMT(
    "batch_people_busy",
    "SELECT DISTINCT ON (p.expert_id) p.expert_id, e.name, b.id AS batch_id, b.name AS batch_name,"
    " p.role FROM batch_items i JOIN batches b ON b.id = i.batch_id"
    " CROSS JOIN LATERAL (SELECT i.chief_assessor_id AS expert_id, 'chief_assessor' AS role"
    "  UNION ALL SELECT i.chief_supervisor_id, 'chief_supervisor'"
    "  UNION ALL SELECT x.expert_id, x.role FROM batch_item_experts x WHERE x.item_id = i.id) p"
    " JOIN experts e ON e.id = p.expert_id"
    " WHERE i.exam_date = $1::date AND b.id <> $2 AND b.status <> 'draft'"
    " AND p.expert_id = ANY($3::bigint[])"
    " ORDER BY p.expert_id, b.id, p.role LIKE 'chief%' DESC, p.role");
/* People changes wait for each other, so two batches cannot take one person on one day at once. */
static struct db_stmt q_busy_lock =
    DB_STMT("batch_people_busy_lock", "SELECT pg_advisory_xact_lock(4211011)");

static const char *role_word(const char *role)
{
	if (!strcmp(role, "chief_assessor"))
		return "考评组长";
	if (!strcmp(role, "assessor"))
		return "考评员";
	if (!strcmp(role, "chief_supervisor"))
		return "督导组长";
	return "督导员";
}

/* The busy rows of ids on date (see q_busy). */
static int busy_rows(struct kw_ctx *c, const char *date, long batch_id, const long *ids, size_t n,
		     PGresult **res)
{
	int err;
	*res = db_query(c, &q_busy, &err, date, db_ltoa(c, batch_id), db_id_array(c, ids, n));
	return *res ? KW_OK : err;
}

int batch_people_check_free(struct kw_ctx *c, long batch_id, const char *date, const char *prefix,
			    const char *chief_key, long chief, const char *ids_key, const long *ids,
			    size_t n)
{
	int err;
	if (!date || (chief <= 0 && !n))
		return KW_OK;
	if (!db_query(c, &q_busy_lock, &err))
		return err;
	long *all = arena_alloc(c->a, sizeof(long) * (n + 1));
	size_t m = 0;
	if (chief > 0)
		all[m++] = chief;
	for (size_t i = 0; i < n; i++)
		all[m++] = ids[i];
	PGresult *res;
	if ((err = busy_rows(c, date, batch_id, all, m, &res)))
		return err;
	int found = 0;
	for (int r = 0; r < PQntuples(res); r++) {
		long who = db_long(res, r, "expert_id");
		const char *msg =
		    arena_printf(c->a, "%s在 %s 已担任批次「%s」的%s，同一考试日期不能再安排",
				 db_val(res, r, "name"), date, db_val(res, r, "batch_name"),
				 role_word(db_val(res, r, "role")));
		if (chief > 0 && who == chief)
			kw_field_error(c, arena_printf(c->a, "%s%s", prefix, chief_key), 0,
				       "double_booking", msg);
		for (size_t i = 0; i < n; i++)
			if (ids[i] == who && ids[i] != chief)
				kw_field_error(c,
					       arena_printf(c->a, "%s%s[%zu]", prefix, ids_key, i),
					       0, "double_booking", msg);
		found++;
	}
	return found ? KW_EVALIDATION : KW_OK;
}

int batch_people_mark_busy(struct kw_ctx *c, const char *date, long batch_id, json_object *people)
{
	int err;
	size_t n = json_object_array_length(people);
	if (!n)
		return KW_OK;
	long *ids = arena_alloc(c->a, sizeof(long) * n);
	for (size_t i = 0; i < n; i++) {
		json_object *id = NULL;
		json_object_object_get_ex(json_object_array_get_idx(people, i), "id", &id);
		ids[i] = id ? json_object_get_int64(id) : 0;
	}
	PGresult *res;
	if ((err = busy_rows(c, date, batch_id, ids, n, &res)))
		return err;
	for (size_t i = 0; i < n; i++) {
		json_object *busy = NULL;
		for (int r = 0; r < PQntuples(res) && !busy; r++) {
			if (db_long(res, r, "expert_id") != ids[i])
				continue;
			busy = json_object_new_object();
			kwj_add_int(busy, "batch_id", db_long(res, r, "batch_id"));
			kwj_add_str(busy, "batch_name", db_val(res, r, "batch_name"));
			kwj_add_str(busy, "role", db_val(res, r, "role"));
			kwj_add_str(busy, "role_text", role_word(db_val(res, r, "role")));
			kwj_add_str(busy, "exam_date", date);
		}
		json_object_object_add(json_object_array_get_idx(people, i), "busy", busy);
	}
	return KW_OK;
}
