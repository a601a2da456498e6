/* audit.h - the append-only audit log, written in the same transaction as each change. */
#ifndef KW_AUDIT_H
#define KW_AUDIT_H

#include <json-c/json.h>

#include "core/ctx.h"

/*
 * Append one row: actor, role and IP from c, time c->now, the action (a short
 * dotted code such as "org.create", "auth.password_change"), the object it
 * touched and an optional detail object (not consumed). Call it inside the
 * transaction of the change, so both commit or neither does.
 */
int audit_write(struct kw_ctx *c, const char *action, const char *object_type, long object_id,
		json_object *detail);

/* One action code or object type and its words. */
struct audit_word {
	const char *code;
	const char *text;
};

/* The words of an action code ("batch.approve" -> "审核通过批次") or object type ("plan" ->
 * "年度计划"); NULL for a code the table does not know (audit_write refuses those). */
const char *audit_action_text(const char *code);
const char *audit_object_text(const char *type);

/* {"actions": [{"code", "text"}], "objects": [...]}: the tables, for the viewer's filters. */
json_object *audit_words_json(struct kw_ctx *c);

/*
 * The audit viewer (center only; the route checks the role). Filters, each
 * NULL or "" for none: actor (an account id, or part of the actor's name),
 * action (an exact code such as "org.create", or a prefix such as "org" that
 * matches "org.*"), object_type, object_id, from / to (YYYY-MM-DD, both days
 * inclusive, or ISO-8601 timestamps). Bad filters are KW_EVALIDATION with
 * field errors named after the query parameters.
 */
struct audit_filter {
	const char *actor;
	const char *action;
	const char *object_type;
	const char *object_id;
	const char *from;
	const char *to;
};

/*
 * One page of audit rows matching f, newest first; *items (owned by the
 * request arena) holds {"id", "at", "actor": {"id", "name"}|null, "role",
 * "action", "object_type", "object_id", "detail", "ip"}; *total counts all matches.
 */
int audit_query(struct kw_ctx *c, const struct audit_filter *f, long page, long per_page,
		json_object **items, long *total);

#endif
