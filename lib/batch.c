/* batch.c - batches: the statuses and the one state table of a batch's life on the workflow
 * engine, the loader, the guards and the actions endpoint. See batch.h and batch_int.h. */
#include "batch_int.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "certificate.h"
#include "core/clock.h"
#include "core/json.h"
#include "db/db.h"
#include "org.h"
#include "report.h"

/* ------------------------------------------------------------------ statuses (R25) */

static const struct wf_status statuses[] = {
    /* phase 1: 批次申请 and 资质审核 */
    {"draft", 1, "草稿", "草稿", R_STATION, WF_PARAM_NONE},
    {"app_org2", 1, "等待{org}审核资质", "等待二级机构审核资质", R_LEVEL2, WF_PARAM_L2},
    {"app_staff", 1, "等待中心工作人员审核", "等待中心工作人员审核", R_CENTER_STAFF, WF_PARAM_NONE},
    {"app_director", 1, "等待中心主任审核", "等待中心主任审核", R_CENTER_DIRECTOR, WF_PARAM_NONE},
    {"app_rejected", 1, "资质审核被{org}拒绝", "资质审核被拒绝", R_STATION, WF_PARAM_ACTOR},
    /* phase 2: 组织报名, 提交试卷, 报名资质审核 */
    {"registering", 2, "资质审核通过，报名中", "资质审核通过，报名中", R_STATION, WF_PARAM_NONE},
    {"reg_org2", 2, "等待{org}审核报名资质", "等待二级机构审核报名资质", R_LEVEL2, WF_PARAM_L2},
    {"reg_staff", 2, "等待中心工作人员审核报名资质", "等待中心工作人员审核报名资质", R_CENTER_STAFF,
     WF_PARAM_NONE},
    {"reg_director", 2, "等待中心主任审核报名资质", "等待中心主任审核报名资质", R_CENTER_DIRECTOR,
     WF_PARAM_NONE},
    {"reg_rejected", 2, "报名资质审核被{org}拒绝", "报名资质审核被拒绝", R_STATION, WF_PARAM_ACTOR},
    /* phase 3: 线下实施考试; phase 4: 成绩填报 and its review */
    {"examining", 3, "报名资质审核通过，考试及成绩录入中", "考试及成绩录入中", R_STATION,
     WF_PARAM_NONE},
    {"score_org2", 4, "等待{org}审核成绩", "等待二级机构审核成绩", R_LEVEL2, WF_PARAM_L2},
    {"score_staff", 4, "等待中心工作人员审核成绩", "等待中心工作人员审核成绩", R_CENTER_STAFF,
     WF_PARAM_NONE},
    {"score_director", 4, "等待中心主任审核成绩", "等待中心主任审核成绩", R_CENTER_DIRECTOR,
     WF_PARAM_NONE},
    {"score_rejected", 4, "成绩审核被{org}拒绝", "成绩审核被拒绝", R_STATION, WF_PARAM_ACTOR},
    /* phase 5: 线下制证; phase 6: 缴费, 证书寄送 */
    {"certifying", 5, "成绩审核通过，证书制作中", "成绩审核通过，证书制作中", R_CENTER,
     WF_PARAM_NONE},
    {"certified", 6, "证书制作完成", "证书制作完成", R_CENTER, WF_PARAM_NONE},
    {"shipped", 6, "证书已寄出", "证书已寄出", R_STATION, WF_PARAM_NONE},
    {"received", 6, "证书已签收", "证书已签收", 0, WF_PARAM_NONE},
};

const struct wf_status *batch_status_find(const char *code)
{
	return wf_status_find(&batch_wf, code);
}

const char *batch_status_text(struct kw_ctx *c, const char *code, const char *param)
{
	return wf_status_text(c, &batch_wf, code, param);
}

/* After the closing day (R5: exam date - 20) a batch still 报名中 waits for 提交报名. */
const char *batch_status_text_on(struct kw_ctx *c, const char *code, const char *param,
				 const char *closes_on)
{
	long last;
	if (code && !strcmp(code, "registering") && batch_parse_day(closes_on, &last) &&
	    last < batch_today(c))
		return "报名已截止，待提交报名";
	return batch_status_text(c, code, param);
}

/* ------------------------------------------------------------------ actions */

static const struct wf_action actions[BA_N] = {
    [BA_EDIT] = {"edit", "修改批次申请", false, NULL},
    [BA_SUBMIT] = {"submit", "提交", true, NULL},
    [BA_APPROVE] = {"approve", "审核", true, NULL},
    [BA_REJECT] = {"reject", "拒绝", true, NULL},
    [BA_REASSIGN] = {"reassign", "调配考评人员", false, NULL},
    [BA_SUPERVISE] = {"supervise", "安排督导", false, NULL},
    [BA_SUBMIT_REGISTRATION] = {"submit_registration", "提交报名", true, NULL},
    [BA_SUBMIT_SCORES] = {"submit_scores", "提交成绩", true, NULL},
    [BA_ISSUE_CERTIFICATES] = {"issue_certificates", "制作证书", true, NULL},
    [BA_SHIP] = {"ship", "寄出证书", true, NULL},
    [BA_CONFIRM_RECEIPT] = {"confirm_receipt", "签收证书", true, NULL},
};

const char *batch_action_code(enum batch_action a)
{
	return (int)a >= 0 && a < BA_N ? actions[a].code : NULL;
}

int batch_action_of(const char *code)
{
	return wf_action_of(&batch_wf, code);
}

/* ------------------------------------------------------------------ the state table */

static int guard_validate(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
			  json_object *body);
static int guard_comment(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
			 json_object *body);
static int guard_open_registration(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
				   json_object *body);
static int guard_issue_certificates(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
				    json_object *body);
static int guard_scores(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
			json_object *body);

/* clang-format off */
#define APPROVED_MSG "您提交的批次申请已通过{actor}审核，请查看"
#define REJECTED_MSG "您提交的批次被拒绝，请查看详情"
#define REG_APPROVED_MSG "您的批次报名信息已通过{actor}审核，请查看"
#define REG_REJECTED_MSG "您提交的批次报名被拒绝，请查看详情"
#define SCORE_APPROVED_MSG "您提交的批次成绩已通过{actor}审核，请查看"
#define SCORE_REJECTED_MSG "您提交的批次成绩被拒绝，请查看详情"
#define APPROVE_LINE "{actor}审核通过，审核意见：{comment}"
#define REG_APPROVE_LINE "{actor}考生资质及试卷审核通过，审核意见：{comment}"
#define SCORE_APPROVE_LINE "{actor}成绩审核通过，审核意见：{comment}"
#define REJECT_LINE "{actor}拒绝，审核意见：{comment}"
/* To whoever the new status waits for (the SPA renders the link). */
#define WAIT_APP {WF_TO_NEXT, "{name}等待您审核资质"}
#define WAIT_REG {WF_TO_NEXT, "{name}等待您审核报名资质及试卷"}
#define WAIT_SCORE {WF_TO_NEXT, "{name}等待您审核成绩"}
#define OWNER(text) {WF_TO_OWNER, text}
#define S WF_SCOPE

/*
 * The one state table: status x action x role (x in scope) x when -> next status [+ guard].
 * The first matching row runs. Rows with `pending` are the later phases' transitions, designed
 * now and opened by the issues that bring their guards (R13-R24).
 */
static const struct wf_row rows[] = {
    /* ---- phase 1: 批次申请 (R4-R10, R12) and its review (R11) */
    {"draft", BA_EDIT, R_STATION, S, WF_ALWAYS, NULL, NULL, NULL, {{0}}, NULL, NULL},
    {"app_rejected", BA_EDIT, R_STATION, S, WF_ALWAYS, NULL, NULL, NULL, {{0}}, NULL, NULL},
    {"draft", BA_SUBMIT, R_STATION, S, WF_HAS_L2, "app_org2", guard_validate, "批次申请提交", {WAIT_APP},
     NULL, NULL},
    {"draft", BA_SUBMIT, R_STATION, S, WF_NO_L2, "app_staff", guard_validate, "批次申请提交", {WAIT_APP},
     NULL, NULL},
    {"app_rejected", BA_SUBMIT, R_STATION, S, WF_HAS_L2, "app_org2", guard_validate, "批次申请重新提交",
     {WAIT_APP}, NULL, NULL},
    {"app_rejected", BA_SUBMIT, R_STATION, S, WF_NO_L2, "app_staff", guard_validate, "批次申请重新提交",
     {WAIT_APP}, NULL, NULL},
    {"app_org2", BA_APPROVE, R_LEVEL2, S, WF_ALWAYS, "app_staff", guard_comment, APPROVE_LINE,
     {OWNER(APPROVED_MSG), WAIT_APP}, NULL, NULL},
    {"app_org2", BA_REJECT, R_LEVEL2, S, WF_ALWAYS, "app_rejected", guard_comment, REJECT_LINE,
     {OWNER(REJECTED_MSG)}, NULL, NULL},
    {"app_staff", BA_APPROVE, R_CENTER_STAFF, S, WF_ALWAYS, "app_director", guard_comment,
     APPROVE_LINE, {OWNER(APPROVED_MSG), WAIT_APP}, NULL, NULL},
    {"app_staff", BA_REJECT, R_CENTER_STAFF, S, WF_ALWAYS, "app_rejected", guard_comment,
     REJECT_LINE, {OWNER(REJECTED_MSG)}, NULL, NULL},
    {"app_director", BA_APPROVE, R_CENTER_DIRECTOR, S, WF_ALWAYS, "registering",
     guard_open_registration, APPROVE_LINE, {OWNER("您提交的批次申请已通过审核，请查看")}, NULL, NULL},
    {"app_director", BA_REJECT, R_CENTER_DIRECTOR, S, WF_ALWAYS, "app_rejected", guard_comment,
     REJECT_LINE, {OWNER(REJECTED_MSG)}, NULL, NULL},
    {"app_org2", BA_REASSIGN, R_LEVEL2, S, WF_ALWAYS, NULL, NULL, NULL, {{0}}, NULL, NULL},
    {"app_staff", BA_REASSIGN, R_CENTER_STAFF, S, WF_ALWAYS, NULL, NULL, NULL, {{0}}, NULL, NULL},
    {"app_director", BA_REASSIGN, R_CENTER_DIRECTOR, S, WF_ALWAYS, NULL, NULL, NULL, {{0}}, NULL,
     NULL},
    {"app_staff", BA_SUPERVISE, R_CENTER_STAFF, S, WF_ALWAYS, NULL, NULL, NULL, {{0}}, NULL, NULL},
    {"app_director", BA_SUPERVISE, R_CENTER_DIRECTOR, S, WF_ALWAYS, NULL, NULL, NULL, {{0}}, NULL,
     NULL},

    /* ---- phase 2: 报名 (R13-R14), 试卷 (R15-R17), 提交报名 and its review (R18) */
    {"registering", BA_SUBMIT_REGISTRATION, R_STATION, S, WF_HAS_L2, "reg_org2", batch_guard_registration,
     "提交报名", {WAIT_REG}, NULL, NULL},
    {"registering", BA_SUBMIT_REGISTRATION, R_STATION, S, WF_NO_L2, "reg_staff", batch_guard_registration,
     "提交报名", {WAIT_REG}, NULL, NULL},
    {"reg_rejected", BA_SUBMIT_REGISTRATION, R_STATION, S, WF_HAS_L2, "reg_org2", batch_guard_registration,
     "重新提交报名", {WAIT_REG}, NULL, NULL},
    {"reg_rejected", BA_SUBMIT_REGISTRATION, R_STATION, S, WF_NO_L2, "reg_staff", batch_guard_registration,
     "重新提交报名", {WAIT_REG}, NULL, NULL},
    {"reg_org2", BA_APPROVE, R_LEVEL2, S, WF_ALWAYS, "reg_staff", guard_comment, REG_APPROVE_LINE,
     {OWNER(REG_APPROVED_MSG), WAIT_REG}, NULL, NULL},
    {"reg_org2", BA_REJECT, R_LEVEL2, S, WF_ALWAYS, "reg_rejected", guard_comment, REJECT_LINE,
     {OWNER(REG_REJECTED_MSG)}, NULL, NULL},
    {"reg_staff", BA_APPROVE, R_CENTER_STAFF, S, WF_ALWAYS, "reg_director", guard_comment,
     REG_APPROVE_LINE, {OWNER(REG_APPROVED_MSG), WAIT_REG}, NULL, NULL},
    {"reg_staff", BA_REJECT, R_CENTER_STAFF, S, WF_ALWAYS, "reg_rejected", guard_comment,
     REJECT_LINE, {OWNER(REG_REJECTED_MSG)}, NULL, NULL},
    {"reg_director", BA_APPROVE, R_CENTER_DIRECTOR, S, WF_ALWAYS, "examining", guard_comment,
     REG_APPROVE_LINE, {OWNER("您的批次报名信息已审核，请查看")}, NULL, NULL},
    {"reg_director", BA_REJECT, R_CENTER_DIRECTOR, S, WF_ALWAYS, "reg_rejected", guard_comment,
     REJECT_LINE, {OWNER(REG_REJECTED_MSG)}, NULL, NULL},
    {"reg_org2", BA_REASSIGN, R_LEVEL2, S, WF_ALWAYS, NULL, NULL, NULL, {{0}}, NULL, NULL},
    {"reg_staff", BA_REASSIGN, R_CENTER_STAFF, S, WF_ALWAYS, NULL, NULL, NULL, {{0}}, NULL, NULL},
    {"reg_director", BA_REASSIGN, R_CENTER_DIRECTOR, S, WF_ALWAYS, NULL, NULL, NULL, {{0}}, NULL,
     NULL},
    {"reg_staff", BA_SUPERVISE, R_CENTER_STAFF, S, WF_ALWAYS, NULL, NULL, NULL, {{0}}, NULL, NULL},
    {"reg_director", BA_SUPERVISE, R_CENTER_DIRECTOR, S, WF_ALWAYS, NULL, NULL, NULL, {{0}}, NULL,
     NULL},

    /* ---- phases 3-4: 考试, 成绩 (R19), 报告 (R20), 提交成绩 and its review (R21) */
    {"examining", BA_SUBMIT_SCORES, R_STATION, S, WF_HAS_L2, "score_org2", guard_scores, "提交成绩",
     {WAIT_SCORE}, NULL, NULL},
    {"examining", BA_SUBMIT_SCORES, R_STATION, S, WF_NO_L2, "score_staff", guard_scores, "提交成绩",
     {WAIT_SCORE}, NULL, NULL},
    {"score_rejected", BA_SUBMIT_SCORES, R_STATION, S, WF_HAS_L2, "score_org2", guard_scores, "重新提交成绩",
     {WAIT_SCORE}, NULL, NULL},
    {"score_rejected", BA_SUBMIT_SCORES, R_STATION, S, WF_NO_L2, "score_staff", guard_scores, "重新提交成绩",
     {WAIT_SCORE}, NULL, NULL},
    {"score_org2", BA_APPROVE, R_LEVEL2, S, WF_ALWAYS, "score_staff", guard_comment,
     SCORE_APPROVE_LINE, {OWNER(SCORE_APPROVED_MSG), WAIT_SCORE}, NULL, NULL},
    {"score_org2", BA_REJECT, R_LEVEL2, S, WF_ALWAYS, "score_rejected", guard_comment, REJECT_LINE,
     {OWNER(SCORE_REJECTED_MSG)}, NULL, NULL},
    {"score_staff", BA_APPROVE, R_CENTER_STAFF, S, WF_ALWAYS, "score_director", guard_comment,
     SCORE_APPROVE_LINE, {OWNER(SCORE_APPROVED_MSG), WAIT_SCORE}, NULL, NULL},
    {"score_staff", BA_REJECT, R_CENTER_STAFF, S, WF_ALWAYS, "score_rejected", guard_comment,
     REJECT_LINE, {OWNER(SCORE_REJECTED_MSG)}, NULL, NULL},
    {"score_director", BA_APPROVE, R_CENTER_DIRECTOR, S, WF_ALWAYS, "certifying", guard_comment,
     SCORE_APPROVE_LINE, {OWNER("您提交的批次成绩已通过审核，请查看"), {WF_TO_NEXT, "{name}等待制作证书"}}, NULL, NULL},
    {"score_director", BA_REJECT, R_CENTER_DIRECTOR, S, WF_ALWAYS, "score_rejected", guard_comment,
     REJECT_LINE, {OWNER(SCORE_REJECTED_MSG)}, NULL, NULL},

    /* ---- phases 5-6: 制证 (R22-R23), 缴费 and 寄送 (R24) */
    {"certifying", BA_ISSUE_CERTIFICATES, R_CENTER, S, WF_ALWAYS, "certified", guard_issue_certificates,
     "证书制作完成", {OWNER("您的批次证书制作完成，请查看"), {WF_TO_NEXT, "{name}等待寄出证书"}}, NULL,
     NULL},
    {"certified", BA_SHIP, R_CENTER, S, WF_ALWAYS, "shipped", batch_guard_ship,
     "证书已寄出，快递单号：{tracking_no}", {OWNER("您的批次证书已寄出，请查看物流信息")}, NULL, NULL},
    {"shipped", BA_CONFIRM_RECEIPT, R_STATION, S, WF_ALWAYS, "received", NULL, "{actor}确认证书已签收",
     {{WF_TO_CENTER, "{name}的证书已签收"}}, NULL, NULL},
};
/* clang-format on */

static int batch_move(struct kw_ctx *c, struct wf_subject *s, const struct wf_move *m, bool *moved);
static int batch_trail(struct kw_ctx *c, const struct wf_subject *s, const struct wf_move *m);

const struct wf_def batch_wf = {
    .entity = "batch",
    .noun = "批次",
    .link = "/app/batches/%ld",
    .statuses = statuses,
    .nstatuses = sizeof(statuses) / sizeof(statuses[0]),
    .actions = actions,
    .nactions = BA_N,
    .rows = rows,
    .nrows = sizeof(rows) / sizeof(rows[0]),
    .load = batch_load,
    .move = batch_move,
    .trail = batch_trail,
    .audit_code = false,
};

bool batch_status_todo(const char *code, unsigned role)
{
	return wf_status_todo(&batch_wf, code, role);
}

json_object *batch_table_json(struct kw_ctx *c)
{
	return wf_table_json(c, &batch_wf);
}

json_object *batch_statuses_json(struct kw_ctx *c)
{
	return wf_statuses_json(c, &batch_wf);
}

/* ------------------------------------------------------------------ helpers */

int batch_need_object(struct kw_ctx *c, json_object *body)
{
	if (!body || !json_object_is_type(body, json_type_object))
		return kw_fail(c, KW_EBADREQ, "请求内容应为 JSON 对象");
	return KW_OK;
}

bool batch_present(json_object *o, const char *key)
{
	json_object *v = NULL;
	return o && json_object_object_get_ex(o, key, &v) && v &&
	       !json_object_is_type(v, json_type_null);
}

/* Days since 1970-01-01 of a Beijing calendar date "YYYY-MM-DD"; false when malformed. */
bool batch_parse_day(const char *s, long *day)
{
	time_t t;
	if (!s || strlen(s) != 10 || !kw_parse_time(s, &t))
		return false;
	*day = (long)((t + 8 * 3600) / 86400);
	return true;
}

/* "YYYY-MM-DD" of a day number (arena). */
const char *batch_format_day(struct kw_ctx *c, long day)
{
	char *buf = arena_alloc(c->a, 16);
	kw_format_date((time_t)day * 86400, buf, 16);
	return buf;
}

/* Today's day number in Beijing. */
long batch_today(const struct kw_ctx *c)
{
	return (long)((c->now + 8 * 3600) / 86400);
}

/* ------------------------------------------------------------------ loading a batch */

#define BATCH_COLS                                                                                 \
	"SELECT b.id, b.org_id, b.name, b.code, b.status, b.status_param, o.name AS org_name,"     \
	" o.parent_id, p.kind AS parent_kind, p.name AS parent_name,"                              \
	" (SELECT c.id FROM orgs c WHERE c.kind = 'center' ORDER BY c.id LIMIT 1) AS center_id,"   \
	" kw_ts(b.created_at) AS created_at, kw_ts(b.updated_at) AS updated_at,"                   \
	" kw_ts(b.submitted_at) AS submitted_at, kw_ts(b.approved_at) AS approved_at,"             \
	" (SELECT (min(i.exam_date) - $5::integer)::text FROM batch_items i"                       \
	"  WHERE i.batch_id = b.id) AS closes_on"                                                  \
	" FROM batches b JOIN orgs o ON o.id = b.org_id LEFT JOIN orgs p ON p.id = o.parent_id"
/* In scope, and a draft only for its own station. */
#define BATCH_VISIBLE                                                                              \
	" WHERE b.id = $1 AND " ORG_SCOPE_SQL(                                                     \
	    "b.org_id", "$2", "$3") " AND (b.status <> 'draft' OR b.org_id = $4::bigint)"

static struct db_stmt q_batch = DB_STMT("batch_row", BATCH_COLS BATCH_VISIBLE);
static struct db_stmt q_batch_lock =
    DB_STMT("batch_row_lock", BATCH_COLS BATCH_VISIBLE " FOR UPDATE OF b");

int batch_load_row(struct kw_ctx *c, long id, bool lock, struct wf_subject *s, PGresult **row)
{
	int err;
	struct org_scope sc;
	memset(s, 0, sizeof(*s));
	org_scope_of(c, &sc);
	long own = (c->user.role & R_ORG) ? c->user.org_id : 0;
	PGresult *res =
	    db_query(c, lock ? &q_batch_lock : &q_batch, &err, db_ltoa(c, id), sc.kind_param,
		     sc.root_param, db_ltoa(c, own), db_ltoa(c, R5_CLOSED_DAYS + 1));
	if (!res)
		return err;
	if (!PQntuples(res))
		return kw_fail(c, KW_ENOTFOUND, "批次不存在");
	s->id = id;
	s->org_id = db_long(res, 0, "org_id");
	s->center_id = db_long(res, 0, "center_id");
	const char *pk = db_val(res, 0, "parent_kind");
	s->has_l2 = pk && !strcmp(pk, "level2");
	s->l2_id = s->has_l2 ? db_long(res, 0, "parent_id") : 0;
	s->l2_name = s->has_l2 ? db_val(res, 0, "parent_name") : NULL;
	s->name = db_val(res, 0, "name");
	s->code = db_val(res, 0, "code");
	s->status = db_val(res, 0, "status");
	s->status_param = db_val(res, 0, "status_param");
	s->org_name = db_val(res, 0, "org_name");
	if (row)
		*row = res;
	return KW_OK;
}

int batch_load(struct kw_ctx *c, long id, bool lock, struct wf_subject *s)
{
	return batch_load_row(c, id, lock, s, NULL);
}

/* ------------------------------------------------------------------ guards */

/* Submit: the form is checked again as it stands (R4-R10), against today's date (R5). */
static int guard_validate(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
			  json_object *body)
{
	(void)r;
	(void)body;
	return batch_check_stored(c, s);
}

/* Reject needs a comment (R11: it goes back to the station with it). */
static int guard_comment(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
			 json_object *body)
{
	(void)s;
	const char *comment = NULL;
	if (body && !kwj_get_string(c, body, "comment", NULL, KWJ_OPTIONAL, 500, &comment))
		return KW_EVALIDATION;
	if (r->action == BA_REJECT && (!comment || !*comment)) {
		kw_field_error(c, "comment", 0, "R11", "拒绝时请填写审批意见");
		return KW_EVALIDATION;
	}
	return KW_OK;
}

static struct db_stmt q_closing =
    DB_STMT("batch_closing", "SELECT (min(exam_date) - $2::integer)::text AS closes_on FROM "
			     "batch_items WHERE batch_id = $1");

/* The director's approval opens registration (R5): no item's window may have closed already. */
static int guard_open_registration(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
				   json_object *body)
{
	int err = guard_comment(c, s, r, body);
	if (err)
		return err;
	PGresult *res =
	    db_query(c, &q_closing, &err, db_ltoa(c, s->id), db_ltoa(c, R5_CLOSED_DAYS + 1));
	if (!res)
		return err;
	long last;
	if (batch_parse_day(db_val(res, 0, "closes_on"), &last) && last < batch_today(c))
		return kw_fail(c, KW_ECONFLICT,
			       arena_printf(c->a,
					    "报名截止日期 %s 已过，请拒绝后由申请机构修改考试时间",
					    batch_format_day(c, last)));
	return KW_OK;
}

/* 完成证书制作 (R22, R23): the certificates are issued in the move's transaction, the batch
 * locked in 证书制作中 (lib/certificate). */
static int guard_issue_certificates(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
				    json_object *body)
{
	(void)r;
	(void)body;
	return certificate_issue_batch(c, s->id, s->org_id, NULL);
}

/* 提交成绩 (R21): scores for everyone, every report filed, every member confirmed (lib/report). */
static int guard_scores(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
			json_object *body)
{
	int err = guard_comment(c, s, r, body);
	return err ? err : report_check_batch(c, s->id);
}

/* ------------------------------------------------------------------ moves */

static struct db_stmt q_move =
    DB_STMT("batch_move",
	    "UPDATE batches SET status = $3, status_param = $4, updated_at = $5::timestamptz,"
	    " code = coalesce(code, $6),"
	    " submitted_at = CASE WHEN $7::boolean THEN $5::timestamptz ELSE submitted_at END,"
	    " approved_at = CASE WHEN $8::boolean THEN $5::timestamptz ELSE approved_at END"
	    " WHERE id = $1 AND status = $2");
static struct db_stmt q_trail =
    DB_STMT("batch_trail_add",
	    "INSERT INTO batch_trail (batch_id, item_id, at, actor_id, actor, action, from_status,"
	    " to_status, comment, text, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
	    " $11::jsonb)");
static struct db_stmt q_code_free =
    DB_STMT("batch_code_free", "SELECT NOT EXISTS (SELECT 1 FROM batches WHERE code = $1)");
static struct db_stmt q_touch =
    DB_STMT("batch_touch", "UPDATE batches SET updated_at = $2 WHERE id = $1");

/* 编号: 14 + the time to the second (Beijing) + 3 random digits, unused so far. */
static int new_code(struct kw_ctx *c, const char **code)
{
	int err;
	char ts[32];
	kw_format_time(c->now, ts, sizeof(ts)); /* 2019-04-10T13:43:31+08:00 */
	const char *stamp = arena_printf(c->a, "%.4s%.2s%.2s%.2s%.2s%.2s", ts, ts + 5, ts + 8,
					 ts + 11, ts + 14, ts + 17);
	for (int tries = 0; tries < 20; tries++) {
		const char *cand =
		    arena_printf(c->a, "14%s%03u", stamp, (unsigned)randombytes_uniform(1000));
		PGresult *res = db_query(c, &q_code_free, &err, cand);
		if (!res)
			return err;
		if (PQgetvalue(res, 0, 0)[0] == 't') {
			*code = cand;
			return KW_OK;
		}
	}
	return kw_fail(c, KW_ECONFLICT, "系统繁忙，请稍后再提交");
}

/* The engine's move: the status (proving the one it came from), the code, the dates. */
static int batch_move(struct kw_ctx *c, struct wf_subject *s, const struct wf_move *m, bool *moved)
{
	int err;
	const char *code = NULL;
	if (!s->code && (err = new_code(c, &code)))
		return err;
	bool submit = m->row->action == BA_SUBMIT;
	bool approved = !strcmp(m->to, "registering");
	PGresult *res =
	    db_query(c, &q_move, &err, db_ltoa(c, s->id), m->from, m->to, m->param, m->now, code,
		     submit ? "true" : "false", approved ? "true" : "false");
	if (!res)
		return err;
	*moved = !strcmp(PQcmdTuples(res), "1");
	/* the approved batch's assessors and supervisors hear that they serve it */
	if (*moved && approved && (err = batch_people_notify(c, s)))
		return err;
	/* Phase 6 stores the shipment and the receipt (batch_ship.c). */
	return *moved ? batch_ship_move(c, s, m) : KW_OK;
}

int batch_trail_add(struct kw_ctx *c, const struct wf_subject *s, long item_id, const char *actor,
		    const char *action, const char *from, const char *to, const char *comment,
		    const char *text, json_object *detail)
{
	int err;
	db_query(c, &q_trail, &err, db_ltoa(c, s->id), item_id ? db_ltoa(c, item_id) : NULL,
		 kw_now_text(c), db_ltoa(c, c->user.id), actor, action, from, to, comment, text,
		 detail ? kwj_string(detail, NULL) : NULL);
	return err;
}

/* The engine's trail line of a move. */
static int batch_trail(struct kw_ctx *c, const struct wf_subject *s, const struct wf_move *m)
{
	return batch_trail_add(c, s, 0, m->actor, actions[m->row->action].code, m->from, m->to,
			       m->comment, m->trail, NULL);
}

int batch_touch(struct kw_ctx *c, long id)
{
	int err;
	return db_query(c, &q_touch, &err, db_ltoa(c, id), kw_now_text(c)) ? KW_OK : err;
}

int batch_act(struct kw_ctx *c, long id, const char *action, json_object *body)
{
	return wf_run(c, &batch_wf, id, action, body);
}
