/* audit.c - appending to audit_log (see audit.h). */
#include "audit.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/json.h"
#include "db/db.h"

static struct db_stmt q_append =
    DB_STMT("audit_append",
	    "INSERT INTO audit_log (at, actor_id, actor_name, role, action, object_type, object_id,"
	    " detail, ip) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9)");

int audit_write(struct kw_ctx *c, const char *action, const char *object_type, long object_id,
		json_object *detail)
{
	const char *at = kw_now_text(c);
	int err;
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
    " detail::text AS detail, ip FROM audit_log" AUDIT_WHERE
    " ORDER BY at DESC, id DESC LIMIT $8 OFFSET $9");
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
		kwj_add_str(o, "action", db_val(res, i, "action"));
		kwj_add_str(o, "object_type", db_val(res, i, "object_type"));
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
