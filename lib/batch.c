/* batch.c - batches: the one state table of a batch's life, the form (R4-R10, R12), the review
 * chain with 调配 (R11), the list and the detail (R25). See batch.h. */
#include "batch.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audit.h"
#include "core/clock.h"
#include "core/json.h"
#include "db/db.h"
#include "expert.h"
#include "file.h"
#include "message.h"
#include "org.h"
#include "ref.h"

#define MAX_ITEMS 50
#define MAX_PEOPLE 30
#define COMMENT_MAX 500
#define R5_LEAD_DAYS 30	   /* exam date >= submission day + 30 */
#define R5_CLOSED_DAYS 20  /* the last 20 days before the exam take no enrollment */
#define MAX_AHEAD_DAYS 730 /* an exam date more than two years ahead is a typing error */

/* ------------------------------------------------------------------ statuses (R25) */

const struct batch_status batch_statuses[] = {
    /* phase 1: 批次申请 and 资质审核 */
    {"draft", 1, "草稿", "草稿", R_STATION},
    {"app_org2", 1, "等待{org}审核资质", "等待二级机构审核资质", R_ORG2},
    {"app_staff", 1, "等待中心工作人员审核", "等待中心工作人员审核", R_CENTER_STAFF},
    {"app_director", 1, "等待中心主任审核", "等待中心主任审核", R_CENTER_DIRECTOR},
    {"app_rejected", 1, "资质审核被{org}拒绝", "资质审核被拒绝", R_STATION},
    /* phase 2: 组织报名, 提交试卷, 报名资质审核 */
    {"registering", 2, "资质审核通过，报名中", "资质审核通过，报名中", R_STATION},
    {"reg_org2", 2, "等待{org}审核报名资质", "等待二级机构审核报名资质", R_ORG2},
    {"reg_staff", 2, "等待中心工作人员审核报名资质", "等待中心工作人员审核报名资质",
     R_CENTER_STAFF},
    {"reg_director", 2, "等待中心主任审核报名资质", "等待中心主任审核报名资质", R_CENTER_DIRECTOR},
    {"reg_rejected", 2, "报名资质审核被{org}拒绝", "报名资质审核被拒绝", R_STATION},
    /* phase 3: 线下实施考试; phase 4: 成绩填报 and its review */
    {"examining", 3, "报名资质审核通过，考试及成绩录入中", "考试及成绩录入中", R_STATION},
    {"score_org2", 4, "等待{org}审核成绩", "等待二级机构审核成绩", R_ORG2},
    {"score_staff", 4, "等待中心工作人员审核成绩", "等待中心工作人员审核成绩", R_CENTER_STAFF},
    {"score_director", 4, "等待中心主任审核成绩", "等待中心主任审核成绩", R_CENTER_DIRECTOR},
    {"score_rejected", 4, "成绩审核被{org}拒绝", "成绩审核被拒绝", R_STATION},
    /* phase 5: 线下制证; phase 6: 缴费, 证书寄送 */
    {"certifying", 5, "成绩审核通过，证书制作中", "成绩审核通过，证书制作中", R_CENTER},
    {"certified", 6, "证书制作完成", "证书制作完成", R_CENTER},
    {"shipped", 6, "证书已寄出", "证书已寄出", R_STATION},
    {"received", 6, "证书已签收", "证书已签收", 0},
};
const size_t batch_statuses_count = sizeof(batch_statuses) / sizeof(batch_statuses[0]);

const struct batch_status *batch_status_find(const char *code)
{
	for (size_t i = 0; code && i < batch_statuses_count; i++)
		if (!strcmp(batch_statuses[i].code, code))
			return &batch_statuses[i];
	return NULL;
}

const char *batch_status_text(struct kw_ctx *c, const char *code, const char *param)
{
	const struct batch_status *s = batch_status_find(code);
	if (!s)
		return NULL;
	const char *at = strstr(s->text, "{org}");
	if (!at)
		return s->text;
	return arena_printf(c->a, "%.*s%s%s", (int)(at - s->text), s->text,
			    param && *param ? param : "上级机构", at + 5);
}

/* The message a reviewer gets when a batch starts waiting for them ("…等待您审核资质"). */
static const char *waiting_words(const char *status)
{
	static const struct {
		const char *status, *words;
	} w[] = {
	    {"app_org2", "等待您审核资质"},
	    {"app_staff", "等待您审核资质"},
	    {"app_director", "等待您审核资质"},
	    {"reg_org2", "等待您审核报名资质及试卷"},
	    {"reg_staff", "等待您审核报名资质及试卷"},
	    {"reg_director", "等待您审核报名资质及试卷"},
	    {"score_org2", "等待您审核成绩"},
	    {"score_staff", "等待您审核成绩"},
	    {"score_director", "等待您审核成绩"},
	    {"certifying", "等待制作证书"},
	    {"certified", "等待寄出证书"},
	};
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (!strcmp(w[i].status, status))
			return w[i].words;
	return NULL;
}

/* ------------------------------------------------------------------ actions */

static const struct {
	const char *code;
	const char *text; /* what the user wanted to do, for 409 messages */
	bool endpoint;	  /* runs through POST /api/batches/{id}/actions/{action} */
} actions[BA_N] = {
    [BA_EDIT] = {"edit", "修改批次申请", false},
    [BA_SUBMIT] = {"submit", "提交", true},
    [BA_APPROVE] = {"approve", "审核", true},
    [BA_REJECT] = {"reject", "拒绝", true},
    [BA_REASSIGN] = {"reassign", "调配考评人员", false},
    [BA_SUPERVISE] = {"supervise", "安排督导", false},
    [BA_SUBMIT_REGISTRATION] = {"submit_registration", "提交报名", true},
    [BA_SUBMIT_SCORES] = {"submit_scores", "提交成绩", true},
    [BA_ISSUE_CERTIFICATES] = {"issue_certificates", "证书制作完成", true},
    [BA_SHIP] = {"ship", "寄出证书", true},
    [BA_CONFIRM_RECEIPT] = {"confirm_receipt", "证书签收", true},
};

const char *batch_action_code(enum batch_action a)
{
	return (int)a >= 0 && a < BA_N ? actions[a].code : NULL;
}

int batch_action_of(const char *code)
{
	for (int a = 0; code && a < BA_N; a++)
		if (!strcmp(actions[a].code, code))
			return a;
	return -1;
}

/* ------------------------------------------------------------------ the state table */

/* A batch as the state table sees it (read, and locked for changes). */
struct batch_row {
	long id, org_id, parent_id, center_id;
	bool has_org2; /* the station hangs under a level-2 org, which reviews first */
	const char *name, *code, *status, *status_param, *org_name, *parent_name;
};

/* Which rows apply: the level-2 step is skipped for a station directly under the center. */
enum when { W_ANY, W_ORG2, W_NO_ORG2 };

struct batch_transition;
/*
 * A guard runs inside the transaction after the row matched: it may refuse
 * (KW_EVALIDATION with field errors, KW_ECONFLICT) or prepare the change.
 */
typedef int (*batch_guard)(struct kw_ctx *c, const struct batch_row *b,
			   const struct batch_transition *t, json_object *body);

struct batch_transition {
	const char *from;
	enum batch_action action;
	unsigned roles;
	const char *to; /* NULL: the status stays (edit, 调配) */
	enum when when;
	batch_guard guard;
	const char *trail; /* the trail line: {actor}, {comment}, {tracking_no} are filled in */
	const char *to_station; /* the site message to the station, {actor} filled in; NULL: none */
	const char *todo;	/* non-NULL: designed but not yet open (the issue that opens it) */
};

static int guard_validate(struct kw_ctx *c, const struct batch_row *b,
			  const struct batch_transition *t, json_object *body);
static int guard_comment(struct kw_ctx *c, const struct batch_row *b,
			 const struct batch_transition *t, json_object *body);
static int guard_open_registration(struct kw_ctx *c, const struct batch_row *b,
				   const struct batch_transition *t, json_object *body);

#define APPROVED_MSG "您提交的批次申请已通过{actor}审核，请查看"
#define REJECTED_MSG "您提交的批次被拒绝，请查看详情"
#define REG_APPROVED_MSG "您的批次报名信息已通过{actor}审核，请查看"
#define REG_REJECTED_MSG "您提交的批次报名被拒绝，请查看详情"
#define SCORE_APPROVED_MSG "您提交的批次成绩已通过{actor}审核，请查看"
#define SCORE_REJECTED_MSG "您提交的批次成绩被拒绝，请查看详情"
#define APPROVE_LINE "{actor}审核通过，审核意见：{comment}"
#define REJECT_LINE "{actor}拒绝，审核意见：{comment}"

/*
 * The one state table: status x action x role -> next status [+ guard].
 * The first row whose status, action, role and `when` match is the one that
 * runs. Rows with `todo` are the later phases' transitions, designed now and
 * opened by the issues that bring their guards (R13-R24).
 */
static const struct batch_transition table[] = {
    /* ---- phase 1: 批次申请 (R4-R10, R12) and its review (R11) */
    {"draft", BA_EDIT, R_STATION, NULL, W_ANY, NULL, NULL, NULL, NULL},
    {"app_rejected", BA_EDIT, R_STATION, NULL, W_ANY, NULL, NULL, NULL, NULL},
    {"draft", BA_SUBMIT, R_STATION, "app_org2", W_ORG2, guard_validate, "批次申请提交", NULL, NULL},
    {"draft", BA_SUBMIT, R_STATION, "app_staff", W_NO_ORG2, guard_validate, "批次申请提交", NULL,
     NULL},
    {"app_rejected", BA_SUBMIT, R_STATION, "app_org2", W_ORG2, guard_validate, "批次申请重新提交",
     NULL, NULL},
    {"app_rejected", BA_SUBMIT, R_STATION, "app_staff", W_NO_ORG2, guard_validate,
     "批次申请重新提交", NULL, NULL},
    {"app_org2", BA_APPROVE, R_ORG2, "app_staff", W_ANY, guard_comment, APPROVE_LINE, APPROVED_MSG,
     NULL},
    {"app_org2", BA_REJECT, R_ORG2, "app_rejected", W_ANY, guard_comment, REJECT_LINE, REJECTED_MSG,
     NULL},
    {"app_staff", BA_APPROVE, R_CENTER_STAFF, "app_director", W_ANY, guard_comment, APPROVE_LINE,
     APPROVED_MSG, NULL},
    {"app_staff", BA_REJECT, R_CENTER_STAFF, "app_rejected", W_ANY, guard_comment, REJECT_LINE,
     REJECTED_MSG, NULL},
    {"app_director", BA_APPROVE, R_CENTER_DIRECTOR, "registering", W_ANY, guard_open_registration,
     APPROVE_LINE, "您提交的批次申请已通过审核，请查看", NULL},
    {"app_director", BA_REJECT, R_CENTER_DIRECTOR, "app_rejected", W_ANY, guard_comment,
     REJECT_LINE, REJECTED_MSG, NULL},
    {"app_org2", BA_REASSIGN, R_ORG2, NULL, W_ANY, NULL, NULL, NULL, NULL},
    {"app_staff", BA_REASSIGN, R_CENTER_STAFF, NULL, W_ANY, NULL, NULL, NULL, NULL},
    {"app_director", BA_REASSIGN, R_CENTER_DIRECTOR, NULL, W_ANY, NULL, NULL, NULL, NULL},
    {"app_staff", BA_SUPERVISE, R_CENTER_STAFF, NULL, W_ANY, NULL, NULL, NULL, NULL},
    {"app_director", BA_SUPERVISE, R_CENTER_DIRECTOR, NULL, W_ANY, NULL, NULL, NULL, NULL},

    /* ---- phase 2: 报名 (R13-R14), 试卷 (R15-R17), 提交报名 and its review (R18) */
    {"registering", BA_SUBMIT_REGISTRATION, R_STATION, "reg_org2", W_ORG2, NULL, "提交报名", NULL,
     "报名与试卷（R13–R18）"},
    {"registering", BA_SUBMIT_REGISTRATION, R_STATION, "reg_staff", W_NO_ORG2, NULL, "提交报名",
     NULL, "报名与试卷（R13–R18）"},
    {"reg_rejected", BA_SUBMIT_REGISTRATION, R_STATION, "reg_org2", W_ORG2, NULL, "重新提交报名",
     NULL, "报名与试卷（R13–R18）"},
    {"reg_rejected", BA_SUBMIT_REGISTRATION, R_STATION, "reg_staff", W_NO_ORG2, NULL,
     "重新提交报名", NULL, "报名与试卷（R13–R18）"},
    {"reg_org2", BA_APPROVE, R_ORG2, "reg_staff", W_ANY, guard_comment,
     "{actor}考生资质及试卷审核通过，审核意见：{comment}", REG_APPROVED_MSG, NULL},
    {"reg_org2", BA_REJECT, R_ORG2, "reg_rejected", W_ANY, guard_comment, REJECT_LINE,
     REG_REJECTED_MSG, NULL},
    {"reg_staff", BA_APPROVE, R_CENTER_STAFF, "reg_director", W_ANY, guard_comment,
     "{actor}考生资质及试卷审核通过，审核意见：{comment}", REG_APPROVED_MSG, NULL},
    {"reg_staff", BA_REJECT, R_CENTER_STAFF, "reg_rejected", W_ANY, guard_comment, REJECT_LINE,
     REG_REJECTED_MSG, NULL},
    {"reg_director", BA_APPROVE, R_CENTER_DIRECTOR, "examining", W_ANY, guard_comment,
     "{actor}考生资质及试卷审核通过，审核意见：{comment}", "您的批次报名信息已审核，请查看", NULL},
    {"reg_director", BA_REJECT, R_CENTER_DIRECTOR, "reg_rejected", W_ANY, guard_comment,
     REJECT_LINE, REG_REJECTED_MSG, NULL},
    {"reg_org2", BA_REASSIGN, R_ORG2, NULL, W_ANY, NULL, NULL, NULL, NULL},
    {"reg_staff", BA_REASSIGN, R_CENTER_STAFF, NULL, W_ANY, NULL, NULL, NULL, NULL},
    {"reg_director", BA_REASSIGN, R_CENTER_DIRECTOR, NULL, W_ANY, NULL, NULL, NULL, NULL},
    {"reg_staff", BA_SUPERVISE, R_CENTER_STAFF, NULL, W_ANY, NULL, NULL, NULL, NULL},
    {"reg_director", BA_SUPERVISE, R_CENTER_DIRECTOR, NULL, W_ANY, NULL, NULL, NULL, NULL},

    /* ---- phases 3-4: 考试, 成绩 (R19), 报告 (R20), 提交成绩 and its review (R21) */
    {"examining", BA_SUBMIT_SCORES, R_STATION, "score_org2", W_ORG2, NULL, "提交成绩", NULL,
     "成绩与报告（R19–R21）"},
    {"examining", BA_SUBMIT_SCORES, R_STATION, "score_staff", W_NO_ORG2, NULL, "提交成绩", NULL,
     "成绩与报告（R19–R21）"},
    {"score_rejected", BA_SUBMIT_SCORES, R_STATION, "score_org2", W_ORG2, NULL, "重新提交成绩",
     NULL, "成绩与报告（R19–R21）"},
    {"score_rejected", BA_SUBMIT_SCORES, R_STATION, "score_staff", W_NO_ORG2, NULL, "重新提交成绩",
     NULL, "成绩与报告（R19–R21）"},
    {"score_org2", BA_APPROVE, R_ORG2, "score_staff", W_ANY, guard_comment,
     "{actor}成绩审核通过，审核意见：{comment}", SCORE_APPROVED_MSG, NULL},
    {"score_org2", BA_REJECT, R_ORG2, "score_rejected", W_ANY, guard_comment, REJECT_LINE,
     SCORE_REJECTED_MSG, NULL},
    {"score_staff", BA_APPROVE, R_CENTER_STAFF, "score_director", W_ANY, guard_comment,
     "{actor}成绩审核通过，审核意见：{comment}", SCORE_APPROVED_MSG, NULL},
    {"score_staff", BA_REJECT, R_CENTER_STAFF, "score_rejected", W_ANY, guard_comment, REJECT_LINE,
     SCORE_REJECTED_MSG, NULL},
    {"score_director", BA_APPROVE, R_CENTER_DIRECTOR, "certifying", W_ANY, guard_comment,
     "{actor}成绩审核通过，审核意见：{comment}", "您提交的批次成绩已通过审核，请查看", NULL},
    {"score_director", BA_REJECT, R_CENTER_DIRECTOR, "score_rejected", W_ANY, guard_comment,
     REJECT_LINE, SCORE_REJECTED_MSG, NULL},

    /* ---- phases 5-6: 制证 (R22-R23), 缴费 and 寄送 (R24) */
    {"certifying", BA_ISSUE_CERTIFICATES, R_CENTER, "certified", W_ANY, NULL, "证书制作完成",
     "您的批次证书制作完成，请查看", "证书（R22–R23）"},
    {"certified", BA_SHIP, R_CENTER, "shipped", W_ANY, NULL, "证书已寄出，快递单号：{tracking_no}",
     "您的批次证书已寄出，请查看", "证书寄送（R24）"},
    {"shipped", BA_CONFIRM_RECEIPT, R_STATION, "received", W_ANY, NULL, "证书已签收", NULL,
     "证书寄送（R24）"},
};
#define NTABLE (sizeof(table) / sizeof(table[0]))

static bool when_holds(enum when w, const struct batch_row *b)
{
	return w == W_ANY || (w == W_ORG2) == b->has_org2;
}

/* Some row lets role run action in some status (else the role never may: 403). */
static bool role_may(enum batch_action a, unsigned role)
{
	for (size_t i = 0; i < NTABLE; i++)
		if (table[i].action == a && (table[i].roles & role))
			return true;
	return false;
}

/* The row for this batch, action and caller; KW_ECONFLICT (message set) when none. */
static int lookup(struct kw_ctx *c, const struct batch_row *b, enum batch_action a,
		  const struct batch_transition **out)
{
	*out = NULL;
	for (size_t i = 0; i < NTABLE; i++) {
		const struct batch_transition *t = &table[i];
		if (t->action != a || !(t->roles & c->user.role) || strcmp(t->from, b->status) ||
		    !when_holds(t->when, b))
			continue;
		if (t->todo)
			return kw_fail(
			    c, KW_ECONFLICT,
			    arena_printf(c->a, "“%s”将随%s功能开放", actions[a].text, t->todo));
		*out = t;
		return KW_OK;
	}
	return kw_fail(c, KW_ECONFLICT,
		       arena_printf(c->a, "批次当前状态为“%s”，不能%s",
				    batch_status_text(c, b->status, b->status_param),
				    actions[a].text));
}

static const char *role_code_of(unsigned bit)
{
	switch (bit) {
	case R_CENTER_STAFF:
		return "center_staff";
	case R_CENTER_DIRECTOR:
		return "center_director";
	case R_ORG2:
		return "org2";
	case R_STATION:
		return "station";
	default:
		return NULL;
	}
}

json_object *batch_table_json(struct kw_ctx *c)
{
	static const char *whens[] = {"always", "has_level2", "no_level2"};
	json_object *a = kwj_own(c, json_object_new_array());
	for (size_t i = 0; i < NTABLE; i++) {
		const struct batch_transition *t = &table[i];
		json_object *o = json_object_new_object(), *roles = json_object_new_array();
		kwj_add_str(o, "from", t->from);
		kwj_add_str(o, "action", actions[t->action].code);
		for (unsigned bit = 1; bit <= R_STATION; bit <<= 1)
			if (t->roles & bit)
				json_object_array_add(roles,
						      json_object_new_string(role_code_of(bit)));
		json_object_object_add(o, "roles", roles);
		kwj_add_str(o, "to", t->to ? t->to : t->from);
		kwj_add_str(o, "when", whens[t->when]);
		kwj_add_bool(o, "implemented", t->todo == NULL);
		json_object_array_add(a, o);
	}
	return a;
}

json_object *batch_statuses_json(struct kw_ctx *c)
{
	json_object *a = kwj_own(c, json_object_new_array());
	for (size_t i = 0; i < batch_statuses_count; i++) {
		json_object *o = json_object_new_object();
		kwj_add_str(o, "code", batch_statuses[i].code);
		kwj_add_int(o, "phase", batch_statuses[i].phase);
		kwj_add_str(o, "text", batch_statuses[i].text);
		kwj_add_str(o, "label", batch_statuses[i].label);
		json_object_array_add(a, o);
	}
	return a;
}

/* The action codes the caller may run on b now (for the buttons of the detail page). */
static json_object *allowed_actions(struct kw_ctx *c, const struct batch_row *b)
{
	json_object *a = json_object_new_array();
	bool seen[BA_N] = {false};
	for (size_t i = 0; i < NTABLE; i++) {
		const struct batch_transition *t = &table[i];
		if (seen[t->action] || t->todo || !(t->roles & c->user.role) ||
		    strcmp(t->from, b->status) || !when_holds(t->when, b))
			continue;
		seen[t->action] = true;
		json_object_array_add(a, json_object_new_string(actions[t->action].code));
	}
	return a;
}

/* ------------------------------------------------------------------ helpers */

static json_object *id_name(long id, const char *name)
{
	if (!id)
		return NULL;
	json_object *o = json_object_new_object();
	kwj_add_int(o, "id", id);
	kwj_add_str(o, "name", name);
	return o;
}

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

static int need_object(struct kw_ctx *c, json_object *body)
{
	if (!body || !json_object_is_type(body, json_type_object))
		return kw_fail(c, KW_EBADREQ, "请求内容应为 JSON 对象");
	return KW_OK;
}

static bool present(json_object *o, const char *key)
{
	json_object *v = NULL;
	return o && json_object_object_get_ex(o, key, &v) && v &&
	       !json_object_is_type(v, json_type_null);
}

/* Days since 1970-01-01 of a Beijing calendar date "YYYY-MM-DD"; false when malformed. */
static bool parse_day(const char *s, long *day)
{
	time_t t;
	if (!s || strlen(s) != 10 || !kw_parse_time(s, &t))
		return false;
	*day = (long)((t + 8 * 3600) / 86400);
	return true;
}

static const char *format_day(struct kw_ctx *c, long day)
{
	char *buf = arena_alloc(c->a, 16);
	kw_format_date((time_t)day * 86400, buf, 16);
	return buf;
}

static long today(const struct kw_ctx *c)
{
	return (long)((c->now + 8 * 3600) / 86400);
}

static const char *now_text(struct kw_ctx *c)
{
	char *buf = arena_alloc(c->a, 32);
	kw_format_time(c->now, buf, 32);
	return buf;
}

/* Replace {key} in pattern by value (every occurrence); NULL values read as "". */
static const char *fill(struct kw_ctx *c, const char *pattern, const char *key, const char *value)
{
	if (!pattern)
		return NULL;
	const char *out = pattern, *at;
	size_t klen = strlen(key);
	while ((at = strstr(out, key)))
		out = arena_printf(c->a, "%.*s%s%s", (int)(at - out), out, value ? value : "",
				   at + klen);
	return out;
}

/* How the trail and the messages name the caller: the level-2 org, 中心工作人员, 中心主任, the
 * station. */
static const char *actor_label(struct kw_ctx *c, const struct batch_row *b)
{
	if (c->user.role & R_CENTER_STAFF)
		return "中心工作人员";
	if (c->user.role & R_CENTER_DIRECTOR)
		return "中心主任";
	if ((c->user.role & R_ORG2) && b->parent_name && b->parent_id == c->user.org_id)
		return b->parent_name;
	if (c->user.role & R_STATION)
		return b->org_name;
	return c->user.name;
}

/* ------------------------------------------------------------------ reading a batch */

#define BATCH_COLS                                                                                 \
	"SELECT b.id, b.org_id, b.name, b.code, b.status, b.status_param, o.name AS org_name,"     \
	" o.parent_id, p.kind AS parent_kind, p.name AS parent_name,"                              \
	" (SELECT c.id FROM orgs c WHERE c.kind = 'center' ORDER BY c.id LIMIT 1) AS center_id"    \
	" FROM batches b JOIN orgs o ON o.id = b.org_id LEFT JOIN orgs p ON p.id = o.parent_id"
/* In scope, and a draft only for its own station. */
#define BATCH_VISIBLE                                                                              \
	" WHERE b.id = $1 AND " ORG_SCOPE_SQL(                                                     \
	    "b.org_id", "$2", "$3") " AND (b.status <> 'draft' OR b.org_id = $4::bigint)"

static struct db_stmt q_batch = DB_STMT("batch_row", BATCH_COLS BATCH_VISIBLE);
static struct db_stmt q_batch_lock =
    DB_STMT("batch_row_lock", BATCH_COLS BATCH_VISIBLE " FOR UPDATE OF b");

/* Load batch id as the caller may see it (locked when lock); KW_ENOTFOUND otherwise. */
static int load_batch(struct kw_ctx *c, long id, bool lock, struct batch_row *b)
{
	int err;
	struct org_scope s;
	memset(b, 0, sizeof(*b));
	org_scope_of(c, &s);
	long own = (c->user.role & R_ORG) ? c->user.org_id : 0;
	PGresult *res = db_query(c, lock ? &q_batch_lock : &q_batch, &err, db_ltoa(c, id),
				 s.kind_param, s.root_param, db_ltoa(c, own));
	if (!res)
		return err;
	if (!PQntuples(res))
		return kw_fail(c, KW_ENOTFOUND, "批次不存在");
	b->id = id;
	b->org_id = db_long(res, 0, "org_id");
	b->parent_id = db_long(res, 0, "parent_id");
	b->center_id = db_long(res, 0, "center_id");
	const char *pk = db_val(res, 0, "parent_kind");
	b->has_org2 = pk && !strcmp(pk, "level2");
	b->name = db_val(res, 0, "name");
	b->code = db_val(res, 0, "code");
	b->status = db_val(res, 0, "status");
	b->status_param = db_val(res, 0, "status_param");
	b->org_name = db_val(res, 0, "org_name");
	b->parent_name = b->has_org2 ? db_val(res, 0, "parent_name") : NULL;
	return KW_OK;
}

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

static struct db_stmt q_in_scope = DB_STMT(
    "batch_r7_scope", "SELECT EXISTS (SELECT 1 FROM org_scopes WHERE org_id = $1 AND category = $2"
		      " AND occupation_id = $3)");
static struct db_stmt q_has_directions = DB_STMT(
    "batch_has_directions", "SELECT EXISTS (SELECT 1 FROM occupations WHERE parent_id = $1)");

/* Read a list of positive ids (no repeats) at key; records errors under path[i]. */
static bool read_ids(struct kw_ctx *c, json_object *o, const char *key, const char *path,
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
	if (len > MAX_PEOPLE) {
		kw_field_error(c, path, 0, "length",
			       arena_printf(c->a, "%s最多 %d 位", what, MAX_PEOPLE));
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

/* Check one item at items[i]; fills *it. Records field errors; returns only database errors. */
static int check_item(struct kw_ctx *c, long org_id, json_object *o, size_t i, struct item_in *it)
{
	int err;
	const char *pre = arena_printf(c->a, "items[%zu].", i);
#define F(name) arena_printf(c->a, "%s" name, pre)
	memset(it, 0, sizeof(*it));

	/* category (R4) and the flags */
	const char *cat = NULL;
	if (!present(o, "category"))
		kw_field_error(c, F("category"), 0, "R4", "请选择种类");
	else if (kwj_get_string(c, o, "category", F("category"), KWJ_OPTIONAL, 20, &cat) &&
		 !ref_category_name(cat)) {
		kw_field_error(
		    c, F("category"), 0, "R4",
		    "种类应为 national（国家职业技能鉴定）或 industry（行业能力水平评价）");
		cat = NULL;
	}
	it->category = cat;
	kwj_get_bool(c, o, "in_annual_plan", F("in_annual_plan"), KWJ_OPTIONAL, &it->in_plan);
	kwj_get_bool(c, o, "dual_cert", F("dual_cert"), KWJ_OPTIONAL, &it->dual);
	kwj_get_bool(c, o, "standard_equipped", F("standard_equipped"), KWJ_OPTIONAL,
		     &it->standard);
	if (it->dual && cat && strcmp(cat, "national")) {
		kw_field_error(c, F("dual_cert"), 0, "R4", "只有国家职业技能鉴定可以允许申请双证");
	}

	/* exam date (R4, R5) */
	long day = 0;
	bool day_ok = false, parsed = false;
	const char *date = NULL;
	if (!present(o, "exam_date"))
		kw_field_error(c, F("exam_date"), 0, "R4", "请选择计划鉴定/评价时间");
	else if (kwj_get_string(c, o, "exam_date", F("exam_date"), KWJ_OPTIONAL, 10, &date)) {
		if (!(parsed = parse_day(date, &day)))
			kw_field_error(c, F("exam_date"), 0, "format", "日期格式应为 YYYY-MM-DD");
		else if (day < today(c) + R5_LEAD_DAYS)
			kw_field_error(c, F("exam_date"), 0, "R5",
				       arena_printf(c->a, "考试时间距申请不少于 %d 天，最早可选 %s",
						    R5_LEAD_DAYS,
						    format_day(c, today(c) + R5_LEAD_DAYS)));
		else if (day > today(c) + MAX_AHEAD_DAYS)
			kw_field_error(c, F("exam_date"), 0, "range", "考试时间不能晚于两年之后");
		else
			day_ok = true;
	}
	it->exam_date = day_ok ? format_day(c, day) : NULL;

	/* level, occupation, direction (R4, R6, R7) */
	long level = 0, occ = 0, dir = 0;
	if (!present(o, "level"))
		kw_field_error(c, F("level"), 0, "R4", "请选择计划鉴定/评价等级");
	else if (!kwj_get_int(c, o, "level", F("level"), KWJ_OPTIONAL, 1, 5, &level))
		level = 0;
	struct ref_occupation oc = {0}, dc = {0};
	if (!present(o, "occupation_id"))
		kw_field_error(c, F("occupation_id"), 0, "R4", "请选择计划鉴定/评价工种");
	else if (kwj_get_int(c, o, "occupation_id", F("occupation_id"), KWJ_OPTIONAL, 1, INT_MAX,
			     &occ)) {
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
	} else {
		occ = 0;
	}
	if (present(o, "direction_id") &&
	    kwj_get_int(c, o, "direction_id", F("direction_id"), KWJ_OPTIONAL, 1, INT_MAX, &dir) &&
	    occ) {
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
	if (occ && !dir && cat && !strcmp(cat, "national") && !present(o, "direction_id")) {
		PGresult *res = db_query(c, &q_has_directions, &err, db_ltoa(c, occ));
		if (!res)
			return err;
		if (PQgetvalue(res, 0, 0)[0] == 't')
			kw_field_error(c, F("direction_id"), 0, "R4",
				       arena_printf(c->a, "请选择%s的职业方向", oc.name));
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
	if (!present(o, "count"))
		kw_field_error(c, F("count"), 0, "R4", "请填写计划鉴定/评价人数");
	else if (kwj_get_int(c, o, "count", F("count"), KWJ_OPTIONAL, LONG_MIN, LONG_MAX, &count) &&
		 (count < 1 || count > 100)) {
		kw_field_error(c, F("count"), 0, "R8", "每个职业每个等级的人数应为 1–100 人");
		count = 0;
	}
	it->count = count;

	/* chief assessor and assessors (R4, R9) */
	long chief = 0;
	if (!present(o, "chief_assessor_id"))
		kw_field_error(c, F("chief_assessor_id"), 0, "R4", "请选择考评组长");
	else
		kwj_get_int(c, o, "chief_assessor_id", F("chief_assessor_id"), KWJ_OPTIONAL, 1,
			    LONG_MAX / 2, &chief);
	long *ids = NULL;
	size_t n = 0;
	bool ids_ok = read_ids(c, o, "assessor_ids", F("assessor_ids"), "R4", "考评员", &ids, &n);
	if (ids_ok && n == 0) {
		kw_field_error(c, F("assessor_ids"), 0, "R4", "请至少选择一位考评员");
		ids_ok = false;
	}
	it->chief = chief;
	it->assessors = ids;
	it->nassessors = ids_ok ? n : 0;
	if (parsed && occ && (chief > 0 || (ids_ok && n))) {
		/* R9 is judged on the date given even when R5 refuses it */
		err = expert_check_assessors_at(c, pre, org_id, (int)(dir ? dir : occ),
						format_day(c, day), chief, ids_ok ? ids : NULL,
						ids_ok ? n : 0);
		if (err && err != KW_EVALIDATION)
			return err;
	}

	/* training syllabus (R10) */
	long syl = 0;
	if (present(o, "syllabus_file_id"))
		kwj_get_int(c, o, "syllabus_file_id", F("syllabus_file_id"), KWJ_OPTIONAL, 1,
			    LONG_MAX / 2, &syl);
	if (syl > 0) {
		bool ok;
		if ((err = file_usable(c, syl, FILE_WORD, org_id, &ok, NULL)))
			return err;
		if (!ok) {
			kw_field_error(c, F("syllabus_file_id"), 0, "R10",
				       "培训大纲须为本机构上传的 doc、docx 文件");
			syl = 0;
		}
	} else if (level && level <= 2 && !present(o, "syllabus_file_id")) {
		kw_field_error(c, F("syllabus_file_id"), 0, "R10",
			       "技师、高级技师鉴定需上传培训大纲（doc、docx 文件）");
	}
	it->syllabus = syl;
#undef F
	return KW_OK;
}

/* Check the whole form; *items and *n are set when it passes (KW_EVALIDATION otherwise). */
static int check_form(struct kw_ctx *c, long org_id, json_object *body, struct item_in **items,
		      size_t *n)
{
	int err;
	json_object *a = NULL;
	*items = NULL;
	*n = 0;
	if ((err = need_object(c, body)))
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
	if (len > MAX_ITEMS) {
		kw_field_error(c, "items", 0, "length",
			       arena_printf(c->a, "一个批次最多 %d 条细则", MAX_ITEMS));
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
		if ((err = check_item(c, org_id, o, i, &it[i])))
			return err;
		for (size_t j = 0; j < i; j++) {
			if (it[i].occupation && it[j].occupation == it[i].occupation &&
			    it[j].direction == it[i].direction && it[j].level == it[i].level &&
			    it[i].category && it[j].category &&
			    !strcmp(it[j].category, it[i].category)) {
				kw_field_error(
				    c, arena_printf(c->a, "items[%zu].occupation_id", i), 0, "R4",
				    arena_printf(
					c->a, "与第 %zu 条重复：每个职业/工种、每个等级只增加一次",
					j + 1));
				break;
			}
		}
	}
	if ((err = kw_validation_result(c)))
		return err;
	*items = it;
	*n = len;
	return KW_OK;
}

static const char *id_array(struct kw_ctx *c, const long *ids, size_t n)
{
	const char *s = "{";
	for (size_t i = 0; i < n; i++)
		s = arena_printf(c->a, "%s%s%ld", s, i ? "," : "", ids[i]);
	return arena_printf(c->a, "%s}", s);
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
			      id_array(c, it[i].assessors, it[i].nassessors)))
			return err;
	}
	return KW_OK;
}

/* The stored items of a batch in the shape of the form (to check them again on submit). */
static struct db_stmt q_form =
    DB_STMT("batch_form",
	    "SELECT coalesce(json_agg(json_build_object('category', i.category, 'in_annual_plan',"
	    " i.in_annual_plan, 'dual_cert', i.dual_cert, 'exam_date', i.exam_date::text, 'level',"
	    " i.level, 'occupation_id', i.occupation_id, 'direction_id', i.direction_id, 'count',"
	    " i.count, 'standard_equipped', i.standard_equipped, 'chief_assessor_id',"
	    " i.chief_assessor_id, 'syllabus_file_id', i.syllabus_file_id, 'assessor_ids',"
	    " coalesce((SELECT json_agg(x.expert_id ORDER BY x.pos) FROM batch_item_experts x"
	    "  WHERE x.item_id = i.id AND x.role = 'assessor'), '[]'::json)) ORDER BY i.pos), '[]')"
	    " FROM batch_items i WHERE i.batch_id = $1");

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
	if ((err = db_begin(c)))
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
	PGresult *res = db_query(c, &q_insert, &err, db_ltoa(c, org_id), year,
				 PQgetvalue(cnt, 0, 0), name, db_ltoa(c, c->user.id), now_text(c));
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

static struct db_stmt q_touch =
    DB_STMT("batch_touch", "UPDATE batches SET updated_at = $2 WHERE id = $1");

int batch_update(struct kw_ctx *c, long id, json_object *body)
{
	int err;
	struct batch_row b;
	const struct batch_transition *t;
	struct item_in *items;
	size_t n;
	if (!role_may(BA_EDIT, c->user.role))
		return kw_fail(c, KW_EFORBIDDEN, "只有申请机构可以修改批次");
	if ((err = need_object(c, body)))
		return err;
	if ((err = db_begin(c)))
		return err;
	if ((err = load_batch(c, id, true, &b)) || (err = lookup(c, &b, BA_EDIT, &t)))
		return err;
	if ((err = check_form(c, b.org_id, body, &items, &n)))
		return err;
	if ((err = save_items(c, id, items, n)))
		return err;
	if (!db_query(c, &q_touch, &err, db_ltoa(c, id), now_text(c)))
		return err;
	json_object *d = kwj_own(c, json_object_new_object());
	kwj_add_str(d, "status", b.status);
	kwj_add_int(d, "items", (long)n);
	if ((err = audit_write(c, "batch.update", "batch", id, d)))
		return err;
	return db_commit(c);
}

/* ------------------------------------------------------------------ guards */

/* Submit: the form is checked again as it stands (R4-R10), against today's date (R5). */
static int guard_validate(struct kw_ctx *c, const struct batch_row *b,
			  const struct batch_transition *t, json_object *body)
{
	int err;
	(void)t;
	(void)body;
	PGresult *res = db_query(c, &q_form, &err, db_ltoa(c, b->id));
	if (!res)
		return err;
	json_object *form = kwj_own(c, json_object_new_object());
	json_object_object_add(form, "items", pg_json(PQgetvalue(res, 0, 0), json_type_array));
	struct item_in *items;
	size_t n;
	return check_form(c, b->org_id, form, &items, &n);
}

/* Reject needs a comment (R11: it goes back to the station with it). */
static int guard_comment(struct kw_ctx *c, const struct batch_row *b,
			 const struct batch_transition *t, json_object *body)
{
	(void)b;
	const char *comment = NULL;
	if (body && !kwj_get_string(c, body, "comment", NULL, KWJ_OPTIONAL, COMMENT_MAX, &comment))
		return KW_EVALIDATION;
	if (t->action == BA_REJECT && (!comment || !*comment)) {
		kw_field_error(c, "comment", 0, "R11", "拒绝时请填写审批意见");
		return KW_EVALIDATION;
	}
	return KW_OK;
}

static struct db_stmt q_closing =
    DB_STMT("batch_closing", "SELECT (min(exam_date) - $2::integer)::text AS closes_on FROM "
			     "batch_items WHERE batch_id = $1");

/* The director's approval opens registration (R5): no item's window may have closed already. */
static int guard_open_registration(struct kw_ctx *c, const struct batch_row *b,
				   const struct batch_transition *t, json_object *body)
{
	int err = guard_comment(c, b, t, body);
	if (err)
		return err;
	PGresult *res =
	    db_query(c, &q_closing, &err, db_ltoa(c, b->id), db_ltoa(c, R5_CLOSED_DAYS + 1));
	if (!res)
		return err;
	long last;
	if (parse_day(db_val(res, 0, "closes_on"), &last) && last < today(c))
		return kw_fail(
		    c, KW_ECONFLICT,
		    arena_printf(c->a, "报名截止日期 %s 已过，请拒绝后由申请机构修改考试时间（R5）",
				 format_day(c, last)));
	return KW_OK;
}

/* ------------------------------------------------------------------ transitions */

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

static int trail_add(struct kw_ctx *c, const struct batch_row *b, long item_id, const char *actor,
		     const char *action, const char *from, const char *to, const char *comment,
		     const char *text, json_object *detail)
{
	int err;
	db_query(c, &q_trail, &err, db_ltoa(c, b->id), item_id ? db_ltoa(c, item_id) : NULL,
		 now_text(c), db_ltoa(c, c->user.id), actor, action, from, to, comment, text,
		 detail ? kwj_string(detail, NULL) : NULL);
	return err;
}

/* Tell the role a batch now waits for (a reviewer) that it is there. */
static int notify_waiting(struct kw_ctx *c, const struct batch_row *b, const char *status,
			  const char *link)
{
	const struct batch_status *s = batch_status_find(status);
	const char *words = waiting_words(status);
	if (!s || !words)
		return KW_OK;
	const char *text = arena_printf(c->a, "%s%s，点击进入", b->name, words);
	if (s->waits_for == R_ORG2)
		return b->parent_id ? message_send(c, b->parent_id, NULL, 0, text, link) : KW_OK;
	if (!b->center_id)
		return KW_OK;
	if (s->waits_for == R_CENTER_STAFF)
		return message_send(c, b->center_id, "center_staff", 0, text, link);
	if (s->waits_for == R_CENTER_DIRECTOR)
		return message_send(c, b->center_id, "center_director", 0, text, link);
	if (s->waits_for == R_CENTER)
		return message_send(c, b->center_id, NULL, 0, text, link);
	return KW_OK;
}

int batch_act(struct kw_ctx *c, long id, const char *action, json_object *body)
{
	int err;
	int a = batch_action_of(action);
	if (a < 0 || !actions[a].endpoint)
		return kw_fail(c, KW_ENOTFOUND, "没有这个操作");
	if (body && !json_object_is_type(body, json_type_object))
		return kw_fail(c, KW_EBADREQ, "请求内容应为 JSON 对象");
	/* Permission first: a role that no row lets do this never may (403). */
	if (!role_may((enum batch_action)a, c->user.role))
		return kw_fail(c, KW_EFORBIDDEN,
			       arena_printf(c->a, "您的角色不能对批次执行“%s”", actions[a].text));
	if ((err = db_begin(c)))
		return err;
	struct batch_row b;
	const struct batch_transition *t;
	if ((err = load_batch(c, id, true, &b)) || (err = lookup(c, &b, (enum batch_action)a, &t)))
		return err;
	/* The comment of any action is bounded text (trimmed; "" reads as none). */
	const char *comment = NULL, *tracking = NULL;
	if (body &&
	    (!kwj_get_string(c, body, "comment", NULL, KWJ_OPTIONAL, COMMENT_MAX, &comment) ||
	     !kwj_get_string(c, body, "tracking_no", NULL, KWJ_OPTIONAL, 64, &tracking)))
		return KW_EVALIDATION;
	if (comment && !*comment)
		comment = NULL;
	if (t->guard && (err = t->guard(c, &b, t, body)))
		return err;
	const char *actor = actor_label(c, &b);
	const char *to = t->to ? t->to : b.status;
	const char *param = NULL;
	size_t tl = strlen(to);
	if (tl > 5 && !strcmp(to + tl - 5, "_org2"))
		param = b.parent_name;
	else if (tl > 9 && !strcmp(to + tl - 9, "_rejected"))
		param = actor;
	const char *code = NULL;
	if (!b.code && (err = new_code(c, &code)))
		return err;
	bool submit = a == BA_SUBMIT;
	bool approved = !strcmp(to, "registering");
	PGresult *res = db_query(c, &q_move, &err, db_ltoa(c, id), b.status, to, param, now_text(c),
				 code, tf(submit), tf(approved));
	if (!res)
		return err;
	if (strcmp(PQcmdTuples(res), "1"))
		return kw_fail(c, KW_ECONFLICT, "批次状态已变化，请刷新后再操作");

	const char *line =
	    fill(c, fill(c, fill(c, t->trail, "{actor}", actor), "{comment}", comment),
		 "{tracking_no}", tracking);
	if ((err = trail_add(c, &b, 0, actor, action, b.status, to, comment, line, NULL)))
		return err;
	json_object *d = kwj_own(c, json_object_new_object());
	kwj_add_str(d, "from", b.status);
	kwj_add_str(d, "to", to);
	kwj_add_str(d, "comment", comment);
	if ((err = audit_write(c, arena_printf(c->a, "batch.%s", action), "batch", id, d)))
		return err;
	const char *link = arena_printf(c->a, "/app/batches/%ld", id);
	if (t->to_station && (err = message_send(c, b.org_id, NULL, 0,
						 fill(c, t->to_station, "{actor}", actor), link)))
		return err;
	if ((err = notify_waiting(c, &b, to, link)))
		return err;
	return db_commit(c);
}

/* ------------------------------------------------------------------ 调配 (R11) */

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
	PGresult *res = db_query(c, &q_names, &err, id_array(c, ids, n));
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

/* Begin a 调配: permission, lock, state table row, the item. */
static int reassign_begin(struct kw_ctx *c, long id, long item_id, enum batch_action a,
			  struct batch_row *b, PGresult **item)
{
	int err;
	const struct batch_transition *t;
	if (!role_may(a, c->user.role))
		return kw_fail(c, KW_EFORBIDDEN,
			       arena_printf(c->a, "您的角色不能%s", actions[a].text));
	if ((err = db_begin(c)))
		return err;
	if ((err = load_batch(c, id, true, b)) || (err = lookup(c, b, a, &t)))
		return err;
	*item = db_query(c, &q_item_lock, &err, db_ltoa(c, item_id), db_ltoa(c, id));
	if (!*item)
		return err;
	if (!PQntuples(*item))
		return kw_fail(c, KW_ENOTFOUND, "批次细则不存在");
	return KW_OK;
}

/* Trail line, audit row and the station's message of a 调配; then commit. */
static int reassign_finish(struct kw_ctx *c, const struct batch_row *b, long item_id,
			   const char *what, json_object *detail)
{
	int err;
	if (!db_query(c, &q_touch, &err, db_ltoa(c, b->id), now_text(c)))
		return err;
	if ((err = audit_write(c, arena_printf(c->a, "batch.%s", what), "batch", b->id, detail)))
		return err;
	const char *msg =
	    arena_printf(c->a, "%s调整了批次%s的%s，请查看", actor_label(c, b), b->name,
			 !strcmp(what, "reassign") ? "考评人员" : "督导人员");
	if ((err = message_send(c, b->org_id, NULL, 0, msg,
				arena_printf(c->a, "/app/batches/%ld", b->id))))
		return err;
	(void)item_id;
	return db_commit(c);
}

int batch_reassign_assessors(struct kw_ctx *c, long id, long item_id, json_object *body)
{
	int err;
	struct batch_row b;
	PGresult *item;
	if ((err = need_object(c, body)))
		return err;
	if ((err = reassign_begin(c, id, item_id, BA_REASSIGN, &b, &item)))
		return err;
	long chief = 0, *ids = NULL;
	size_t n = 0;
	if (!present(body, "chief_assessor_id"))
		kw_field_error(c, "chief_assessor_id", 0, "R4", "请选择考评组长");
	else
		kwj_get_int(c, body, "chief_assessor_id", NULL, KWJ_OPTIONAL, 1, LONG_MAX / 2,
			    &chief);
	bool ok = read_ids(c, body, "assessor_ids", "assessor_ids", "R4", "考评员", &ids, &n);
	if (ok && n == 0) {
		kw_field_error(c, "assessor_ids", 0, "R4", "请至少选择一位考评员");
		ok = false;
	}
	long occ = db_long(item, 0, "direction_id");
	if (!occ)
		occ = db_long(item, 0, "occupation_id");
	err = expert_check_assessors(c, b.org_id, (int)occ, db_val(item, 0, "exam_date"), chief,
				     ok ? ids : NULL, ok ? n : 0);
	if (err && err != KW_EVALIDATION)
		return err;
	if ((err = kw_validation_result(c)))
		return err;

	struct people old;
	if ((err = people_of(c, item_id, "assessor", &old)))
		return err;
	long old_chief = db_long(item, 0, "chief_assessor_id");
	if (old_chief == chief && same_set(old.ids, old.n, ids, n))
		return kw_fail(c, KW_ECONFLICT, "调配前后的考评组长和考评员相同");
	const char *actor = actor_label(c, &b);
	json_object *d = kwj_own(c, json_object_new_object());
	kwj_add_int(d, "item_id", item_id);
	if (old_chief != chief) {
		const char *new_name;
		if ((err = names_of(c, &chief, 1, &new_name)))
			return err;
		if (!db_query(c, &q_set_chief_assessor, &err, db_ltoa(c, item_id),
			      db_ltoa(c, chief)))
			return err;
		const char *line = arena_printf(c->a, "%s将考评组长%s调配为%s", actor,
						db_val(item, 0, "chief_assessor_name"), new_name);
		json_object *td = kwj_own(c, json_object_new_object());
		kwj_add_int(td, "old", old_chief);
		kwj_add_int(td, "new", chief);
		if ((err = trail_add(c, &b, item_id, actor, "reassign_chief_assessor", b.status,
				     b.status, NULL, line, td)))
			return err;
		kwj_add_int(d, "chief_assessor_from", old_chief);
		kwj_add_int(d, "chief_assessor_to", chief);
	}
	/* The order chosen is kept, even when only the order changed. */
	if (!db_query(c, &q_people_clear, &err, db_ltoa(c, item_id), "assessor") ||
	    !db_query(c, &q_item_people, &err, db_ltoa(c, item_id), "assessor",
		      id_array(c, ids, n)))
		return err;
	if (!same_set(old.ids, old.n, ids, n)) {
		const char *new_names;
		if ((err = names_of(c, ids, n, &new_names)))
			return err;
		const char *line = arena_printf(c->a, "%s将考评员%s%s调配为 %s", actor, old.names,
						*old.names ? " " : "", new_names);
		if ((err = trail_add(c, &b, item_id, actor, "reassign_assessors", b.status,
				     b.status, NULL, line, NULL)))
			return err;
		kwj_add_str(d, "assessors_from", old.names);
		kwj_add_str(d, "assessors_to", new_names);
	}
	return reassign_finish(c, &b, item_id, "reassign", d);
}

int batch_assign_supervisors(struct kw_ctx *c, long id, long item_id, json_object *body)
{
	int err;
	struct batch_row b;
	PGresult *item;
	if ((err = need_object(c, body)))
		return err;
	if ((err = reassign_begin(c, id, item_id, BA_SUPERVISE, &b, &item)))
		return err;
	long chief = 0, *ids = NULL;
	size_t n = 0;
	if (present(body, "chief_supervisor_id"))
		kwj_get_int(c, body, "chief_supervisor_id", NULL, KWJ_OPTIONAL, 1, LONG_MAX / 2,
			    &chief);
	bool ok = read_ids(c, body, "supervisor_ids", "supervisor_ids", "R11", "督导员", &ids, &n);
	if (ok && n && !chief && !present(body, "chief_supervisor_id"))
		kw_field_error(c, "chief_supervisor_id", 0, "R11", "请先安排督导组长");
	/* Supervisors: experts of role supervisor with a supervisor certificate valid on the exam
	 * date. */
	size_t m = (chief > 0 ? 1 : 0) + (ok ? n : 0);
	if (m) {
		long *all = arena_alloc(c->a, sizeof(long) * m);
		size_t k = 0;
		if (chief > 0)
			all[k++] = chief;
		for (size_t i = 0; ok && i < n; i++)
			all[k++] = ids[i];
		const char *date = db_val(item, 0, "exam_date");
		PGresult *res = db_query(c, &q_supervisor_check, &err, id_array(c, all, m), date);
		if (!res)
			return err;
		for (size_t i = 0; i < m; i++) {
			const char *field = chief > 0 && i == 0
						? "chief_supervisor_id"
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
				kw_field_error(
				    c, field, 0, "R11",
				    arena_printf(c->a, "%s的督导员证书在考试日期 %s 不在有效期内",
						 db_val(res, row, "name"), date));
		}
	}
	if ((err = kw_validation_result(c)))
		return err;

	struct people old;
	if ((err = people_of(c, item_id, "supervisor", &old)))
		return err;
	long old_chief = db_long(item, 0, "chief_supervisor_id");
	if (old_chief == chief && same_set(old.ids, old.n, ids, n))
		return kw_fail(c, KW_ECONFLICT, "安排前后的督导组长和督导员相同");
	const char *actor = actor_label(c, &b);
	json_object *d = kwj_own(c, json_object_new_object());
	kwj_add_int(d, "item_id", item_id);
	if (old_chief != chief) {
		const char *new_name = "";
		if (chief && (err = names_of(c, &chief, 1, &new_name)))
			return err;
		if (!db_query(c, &q_set_chief_supervisor, &err, db_ltoa(c, item_id),
			      chief ? db_ltoa(c, chief) : NULL))
			return err;
		const char *old_name = db_val(item, 0, "chief_supervisor_name");
		const char *line = chief
				       ? arena_printf(c->a, "%s将督导组长%s调配为 %s", actor,
						      old_name ? old_name : "", new_name)
				       : arena_printf(c->a, "%s取消了督导组长%s", actor, old_name);
		if ((err = trail_add(c, &b, item_id, actor, "assign_chief_supervisor", b.status,
				     b.status, NULL, line, NULL)))
			return err;
		kwj_add_int(d, "chief_supervisor_from", old_chief);
		kwj_add_int(d, "chief_supervisor_to", chief);
	}
	if (!db_query(c, &q_people_clear, &err, db_ltoa(c, item_id), "supervisor") ||
	    !db_query(c, &q_item_people, &err, db_ltoa(c, item_id), "supervisor",
		      id_array(c, ids, n)))
		return err;
	if (!same_set(old.ids, old.n, ids, n)) {
		const char *new_names;
		if ((err = names_of(c, ids, n, &new_names)))
			return err;
		const char *line = arena_printf(c->a, "%s将督导员%s%s调配为 %s", actor, old.names,
						*old.names ? " " : "", new_names);
		if ((err = trail_add(c, &b, item_id, actor, "assign_supervisors", b.status,
				     b.status, NULL, line, NULL)))
			return err;
		kwj_add_str(d, "supervisors_from", old.names);
		kwj_add_str(d, "supervisors_to", new_names);
	}
	return reassign_finish(c, &b, item_id, "supervise", d);
}

/* ------------------------------------------------------------------ the detail */

static struct db_stmt q_detail = DB_STMT(
    "batch_detail",
    "SELECT b.id, b.name, b.code, b.status, b.status_param, b.org_id, o.name AS org_name,"
    " kw_ts(b.created_at) AS created_at, kw_ts(b.updated_at) AS updated_at,"
    " kw_ts(b.submitted_at) AS submitted_at, kw_ts(b.approved_at) AS approved_at,"
    " (SELECT (min(i.exam_date) - $2::integer)::text FROM batch_items i WHERE i.batch_id = b.id)"
    "  AS closes_on"
    " FROM batches b JOIN orgs o ON o.id = b.org_id WHERE b.id = $1");
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
	struct batch_row b;
	*out = NULL;
	if ((err = load_batch(c, id, false, &b)))
		return err;
	const char *closed = db_ltoa(c, R5_CLOSED_DAYS + 1);
	PGresult *res = db_query(c, &q_detail, &err, db_ltoa(c, id), closed);
	if (!res)
		return err;
	if (!PQntuples(res))
		return kw_fail(c, KW_ENOTFOUND, "批次不存在");
	const struct batch_status *st = batch_status_find(b.status);
	json_object *o = kwj_own(c, json_object_new_object());
	kwj_add_int(o, "id", id);
	kwj_add_str(o, "name", db_val(res, 0, "name"));
	kwj_add_str(o, "code", db_val(res, 0, "code"));
	json_object_object_add(o, "org", id_name(b.org_id, db_val(res, 0, "org_name")));
	kwj_add_str(o, "status", b.status);
	kwj_add_str(o, "status_text", batch_status_text(c, b.status, b.status_param));
	kwj_add_int(o, "phase", st ? st->phase : 0);
	kwj_add_str(o, "created_at", db_val(res, 0, "created_at"));
	kwj_add_str(o, "updated_at", db_val(res, 0, "updated_at"));
	kwj_add_str(o, "submitted_at", db_val(res, 0, "submitted_at"));
	kwj_add_str(o, "approved_at", db_val(res, 0, "approved_at"));
	kwj_add_str(o, "registration_closes_on", db_val(res, 0, "closes_on"));
	json_object_object_add(o, "actions", allowed_actions(c, &b));

	PGresult *items = db_query(c, &q_items, &err, db_ltoa(c, id), closed);
	if (!items)
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
				       id_name(db_long(items, i, "occupation_id"),
					       db_val(items, i, "occupation_name")));
		json_object_object_add(
		    it, "direction",
		    id_name(db_long(items, i, "direction_id"), db_val(items, i, "direction_name")));
		kwj_add_int(it, "count", db_long(items, i, "count"));
		kwj_add_int(it, "enrolled", 0); /* the enrollment module fills this in (phase 2) */
		kwj_add_bool(it, "standard_equipped", db_bool(items, i, "standard_equipped"));
		json_object_object_add(it, "chief_assessor",
				       id_name(db_long(items, i, "chief_assessor_id"),
					       db_val(items, i, "chief_assessor_name")));
		json_object_object_add(it, "assessors",
				       pg_json(db_val(items, i, "assessors"), json_type_array));
		json_object_object_add(it, "chief_supervisor",
				       id_name(db_long(items, i, "chief_supervisor_id"),
					       db_val(items, i, "chief_supervisor_name")));
		json_object_object_add(it, "supervisors",
				       pg_json(db_val(items, i, "supervisors"), json_type_array));
		json_object_object_add(it, "syllabus_file",
				       id_name(db_long(items, i, "syllabus_file_id"),
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
	    " count(*) OVER () AS total"
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
		for (size_t i = 0; i < batch_statuses_count; i++) {
			const char *code = batch_statuses[i].code;
			if (f->status && *f->status &&
			    !strstr(arena_printf(c->a, ",%s,", f->status),
				    arena_printf(c->a, ",%s,", code)))
				continue;
			if (f->todo && !(batch_statuses[i].waits_for & c->user.role))
				continue;
			list = arena_printf(c->a, "%s%s%s", list, *list ? "," : "", code);
		}
		arr = arena_printf(c->a, "{%s}", list);
	}
	long own = (c->user.role & R_ORG) ? c->user.org_id : 0;
	const char *q = f->q && *f->q ? f->q : NULL;
	const char *sort = f->sort && *f->sort ? f->sort : "-updated_at";
	PGresult *res = db_query(c, &q_list, &err, s.kind_param, s.root_param, db_ltoa(c, own), arr,
				 q, sort, db_ltoa(c, per_page), db_ltoa(c, (page - 1) * per_page));
	if (!res)
		return err;
	if (PQntuples(res)) {
		*total = db_long(res, 0, "total");
	} else {
		PGresult *cnt = db_query(c, &q_count, &err, s.kind_param, s.root_param,
					 db_ltoa(c, own), arr, q);
		if (!cnt)
			return err;
		*total = strtol(PQgetvalue(cnt, 0, 0), NULL, 10);
	}
	json_object *a = kwj_own(c, json_object_new_array());
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *o = json_object_new_object();
		const char *status = db_val(res, i, "status");
		const struct batch_status *st = batch_status_find(status);
		kwj_add_int(o, "id", db_long(res, i, "id"));
		kwj_add_str(o, "name", db_val(res, i, "name"));
		kwj_add_str(o, "code", db_val(res, i, "code"));
		json_object_object_add(
		    o, "org", id_name(db_long(res, i, "org_id"), db_val(res, i, "org_name")));
		kwj_add_str(o, "status", status);
		kwj_add_str(o, "status_text",
			    batch_status_text(c, status, db_val(res, i, "status_param")));
		kwj_add_int(o, "phase", st ? st->phase : 0);
		kwj_add_str(o, "created_at", db_val(res, i, "created_at"));
		kwj_add_str(o, "updated_at", db_val(res, i, "updated_at"));
		kwj_add_int(o, "item_count", db_long(res, i, "item_count"));
		kwj_add_bool(o, "waiting_for_me",
			     st && strcmp(status, "draft") && (st->waits_for & c->user.role));
		json_object_array_add(a, o);
	}
	*items = a;
	return KW_OK;
}
