/* idempotency.c - the idempotency_keys table (see idempotency.h; migration 0031). */
#include "idempotency.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "db/db.h"

static struct db_stmt q_claim =
    DB_STMT("idem_claim", "INSERT INTO idempotency_keys (account_id, key, request, request_hash)"
			  " VALUES ($1, $2, $3, $4::bytea) ON CONFLICT DO NOTHING RETURNING 1");
static struct db_stmt q_find =
    DB_STMT("idem_find", "SELECT request, request_hash = $3::bytea AS same_body, status, response,"
			 " created_at < clock_timestamp() - make_interval(hours => $4::int) AS old"
			 " FROM idempotency_keys WHERE account_id = $1 AND key = $2");
static struct db_stmt q_drop =
    DB_STMT("idem_drop", "DELETE FROM idempotency_keys WHERE account_id = $1 AND key = $2"
			 " AND created_at < clock_timestamp() - make_interval(hours => $3::int)");
static struct db_stmt q_done =
    DB_STMT("idem_done", "UPDATE idempotency_keys SET status = $3, response = $4"
			 " WHERE account_id = $1 AND key = $2 AND status IS NULL");
static struct db_stmt q_release =
    DB_STMT("idem_release", "DELETE FROM idempotency_keys WHERE account_id = $1 AND key = $2"
			    " AND status IS NULL");
static struct db_stmt q_prune = DB_STMT(
    "idem_prune", "DELETE FROM idempotency_keys"
		  " WHERE created_at < clock_timestamp() - make_interval(hours => $1::int)");

/* A key is 1..IDEM_KEY_MAX printable ASCII characters (a UUID in practice). */
static bool valid_key(const char *k)
{
	size_t n = strlen(k);
	if (n == 0 || n > IDEM_KEY_MAX)
		return false;
	for (const char *p = k; *p; p++)
		if (*p < 0x21 || *p > 0x7e)
			return false;
	return true;
}

int idem_begin(struct kw_ctx *c, const char *key, const char *request, const unsigned char *hash,
	       int *status, const char **body)
{
	int err;
	*status = 0;
	*body = NULL;
	if (!valid_key(key)) {
		kw_field_error(c, "Idempotency-Key", 0, "format",
			       "请求头 Idempotency-Key 应为 1 到 200 个可见字符");
		return KW_EVALIDATION;
	}
	char hex[2 + 64 + 1] = "\\x";
	sodium_bin2hex(hex + 2, 65, hash, 32);
	const char *acct = db_ltoa(c, c->user.id), *hours = db_ltoa(c, IDEM_HOURS);
	if (randombytes_uniform(100) == 0)
		db_query(c, &q_prune, &err, hours);
	for (int attempt = 0; attempt < 2; attempt++) {
		PGresult *r = db_query(c, &q_claim, &err, acct, key, request, hex);
		if (!r)
			return err;
		if (PQntuples(r) == 1)
			return KW_OK;
		if (!(r = db_query(c, &q_find, &err, acct, key, hex, hours)))
			return err;
		if (PQntuples(r) != 1)
			continue; /* released meanwhile: claim again */
		if (db_bool(r, 0, "old")) {
			if (!db_query(c, &q_drop, &err, acct, key, hours))
				return err;
			continue;
		}
		if (strcmp(db_val(r, 0, "request"), request) != 0 || !db_bool(r, 0, "same_body")) {
			kw_field_error(
			    c, "Idempotency-Key", 0, "idempotency",
			    "该 Idempotency-Key 已用于另一内容的请求，请为新的提交使用新的键");
			return KW_EVALIDATION;
		}
		if (!db_val(r, 0, "status"))
			return kw_fail(c, KW_ECONFLICT,
				       "同一提交正在处理或结果未知，请刷新列表确认后再操作");
		*status = (int)db_long(r, 0, "status");
		*body = arena_strdup(c->a, db_val(r, 0, "response"));
		return KW_OK;
	}
	return kw_fail(c, KW_ECONFLICT, "同一提交正在处理，请稍后再试");
}

int idem_finish(struct kw_ctx *c, const char *key, int status, const char *body)
{
	int err;
	const char *acct = db_ltoa(c, c->user.id);
	if (status >= 200 && status < 300) {
		if (!db_query(c, &q_done, &err, acct, key, db_ltoa(c, status), body ? body : ""))
			return err;
	} else if (!db_query(c, &q_release, &err, acct, key)) {
		return err;
	}
	return KW_OK;
}
