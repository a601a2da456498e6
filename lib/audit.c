/* audit.c - appending to audit_log (see audit.h). */
#include "audit.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/json.h"
#include "core/log.h"
#include "db/db.h"

/*
 * The words of every action code and object type (操作日志 shows them; the codes stay in the
 * database for filtering). audit_write refuses a code or type missing here, and
 * test/unit/test_audit_text.c walks the sources and the workflow tables, so a new action cannot
 * reach the log without its words.
 */
static const struct audit_word action_words[] = {
    {"account.update_contact", "修改联系方式"},
    {"account.update_real_name", "修改真实姓名"},
    {"auth.password_change", "修改密码"},
    {"auth.password_reset", "重设密码"},
    {"auth.reset_requested", "申请找回密码"},
    {"bank.import", "导入题库"},
    {"bank.question.delete", "删除题库试题"},
    {"bank.question.update", "修改题库试题"},
    {"batch.approve", "审核通过批次"},
    {"batch.confirm_receipt", "签收证书"},
    {"batch.create", "新建批次申请"},
    {"batch.delete", "删除批次草稿"},
    {"batch.issue_certificates", "完成证书制作"},
    {"batch.reassign", "调配考评人员"},
    {"batch.reject", "拒绝批次"},
    {"batch.ship", "寄出证书"},
    {"batch.submit", "提交批次申请"},
    {"batch.submit_registration", "提交报名"},
    {"batch.submit_scores", "提交成绩"},
    {"batch.supervise", "安排督导"},
    {"batch.update", "修改批次申请"},
    {"candidate.register", "考生注册"},
    {"enroll.create", "考生报名"},
    {"enroll.reject", "拒绝考生报名"},
    {"enroll.stamped_form", "上传盖章申报表"},
    {"expert.certificate_add", "新增考评人员证书"},
    {"expert.certificate_remove", "删除考评人员证书"},
    {"expert.certificate_update", "修改考评人员证书"},
    {"expert.create", "新增考评人员"},
    {"expert.initial_password", "发放考评人员初始密码"},
    {"expert.update", "修改考评人员信息"},
    {"fee.apply_invoice", "申请发票"},
    {"fee.create", "新建缴费通知"},
    {"fee.edit", "修改缴费通知"},
    {"fee.invoiced", "标记已开票"},
    {"fee.paid", "标记已缴费"},
    {"fee.prices", "修改收费标准"},
    {"fee.send", "发送缴费通知"},
    {"grading.confirm", "确认考评/督导报告"},
    {"grading.remind", "督促填写报告"},
    {"grading.report", "填写报告"},
    {"grading.scores", "录入成绩"},
    {"intention.delete", "撤回报名意向"},
    {"intention.forward", "转发报名意向"},
    {"intention.save", "填写报名意向"},
    {"notice.create", "新建通知公告"},
    {"notice.publish", "发布通知公告"},
    {"notice.receipt", "提交回执"},
    {"notice.update", "修改通知公告"},
    {"notice.withdraw", "撤回通知公告"},
    {"org.change_request.approve", "通过机构信息变更"},
    {"org.change_request.create", "申请变更机构信息"},
    {"org.change_request.reject", "驳回机构信息变更"},
    {"org.create", "新增机构"},
    {"org.freeze", "冻结机构"},
    {"org.initial_password", "发放机构初始密码"},
    {"org.unfreeze", "解冻机构"},
    {"org.update", "修改机构信息"},
    {"paper.delete", "删除试卷"},
    {"paper.generate", "生成试卷"},
    {"paper.question.delete", "删除试卷中的试题"},
    {"paper.question.replace", "替换试卷中的试题"},
    {"paper.upload", "上传批次试卷"},
    {"paper.upload.delete", "删除批次试卷"},
    {"plan.approve", "审核通过年度计划"},
    {"plan.create", "新建年度计划"},
    {"plan.reject", "拒绝年度计划"},
    {"plan.submit", "提交年度计划"},
    {"plan.update", "修改年度计划"},
    {"scheme.create", "新建组卷方案"},
    {"scheme.delete", "删除组卷方案"},
    {"selftest.start", "开始自评自测"},
    {"selftest.submit", "自评自测交卷"},
    {"training.approve", "审核通过培训申请"},
    {"training.create", "申请考评管理人员培训"},
    {"training.reject", "拒绝培训申请"},
    {"training.schedule", "安排培训"},
    {"training.submit", "提交培训申请"},
};

static const struct audit_word object_words[] = {
    {"account", "账号"},
    {"bank_import", "题库导入"},
    {"bank_question", "题库试题"},
    {"batch", "批次"},
    {"enrollment", "报名"},
    {"expert", "考评人员"},
    {"fee", "缴费通知"},
    {"fee_prices", "收费标准"},
    {"intention", "报名意向"},
    {"notice", "通知公告"},
    {"org", "机构"},
    {"org_change_request", "机构信息变更申请"},
    {"paper", "试卷"},
    {"paper_scheme", "组卷方案"},
    {"plan", "年度计划"},
    {"region", "区域"},
    {"self_test", "自评自测"},
    {"training", "培训申请"},
};

#define NWORDS(t) (sizeof(t) / sizeof((t)[0]))

/* The words of code in table t, or NULL. */
static const char *word_of(const struct audit_word *t, size_t n, const char *code)
{
	for (size_t i = 0; code && i < n; i++)
		if (!strcmp(t[i].code, code))
			return t[i].text;
	return NULL;
}

const char *audit_action_text(const char *code)
{
	return word_of(action_words, NWORDS(action_words), code);
}

const char *audit_object_text(const char *type)
{
	return word_of(object_words, NWORDS(object_words), type);
}

json_object *audit_words_json(struct kw_ctx *c)
{
	json_object *o = kwj_own(c, json_object_new_object());
	json_object *acts = json_object_new_array(), *objs = json_object_new_array();
	for (size_t i = 0; i < NWORDS(action_words); i++) {
		json_object *w = json_object_new_object();
		kwj_add_str(w, "code", action_words[i].code);
		kwj_add_str(w, "text", action_words[i].text);
		kwj_push(acts, w);
	}
	for (size_t i = 0; i < NWORDS(object_words); i++) {
		json_object *w = json_object_new_object();
		kwj_add_str(w, "code", object_words[i].code);
		kwj_add_str(w, "text", object_words[i].text);
		kwj_push(objs, w);
	}
	kwj_put(o, "actions", acts);
	kwj_put(o, "objects", objs);
	return o;
}

static struct db_stmt q_append =
    DB_STMT("audit_append",
	    "INSERT INTO audit_log (at, actor_id, actor_name, role, action, object_type, object_id,"
	    " detail, ip) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9)");

int audit_write(struct kw_ctx *c, const char *action, const char *object_type, long object_id,
		json_object *detail)
{
	const char *at = kw_now_text(c);
	int err;
	if (!audit_action_text(action) || !audit_object_text(object_type)) {
		log_error("audit: no words for action %s / object %s (add them to lib/audit.c)",
			  action, object_type);
		return KW_EINTERNAL;
	}
	const char *actor = c->user.id ? arena_printf(c->a, "%ld", c->user.id) : NULL;
	const char *obj = object_id ? arena_printf(c->a, "%ld", object_id) : NULL;
	const char *det = detail ? kwj_string(detail, NULL) : NULL;
	db_query(c, &q_append, &err, at, actor, c->user.name, c->user.role_code, action,
		 object_type, obj, det, c->ip && *c->ip ? c->ip : NULL);
	return err;
}

/* ------------------------------------------------------------------ the viewer */

#define AUDIT_WHERE                                                                                \
	" WHERE ($1::bigint IS NULL OR actor_id = $1::bigint)"                                     \
	" AND ($7::text IS NULL OR strpos(actor_name, $7) > 0)"                                    \
	" AND ($2::text IS NULL OR action = $2 OR left(action, length($2) + 1) = $2 || '.')"       \
	" AND ($3::text IS NULL OR object_type = $3)"                                              \
	" AND ($4::bigint IS NULL OR object_id = $4::bigint)"                                      \
	" AND ($5::timestamptz IS NULL OR at >= $5::timestamptz)"                                  \
	" AND ($6::timestamptz IS NULL OR at < $6::timestamptz)"

static struct db_stmt q_audit_list = DB_STMT(
    "audit_list",
    "SELECT id, kw_ts(at) AS at, actor_id, actor_name, role, action, object_type, object_id,"
    " detail::text AS detail, ip,"
    " CASE object_type"
    "  WHEN 'org' THEN (SELECT name FROM orgs WHERE id = object_id)"
    "  WHEN 'plan' THEN (SELECT code FROM plans WHERE id = object_id)"
    "  WHEN 'batch' THEN (SELECT name FROM batches WHERE id = object_id)"
    "  WHEN 'expert' THEN (SELECT name FROM experts WHERE id = object_id)"
    "  WHEN 'account' THEN (SELECT display_name FROM accounts WHERE id = object_id)"
    "  WHEN 'enrollment' THEN (SELECT real_name FROM enrollments WHERE id = object_id)"
    "  WHEN 'notice' THEN (SELECT title FROM notices WHERE id = object_id)"
    " END AS object_name"
    " FROM audit_log" AUDIT_WHERE " ORDER BY at DESC, id DESC LIMIT $8 OFFSET $9");
static struct db_stmt q_audit_count =
    DB_STMT("audit_count", "SELECT count(*) FROM audit_log" AUDIT_WHERE);

static const char *blank_null(const char *s)
{
	return s && *s ? s : NULL;
}

/* Action codes and object types are dotted lower-case identifiers. */
static bool code_ok(const char *s)
{
	if (strlen(s) > 64)
		return false;
	for (const char *p = s; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) &&
		    !strchr("._-", *p))
			return false;
	return true;
}

/* A bound as a timestamp; a bare date as `to` means the end of that day. */
static const char *time_bound(struct kw_ctx *c, const char *key, const char *s, bool end)
{
	time_t t;
	if (!s)
		return NULL;
	if (!kw_parse_time(s, &t)) {
		kw_field_error(c, key, 0, "format", "日期格式应为 YYYY-MM-DD");
		return NULL;
	}
	if (end && strlen(s) == 10)
		t += 86400;
	return kw_time_text(c, t);
}

int audit_query(struct kw_ctx *c, const struct audit_filter *f, long page, long per_page,
		json_object **items, long *total)
{
	int err;
	*items = NULL;
	*total = 0;
	const char *actor = blank_null(f->actor), *action = blank_null(f->action),
		   *otype = blank_null(f->object_type), *oid = blank_null(f->object_id);
	if (actor && kw_utf8_len(actor, strlen(actor)) > 100)
		kw_field_error(c, "actor", 0, "length", "操作人条件过长");
	if (action && !code_ok(action))
		kw_field_error(c, "action", 0, "format", "操作类型应为如 org.create 的代码");
	if (otype && !code_ok(otype))
		kw_field_error(c, "object_type", 0, "format", "对象类型应为如 org 的代码");
	if (oid) {
		char *end;
		long v = strtol(oid, &end, 10);
		if (*end || v <= 0 || strlen(oid) > 15)
			kw_field_error(c, "object_id", 0, "format", "对象编号应为正整数");
	}
	const char *from = time_bound(c, "from", blank_null(f->from), false);
	const char *to = time_bound(c, "to", blank_null(f->to), true);
	if ((err = kw_validation_result(c)))
		return err;
	/* actor: digits name an account id, anything else is part of a name. */
	const char *actor_id = NULL, *actor_name = actor;
	if (actor && strspn(actor, "0123456789") == strlen(actor) && strlen(actor) <= 15) {
		actor_id = actor;
		actor_name = NULL;
	}
	PGresult *cnt =
	    db_query(c, &q_audit_count, &err, actor_id, action, otype, oid, from, to, actor_name);
	if (!cnt)
		return err;
	*total = strtol(PQgetvalue(cnt, 0, 0), NULL, 10);
	PGresult *res = db_query(c, &q_audit_list, &err, actor_id, action, otype, oid, from, to,
				 actor_name, arena_printf(c->a, "%ld", per_page),
				 arena_printf(c->a, "%ld", (page - 1) * per_page));
	if (!res)
		return err;
	json_object *a = kwj_own(c, json_object_new_array());
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *o = json_object_new_object();
		kwj_add_int(o, "id", db_long(res, i, "id"));
		kwj_add_str(o, "at", db_val(res, i, "at"));
		json_object *actor_o = NULL;
		if (db_val(res, i, "actor_id")) {
			actor_o = json_object_new_object();
			kwj_add_int(actor_o, "id", db_long(res, i, "actor_id"));
			kwj_add_str(actor_o, "name", db_val(res, i, "actor_name"));
		}
		json_object_object_add(o, "actor", actor_o);
		kwj_add_str(o, "role", db_val(res, i, "role"));
		const char *action = db_val(res, i, "action"),
			   *otype = db_val(res, i, "object_type");
		kwj_add_str(o, "action", action);
		kwj_add_str(o, "action_text",
			    audit_action_text(action) ? audit_action_text(action) : action);
		kwj_add_str(o, "object_type", otype);
		kwj_add_str(o, "object_text",
			    audit_object_text(otype) ? audit_object_text(otype) : otype);
		kwj_add_str(o, "object_name", db_val(res, i, "object_name"));
		json_object_object_add(o, "object_id",
				       db_val(res, i, "object_id")
					   ? json_object_new_int64(db_long(res, i, "object_id"))
					   : NULL);
		const char *detail = db_val(res, i, "detail");
		json_object_object_add(o, "detail", detail ? json_tokener_parse(detail) : NULL);
		kwj_add_str(o, "ip", db_val(res, i, "ip"));
		json_object_array_add(a, o);
	}
	*items = a;
	return KW_OK;
}
