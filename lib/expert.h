/* expert.h - assessors (考评员/高级考评员) and supervisors (督导员), their certificates, R9. */
#ifndef KW_EXPERT_H
#define KW_EXPERT_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include <libpq-fe.h>

#include "core/ctx.h"
#include "office/xlsx_writer.h"

/*
 * Scope (DESIGN.md section 2, manual 第一部分 三(一)): the center sees every
 * expert; a level-2 org its own and its stations' (orgs.parent_id); a station
 * its own; an assessor or supervisor only itself. Another org's expert is
 * KW_ENOTFOUND, never KW_EFORBIDDEN.
 *
 * Every json_object a function hands out belongs to the request arena: to put
 * it into another object, take a reference (json_object_get) first.
 *
 * JSON shapes:
 *   expert:      {"id", "name", "id_number", "sex", "birth_date", "role", "role_text",
 *                 "org_id", "org": {"id", "name"}, "phone", "email",
 *                 "certificates": [certificate, ...]}
 *   certificate: {"id", "category", "category_text", "cert_no", "type", "type_text",
 *                 "occupations": [{"id", "name"}], "occupations_text", "issued_on",
 *                 "valid_until", "org_id", "org": {"id", "name"}}
 *   type_text is 考评员 / 高级考评员 / 督导员; category_text 国家职业技能鉴定 / 行业能力水平评价.
 */

/* Filters of expert_list(); NULL / 0 members do not filter. */
struct expert_filter {
	const char *role;     /* assessor | supervisor */
	long org_id;	      /* the expert's org (must be inside the caller's scope to match) */
	long occupation_id;   /* some certificate covers it (a direction's parent counts) */
	const char *cert_no;  /* part of a certificate number */
	const char *q;	      /* part of the name, the ID number or a certificate number */
	const char *type;     /* certificate type: assessor | senior_assessor | supervisor */
	const char *category; /* certificate category: national | industry */
};

/*
 * Check a filter's codes (role, type, category); records field errors named
 * after the query parameters and returns KW_EVALIDATION, or KW_OK.
 */
int expert_filter_check(struct kw_ctx *c, const struct expert_filter *f);

/*
 * One page of the experts in the caller's scope matching f, sorted by org code
 * then name (pinyin order, ICU collation zh-x-icu); *items is an array of expert objects, *total
 * counts every match.
 */
int expert_list(struct kw_ctx *c, const struct expert_filter *f, long page, long per_page,
		json_object **items, long *total);

/*
 * 统计 (manual 考评员/督导员管理: 各类型各级别): the experts in the caller's scope matching f,
 * counted
 *   {"total", "by_type": [{"code", "text", "count"}] (考评员 — an assessor without a 高级考评员
 *    certificate —, 高级考评员, 督导员), "by_category": [...] (国家职业技能鉴定 / 行业能力水平评价:
 *    holding a certificate of that category)}.
 */
int expert_counts(struct kw_ctx *c, const struct expert_filter *f, json_object **out);

/*
 * Every match of f as export rows (fcgi/export.h writes them), one per
 * certificate (an expert without one gets one row): the manual's columns
 * expert_export_cols (姓名, 身份证号, 证书号码, 评价类别, 类型, 职业工种, 所属机构).
 */
extern const struct xlsx_col expert_export_cols[];
extern const size_t expert_export_ncols;
struct db_rows;
int expert_export_rows(struct kw_ctx *c, const struct expert_filter *f, struct db_rows **rows);

/* One expert in the caller's scope with its certificates; KW_ENOTFOUND otherwise. */
int expert_get(struct kw_ctx *c, long id, json_object **out);

/*
 * Center only (the route checks the role). Create an expert from
 *   {"name", "id_number", "role", "org_id", "phone", "email",
 *    "certificates": [{"category", "cert_no", "type", "occupation_ids": [..],
 *                      "issued_on", "valid_until", "org_id"?}, ...]}   (at least one)
 * and its login account: kind = role, username = the ID number, first password
 * = its last 6 characters (argon2id), must_change_password = true.
 * 422 per field (R29 on id_number; "unique" when the ID number or a
 * certificate number is already registered). Sets *id; *initial_password: the random
 * initial password to show once (KAOWU_INITIAL_PASSWORD=random), else NULL.
 */
int expert_create(struct kw_ctx *c, json_object *body, long *id, const char **initial_password);

/*
 * Re-issue an expert's initial password (issue 14 item 1; the center only): the last six of
 * the ID number (x or X both work) or a random one (KAOWU_INITIAL_PASSWORD=random), valid
 * AUTH_INITIAL_DAYS; ends the account's sessions and reset links; audit
 * "expert.initial_password" and a 站内信 to the expert's org. *out: {"initial_password" (random
 * only, else null), "rule", "expires_at"}.
 */
int expert_reissue_password(struct kw_ctx *c, long id, json_object **out);

/*
 * Center only. Replace name, id_number, org_id, phone, email (role is fixed:
 * sending another role is a 422). A new ID number also becomes the login name.
 */
int expert_update(struct kw_ctx *c, long id, json_object *body);

/* Center only. Add one certificate (shape as in expert_create); sets *cert_id. */
int expert_certificate_add(struct kw_ctx *c, long expert_id, json_object *body, long *cert_id);

/* Center only. Replace one certificate's fields (e.g. a renewal's valid_until). */
int expert_certificate_update(struct kw_ctx *c, long expert_id, long cert_id, json_object *body);

/* Center only. Remove one certificate; removing the last one is 409. */
int expert_certificate_remove(struct kw_ctx *c, long expert_id, long cert_id);

/* 我的证书: the calling assessor's or supervisor's certificates, newest first. */
int expert_my_certificates(struct kw_ctx *c, json_object **items);

/*
 * R9 (DESIGN.md section 4), for the batch module.
 *
 * An assessor is eligible for a batch item of org_id, occupation_id and
 * exam_date ("YYYY-MM-DD") when
 *   - experts.role = 'assessor' and experts.org_id = org_id (an assessor of
 *     this station), and
 *   - one of its assessor or senior-assessor certificates (a supervisor
 *     certificate does not count)
 *       covers the occupation: lists occupation_id itself, or, when
 *       occupation_id is a direction (职业方向), its parent occupation — a
 *       certificate for 汽车装调工 covers 汽车发动机装调工; not the other way round;
 *       and is valid on the exam date: issued_on <= exam_date <= valid_until.
 * The certificate's category (national/industry) does not matter: R9 asks
 * for a certificate covering the occupation, not one of the item's category.
 *
 * expert_eligible_assessors() sets *out to an array of
 *   {"id", "name", "id_number", "type", "type_text", "certificates": [the certificates that
 * qualify]} sorted by name (type is senior_assessor when any qualifying certificate is). It does
 * not check the caller's scope (the batch module does; the HTTP endpoint checks it). KW_EVALIDATION
 * with a field error "exam_date" when the date is malformed.
 */
int expert_eligible_assessors(struct kw_ctx *c, long org_id, int occupation_id,
			      const char *exam_date, json_object **out);

/*
 * GET /api/experts/eligible: expert_eligible_assessors() for an org the caller
 * may see (center: any; level-2: itself and its stations; station: itself);
 * KW_ENOTFOUND for another org.
 */
int expert_eligible_in_scope(struct kw_ctx *c, long org_id, int occupation_id,
			     const char *exam_date, json_object **out);

/*
 * Check a batch item's chief assessor and assessors against R9. Records one
 * field error with rule "R9" per person who is not eligible, named
 * "chief_assessor_id" and "assessor_ids[i]", and returns KW_EVALIDATION if it
 * recorded any, KW_OK if everyone is eligible, or another negative code on a
 * database error. A chief_id <= 0 and an empty list are not checked here
 * (presence is R4, the caller's). The chief may also be listed as an assessor.
 * Callers validating several items go on after KW_EVALIDATION and finish
 * with kw_validation_result().
 */
int expert_check_assessors(struct kw_ctx *c, long org_id, int occupation_id, const char *exam_date,
			   long chief_id, const long *ids, size_t n);

/* The same with field names prefixed, e.g. prefix "items[2]." → "items[2].assessor_ids[0]". */
int expert_check_assessors_at(struct kw_ctx *c, const char *prefix, long org_id, int occupation_id,
			      const char *exam_date, long chief_id, const long *ids, size_t n);

/* Chinese words of the codes; NULL for an unknown code. */
const char *expert_type_text(const char *type);
const char *expert_role_text(const char *role);
const char *expert_category_text(const char *category);

#endif
