/* message.c - 站内信 storage and queries (see message.h). */
#include "message.h"

#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/json.h"
#include "db/db.h"

/* The messages an account sees: its own, and its org's (for every role or for its role). */
#define MINE "(m.account_id = $1 OR (m.org_id = $2 AND (m.role IS NULL OR m.role = $3)))"

static struct db_stmt q_send = DB_STMT(
    "message_send", "INSERT INTO messages (org_id, role, account_id, text, link, created_at)"
		    " VALUES ($1, $2, $3, $4, $5, $6)");
static struct db_stmt q_list = DB_STMT(
    "message_list",
    "SELECT m.id, m.text, m.link, kw_ts(m.created_at) AS created_at, m.read_at IS NOT NULL AS read,"
    " count(*) OVER () AS total FROM messages m WHERE " MINE
    " AND ($4::bool IS FALSE OR m.read_at IS NULL)"
    " ORDER BY m.created_at DESC, m.id DESC LIMIT $5 OFFSET $6");
static struct db_stmt q_unread = DB_STMT(
    "message_unread", "SELECT count(*) FROM messages m WHERE " MINE " AND m.read_at IS NULL");
static struct db_stmt q_read_one =
    DB_STMT("message_read_one",
	    "UPDATE messages m SET read_at = coalesce(read_at, $5) WHERE " MINE " AND m.id = $4");
static struct db_stmt q_read_all = DB_STMT(
    "message_read_all", "UPDATE messages m SET read_at = $4 WHERE " MINE " AND m.read_at IS NULL");

static const char *num(struct kw_ctx *c, long v)
{
	return v ? arena_printf(c->a, "%ld", v) : NULL;
}

/* Org messages reach the org's own accounts, not its experts. */
static long my_org(struct kw_ctx *c)
{
	return c->user.kind && strcmp(c->user.kind, "org") == 0 ? c->user.org_id : 0;
}

int message_send(struct kw_ctx *c, long to_org, const char *to_role, long to_account,
		 const char *text, const char *link)
{
	int err;
	db_query(c, &q_send, &err, num(c, to_org), to_role, num(c, to_account), text, link,
		 kw_now_text(c));
	return err;
}

int message_list(struct kw_ctx *c, bool unread_only, long page, long per_page, json_object **items,
		 long *total)
{
	int err;
	PGresult *r =
	    db_query_ro(c, &q_list, &err, num(c, c->user.id), num(c, my_org(c)), c->user.role_code,
			unread_only ? "true" : "false", arena_printf(c->a, "%ld", per_page),
			arena_printf(c->a, "%ld", (page - 1) * per_page));
	if (!r)
		return err;
	*items = kwj_own(c, json_object_new_array());
	*total = 0;
	for (int i = 0; i < PQntuples(r); i++) {
		json_object *o = json_object_new_object();
		kwj_add_int(o, "id", strtol(PQgetvalue(r, i, 0), NULL, 10));
		kwj_add_str(o, "text", PQgetvalue(r, i, 1));
		kwj_add_str(o, "link", PQgetisnull(r, i, 2) ? NULL : PQgetvalue(r, i, 2));
		kwj_add_str(o, "created_at", PQgetvalue(r, i, 3));
		kwj_add_bool(o, "read", PQgetvalue(r, i, 4)[0] == 't');
		json_object_array_add(*items, o);
		*total = strtol(PQgetvalue(r, i, 5), NULL, 10);
	}
	if (PQntuples(r) == 0 && page > 1) {
		/* Past the last page: still report the total. */
		long unread;
		if (unread_only && !message_unread_count(c, &unread))
			*total = unread;
	}
	return KW_OK;
}

int message_unread_count(struct kw_ctx *c, long *count)
{
	int err;
	PGresult *r =
	    db_query(c, &q_unread, &err, num(c, c->user.id), num(c, my_org(c)), c->user.role_code);
	if (!r)
		return err;
	*count = strtol(PQgetvalue(r, 0, 0), NULL, 10);
	return KW_OK;
}

int message_mark_read(struct kw_ctx *c, long id)
{
	int err;
	PGresult *r;
	if (id)
		r = db_query(c, &q_read_one, &err, num(c, c->user.id), num(c, my_org(c)),
			     c->user.role_code, num(c, id), kw_now_text(c));
	else
		r = db_query(c, &q_read_all, &err, num(c, c->user.id), num(c, my_org(c)),
			     c->user.role_code, kw_now_text(c));
	if (!r)
		return err;
	if (id && atol(PQcmdTuples(r)) == 0)
		return KW_ENOTFOUND;
	return KW_OK;
}
