/* plan.c - annual plans: the workflow's state table on the engine, reads, create and update, review
 * (R2), exports (R3), the overview. The items' rules are plan_items.c. */
#include "plan_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audit.h"
#include "core/clock.h"
#include "core/json.h"
#include "db/db.h"
#include "message.h"
#include "org.h"
#include "ref.h"

/* ------------------------------------------------------------------ the workflow */

enum { PA_EDIT, PA_SUBMIT, PA_APPROVE, PA_REJECT, PA_N };

static const struct wf_status statuses[] = {
    {"draft", 1, "草稿", "草稿", R_ORG, WF_PARAM_NONE},
    {"level2_review", 1, "等待{org}审核", "等待二级机构审核", R_LEVEL2, WF_PARAM_L2},
    {"center_review", 1, "等待中心工作人员审核", "等待中心工作人员审核", R_CENTER_STAFF,
     WF_PARAM_NONE},
    {"approved", 1, "审核通过", "审核通过", 0, WF_PARAM_NONE},
    {"rejected", 1, "被{org}拒绝", "被拒绝", R_ORG, WF_PARAM_ACTOR},
};

static const struct wf_action actions[PA_N] = {
    [PA_EDIT] = {"edit", "修改", false, "年度计划已提交，只有草稿或被拒绝的计划可以修改"},
    [PA_SUBMIT] = {"submit", "提交", true, NULL},
    [PA_APPROVE] = {"approve", "审核通过", true, NULL},
    [PA_REJECT] = {"reject", "拒绝", true, NULL},
};

/* clang-format off */
#define SUBMITTED_TO_L2 {WF_TO_NEXT, "{org}提交了年度计划，等待您审核，请查看"}
#define SUBMITTED_TO_CENTER {WF_TO_NEXT, "{org}提交了年度计划，等待中心工作人员审核，请查看"}
#define REJECTED {WF_TO_OWNER, "您提交的计划被{actor}拒绝，请查看详情"}
#define REJECTED_TO_L2 {WF_TO_LEVEL2, "{org}的年度计划被中心工作人员拒绝"}
#define L2_APPROVED_TO_OWNER {WF_TO_OWNER, "您的计划已通过{l2}审核，等待中心工作人员审核"}
#define L2_APPROVED_TO_CENTER \
	{WF_TO_NEXT, "{org}的年度计划已通过{l2}审核，等待中心工作人员审核，请查看"}
#define APPROVED_TO_OWNER {WF_TO_OWNER, "您的计划审核通过，请查看"}
#define APPROVED_TO_L2 {WF_TO_LEVEL2, "{org}的年度计划已由中心审核通过"}

/* Submitting: no date of the plan may already have passed. */
static int guard_not_past(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
			  json_object *body);

/* The only place the plan workflow is decided (see plan.h). Edit rows first: the detail's
 * actions list follows the action order. */
static const struct wf_row rows[] = {
    {"draft", PA_EDIT, R_ORG, WF_OWNER, WF_ALWAYS, NULL, NULL, NULL, {{0}}, "plan.update", NULL},
    {"rejected", PA_EDIT, R_ORG, WF_OWNER, WF_ALWAYS, NULL, NULL, NULL, {{0}}, "plan.update", NULL},
    {"draft", PA_SUBMIT, R_ORG, WF_OWNER, WF_HAS_L2, "level2_review", guard_not_past, "年度计划提交",
     {SUBMITTED_TO_L2}, NULL, NULL},
    {"draft", PA_SUBMIT, R_ORG, WF_OWNER, WF_NO_L2, "center_review", guard_not_past, "年度计划提交",
     {SUBMITTED_TO_CENTER}, NULL, NULL},
    {"rejected", PA_SUBMIT, R_ORG, WF_OWNER, WF_HAS_L2, "level2_review", guard_not_past, "年度计划提交",
     {SUBMITTED_TO_L2}, NULL, NULL},
    {"rejected", PA_SUBMIT, R_ORG, WF_OWNER, WF_NO_L2, "center_review", guard_not_past, "年度计划提交",
     {SUBMITTED_TO_CENTER}, NULL, NULL},
    {"level2_review", PA_APPROVE, R_LEVEL2, WF_LEVEL2, WF_ALWAYS, "center_review", NULL, "审核通过",
     {L2_APPROVED_TO_OWNER, L2_APPROVED_TO_CENTER}, NULL, NULL},
    {"level2_review", PA_REJECT, R_LEVEL2, WF_LEVEL2, WF_ALWAYS, "rejected", NULL, "审核拒绝", {REJECTED},
     NULL, NULL},
    {"center_review", PA_APPROVE, R_CENTER_STAFF, WF_CENTER, WF_ALWAYS, "approved", NULL, "审核通过",
     {APPROVED_TO_OWNER, APPROVED_TO_L2}, NULL, NULL},
    {"center_review", PA_REJECT, R_CENTER_STAFF, WF_CENTER, WF_ALWAYS, "rejected", NULL, "审核拒绝",
     {REJECTED, REJECTED_TO_L2}, NULL, NULL},
};
/* clang-format on */

static int plan_load(struct kw_ctx *c, long id, bool lock, struct wf_subject *s);
static int plan_move(struct kw_ctx *c, struct wf_subject *s, const struct wf_move *m, bool *moved);
static int plan_trail(struct kw_ctx *c, const struct wf_subject *s, const struct wf_move *m);

const struct wf_def plan_wf = {
    .entity = "plan",
    .noun = "年度计划",
    .link = "/app/plans/%ld",
    .statuses = statuses,
    .nstatuses = sizeof(statuses) / sizeof(statuses[0]),
    .actions = actions,
    .nactions = PA_N,
    .rows = rows,
    .nrows = sizeof(rows) / sizeof(rows[0]),
    .load = plan_load,
    .move = plan_move,
    .trail = plan_trail,
    .audit_code = true,
};

/* ------------------------------------------------------------------ helpers */

/* The words of a category code ("" for none). */
const char *plan_category_text(const char *code)
{
	const char *t = code ? ref_category_name(code) : NULL;
	return t ? t : "";
}

/* The {org} of a status: the level-2 reviewer waited for, or who rejected the plan. */
static const char *status_param(const char *status, const char *l2_name, const char *rejected_by)
{
	if (!strcmp(status, "rejected"))
		return rejected_by && !strcmp(rejected_by, "level2") && l2_name ? l2_name
										: "中心工作人员";
	return l2_name;
}

/* What a user reads for a status (R25's voice: the manual's words). */
static const char *status_text(struct kw_ctx *c, const char *status, const char *l2_name,
			       const char *rejected_by)
{
	const char *t =
	    wf_status_text(c, &plan_wf, status, status_param(status, l2_name, rejected_by));
	return t ? t : status;
}

static const char *action_text(const char *action)
{
	if (!strcmp(action, "submit"))
		return "年度计划提交";
	if (!strcmp(action, "approve"))
		return "审核通过";
	if (!strcmp(action, "reject"))
		return "审核拒绝";
	return action;
}

/* ------------------------------------------------------------------ SQL */

/*
 * Which plans the caller sees ($1 scope kind, $2 scope root, $3 the caller's org):
 * its own org's, and the submitted ones of the orgs in its scope.
 */
#define PLAN_VISIBLE                                                                               \
	"(p.org_id = $3::bigint OR (p.status <> 'draft' AND " ORG_SCOPE_SQL("p.org_id", "$1",      \
									    "$2") "))"

#define PLAN_COLUMNS                                                                               \
	"p.id, p.code, p.year, p.org_id, o.name AS org_name, o.code AS org_code, p.status,"        \
	" p.rejected_by, p.level2_org_id, l2.name AS level2_name, p.last_comment,"                 \
	" kw_ts(p.created_at) AS created_at, kw_ts(p.submitted_at) AS submitted_at,"               \
	" kw_ts(p.updated_at) AS updated_at,"                                                      \
	" (SELECT count(*) FROM plan_items i WHERE i.plan_id = p.id) AS item_count,"               \
	" (SELECT coalesce(sum(i.count), 0) FROM plan_items i WHERE i.plan_id = p.id)"             \
	" AS total_count, par.kind AS parent_kind"
#define PLAN_FROM                                                                                  \
	" FROM plans p JOIN orgs o ON o.id = p.org_id LEFT JOIN orgs l2 ON l2.id ="                \
	" p.level2_org_id LEFT JOIN orgs par ON par.id = o.parent_id"

/*
 * $4 status | 'pending', $5 org_id, $6 year, $7 whose pending work: 'level2' | 'center' | 'none',
 * $8 part of the code or of the org's name.
 */
#define PLAN_LIST_WHERE                                                                            \
	" WHERE " PLAN_VISIBLE " AND ($4::text IS NULL OR p.status = $4::text OR ($4::text ="      \
	" 'pending' AND ((p.status = 'level2_review' AND $7::text = 'level2' AND"                  \
	" p.level2_org_id = $3::bigint) OR (p.status = 'center_review' AND $7::text ="             \
	" 'center')))) AND ($5::bigint IS NULL OR p.org_id = $5::bigint) AND ($6::int IS NULL"     \
	" OR p.year = $6::int) AND ($8::text IS NULL OR strpos(coalesce(p.code, ''), $8::text)"    \
	" > 0 OR strpos(o.name, $8::text) > 0)"

static struct db_stmt q_count = DB_STMT(
    "plan_count", "SELECT count(*) FROM plans p JOIN orgs o ON o.id = p.org_id" PLAN_LIST_WHERE);
static struct db_stmt q_list =
    DB_STMT("plan_list", "SELECT " PLAN_COLUMNS PLAN_FROM PLAN_LIST_WHERE
			 " ORDER BY p.updated_at DESC, p.id DESC LIMIT $9 OFFSET $10");
static struct db_stmt q_get = DB_STMT("plan_get", "SELECT " PLAN_COLUMNS PLAN_FROM
						  " WHERE p.id = $4::bigint AND " PLAN_VISIBLE);
static struct db_stmt q_lock =
    DB_STMT("plan_lock",
	    "SELECT p.id, p.org_id, p.status, p.code, p.level2_org_id, p.rejected_by,"
	    " o.name AS org_name,"
	    " o.parent_id, par.kind AS parent_kind, par.name AS parent_name,"
	    " l2.name AS level2_name,"
	    " (SELECT c.id FROM orgs c WHERE c.kind = 'center' ORDER BY c.id LIMIT 1) AS center_id"
	    " FROM plans p JOIN orgs o ON o.id = p.org_id LEFT JOIN orgs par ON par.id ="
	    " o.parent_id LEFT JOIN orgs l2 ON l2.id = p.level2_org_id"
	    " WHERE p.id = $4::bigint AND " PLAN_VISIBLE " FOR UPDATE OF p");
static struct db_stmt q_items = DB_STMT(
    "plan_items", "SELECT i.id, i.category, i.level, i.occupation_id, occ.name AS occupation_name,"
		  " i.count, i.train_theory_date::text AS train_theory_date,"
		  " i.train_practical_date::text AS train_practical_date,"
		  " i.exam_theory_date::text AS exam_theory_date,"
		  " i.exam_practical_date::text AS exam_practical_date, i.standard_equipped"
		  " FROM plan_items i JOIN occupations occ ON occ.id = i.occupation_id"
		  " WHERE i.plan_id = $1 ORDER BY i.pos");
static struct db_stmt q_trail = DB_STMT(
    "plan_trail", "SELECT kw_ts(t.at) AS at, t.actor_name, t.action, t.comment, t.from_status,"
		  " t.to_status FROM plan_trail t WHERE t.plan_id = $1 ORDER BY t.at, t.id");
static struct db_stmt q_insert = DB_STMT(
    "plan_insert", "INSERT INTO plans (org_id, year, status, created_by, created_at, updated_at)"
		   " VALUES ($1, $2, 'draft', $3, $4, $4) RETURNING id");
static struct db_stmt q_delete_items =
    DB_STMT("plan_delete_items", "DELETE FROM plan_items WHERE plan_id = $1");
static struct db_stmt q_touch = DB_STMT(
    "plan_touch", "UPDATE plans SET year = $2, updated_at = $3 WHERE id = $1 AND status = $4");
static struct db_stmt q_move =
    DB_STMT("plan_move",
	    "UPDATE plans SET status = $3, level2_org_id = CASE WHEN $4::bool THEN $5::bigint ELSE"
	    " level2_org_id END, rejected_by = $6, last_comment = $7, submitted_at = CASE WHEN"
	    " $4::bool THEN $8::timestamptz ELSE submitted_at END, updated_at = $8"
	    " WHERE id = $1 AND status = $2");
static struct db_stmt q_trail_add = DB_STMT(
    "plan_trail_add",
    "INSERT INTO plan_trail (plan_id, at, actor_id, actor_name, action, from_status, to_status,"
    " comment) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
static struct db_stmt q_savepoint = DB_STMT("plan_code_savepoint", "SAVEPOINT plan_code");
static struct db_stmt q_rollback_sp =
    DB_STMT("plan_code_rollback", "ROLLBACK TO SAVEPOINT plan_code");
static struct db_stmt q_release_sp = DB_STMT("plan_code_release", "RELEASE SAVEPOINT plan_code");
static struct db_stmt q_set_code =
    DB_STMT("plan_set_code", "UPDATE plans SET code = $2 WHERE id = $1 AND code IS NULL");
static struct db_stmt q_codes_taken =
    DB_STMT("plan_codes_taken", "SELECT code FROM plans WHERE code BETWEEN $1::text || '000' AND"
				" $1::text || '999'");

/* ------------------------------------------------------------------ JSON out */

static json_object *org_json(const PGresult *res, int i)
{
	json_object *o = json_object_new_object();
	kwj_add_int(o, "id", db_long(res, i, "org_id"));
	kwj_add_str(o, "name", db_val(res, i, "org_name"));
	kwj_add_str(o, "code", db_val(res, i, "org_code"));
	return o;
}

static json_object *plan_json(struct kw_ctx *c, const PGresult *res, int i)
{
	json_object *o = json_object_new_object();
	const char *status = db_val(res, i, "status");
	kwj_add_int(o, "id", db_long(res, i, "id"));
	kwj_add_str(o, "code", db_val(res, i, "code"));
	kwj_add_int(o, "year", db_long(res, i, "year"));
	json_object_object_add(o, "org", org_json(res, i));
	kwj_add_str(o, "status", status);
	kwj_add_str(
	    o, "status_text",
	    status_text(c, status, db_val(res, i, "level2_name"), db_val(res, i, "rejected_by")));
	kwj_add_int(o, "item_count", db_long(res, i, "item_count"));
	kwj_add_int(o, "total_count", db_long(res, i, "total_count"));
	kwj_add_str(o, "created_at", db_val(res, i, "created_at"));
	kwj_add_str(o, "submitted_at", db_val(res, i, "submitted_at"));
	kwj_add_str(o, "updated_at", db_val(res, i, "updated_at"));
	return o;
}

/* ------------------------------------------------------------------ reading plans */

int plan_list(struct kw_ctx *c, const struct plan_filter *f, long page, long per_page,
	      json_object **items, long *total)
{
	int err;
	const char *status = f->status && *f->status ? f->status : NULL;
	if (status) {
		bool ok = false;
		ok = !strcmp(status, "pending") || wf_status_find(&plan_wf, status);
		if (!ok)
			kw_field_error(c, "status", 0, "enum",
				       "状态应为 draft、level2_review、center_review、approved、"
				       "rejected 或 pending");
	}
	if (f->year && (f->year < 2000 || f->year > 2100))
		kw_field_error(c, "year", 0, "range", "年度应在 2000 至 2100 之间");
	if (f->q && kw_utf8_len(f->q, strlen(f->q)) > 100)
		kw_field_error(c, "q", 0, "length", "查询内容不能超过 100 个字");
	if ((err = kw_validation_result(c)))
		return err;
	struct org_scope s;
	org_scope_of(c, &s);
	const char *org = f->org_id > 0 ? db_ltoa(c, f->org_id) : NULL;
	const char *year = f->year ? db_ltoa(c, f->year) : NULL;
	const char *me = db_ltoa(c, c->user.org_id);
	const char *q = f->q && *f->q ? f->q : NULL;
	PGresult *cnt = db_query(c, &q_count, &err, s.kind_param, s.root_param, me, status, org,
				 year, wf_review_step(c), q);
	if (!cnt)
		return err;
	*total = strtol(PQgetvalue(cnt, 0, 0), NULL, 10);
	PGresult *res =
	    db_query(c, &q_list, &err, s.kind_param, s.root_param, me, status, org, year,
		     wf_review_step(c), q, db_ltoa(c, per_page), db_ltoa(c, (page - 1) * per_page));
	if (!res)
		return err;
	json_object *a = kwj_own(c, json_object_new_array());
	for (int i = 0; i < PQntuples(res); i++)
		json_object_array_add(a, plan_json(c, res, i));
	*items = a;
	return KW_OK;
}

int plan_get(struct kw_ctx *c, long id, json_object **out)
{
	int err;
	struct org_scope s;
	org_scope_of(c, &s);
	const char *pid = db_ltoa(c, id);
	PGresult *res =
	    db_query(c, &q_get, &err, s.kind_param, s.root_param, db_ltoa(c, c->user.org_id), pid);
	if (!res)
		return err;
	if (!PQntuples(res))
		return kw_fail(c, KW_ENOTFOUND, "年度计划不存在");
	json_object *o = kwj_own(c, plan_json(c, res, 0));
	long l2 = db_long(res, 0, "level2_org_id");
	if (l2) {
		json_object *l = json_object_new_object();
		kwj_add_int(l, "id", l2);
		kwj_add_str(l, "name", db_val(res, 0, "level2_name"));
		json_object_object_add(o, "level2_org", l);
	} else {
		json_object_object_add(o, "level2_org", NULL);
	}
	kwj_add_str(o, "last_comment", db_val(res, 0, "last_comment"));

	/* What the caller may do now, straight from the state table. */
	const char *pk = db_val(res, 0, "parent_kind");
	struct wf_subject subj = {.id = id,
				  .org_id = db_long(res, 0, "org_id"),
				  .l2_id = l2,
				  .has_l2 = pk && !strcmp(pk, "level2"),
				  .status = db_val(res, 0, "status")};
	json_object *acts = wf_actions_json(c, &plan_wf, &subj);
	json_object_object_add(o, "actions", acts);

	PGresult *it = db_query(c, &q_items, &err, pid);
	if (!it)
		return err;
	json_object *items = json_object_new_array();
	for (int i = 0; i < PQntuples(it); i++) {
		json_object *x = json_object_new_object();
		int level = (int)db_long(it, i, "level");
		kwj_add_int(x, "id", db_long(it, i, "id"));
		kwj_add_str(x, "category", db_val(it, i, "category"));
		kwj_add_str(x, "category_text", plan_category_text(db_val(it, i, "category")));
		kwj_add_int(x, "level", level);
		kwj_add_str(x, "level_text", ref_level_label(level));
		json_object *occ = json_object_new_object();
		kwj_add_int(occ, "id", db_long(it, i, "occupation_id"));
		kwj_add_str(occ, "name", db_val(it, i, "occupation_name"));
		json_object_object_add(x, "occupation", occ);
		kwj_add_int(x, "count", db_long(it, i, "count"));
		kwj_add_str(x, "train_theory_date", db_val(it, i, "train_theory_date"));
		kwj_add_str(x, "train_practical_date", db_val(it, i, "train_practical_date"));
		kwj_add_str(x, "exam_theory_date", db_val(it, i, "exam_theory_date"));
		kwj_add_str(x, "exam_practical_date", db_val(it, i, "exam_practical_date"));
		kwj_add_bool(x, "standard_equipped", db_bool(it, i, "standard_equipped"));
		json_object_array_add(items, x);
	}
	json_object_object_add(o, "items", items);

	PGresult *tr = db_query(c, &q_trail, &err, pid);
	if (!tr)
		return err;
	json_object *trail = json_object_new_array();
	for (int i = 0; i < PQntuples(tr); i++) {
		json_object *x = json_object_new_object();
		const char *action = db_val(tr, i, "action");
		kwj_add_str(x, "at", db_val(tr, i, "at"));
		kwj_add_str(x, "actor", db_val(tr, i, "actor_name"));
		kwj_add_str(x, "action", action);
		kwj_add_str(x, "action_text", action_text(action));
		kwj_add_str(x, "comment", db_val(tr, i, "comment"));
		json_object_array_add(trail, x);
	}
	json_object_object_add(o, "trail", trail);
	*out = o;
	return KW_OK;
}

/* ------------------------------------------------------------------ create, update */

int plan_create(struct kw_ctx *c, json_object *body, long *id)
{
	int err;
	long org_id = c->user.org_id, year;
	if (!(c->user.role & R_ORG) || org_id <= 0)
		return kw_fail(c, KW_EFORBIDDEN, "只有鉴定站和二级机构可以新建年度计划");
	struct plan_item *it;
	int n;
	if ((err = plan_body_parse(c, body, org_id, &it, &n, &year)))
		return err;
	if ((err = db_begin(c)))
		return err;
	const char *now = kw_now_text(c);
	PGresult *r = db_query(c, &q_insert, &err, db_ltoa(c, org_id), db_ltoa(c, year),
			       db_ltoa(c, c->user.id), now);
	if (!r)
		return err;
	*id = strtol(PQgetvalue(r, 0, 0), NULL, 10);
	if ((err = plan_items_insert(c, *id, it, n)) ||
	    (err = audit_write(c, "plan.create", "plan", *id, plan_items_detail(c, year, n))))
		return err;
	return db_commit(c);
}

/* The engine's loader: a plan the caller sees, locked when lock (row in s->ext). */
static int plan_load(struct kw_ctx *c, long id, bool lock, struct wf_subject *s)
{
	int err;
	struct org_scope sc;
	(void)lock; /* a plan is only loaded here to change it */
	memset(s, 0, sizeof(*s));
	org_scope_of(c, &sc);
	PGresult *r = db_query(c, &q_lock, &err, sc.kind_param, sc.root_param,
			       db_ltoa(c, c->user.org_id), db_ltoa(c, id));
	if (!r)
		return err;
	if (!PQntuples(r))
		return kw_fail(c, KW_ENOTFOUND, "年度计划不存在");
	const char *pk = db_val(r, 0, "parent_kind");
	s->id = id;
	s->org_id = db_long(r, 0, "org_id");
	s->l2_id = db_long(r, 0, "level2_org_id");
	s->l2_name = db_val(r, 0, "level2_name");
	s->center_id = db_long(r, 0, "center_id");
	s->has_l2 = pk && !strcmp(pk, "level2");
	s->status = db_val(r, 0, "status");
	s->status_param = status_param(s->status, s->l2_name, db_val(r, 0, "rejected_by"));
	s->code = db_val(r, 0, "code");
	s->org_name = db_val(r, 0, "org_name");
	s->name = s->org_name;
	s->ext = r;
	return KW_OK;
}

int plan_update(struct kw_ctx *c, long id, json_object *body)
{
	int err;
	long year;
	struct plan_item *it;
	int n;
	struct wf_subject s;
	const struct wf_row *t;
	if ((err = wf_begin(c, &plan_wf, id, "edit", &s, &t)))
		return err;
	if ((err = plan_body_parse(c, body, s.org_id, &it, &n, &year)))
		return err;
	const char *pid = db_ltoa(c, id);
	PGresult *r = db_query(c, &q_touch, &err, pid, db_ltoa(c, year), kw_now_text(c), s.status);
	if (!r)
		return err;
	if (strcmp(PQcmdTuples(r), "1"))
		return kw_fail(c, KW_ECONFLICT, "年度计划的状态已改变，请刷新后重试");
	if (!db_query(c, &q_delete_items, &err, pid) || (err = plan_items_insert(c, id, it, n)) ||
	    (err = audit_write(c, t->audit, "plan", id, plan_items_detail(c, year, n))))
		return err;
	return db_commit(c);
}

/* ------------------------------------------------------------------ the workflow */

/*
 * 14 + YYYYMMDDHHMMSS (Beijing time) + 3 digits, unique: a random sequence among the
 * ones still free in that second; when a concurrent submission takes the same code
 * first (unique violation), back to a savepoint and choose again.
 */
static int assign_code(struct kw_ctx *c, long id, const char **code)
{
	int err = KW_OK;
	char ts[32], stamp[17] = "14";
	kw_format_time(c->now, ts, sizeof(ts)); /* 2019-04-09T10:52:44+08:00 */
	int k = 2;
	for (const char *p = ts; *p && k < 16; p++)
		if (*p >= '0' && *p <= '9')
			stamp[k++] = *p;
	stamp[k] = '\0';
	for (int attempt = 0; attempt < 5; attempt++) {
		PGresult *taken = db_query(c, &q_codes_taken, &err, stamp);
		if (!taken)
			return err;
		bool used[1000] = {false};
		int nfree = 1000;
		for (int i = 0; i < PQntuples(taken); i++) {
			int seq = atoi(PQgetvalue(taken, i, 0) + 16);
			if (seq >= 0 && seq < 1000 && !used[seq]) {
				used[seq] = true;
				nfree--;
			}
		}
		if (!nfree)
			break;
		uint32_t pick = randombytes_uniform((uint32_t)nfree);
		int seq = 0;
		for (; seq < 1000; seq++)
			if (!used[seq] && pick-- == 0)
				break;
		const char *candidate = arena_printf(c->a, "%s%03d", stamp, seq);
		if (!db_query0(c, &q_savepoint, &err))
			return err;
		if (db_query(c, &q_set_code, &err, db_ltoa(c, id), candidate)) {
			*code = candidate;
			return db_query0(c, &q_release_sp, &err) ? KW_OK : err;
		}
		if (err != KW_ECONFLICT)
			return err;
		/* Another plan took this code in the same second: back to the savepoint, try again.
		 */
		c->err_message = NULL;
		if (!db_query0(c, &q_rollback_sp, &err))
			return err;
	}
	return kw_fail(c, KW_ECONFLICT, "本秒内提交的年度计划过多，编号已用尽，请稍后重试");
}

/*
 * The engine's move. Submitting decides the reviewer (the org's level-2 parent, if it has
 * one) and gives the plan its code the first time; a rejection records who rejected.
 */
static struct db_stmt q_past_dates = DB_STMT(
    "plan_past_dates",
    "SELECT pos, least(train_theory_date, train_practical_date, exam_theory_date,"
    " exam_practical_date)::text AS first FROM plan_items WHERE plan_id = $1"
    " AND least(train_theory_date, train_practical_date, exam_theory_date, exam_practical_date)"
    " < ($2::timestamptz)::date ORDER BY pos");

static int guard_not_past(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
			  json_object *body)
{
	(void)r;
	(void)body;
	int err;
	PGresult *res = db_query(c, &q_past_dates, &err, db_ltoa(c, s->id), kw_now_text(c));
	if (!res)
		return err;
	for (int i = 0; i < PQntuples(res); i++) {
		long pos = db_long(res, i, "pos");
		kw_field_error(c, arena_printf(c->a, "items[%ld]", pos - 1), 0, "past",
			       arena_printf(c->a, "第 %ld 条的时间 %s 已过，请修改后再提交", pos,
					    db_val(res, i, "first")));
	}
	return kw_validation_result(c);
}

static int plan_move(struct kw_ctx *c, struct wf_subject *s, const struct wf_move *m, bool *moved)
{
	int err;
	const PGresult *row = s->ext;
	bool submit = m->row->action == PA_SUBMIT;
	if (submit) {
		s->l2_id = !strcmp(m->to, "level2_review") ? db_long(row, 0, "parent_id") : 0;
		s->l2_name = s->l2_id ? db_val(row, 0, "parent_name") : NULL;
		if (!s->code && (err = assign_code(c, s->id, &s->code)))
			return err;
	}
	const char *rejected_by = NULL;
	if (!strcmp(m->to, "rejected"))
		rejected_by = m->row->rel == WF_LEVEL2 ? "level2" : "center";
	PGresult *r =
	    db_query(c, &q_move, &err, db_ltoa(c, s->id), m->from, m->to, submit ? "true" : "false",
		     s->l2_id ? db_ltoa(c, s->l2_id) : NULL, rejected_by, m->comment, m->now);
	if (!r)
		return err;
	*moved = !strcmp(PQcmdTuples(r), "1");
	return KW_OK;
}

/* The engine's trail line: the account's name and the action (texts come from the action). */
static int plan_trail(struct kw_ctx *c, const struct wf_subject *s, const struct wf_move *m)
{
	int err;
	return db_query(c, &q_trail_add, &err, db_ltoa(c, s->id), m->now, db_ltoa(c, c->user.id),
			c->user.name, actions[m->row->action].code, m->from, m->to, m->comment)
		   ? KW_OK
		   : err;
}

int plan_act(struct kw_ctx *c, long id, const char *action, const char *comment)
{
	int a = wf_action_of(&plan_wf, action);
	if (a < 0 || !actions[a].endpoint)
		return kw_fail(c, KW_ENOTFOUND, "没有这个操作");
	if (comment && !*comment)
		comment = NULL;
	if (a == PA_REJECT && !comment) {
		kw_field_error(c, "comment", 0, "required", "拒绝时请填写审核意见");
		return KW_EVALIDATION;
	}
	json_object *body = kwj_own(c, json_object_new_object());
	kwj_add_str(body, "comment", comment);
	return wf_run(c, &plan_wf, id, action, body);
}

/* ------------------------------------------------------------------ export (R3) */

const struct xlsx_col plan_export_cols[] = {
    {.header = "鉴定站名称", .type = XLSX_TEXT, .width = 36},
    {.header = "提交时间", .type = XLSX_DATETIME},
    {.header = "年度计划编号", .type = XLSX_TEXT, .width = 22},
    {.header = "类别", .type = XLSX_TEXT, .width = 18},
    {.header = "级别", .type = XLSX_TEXT},
    {.header = "职业/工种", .type = XLSX_TEXT, .width = 22},
    {.header = "人数", .type = XLSX_INT},
    {.header = "配备标准", .type = XLSX_TEXT},
    {.header = "预计培训时间(理论)", .type = XLSX_DATE},
    {.header = "预计培训时间(实操)", .type = XLSX_DATE},
    {.header = "预计考试时间(理论)", .type = XLSX_DATE},
    {.header = "预计考试时间(实操)", .type = XLSX_DATE},
};
const size_t plan_export_ncols = sizeof(plan_export_cols) / sizeof(plan_export_cols[0]);

static struct db_stmt q_export_visible =
    DB_STMT("plan_export_visible",
	    "SELECT count(*) FROM plans p WHERE p.id = ANY($4::bigint[]) AND " PLAN_VISIBLE);
static struct db_stmt q_export = DB_STMT(
    "plan_export",
    "SELECT o.name, to_char(p.submitted_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS'),"
    " p.code, CASE i.category WHEN 'national' THEN '国家职业技能鉴定' ELSE '行业能力水平评价' END,"
    " (ARRAY['高级技师', '技师', '高级', '中级', '初级'])[i.level], occ.name, i.count,"
    " CASE WHEN i.standard_equipped THEN '是' ELSE '否' END, i.train_theory_date::text,"
    " i.train_practical_date::text, i.exam_theory_date::text, i.exam_practical_date::text"
    " FROM plans p JOIN orgs o ON o.id = p.org_id JOIN plan_items i ON i.plan_id = p.id"
    " JOIN occupations occ ON occ.id = i.occupation_id"
    " WHERE p.id = ANY($4::bigint[]) AND " PLAN_VISIBLE
    " ORDER BY array_position($4::bigint[], p.id), i.pos");

int plan_export_rows(struct kw_ctx *c, const long *ids, size_t n, struct db_rows **rows)
{
	int err;
	/* {1,2,3} of the distinct ids. */
	char *arr = arena_strdup(c->a, "{");
	size_t distinct = 0;
	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		for (size_t j = 0; j < i; j++)
			seen |= ids[j] == ids[i];
		if (seen)
			continue;
		arr = arena_printf(c->a, "%s%s%ld", arr, distinct ? "," : "", ids[i]);
		distinct++;
	}
	arr = arena_printf(c->a, "%s}", arr);
	struct org_scope s;
	org_scope_of(c, &s);
	const char *me = db_ltoa(c, c->user.org_id);
	PGresult *v = db_query(c, &q_export_visible, &err, s.kind_param, s.root_param, me, arr);
	if (!v)
		return err;
	/* R3 exports only the caller's plans: one id outside what it sees and nothing is exported.
	 */
	if ((size_t)strtol(PQgetvalue(v, 0, 0), NULL, 10) != distinct)
		return kw_fail(c, KW_ENOTFOUND, "所选年度计划不存在或不在本机构管理范围内");
	return db_rows_query(c, &q_export, rows, s.kind_param, s.root_param, me, arr);
}

/* ------------------------------------------------------------------ overview */

static struct db_stmt q_overview = DB_STMT(
    "plan_overview",
    "SELECT i.occupation_id, occ.name, i.level,"
    " coalesce(sum(i.count) FILTER (WHERE i.category = 'national'), 0) AS national,"
    " coalesce(sum(i.count) FILTER (WHERE i.category = 'industry'), 0) AS industry,"
    " sum(i.count) AS count"
    " FROM plans p JOIN plan_items i ON i.plan_id = p.id"
    " JOIN occupations occ ON occ.id = i.occupation_id"
    " WHERE p.status = 'approved' AND p.year = $1"
    " GROUP BY i.occupation_id, occ.name, occ.sort, i.level ORDER BY occ.sort, i.level DESC");
static struct db_stmt q_overview_totals =
    DB_STMT("plan_overview_totals",
	    "SELECT count(DISTINCT p.id) AS plans, coalesce(sum(i.count), 0) AS total"
	    " FROM plans p JOIN plan_items i ON i.plan_id = p.id"
	    " WHERE p.status = 'approved' AND p.year = $1");
static struct db_stmt q_years = DB_STMT(
    "plan_years", "SELECT DISTINCT year FROM plans WHERE status = 'approved' ORDER BY year DESC");

int plan_overview(struct kw_ctx *c, long year, json_object **out)
{
	int err;
	if (!year) {
		char today[16];
		kw_format_date(c->now, today, sizeof(today));
		year = atol(today);
	}
	if (year < 2000 || year > 2100) {
		kw_field_error(c, "year", 0, "range", "年度应在 2000 至 2100 之间");
		return KW_EVALIDATION;
	}
	const char *y = db_ltoa(c, year);
	PGresult *r = db_query(c, &q_overview, &err, y);
	PGresult *t = r ? db_query(c, &q_overview_totals, &err, y) : NULL;
	PGresult *ys = t ? db_query0(c, &q_years, &err) : NULL;
	if (!ys)
		return err;
	json_object *o = kwj_own(c, json_object_new_object());
	kwj_add_int(o, "year", year);
	json_object *years = json_object_new_array();
	for (int i = 0; i < PQntuples(ys); i++)
		json_object_array_add(years, json_object_new_int(atoi(PQgetvalue(ys, i, 0))));
	json_object_object_add(o, "years", years);
	kwj_add_int(o, "plans", db_long(t, 0, "plans"));
	kwj_add_int(o, "total", db_long(t, 0, "total"));
	json_object *items = json_object_new_array();
	for (int i = 0; i < PQntuples(r); i++) {
		json_object *x = json_object_new_object();
		json_object *occ = json_object_new_object();
		int level = (int)db_long(r, i, "level");
		kwj_add_int(occ, "id", db_long(r, i, "occupation_id"));
		kwj_add_str(occ, "name", db_val(r, i, "name"));
		json_object_object_add(x, "occupation", occ);
		kwj_add_int(x, "level", level);
		kwj_add_str(x, "level_text", ref_level_label(level));
		kwj_add_int(x, "national", db_long(r, i, "national"));
		kwj_add_int(x, "industry", db_long(r, i, "industry"));
		kwj_add_int(x, "count", db_long(r, i, "count"));
		json_object_array_add(items, x);
	}
	json_object_object_add(o, "items", items);
	*out = o;
	return KW_OK;
}
