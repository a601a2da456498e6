/* org.h - the institution tree (center -> level-2 org -> station): every caller's scope,
 * org records (机构信息), their change requests (信息变更) and freezing (冻结). */
#ifndef KW_ORG_H
#define KW_ORG_H

#include <stdbool.h>

#include <json-c/json.h>

#include <libpq-fe.h>

#include "core/ctx.h"
#include "office/xlsx_writer.h"

/* ------------------------------------------------------------------ scope
 *
 * Who sees which org (DESIGN.md section 2):
 *   center staff / director   every org                       ORG_SCOPE_ALL
 *   level-2 org (org2)        itself and its children         ORG_SCOPE_TREE, root = its org
 *   station                   itself                          ORG_SCOPE_SELF, root = its org
 *   assessor / supervisor     their org                       ORG_SCOPE_SELF, root = their org
 *   candidate, nobody         no org                          ORG_SCOPE_NONE
 * The tree is three deep, so "children" are the orgs whose parent_id is the root.
 * Another org's object is 404 (KW_ENOTFOUND), never 403.
 */
enum org_scope_kind { ORG_SCOPE_NONE, ORG_SCOPE_SELF, ORG_SCOPE_TREE, ORG_SCOPE_ALL };

struct org_scope {
	enum org_scope_kind kind;
	long root;		/* the caller's org for SELF and TREE, else 0 */
	const char *kind_param; /* "none" | "self" | "tree" | "all": the $k of ORG_SCOPE_SQL */
	const char *root_param; /* root as decimal text ("0" for none/all): the $r */
};

/* The caller's scope (no database access). */
void org_scope_of(const struct kw_ctx *c, struct org_scope *s);

/*
 * KW_OK when the caller may see org org_id, else KW_ENOTFOUND (message set).
 * Center roles: always KW_OK without a query (whether org_id exists is the
 * caller's next query's business); level-2: one query for a child.
 */
int org_check_scope(struct kw_ctx *c, long org_id);

/*
 * Filtering a list by scope in SQL, with two text parameters and no string
 * building at run time (the macro is expanded at compile time):
 *
 *   static struct db_stmt q = DB_STMT("batch_list",
 *           "SELECT … FROM batches b WHERE " ORG_SCOPE_SQL("b.org_id", "$1", "$2")
 *           " AND b.status = $3 …");
 *   struct org_scope s;
 *   org_scope_of(c, &s);
 *   db_query(c, &q, &err, s.kind_param, s.root_param, status);
 *
 * col is an expression of type bigint naming the row's org. "none" matches no
 * row (root 0 is no org), "self" the root, "tree" the root and its children,
 * "all" every row.
 */
#define ORG_SCOPE_SQL(col, k, r)                                                                   \
	"(" k "::text = 'all' OR " col " = " r "::bigint OR (" k "::text = 'tree' AND " col        \
	" IN (SELECT s_o.id FROM orgs s_o WHERE s_o.parent_id = " r "::bigint)))"

/* ------------------------------------------------------------------ orgs
 *
 * JSON (borrowed: owned by the request arena; kwj_put/kwj_push it into another
 * container, see core/json.h):
 *   list item: {"id", "name", "code", "kind", "kind_text", "org_type",
 *               "parent": {"id", "name"}|null, "region": {"code", "name"}|null,
 *               "leader_name", "contact_name", "phone", "valid_until", "expired",
 *               "frozen", "status": "active"|"frozen", "status_text": "正常"|"已冻结"}
 *   detail:    the list item plus "username" (the login name), "builder",
 *               "email", "postcode", "address", "region": {"code", "name",
 *               "full_name", "path": [{"code", "name"}]}|null,
 *               "scopes": {"national": [{"id", "name"}], "industry": [...]},
 *               "children_count", "pending_change_request": {"id", "created_at"}|null,
 *               "created_at"
 * kind: center | level2 | station; kind_text 中心 / 二级机构 / 鉴定站.
 */

/* Filters of org_list(); NULL / 0 do not filter. */
struct org_filter {
	const char *q;	  /* part of the name or the code */
	const char *kind; /* center | level2 | station */
	long parent_id;
	const char *frozen; /* "true" | "false" */
};

/* Check a filter's codes; field errors named after the query parameters. */
int org_filter_check(struct kw_ctx *c, const struct org_filter *f);

/* One page of the orgs in the caller's scope matching f, by code; *total counts all matches. */
int org_list(struct kw_ctx *c, const struct org_filter *f, long page, long per_page,
	     json_object **items, long *total);

/*
 * The 机构 export (fcgi/export.h writes it): the rows in the caller's scope
 * under filter f, one result column per org_export_cols[i] (机构类别, 机构名称,
 * 机构代码, 上级主管机构, 承建单位, 负责人姓名, 联系人, 电话, 邮箱, 邮编, 地址,
 * 区域范围, 有效期至, 状态). *res belongs to the request arena.
 */
extern const struct xlsx_col org_export_cols[];
extern const size_t org_export_ncols;
struct db_rows;
int org_export_rows(struct kw_ctx *c, const struct org_filter *f, struct db_rows **rows);

/* One org in full (detail shape); KW_ENOTFOUND outside the caller's scope. */
int org_get(struct kw_ctx *c, long id, json_object **out);

/*
 * Create an org and its login account (center only; the route checks the role).
 * body: {"name", "code", "kind": "level2"|"station", "parent_id", "org_type",
 *        "scopes": [{"category", "occupation_id"}], "builder", "leader_name",
 *        "contact_name", "phone", "email", "postcode", "address", "valid_until",
 *        "region_code"}.
 * Rules: code 8 digits, unique; name 2..100 characters, unique (it is the login
 * name); a level-2 org's parent is the center, a station's the center or a
 * level-2 org; org_type 分中心/管理站/实训基地 (level2, default 分中心) or
 * 鉴定站/评价机构 (station, default 鉴定站); scopes name top-level occupations
 * of their category, once each. The account: username = name, first password
 * = code (argon2id), must_change_password, role org2 / station.
 * KW_EVALIDATION with one field error per broken rule. Audit "org.create".
 * *initial_password: the random initial password to show once (KAOWU_INITIAL_PASSWORD=random),
 * else NULL (the code is the initial password).
 */
int org_create(struct kw_ctx *c, json_object *body, long *id, const char **initial_password);

/*
 * Re-issue the initial password of org id's account (issue 14 item 1): the issuing authority
 * only — the center for orgs under it, a level-2 org for its stations (404 outside the scope,
 * 403 for another caller). Resets it to the code (or a random one, KAOWU_INITIAL_PASSWORD=random),
 * valid AUTH_INITIAL_DAYS, ends the account's sessions and reset links; audit
 * "org.initial_password" and a 站内信 to the org. *out: {"initial_password" (random only, else
 * null), "rule", "expires_at"}.
 */
int org_reissue_password(struct kw_ctx *c, long id, json_object **out);

/*
 * Center edits: any member of the create body that is present replaces the
 * stored value (null or "" clears an optional one); "scopes" replaces all
 * scopes; "kind" cannot change. Renaming renames the login account too.
 * Audit "org.update" with the changed fields' old and new values.
 */
int org_update(struct kw_ctx *c, long id, json_object *body);

/*
 * Freeze (frozen = true) or unfreeze an org (manual 机构信息 注意事项 ④): a
 * level-2 org for its children, the center for any org but itself. Sets
 * orgs.frozen and accounts.frozen of the org's accounts; freezing also ends
 * their sessions. Repeating is KW_ECONFLICT. Audit "org.freeze" / "org.unfreeze".
 */
int org_set_frozen(struct kw_ctx *c, long id, bool frozen);

/* ------------------------------------------------------------------ change requests
 *
 * An org asks the center to change its free-text fields (注意事项 ①–③):
 * builder, leader_name, contact_name, phone, email, postcode, address.
 *   {"id", "org": {"id", "name", "code"}, "status": "pending"|"approved"|"rejected",
 *    "status_text": "待审核"|"已通过"|"已驳回", "changes": {field: new value},
 *    "previous": {field: value when filed}, "reason", "leader_resume",
 *    "created_at", "requested_by": {"id", "name"}, "decided_at",
 *    "decided_by": {"id", "name"}|null, "comment"}
 */

/* The fields an org may ask to change, NULL-terminated, and their Chinese labels. */
extern const char *const org_request_fields[];
const char *org_field_label(const char *field);

/*
 * File a request for org id (only the org's own account). body: the fields to
 * change, "reason" (变更缘由, required) and "leader_resume" (负责人简历, required
 * when leader_name changes). Any other field is 422 (only the center changes
 * it); no actual change is 422; one pending request per org (KW_ECONFLICT).
 * Audit "org.change_request.create".
 */
int org_change_request_create(struct kw_ctx *c, long org_id, json_object *body, long *id);

/* Center: every request (status and org_id filter); an org: its own. Newest first. */
int org_change_request_list(struct kw_ctx *c, const char *status, long org_id, long page,
			    long per_page, json_object **items, long *total);

/* One request; KW_ENOTFOUND when it is another org's. */
int org_change_request_get(struct kw_ctx *c, long id, json_object **out);

/*
 * Center decision: approve applies the changes to the org in the same
 * transaction; reject needs a comment. A decided request is KW_ECONFLICT.
 * Audit "org.change_request.approve" / "org.change_request.reject".
 */
int org_change_request_decide(struct kw_ctx *c, long id, bool approve, const char *comment);

#endif
