/* training.c - 考评管理人员培训: the application form, the review chain on the workflow engine
 * (level-2 org if any, then the center), the center's schedule, reads and the export. */
#include "training.h"

#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "core/clock.h"
#include "core/json.h"
#include "db/db.h"
#include "org.h"

/* ------------------------------------------------------------------ the workflow */

enum { TA_SUBMIT, TA_APPROVE, TA_REJECT, TA_SCHEDULE, TA_N };

static const struct wf_status statuses[] = {
    {"draft", 1, "草稿", "草稿", R_ORG, WF_PARAM_NONE},
    {"level2_review", 1, "等待{org}审核", "等待二级机构审核", R_LEVEL2, WF_PARAM_L2},
    {"center_review", 1, "等待中心工作人员审核", "等待中心工作人员审核", R_CENTER_STAFF,
     WF_PARAM_NONE},
    {"approved", 1, "审核通过，等待中心安排培训", "审核通过", R_CENTER_STAFF, WF_PARAM_NONE},
    {"rejected", 1, "被{org}拒绝", "被拒绝", R_ORG, WF_PARAM_ACTOR},
    {"scheduled", 1, "已安排培训", "已安排培训", 0, WF_PARAM_NONE},
};

static const struct wf_action actions[TA_N] = {
    [TA_SUBMIT] = {"submit", "提交", true, NULL},
    [TA_APPROVE] = {"approve", "审核通过", true, NULL},
    [TA_REJECT] = {"reject", "拒绝", true, NULL},
    [TA_SCHEDULE] = {"schedule", "安排培训", true, NULL},
};

static int guard_reject(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
			json_object *body);
static int guard_schedule(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
			  json_object *body);

/* clang-format off */
#define SUBMITTED_TO_L2 {WF_TO_NEXT, "{org}提交了培训申请，等待您审核，请查看"}
#define SUBMITTED_TO_CENTER {WF_TO_NEXT, "{org}提交了培训申请，等待中心工作人员审核，请查看"}
#define REJECTED {WF_TO_OWNER, "您提交的培训申请被{actor}拒绝，请查看详情"}
#define REJECTED_TO_L2 {WF_TO_LEVEL2, "{org}的培训申请被中心工作人员拒绝"}
#define L2_APPROVED_TO_OWNER {WF_TO_OWNER, "您的培训申请已通过{l2}审核，等待中心工作人员审核"}
#define L2_APPROVED_TO_CENTER {WF_TO_NEXT, "{org}的培训申请已通过{l2}审核，等待中心工作人员审核，请查看"}
#define APPROVED_TO_OWNER {WF_TO_OWNER, "您的培训申请审核通过，等待中心安排培训"}
#define APPROVED_TO_L2 {WF_TO_LEVEL2, "{org}的培训申请已由中心审核通过"}
#define SCHEDULED_TO_OWNER {WF_TO_OWNER, "中心已安排您申请的培训：{date}，{place}"}

/* The only place the training workflow is decided. */
static const struct wf_row rows[] = {
    {"draft", TA_SUBMIT, R_ORG, WF_OWNER, WF_HAS_L2, "level2_review", NULL, "提交培训申请",
     {SUBMITTED_TO_L2}, NULL, NULL},
    {"draft", TA_SUBMIT, R_ORG, WF_OWNER, WF_NO_L2, "center_review", NULL, "提交培训申请",
     {SUBMITTED_TO_CENTER}, NULL, NULL},
    {"rejected", TA_SUBMIT, R_ORG, WF_OWNER, WF_HAS_L2, "level2_review", NULL, "重新提交培训申请",
     {SUBMITTED_TO_L2}, NULL, NULL},
    {"rejected", TA_SUBMIT, R_ORG, WF_OWNER, WF_NO_L2, "center_review", NULL, "重新提交培训申请",
     {SUBMITTED_TO_CENTER}, NULL, NULL},
    {"level2_review", TA_APPROVE, R_LEVEL2, WF_LEVEL2, WF_ALWAYS, "center_review", NULL, "审核通过",
     {L2_APPROVED_TO_OWNER, L2_APPROVED_TO_CENTER}, NULL, NULL},
    {"level2_review", TA_REJECT, R_LEVEL2, WF_LEVEL2, WF_ALWAYS, "rejected", guard_reject, "审核拒绝",
     {REJECTED}, NULL, NULL},
    {"center_review", TA_APPROVE, R_CENTER_STAFF, WF_CENTER, WF_ALWAYS, "approved", NULL, "审核通过",
     {APPROVED_TO_OWNER, APPROVED_TO_L2}, NULL, NULL},
    {"center_review", TA_REJECT, R_CENTER_STAFF, WF_CENTER, WF_ALWAYS, "rejected", guard_reject,
     "审核拒绝", {REJECTED, REJECTED_TO_L2}, NULL, NULL},
    {"approved", TA_SCHEDULE, R_CENTER_STAFF, WF_CENTER, WF_ALWAYS, "scheduled", guard_schedule,
     "安排培训：{date}，{place}", {SCHEDULED_TO_OWNER}, NULL, NULL},
};
/* clang-format on */

static int training_load(struct kw_ctx *c, long id, bool lock, struct wf_subject *s);
static int training_move(struct kw_ctx *c, struct wf_subject *s, const struct wf_move *m,
			 bool *moved);
static int training_trail(struct kw_ctx *c, const struct wf_subject *s, const struct wf_move *m);

const struct wf_def training_wf = {
    .entity = "training",
    .noun = "培训申请",
    .link = "/app/trainings/%ld",
    .statuses = statuses,
    .nstatuses = sizeof(statuses) / sizeof(statuses[0]),
    .actions = actions,
    .nactions = TA_N,
    .rows = rows,
    .nrows = sizeof(rows) / sizeof(rows[0]),
    .load = training_load,
    .move = training_move,
    .trail = training_trail,
    .audit_code = false,
};

/* ------------------------------------------------------------------ SQL */

/* $1 scope kind, $2 scope root, $3 the caller's org: its own, and submitted ones in scope. */
#define TRAINING_VISIBLE                                                                           \
	"(t.org_id = $3::bigint OR (t.status <> 'draft' AND " ORG_SCOPE_SQL("t.org_id", "$1",      \
									    "$2") "))"
#define TRAINING_COLUMNS                                                                           \
	"t.id, t.org_id, o.name AS org_name, t.kind, t.train_time, t.category, t.place,"           \
	" t.headcount, t.source, t.refresh_percent, t.other, t.status, t.rejected_by,"             \
	" t.level2_org_id, l2.name AS level2_name, t.last_comment,"                                \
	" t.scheduled_date::text AS scheduled_date, t.scheduled_place,"                            \
	" kw_ts(t.created_at) AS created_at, kw_ts(t.updated_at) AS updated_at,"                   \
	" par.kind AS parent_kind,"                                                                \
	" (SELECT string_agg(occ.name, '、' ORDER BY occ.sort) FROM training_occupations x JOIN"  \
	" occupations occ ON occ.id = x.occupation_id WHERE x.training_id = t.id) AS occupations"
#define TRAINING_FROM                                                                              \
	" FROM trainings t JOIN orgs o ON o.id = t.org_id LEFT JOIN orgs l2 ON l2.id ="            \
	" t.level2_org_id LEFT JOIN orgs par ON par.id = o.parent_id"
/* $4 status | 'pending', $5 org, $6 whose pending work: level2 | center | none */
#define TRAINING_WHERE                                                                             \
	" WHERE " TRAINING_VISIBLE " AND ($4::text IS NULL OR t.status = $4::text OR ($4::text ="  \
	" 'pending' AND ((t.status = 'level2_review' AND $6::text = 'level2' AND t.level2_org_id"  \
	" = $3::bigint) OR (t.status IN ('center_review', 'approved') AND $6::text = 'center'))))" \
	" AND ($5::bigint IS NULL OR t.org_id = $5::bigint)"

static struct db_stmt q_count =
    DB_STMT("training_count",
	    "SELECT count(*) FROM trainings t JOIN orgs o ON o.id = t.org_id" TRAINING_WHERE);
static struct db_stmt q_list =
    DB_STMT("training_list", "SELECT " TRAINING_COLUMNS TRAINING_FROM TRAINING_WHERE
			     " ORDER BY t.updated_at DESC, t.id DESC LIMIT $7 OFFSET $8");
static struct db_stmt q_get =
    DB_STMT("training_get", "SELECT " TRAINING_COLUMNS TRAINING_FROM
			    " WHERE t.id = $4::bigint AND " TRAINING_VISIBLE);
static struct db_stmt q_lock = DB_STMT(
    "training_lock",
    "SELECT t.id, t.org_id, t.status, t.level2_org_id, t.rejected_by, o.name AS org_name,"
    " o.parent_id, par.kind AS parent_kind, par.name AS parent_name, l2.name AS level2_name,"
    " (SELECT c.id FROM orgs c WHERE c.kind = 'center' ORDER BY c.id LIMIT 1) AS center_id"
    " FROM trainings t JOIN orgs o ON o.id = t.org_id LEFT JOIN orgs par ON par.id ="
    " o.parent_id LEFT JOIN orgs l2 ON l2.id = t.level2_org_id"
    " WHERE t.id = $4::bigint AND " TRAINING_VISIBLE " FOR UPDATE OF t");
static struct db_stmt q_occs = DB_STMT(
    "training_occs", "SELECT occ.id, occ.name FROM training_occupations x JOIN occupations occ ON"
		     " occ.id = x.occupation_id WHERE x.training_id = $1 ORDER BY occ.sort");
static struct db_stmt q_trail = DB_STMT(
    "training_trail", "SELECT kw_ts(at) AS at, actor_name, action, comment FROM training_trail"
		      " WHERE training_id = $1 ORDER BY at, id");
static struct db_stmt q_insert = DB_STMT(
    "training_insert",
    "INSERT INTO trainings (org_id, kind, train_time, category, place, headcount, source,"
    " refresh_percent, other, status, created_by, created_at, updated_at) VALUES ($1, $2, $3,"
    " $4, $5, $6, $7, $8, $9, 'draft', $10, $11, $11) RETURNING id");
static struct db_stmt q_add_occ = DB_STMT(
    "training_add_occ", "INSERT INTO training_occupations (training_id, occupation_id) SELECT $1,"
			" o.id FROM occupations o WHERE o.id = ANY($2::bigint[])");
static struct db_stmt q_occs_known =
    DB_STMT("training_occs_known", "SELECT count(*) FROM occupations WHERE id = ANY($1::bigint[])");
static struct db_stmt q_move = DB_STMT(
    "training_move",
    "UPDATE trainings SET status = $3, level2_org_id = CASE WHEN $4::bool THEN $5::bigint ELSE"
    " level2_org_id END, rejected_by = $6, last_comment = $7, updated_at = $8,"
    " scheduled_date = coalesce($9::date, scheduled_date),"
    " scheduled_place = coalesce($10, scheduled_place) WHERE id = $1 AND status = $2");
static struct db_stmt q_trail_add = DB_STMT(
    "training_trail_add",
    "INSERT INTO training_trail (training_id, at, actor_id, actor_name, action, from_status,"
    " to_status, comment) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");

/* ------------------------------------------------------------------ helpers */

static const char *const category_codes[] = {"assessor", "senior_assessor", "manager"};
static const char *const category_texts[] = {"考评员", "高级考评员", "管理人员"};

static const char *category_text(const char *code)
{
	for (size_t i = 0; i < 3; i++)
		if (code && !strcmp(code, category_codes[i]))
			return category_texts[i];
	return "";
}

static const char *status_param(const char *status, const char *l2_name, const char *rejected_by)
{
	if (!strcmp(status, "rejected"))
		return rejected_by && !strcmp(rejected_by, "level2") && l2_name ? l2_name
										: "中心工作人员";
	return l2_name;
}

static json_object *training_json(struct kw_ctx *c, const PGresult *r, int i)
{
	json_object *o = json_object_new_object();
	const char *status = db_val(r, i, "status");
	kwj_add_int(o, "id", db_long(r, i, "id"));
	json_object_object_add(o, "org",
			       kwj_id_name(db_long(r, i, "org_id"), db_val(r, i, "org_name")));
	kwj_add_str(o, "kind", db_val(r, i, "kind"));
	kwj_add_str(o, "train_time", db_val(r, i, "train_time"));
	kwj_add_str(o, "category", db_val(r, i, "category"));
	kwj_add_str(o, "category_text", category_text(db_val(r, i, "category")));
	kwj_add_str(o, "place", db_val(r, i, "place"));
	kwj_add_int(o, "headcount", db_long(r, i, "headcount"));
	kwj_add_str(o, "source", db_val(r, i, "source"));
	if (db_val(r, i, "refresh_percent"))
		kwj_add_int(o, "refresh_percent", db_long(r, i, "refresh_percent"));
	else
		json_object_object_add(o, "refresh_percent", NULL);
	kwj_add_str(o, "other", db_val(r, i, "other"));
	kwj_add_str(o, "occupation_names", db_val(r, i, "occupations"));
	kwj_add_str(o, "status", status);
	const char *st = wf_status_text(
	    c, &training_wf, status,
	    status_param(status, db_val(r, i, "level2_name"), db_val(r, i, "rejected_by")));
	kwj_add_str(o, "status_text", st ? st : status);
	kwj_add_str(o, "last_comment", db_val(r, i, "last_comment"));
	kwj_add_str(o, "scheduled_date", db_val(r, i, "scheduled_date"));
	kwj_add_str(o, "scheduled_place", db_val(r, i, "scheduled_place"));
	kwj_add_str(o, "created_at", db_val(r, i, "created_at"));
	kwj_add_str(o, "updated_at", db_val(r, i, "updated_at"));
	return o;
}

/* ------------------------------------------------------------------ create */

int training_create(struct kw_ctx *c, json_object *body, long *id)
{
	int err;
	if (!(c->user.role & R_ORG) || c->user.org_id <= 0)
		return kw_fail(c, KW_EFORBIDDEN, "只有鉴定站和二级机构可以申请培训");
	if (!body || !json_object_is_type(body, json_type_object))
		return kw_fail(c, KW_EBADREQ, "请求内容应为 JSON 对象");
	const char *kind = NULL, *time = NULL, *cat = NULL, *place = NULL, *source = NULL,
		   *other = NULL;
	long headcount = 0, pct = -1;
	kwj_get_string(c, body, "kind", NULL, KWJ_REQUIRED, 50, &kind);
	kwj_get_string(c, body, "train_time", NULL, KWJ_REQUIRED, 100, &time);
	kwj_get_string(c, body, "category", NULL, KWJ_REQUIRED, 20, &cat);
	kwj_get_string(c, body, "place", NULL, KWJ_REQUIRED, 100, &place);
	kwj_get_string(c, body, "source", NULL, KWJ_OPTIONAL, 200, &source);
	kwj_get_string(c, body, "other", NULL, KWJ_OPTIONAL, 500, &other);
	kwj_get_int(c, body, "headcount", NULL, KWJ_REQUIRED, 1, 10000, &headcount);
	kwj_get_int(c, body, "refresh_percent", NULL, KWJ_OPTIONAL, 0, 100, &pct);
	if (kind && !*kind)
		kw_field_error(c, "kind", 0, "required", "请填写类型");
	if (time && !*time)
		kw_field_error(c, "train_time", 0, "required", "请填写培训时间");
	if (place && !*place)
		kw_field_error(c, "place", 0, "required", "请填写地点");
	if (cat && strcmp(cat, "assessor") && strcmp(cat, "senior_assessor") &&
	    strcmp(cat, "manager"))
		kw_field_error(c, "category", 0, "enum", "类别应为考评员、高级考评员或管理人员");
	json_object *occ = json_object_object_get(body, "occupation_ids");
	size_t n =
	    occ && json_object_is_type(occ, json_type_array) ? json_object_array_length(occ) : 0;
	long ids[TRAINING_OCCUPATIONS_MAX];
	if (!n)
		kw_field_error(c, "occupation_ids", 0, "required", "请选择职业/工种");
	else if (n > TRAINING_OCCUPATIONS_MAX)
		kw_field_error(
		    c, "occupation_ids", 0, "range",
		    arena_printf(c->a, "职业/工种最多选择 %d 个", TRAINING_OCCUPATIONS_MAX));
	for (size_t i = 0; i < n && n <= TRAINING_OCCUPATIONS_MAX; i++) {
		json_object *x = json_object_array_get_idx(occ, i);
		if (!json_object_is_type(x, json_type_int) || json_object_get_int64(x) <= 0) {
			kw_field_error(c, arena_printf(c->a, "occupation_ids[%zu]", i), 0, "type",
				       "职业/工种编号不正确");
			n = 0;
			break;
		}
		ids[i] = (long)json_object_get_int64(x);
	}
	const char *arr = NULL;
	if (n && n <= TRAINING_OCCUPATIONS_MAX) {
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			bool dup = false;
			for (size_t j = 0; j < k; j++)
				dup |= ids[j] == ids[i];
			if (!dup)
				ids[k++] = ids[i];
		}
		n = k;
		arr = db_id_array(c, ids, n);
		PGresult *r = db_query(c, &q_occs_known, &err, arr);
		if (!r)
			return err;
		if ((size_t)db_long(r, 0, "count") != n)
			kw_field_error(c, "occupation_ids", 0, "exists", "所选职业/工种不存在");
	}
	if ((err = kw_validation_result(c)) || (err = db_begin(c)))
		return err;
	PGresult *r = db_query(c, &q_insert, &err, db_ltoa(c, c->user.org_id), kind, time, cat,
			       place, db_ltoa(c, headcount), source && *source ? source : NULL,
			       pct >= 0 ? db_ltoa(c, pct) : NULL, other && *other ? other : NULL,
			       db_ltoa(c, c->user.id), kw_now_text(c));
	if (!r)
		return err;
	*id = strtol(PQgetvalue(r, 0, 0), NULL, 10);
	json_object *d = kwj_own(c, json_object_new_object());
	kwj_add_str(d, "category", cat);
	kwj_add_int(d, "headcount", headcount);
	if (!db_query(c, &q_add_occ, &err, db_ltoa(c, *id), arr) ||
	    (err = audit_write(c, "training.create", "training", *id, d)) || (err = db_commit(c)))
		return err;
	return wf_run(c, &training_wf, *id, "submit", NULL);
}

/* ------------------------------------------------------------------ the engine's callbacks */

static int training_load(struct kw_ctx *c, long id, bool lock, struct wf_subject *s)
{
	int err;
	struct org_scope sc;
	(void)lock;
	memset(s, 0, sizeof(*s));
	org_scope_of(c, &sc);
	PGresult *r = db_query(c, &q_lock, &err, sc.kind_param, sc.root_param,
			       db_ltoa(c, c->user.org_id), db_ltoa(c, id));
	if (!r)
		return err;
	if (!PQntuples(r))
		return kw_fail(c, KW_ENOTFOUND, "培训申请不存在");
	const char *pk = db_val(r, 0, "parent_kind");
	s->id = id;
	s->org_id = db_long(r, 0, "org_id");
	s->l2_id = db_long(r, 0, "level2_org_id");
	s->l2_name = db_val(r, 0, "level2_name");
	s->center_id = db_long(r, 0, "center_id");
	s->has_l2 = pk && !strcmp(pk, "level2");
	s->status = db_val(r, 0, "status");
	s->status_param = status_param(s->status, s->l2_name, db_val(r, 0, "rejected_by"));
	s->org_name = db_val(r, 0, "org_name");
	s->name = s->org_name;
	s->ext = r;
	return KW_OK;
}

/* A rejection needs its reason. */
static int guard_reject(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
			json_object *body)
{
	(void)s;
	(void)r;
	const char *comment = NULL;
	if (body)
		kwj_get_string(c, body, "comment", NULL, KWJ_OPTIONAL, 500, &comment);
	if (!comment || !*comment)
		kw_field_error(c, "comment", 0, "required", "拒绝时请填写审核意见");
	return kw_validation_result(c);
}

/* Scheduling needs a date (YYYY-MM-DD) and a place. */
static int guard_schedule(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
			  json_object *body)
{
	(void)s;
	(void)r;
	const char *date = NULL, *place = NULL;
	time_t t;
	if (body) {
		kwj_get_string(c, body, "date", NULL, KWJ_OPTIONAL, 10, &date);
		kwj_get_string(c, body, "place", NULL, KWJ_OPTIONAL, 100, &place);
	}
	if (!date || !*date)
		kw_field_error(c, "date", 0, "required", "请填写培训日期");
	else if (strlen(date) != 10 || !kw_parse_time(date, &t))
		kw_field_error(c, "date", 0, "date", "培训日期应为 YYYY-MM-DD 格式的日期");
	if (!place || !*place)
		kw_field_error(c, "place", 0, "required", "请填写培训地点");
	return kw_validation_result(c);
}

static const char *body_str(json_object *body, const char *key)
{
	json_object *v = body ? json_object_object_get(body, key) : NULL;
	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* The move: submitting decides the level-2 reviewer; a rejection records who; scheduling the
 * date and place. */
static int training_move(struct kw_ctx *c, struct wf_subject *s, const struct wf_move *m,
			 bool *moved)
{
	int err;
	const PGresult *row = s->ext;
	bool submit = m->row->action == TA_SUBMIT;
	if (submit) {
		s->l2_id = !strcmp(m->to, "level2_review") ? db_long(row, 0, "parent_id") : 0;
		s->l2_name = s->l2_id ? db_val(row, 0, "parent_name") : NULL;
	}
	const char *rejected_by = NULL;
	if (!strcmp(m->to, "rejected"))
		rejected_by = m->row->rel == WF_LEVEL2 ? "level2" : "center";
	bool sched = m->row->action == TA_SCHEDULE;
	PGresult *r = db_query(
	    c, &q_move, &err, db_ltoa(c, s->id), m->from, m->to, submit ? "true" : "false",
	    s->l2_id ? db_ltoa(c, s->l2_id) : NULL, rejected_by, m->comment, m->now,
	    sched ? body_str(m->body, "date") : NULL, sched ? body_str(m->body, "place") : NULL);
	if (!r)
		return err;
	*moved = !strcmp(PQcmdTuples(r), "1");
	return KW_OK;
}

static int training_trail(struct kw_ctx *c, const struct wf_subject *s, const struct wf_move *m)
{
	int err;
	return db_query(c, &q_trail_add, &err, db_ltoa(c, s->id), m->now, db_ltoa(c, c->user.id),
			wf_actor_label(c, s), m->trail, m->from, m->to, m->comment)
		   ? KW_OK
		   : err;
}

int training_act(struct kw_ctx *c, long id, const char *action, json_object *body)
{
	int a = wf_action_of(&training_wf, action);
	if (a < 0 || !actions[a].endpoint)
		return kw_fail(c, KW_ENOTFOUND, "没有这个操作");
	if (body && !json_object_is_type(body, json_type_object))
		return kw_fail(c, KW_EBADREQ, "请求内容应为 JSON 对象");
	return wf_run(c, &training_wf, id, action, body);
}

/* ------------------------------------------------------------------ reading */

static int check_filter(struct kw_ctx *c, const struct training_filter *f, const char **status)
{
	*status = f->status && *f->status ? f->status : NULL;
	if (*status && strcmp(*status, "pending") && !wf_status_find(&training_wf, *status))
		kw_field_error(c, "status", 0, "enum", "状态不正确");
	return kw_validation_result(c);
}

int training_list(struct kw_ctx *c, const struct training_filter *f, long page, long per_page,
		  json_object **items, long *total)
{
	int err;
	const char *status;
	if ((err = check_filter(c, f, &status)))
		return err;
	struct org_scope s;
	org_scope_of(c, &s);
	const char *me = db_ltoa(c, c->user.org_id);
	const char *org = f->org_id > 0 ? db_ltoa(c, f->org_id) : NULL;
	PGresult *cnt = db_query(c, &q_count, &err, s.kind_param, s.root_param, me, status, org,
				 wf_review_step(c));
	if (!cnt)
		return err;
	*total = strtol(PQgetvalue(cnt, 0, 0), NULL, 10);
	PGresult *r =
	    db_query(c, &q_list, &err, s.kind_param, s.root_param, me, status, org,
		     wf_review_step(c), db_ltoa(c, per_page), db_ltoa(c, (page - 1) * per_page));
	if (!r)
		return err;
	json_object *a = kwj_own(c, json_object_new_array());
	for (int i = 0; i < PQntuples(r); i++)
		json_object_array_add(a, training_json(c, r, i));
	*items = a;
	return KW_OK;
}

int training_get(struct kw_ctx *c, long id, json_object **out)
{
	int err;
	struct org_scope s;
	org_scope_of(c, &s);
	const char *tid = db_ltoa(c, id);
	PGresult *r =
	    db_query(c, &q_get, &err, s.kind_param, s.root_param, db_ltoa(c, c->user.org_id), tid);
	if (!r)
		return err;
	if (!PQntuples(r))
		return kw_fail(c, KW_ENOTFOUND, "培训申请不存在");
	json_object *o = kwj_own(c, training_json(c, r, 0));
	const char *pk = db_val(r, 0, "parent_kind");
	struct wf_subject subj = {.id = id,
				  .org_id = db_long(r, 0, "org_id"),
				  .l2_id = db_long(r, 0, "level2_org_id"),
				  .has_l2 = pk && !strcmp(pk, "level2"),
				  .status = db_val(r, 0, "status")};
	json_object_object_add(o, "actions", wf_actions_json(c, &training_wf, &subj));
	PGresult *oc = db_query(c, &q_occs, &err, tid);
	PGresult *tr = oc ? db_query(c, &q_trail, &err, tid) : NULL;
	if (!tr)
		return err;
	json_object *occs = json_object_new_array();
	for (int i = 0; i < PQntuples(oc); i++)
		json_object_array_add(occs,
				      kwj_id_name(db_long(oc, i, "id"), db_val(oc, i, "name")));
	json_object_object_add(o, "occupations", occs);
	json_object *trail = json_object_new_array();
	for (int i = 0; i < PQntuples(tr); i++) {
		json_object *x = json_object_new_object();
		kwj_add_str(x, "at", db_val(tr, i, "at"));
		kwj_add_str(x, "actor", db_val(tr, i, "actor_name"));
		kwj_add_str(x, "action", db_val(tr, i, "action"));
		kwj_add_str(x, "comment", db_val(tr, i, "comment"));
		json_object_array_add(trail, x);
	}
	json_object_object_add(o, "trail", trail);
	*out = o;
	return KW_OK;
}

/* ------------------------------------------------------------------ export */

const struct xlsx_col training_cols[] = {
    {.header = "申请机构", .type = XLSX_TEXT, .width = 36},
    {.header = "类型", .type = XLSX_TEXT, .width = 16},
    {.header = "培训时间", .type = XLSX_TEXT, .width = 18},
    {.header = "职业/工种", .type = XLSX_TEXT, .width = 40},
    {.header = "类别", .type = XLSX_TEXT},
    {.header = "地点", .type = XLSX_TEXT, .width = 20},
    {.header = "人数", .type = XLSX_INT},
    {.header = "考生来源", .type = XLSX_TEXT, .width = 20},
    {.header = "知识更新学员占比(%)", .type = XLSX_TEXT},
    {.header = "其他", .type = XLSX_TEXT, .width = 24},
    {.header = "状态", .type = XLSX_TEXT, .width = 18},
    {.header = "安排日期", .type = XLSX_DATE},
    {.header = "安排地点", .type = XLSX_TEXT, .width = 20},
    {.header = "申请时间", .type = XLSX_DATETIME},
};
const size_t training_ncols = sizeof(training_cols) / sizeof(training_cols[0]);

static struct db_stmt q_export = DB_STMT(
    "training_export",
    "SELECT o.name, t.kind, t.train_time, (SELECT string_agg(occ.name, '、' ORDER BY occ.sort)"
    " FROM training_occupations x JOIN occupations occ ON occ.id = x.occupation_id WHERE"
    " x.training_id = t.id), CASE t.category WHEN 'assessor' THEN '考评员' WHEN"
    " 'senior_assessor' THEN '高级考评员' ELSE '管理人员' END, t.place, t.headcount, t.source,"
    " t.refresh_percent::text, t.other, CASE t.status WHEN 'draft' THEN '草稿' WHEN"
    " 'level2_review' THEN '等待二级机构审核' WHEN 'center_review' THEN '等待中心工作人员审核'"
    " WHEN 'approved' THEN '审核通过' WHEN 'rejected' THEN '被拒绝' ELSE '已安排培训' END,"
    " t.scheduled_date::text, t.scheduled_place,"
    " to_char(t.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS')"
    " FROM trainings t JOIN orgs o ON o.id = t.org_id" TRAINING_WHERE
    " ORDER BY t.created_at, t.id LIMIT 5000");

int training_export_rows(struct kw_ctx *c, const struct training_filter *f, struct db_rows **rows)
{
	int err;
	const char *status;
	if ((err = check_filter(c, f, &status)))
		return err;
	struct org_scope s;
	org_scope_of(c, &s);
	return db_rows_query(c, &q_export, rows, s.kind_param, s.root_param,
			     db_ltoa(c, c->user.org_id), status,
			     f->org_id > 0 ? db_ltoa(c, f->org_id) : NULL, wf_review_step(c));
}
