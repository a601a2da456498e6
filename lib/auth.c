/* auth.c - logins, sessions, throttling, passwords, registration and reset (see auth.h). */
#include "auth.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <sodium.h>

#include "audit.h"
#include "message.h"
#include "core/clock.h"
#include "core/idcard.h"
#include "core/json.h"
#include "core/log.h"
#include "core/ratelimit.h"
#include "db/db.h"
#include "password_list.h"
#include "session_cache.h"

/* ------------------------------------------------------------------ helpers */

/* A random token of 32 bytes, base64url without padding (43 characters). */
static void random_token(char out[AUTH_TOKEN_LEN + 1])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, AUTH_TOKEN_LEN + 1, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* The bytea literal '\x…' of SHA-256(token), as a text parameter. */
static const char *token_hash(struct kw_ctx *c, const char *token)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	char *out = arena_alloc(c->a, 2 + sizeof(h) * 2 + 1);
	out[0] = '\\';
	out[1] = 'x';
	sodium_bin2hex(out + 2, sizeof(h) * 2 + 1, h, sizeof(h));
	return out;
}

static bool well_formed_token(const char *t)
{
	if (!t || strlen(t) != AUTH_TOKEN_LEN)
		return false;
	for (const char *p = t; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return false;
	return true;
}

/* ------------------------------------------------------------------ password hashing */

#define HASH_LOCK_SPACE 72100

static struct db_stmt q_slot_try =
    DB_STMT("auth_slot_try", "SELECT pg_try_advisory_lock(72100, $1::int)");
static struct db_stmt q_slot_free =
    DB_STMT("auth_slot_free", "SELECT pg_advisory_unlock(72100, $1::int)");

static int hash_slots(void)
{
	const char *v = getenv("KAOWU_HASH_SLOTS");
	int n = v ? atoi(v) : 0;
	if (n <= 0) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		n = cores > 0 ? (int)cores : 1;
	}
	return n > 64 ? 64 : n;
}

/* Take one of the database-wide hashing slots, waiting up to ~3 s; -1 when none. */
static int slot_take(struct kw_ctx *c)
{
	int n = hash_slots(), err;
	for (int attempt = 0; attempt < 150; attempt++) {
		for (int i = 0; i < n; i++) {
			PGresult *r = db_query(c, &q_slot_try, &err, db_ltoa(c, i));
			if (!r)
				return -1;
			if (PQgetvalue(r, 0, 0)[0] == 't')
				return i;
		}
		usleep(20000);
	}
	return -1;
}

static void slot_release(struct kw_ctx *c, int slot)
{
	int err;
	PGresult *r = db_query(c, &q_slot_free, &err, db_ltoa(c, slot));
	if (!r || PQgetvalue(r, 0, 0)[0] != 't')
		log_error("auth: hashing slot %d was not released (error %d)", slot, r ? 0 : err);
}

/*
 * argon2id cost: libsodium's interactive limits. Only when KAOWU_TEST_HASH_COST=min (set by
 * scripts/test.sh for its private instance, never in production) the minimum limits, so the
 * test suite does not spend minutes hashing; verification always follows the stored hash.
 */
static void hash_cost(unsigned long long *ops, size_t *mem)
{
	const char *v = getenv("KAOWU_TEST_HASH_COST");
	bool weak = v && !strcmp(v, "min");
	*ops = weak ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
	*mem = weak ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
}

int auth_password_hash(struct kw_ctx *c, const char *password, char *out)
{
	unsigned long long ops;
	size_t mem;
	hash_cost(&ops, &mem);
	int slot = slot_take(c);
	if (slot < 0)
		return kw_fail(c, KW_EUNAVAILABLE, "系统繁忙，请稍后再试");
	int rc = crypto_pwhash_str(out, password, strlen(password), ops, mem);
	slot_release(c, slot);
	return rc == 0 ? KW_OK : KW_EINTERNAL;
}

/* Verify under a slot; *ok tells the result. A NULL hash verifies a dummy (same cost). */
static int password_verify(struct kw_ctx *c, const char *hash, const char *password, bool *ok)
{
	static char dummy[crypto_pwhash_STRBYTES];
	*ok = false;
	int slot = slot_take(c);
	if (slot < 0)
		return kw_fail(c, KW_EUNAVAILABLE, "系统繁忙，请稍后再试");
	if (!hash) {
		/* Unknown account: spend the same time as a real check. */
		unsigned long long ops;
		size_t mem;
		hash_cost(&ops, &mem);
		if (!dummy[0] &&
		    crypto_pwhash_str(dummy, "kaowu-no-such-account", 21, ops, mem) != 0)
			dummy[0] = '\0';
		if (dummy[0] && crypto_pwhash_str_verify(dummy, password, strlen(password)) == 0)
			log_warn("auth: the dummy password matched");
	} else {
		*ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
	}
	slot_release(c, slot);
	return KW_OK;
}

/* True when password, lower-cased (ASCII letters), is in the bundled common-password list. */
static bool password_common(const char *password)
{
	size_t n = strlen(password);
	char low[AUTH_PASSWORD_MAX * 4 + 1];
	if (n >= sizeof(low))
		return false;
	for (size_t i = 0; i <= n; i++)
		low[i] = (char)tolower((unsigned char)password[i]);
	size_t lo = 0, hi = password_list_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(low, password_list[mid]);
		if (cmp == 0)
			return true;
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

/* True when a and b are equal ignoring the case of ASCII letters (an ID number's X). */
static bool same_nocase(const char *a, const char *b)
{
	return a && b && *b && strcasecmp(a, b) == 0;
}

const char *auth_password_problem(const char *password, const char *username, const char *id_number)
{
	long n = kw_utf8_len(password, strlen(password));
	if (n < 0)
		return "密码含有无效字符";
	if (n < AUTH_PASSWORD_MIN)
		return AUTH_PASSWORD_MIN_TEXT;
	if (n > AUTH_PASSWORD_MAX)
		return AUTH_PASSWORD_MAX_TEXT;
	if (same_nocase(password, username))
		return "密码不能与用户名相同";
	if (id_number && strlen(id_number) == 18 &&
	    (same_nocase(password, id_number) || same_nocase(password, id_number + 12)))
		return "密码不能与身份证号或其后六位相同";
	if (password_common(password))
		return AUTH_PASSWORD_COMMON_TEXT;
	return NULL;
}

bool auth_password_field(struct kw_ctx *c, json_object *body, const char *key, const char **out)
{
	json_object *v = NULL;
	*out = NULL;
	if (!body || !json_object_object_get_ex(body, key, &v) || !v ||
	    (json_object_is_type(v, json_type_string) && json_object_get_string_len(v) == 0)) {
		kw_field_error(c, key, 0, "required", "请输入密码");
		return false;
	}
	if (!json_object_is_type(v, json_type_string)) {
		kw_field_error(c, key, 0, "type", "应为文本");
		return false;
	}
	const char *s = json_object_get_string(v);
	size_t len = (size_t)json_object_get_string_len(v);
	long chars = kw_utf8_len(s, len);
	if (chars < 0 || memchr(s, '\0', len)) {
		kw_field_error(c, key, 0, "type", "密码含有无效字符");
		return false;
	}
	if (chars > AUTH_PASSWORD_MAX) {
		kw_field_error(c, key, 0, "length", AUTH_PASSWORD_MAX_TEXT);
		return false;
	}
	*out = s;
	return true;
}

/* ------------------------------------------------------------------ sessions */

static struct db_stmt q_session = DB_STMT(
    "auth_session",
    "SELECT s.csrf_token, a.id, a.kind, a.role, a.display_name,"
    " coalesce(a.org_id, e.org_id) AS org_id, a.expert_id, a.candidate_id,"
    " a.must_change_password, s.last_seen < $2::timestamptz - interval '60 seconds' AS stale,"
    " extract(epoch FROM s.created_at)::bigint AS created_epoch,"
    " extract(epoch FROM s.last_seen)::bigint AS seen_epoch"
    " FROM sessions s JOIN accounts a ON a.id = s.account_id"
    " LEFT JOIN experts e ON e.id = a.expert_id"
    " WHERE s.token_hash = $1::bytea AND NOT a.frozen"
    " AND s.last_seen > $2::timestamptz - make_interval(secs => $3::int)"
    " AND s.created_at > $2::timestamptz - make_interval(secs => $4::int)");
static struct db_stmt q_session_touch = DB_STMT(
    "auth_session_touch", "UPDATE sessions SET last_seen = $2 WHERE token_hash = $1::bytea");

/* How often a session's last_seen is written (seconds). */
#define AUTH_TOUCH_SECONDS 60

/* Fill c->user from a row of q_session or q_login_account-like columns. */
static void set_user(struct kw_ctx *c, PGresult *r)
{
	c->user.id = db_long(r, 0, "id");
	c->user.kind = arena_strdup(c->a, db_val(r, 0, "kind"));
	c->user.role_code = arena_strdup(c->a, db_val(r, 0, "role"));
	c->user.role = kw_role_bit(c->user.role_code);
	c->user.name = arena_strdup(c->a, db_val(r, 0, "display_name"));
	c->user.org_id = db_long(r, 0, "org_id");
	c->user.expert_id = db_long(r, 0, "expert_id");
	c->user.candidate_id = db_long(r, 0, "candidate_id");
	c->user.must_change_password = db_bool(r, 0, "must_change_password");
}

/* Copy src into a fixed field; false when it does not fit. */
static bool fit(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src ? src : "");
	if (n >= cap)
		return false;
	memcpy(dst, src ? src : "", n + 1);
	return true;
}

/* Remember a session just read with q_session (row 0 of r), when its fields fit. */
static void cache_session(const char *th, PGresult *r, time_t seen)
{
	struct session_entry e = {0};
	if (!fit(e.key, sizeof(e.key), th) ||
	    !fit(e.csrf, sizeof(e.csrf), db_val(r, 0, "csrf_token")) ||
	    !fit(e.kind, sizeof(e.kind), db_val(r, 0, "kind")) ||
	    !fit(e.role, sizeof(e.role), db_val(r, 0, "role")) ||
	    !fit(e.name, sizeof(e.name), db_val(r, 0, "display_name")))
		return;
	e.account_id = db_long(r, 0, "id");
	e.org_id = db_long(r, 0, "org_id");
	e.expert_id = db_long(r, 0, "expert_id");
	e.candidate_id = db_long(r, 0, "candidate_id");
	e.must_change_password = db_bool(r, 0, "must_change_password");
	e.created_at = (time_t)db_long(r, 0, "created_epoch");
	e.last_seen = seen;
	session_cache_put(&e);
}

/*
 * Serve a session from the worker's cache: only a positive answer that the
 * database gave within the TTL and no notification has revoked since; an entry
 * that looks expired here goes back to the database (another worker may have
 * seen the session more recently).
 */
static bool session_from_cache(struct kw_ctx *c, const char *th, const char **csrf)
{
	struct session_entry *e = session_cache_get(th);
	if (!e || e->last_seen <= c->now - AUTH_IDLE_SECONDS ||
	    e->created_at <= c->now - AUTH_ABSOLUTE_SECONDS)
		return false;
	if (e->last_seen < c->now - AUTH_TOUCH_SECONDS) {
		int err;
		if (!db_query(c, &q_session_touch, &err, th, kw_time_text(c, c->now)))
			return false;
		e->last_seen = c->now;
	}
	c->user.id = e->account_id;
	c->user.kind = arena_strdup(c->a, e->kind);
	c->user.role_code = arena_strdup(c->a, e->role);
	c->user.role = kw_role_bit(c->user.role_code);
	c->user.name = arena_strdup(c->a, e->name);
	c->user.org_id = e->org_id;
	c->user.expert_id = e->expert_id;
	c->user.candidate_id = e->candidate_id;
	c->user.must_change_password = e->must_change_password;
	*csrf = arena_strdup(c->a, e->csrf);
	return true;
}

int auth_session_load(struct kw_ctx *c, const char *token, const char **csrf)
{
	int err;
	if (!well_formed_token(token))
		return KW_EUNAUTH;
	const char *th = token_hash(c, token);
	session_cache_sync(c);
	if (session_from_cache(c, th, csrf))
		return KW_OK;
	PGresult *r = db_query(c, &q_session, &err, th, kw_time_text(c, c->now),
			       db_ltoa(c, AUTH_IDLE_SECONDS), db_ltoa(c, AUTH_ABSOLUTE_SECONDS));
	if (!r)
		return err;
	if (PQntuples(r) != 1) {
		session_cache_drop(th);
		return KW_EUNAUTH;
	}
	set_user(c, r);
	*csrf = arena_strdup(c->a, db_val(r, 0, "csrf_token"));
	time_t seen = (time_t)db_long(r, 0, "seen_epoch");
	if (db_bool(r, 0, "stale") &&
	    db_query(c, &q_session_touch, &err, th, kw_time_text(c, c->now)))
		seen = c->now;
	cache_session(th, r, seen);
	return KW_OK;
}

static struct db_stmt q_session_why =
    DB_STMT("auth_session_why",
	    "SELECT (SELECT reason FROM session_ends WHERE token_hash = $1::bytea) AS ended,"
	    " (SELECT CASE WHEN a.frozen THEN 'frozen'"
	    "  WHEN s.created_at <= $2::timestamptz - make_interval(secs => $4::int) THEN 'expired'"
	    "  WHEN s.last_seen <= $2::timestamptz - make_interval(secs => $3::int) THEN 'idle' END"
	    "  FROM sessions s JOIN accounts a ON a.id = s.account_id"
	    "  WHERE s.token_hash = $1::bytea) AS why");

/* Why token's session is gone: a freeze remembered in session_ends, else the session row's age. */
const char *auth_session_gone(struct kw_ctx *c, const char *token)
{
	int err;
	PGresult *r = NULL;
	if (well_formed_token(token))
		r = db_query(c, &q_session_why, &err, token_hash(c, token), kw_time_text(c, c->now),
			     db_ltoa(c, AUTH_IDLE_SECONDS), db_ltoa(c, AUTH_ABSOLUTE_SECONDS));
	const char *ended = r ? db_val(r, 0, "ended") : NULL;
	const char *why = r ? db_val(r, 0, "why") : NULL;
	if ((ended && !strcmp(ended, "frozen")) || (why && !strcmp(why, "frozen"))) {
		c->err_reason = "account_frozen";
		return "账号已被冻结，请联系上级管理机构";
	}
	if (why && !strcmp(why, "idle")) {
		c->err_reason = "idle_timeout";
		return "登录已超时，请重新登录";
	}
	return "登录已过期，请重新登录";
}

static struct db_stmt q_session_end =
    DB_STMT("auth_session_end", "DELETE FROM sessions WHERE token_hash = $1::bytea");

/* The DELETE's trigger NOTIFYs every worker; this worker forgets the session at once. */
int auth_logout(struct kw_ctx *c, const char *token)
{
	int err = KW_OK;
	if (well_formed_token(token)) {
		const char *th = token_hash(c, token);
		session_cache_drop(th);
		db_query(c, &q_session_end, &err, th);
	}
	return err;
}

json_object *auth_me_json(struct kw_ctx *c, const char *csrf)
{
	json_object *u = json_object_new_object();
	kwj_add_int(u, "id", c->user.id);
	kwj_add_str(u, "role", c->user.role_code);
	kwj_add_str(u, "kind", c->user.kind);
	kwj_add_str(u, "name", c->user.name);
	json_object_object_add(u, "org_id",
			       c->user.org_id ? json_object_new_int64(c->user.org_id) : NULL);
	kwj_add_bool(u, "must_change_password", c->user.must_change_password);
	json_object *o = json_object_new_object();
	json_object_object_add(o, "user", u);
	kwj_add_str(o, "csrf_token", csrf);
	return kwj_own(c, o);
}

/* ------------------------------------------------------------------ login */

static struct db_stmt q_fails_account = DB_STMT(
    "auth_fails_account",
    "SELECT count(*), kw_ts(min(at)) AS first, extract(epoch FROM min(at))::bigint AS first_epoch"
    " FROM login_history WHERE kind = $1 AND username = $2 AND NOT ok"
    " AND reason IN ('password', 'unknown')"
    " AND at > $3::timestamptz - make_interval(secs => $4::int) AND at <= $3::timestamptz"
    " AND at > coalesce((SELECT max(at) FROM login_history"
    "  WHERE kind = $1 AND username = $2 AND ok), '-infinity')");
static struct db_stmt q_fails_ip =
    DB_STMT("auth_fails_ip",
	    "SELECT count(*), extract(epoch FROM min(at))::bigint AS first_epoch"
	    " FROM login_history WHERE ip = $1 AND NOT ok AND reason IN ('password', 'unknown')"
	    " AND at > $2::timestamptz - make_interval(secs => $3::int) AND at <= $2::timestamptz");
static struct db_stmt q_login_account =
    DB_STMT("auth_login_account",
	    "SELECT a.id, a.kind, a.role, a.display_name, a.password_hash, a.frozen,"
	    " coalesce(a.org_id, e.org_id) AS org_id, a.expert_id, a.candidate_id,"
	    " a.must_change_password,"
	    " a.must_change_password AND a.initial_password_expires <= $3::timestamptz"
	    " AS initial_expired,"
	    " (SELECT p.kind FROM orgs o JOIN orgs p ON p.id = o.parent_id"
	    "  WHERE o.id = a.org_id) AS issuer_kind"
	    " FROM accounts a LEFT JOIN experts e ON e.id = a.expert_id"
	    " WHERE a.kind = $1 AND a.username = $2");
/* The same username under another login kind (for the wrong-portal answer). */
static struct db_stmt q_login_elsewhere = DB_STMT(
    "auth_login_elsewhere",
    "SELECT a.id, a.kind, a.password_hash FROM accounts a WHERE a.kind <> $1"
    " AND a.username = CASE WHEN a.kind IN ('assessor', 'supervisor') THEN upper($2) ELSE $2 END"
    " ORDER BY a.kind LIMIT 1");
static struct db_stmt q_history = DB_STMT(
    "auth_history", "INSERT INTO login_history (account_id, kind, username, ip, at, ok, reason)"
		    " VALUES ($1, $2, $3, $4, $5, $6, $7)");
static struct db_stmt q_session_new =
    DB_STMT("auth_session_new",
	    "INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, last_seen, ip)"
	    " VALUES ($1::bytea, $2, $3, $4, $4, $5)");
static struct db_stmt q_session_prune = DB_STMT(
    "auth_session_prune", "DELETE FROM sessions WHERE account_id = $1 AND"
			  " (last_seen <= $2::timestamptz - make_interval(secs => $3::int)"
			  " OR created_at <= $2::timestamptz - make_interval(secs => $4::int))");

/* Add a login_history row; its error when the insert fails (throttling counts these rows). */
static int record(struct kw_ctx *c, long account_id, const char *kind, const char *username,
		  bool ok, const char *reason)
{
	int err;
	if (!db_query(c, &q_history, &err, account_id ? db_ltoa(c, account_id) : NULL, kind,
		      username, c->ip && *c->ip ? c->ip : "unknown", kw_time_text(c, c->now),
		      ok ? "true" : "false", reason))
		return err;
	return KW_OK;
}

static int throttled(struct kw_ctx *c, const char *kind, const char *username)
{
	int err;
	const char *now = kw_time_text(c, c->now), *window = db_ltoa(c, AUTH_THROTTLE_WINDOW);
	PGresult *r = db_query(c, &q_fails_account, &err, kind, username, now, window);
	if (!r)
		return err;
	long first = 0;
	if (atol(PQgetvalue(r, 0, 0)) >= AUTH_MAX_FAILS_ACCOUNT) {
		first = db_long(r, 0, "first_epoch");
	} else {
		r = db_query(c, &q_fails_ip, &err, c->ip && *c->ip ? c->ip : "unknown", now,
			     window);
		if (!r)
			return err;
		if (atol(PQgetvalue(r, 0, 0)) < AUTH_MAX_FAILS_IP)
			return KW_OK;
		first = db_long(r, 0, "first_epoch");
	}
	long wait = first + AUTH_THROTTLE_WINDOW - (long)c->now;
	c->retry_after = wait > 0 ? (int)wait : 1;
	return kw_fail(
	    c, KW_ERATELIMIT,
	    arena_printf(c->a, "登录失败次数过多，请 %d 分钟后再试", (c->retry_after + 59) / 60));
}

static bool valid_kind(const char *kind)
{
	return kind && (!strcmp(kind, "org") || !strcmp(kind, "assessor") ||
			!strcmp(kind, "supervisor") || !strcmp(kind, "candidate"));
}

/* What an account of a login kind is called, for the wrong-portal answer. */
static const char *kind_account_word(const char *kind)
{
	return !strcmp(kind, "org")	     ? "机构"
	       : !strcmp(kind, "assessor")   ? "考评员"
	       : !strcmp(kind, "supervisor") ? "督导员"
					     : "考生";
}

static struct db_stmt q_rehash = DB_STMT(
    "auth_rehash", "UPDATE accounts SET password_hash = $2 WHERE id = $1 AND password_hash = $3");

/*
 * A stored hash made under other argon2id limits than the current ones (hash_cost) is replaced
 * after a successful login, so raising the cost upgrades every account that logs in. Only
 * while the hash is still the one verified (a password change in between wins).
 */
static int rehash_if_needed(struct kw_ctx *c, long id, const char *stored, const char *password)
{
	unsigned long long ops;
	size_t mem;
	hash_cost(&ops, &mem);
	if (crypto_pwhash_str_needs_rehash(stored, ops, mem) == 0)
		return KW_OK;
	char fresh[crypto_pwhash_STRBYTES];
	int err = auth_password_hash(c, password, fresh);
	if (err)
		return err;
	return db_query(c, &q_rehash, &err, db_ltoa(c, id), fresh, stored) ? KW_OK : err;
}
/* The portal (or, on the 考评/督导 login, the role to choose) where a login kind logs in. */
static const char *kind_portal_word(const char *kind)
{
	return !strcmp(kind, "org")	     ? "管理登录"
	       : !strcmp(kind, "assessor")   ? "考评员"
	       : !strcmp(kind, "supervisor") ? "督导员"
					     : "考生登录";
}

int auth_login(struct kw_ctx *c, const char *kind, const char *username, const char *password,
	       char *token, const char **csrf)
{
	int err;
	if (!valid_kind(kind)) {
		kw_field_error(c, "kind", 0, "enum",
			       "登录类型应为 org、assessor、supervisor 或 candidate");
		return KW_EVALIDATION;
	}
	if (strcmp(kind, "assessor") == 0 || strcmp(kind, "supervisor") == 0) {
		/* Experts log in with their ID number; a final x is the same as X. */
		char *u = arena_strdup(c->a, username);
		for (char *p = u; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		username = u;
	}
	if ((err = throttled(c, kind, username))) {
		if (err == KW_ERATELIMIT) {
			int rerr = record(c, 0, kind, username, false, "throttled");
			if (rerr)
				return rerr;
		}
		return err;
	}
	PGresult *r = db_query(c, &q_login_account, &err, kind, username, kw_time_text(c, c->now));
	if (!r)
		return err;
	bool found = PQntuples(r) == 1, ok = false;
	/* Not on this portal: the password is checked against the same username of another kind
	 * (in place of the dummy check, so the time taken is the same) to say which portal. */
	PGresult *other = NULL;
	if (!found && !(other = db_query(c, &q_login_elsewhere, &err, kind, username)))
		return err;
	bool elsewhere = other && PQntuples(other) == 1;
	const char *hash = found       ? db_val(r, 0, "password_hash")
			   : elsewhere ? db_val(other, 0, "password_hash")
				       : NULL;
	if ((err = password_verify(c, hash, password, &ok)))
		return err;
	if (elsewhere && ok) {
		const char *have = db_val(other, 0, "kind");
		if ((err = record(c, db_long(other, 0, "id"), kind, username, false, "portal")))
			return err;
		c->err_reason = "wrong_portal";
		return kw_fail(c, KW_EUNAUTH,
			       arena_printf(c->a, "该账号不是%s账号，请从%s入口登录",
					    kind_account_word(kind), kind_portal_word(have)));
	}
	ok = ok && found;
	const char *verified = password;
	size_t plen = strlen(password);
	if (found && !ok && db_bool(r, 0, "must_change_password") && plen == 6 &&
	    password[5] == 'x') {
		/* An initial password from an ID number ending in X: x is the same (issue 14). */
		char *up = arena_strdup(c->a, password);
		up[5] = 'X';
		if ((err = password_verify(c, db_val(r, 0, "password_hash"), up, &ok)))
			return err;
		verified = up;
	}
	if (!found || !ok) {
		if ((err = record(c, found ? db_long(r, 0, "id") : 0, kind, username, false,
				  found ? "password" : "unknown")))
			return err;
		return kw_fail(c, KW_EUNAUTH, "用户名或密码错误");
	}
	long id = db_long(r, 0, "id");
	if (db_bool(r, 0, "frozen")) {
		if ((err = record(c, id, kind, username, false, "frozen")))
			return err;
		return kw_fail(c, KW_EFORBIDDEN, "账号已被冻结，请联系上级管理机构");
	}
	if (db_bool(r, 0, "initial_expired")) {
		/* Issued more than AUTH_INITIAL_DAYS ago and never changed: the issuer re-issues
		 * it. */
		const char *issuer = db_val(r, 0, "issuer_kind");
		if ((err = record(c, id, kind, username, false, "expired")))
			return err;
		c->err_reason = "initial_password_expired";
		return kw_fail(c, KW_EFORBIDDEN,
			       issuer && !strcmp(issuer, "level2")
				   ? "初始密码已过期，请联系所属二级机构重新发放初始密码"
				   : "初始密码已过期，请联系中心重新发放初始密码");
	}
	set_user(c, r);

	char csrf_buf[AUTH_TOKEN_LEN + 1];
	random_token(token);
	random_token(csrf_buf);
	*csrf = arena_strdup(c->a, csrf_buf);
	const char *now = kw_time_text(c, c->now);
	if ((err = db_begin(c)) ||
	    (err = rehash_if_needed(c, id, db_val(r, 0, "password_hash"), verified)))
		return err;
	if (!db_query(c, &q_session_prune, &err, db_ltoa(c, id), now, db_ltoa(c, AUTH_IDLE_SECONDS),
		      db_ltoa(c, AUTH_ABSOLUTE_SECONDS)) ||
	    !db_query(c, &q_session_new, &err, token_hash(c, token), db_ltoa(c, id), *csrf, now,
		      c->ip && *c->ip ? c->ip : NULL) ||
	    !db_query(c, &q_history, &err, db_ltoa(c, id), kind, username,
		      c->ip && *c->ip ? c->ip : "unknown", now, "true", NULL))
		return err;
	return db_commit(c);
}

/* ------------------------------------------------------------------ rate limits */

/*
 * Anti-automation (issue 14 item 3), real time, per IP and per target; settings in
 * docs/operations.md. Every attempt counts, successful or not.
 */
static const struct rl_rule rl_register = {"register", "KAOWU_LIMIT_REGISTER", 20, 3600, "注册"};
static const struct rl_rule rl_reset = {"reset", "KAOWU_LIMIT_RESET", 10, 3600, "找回密码"};
static const struct rl_rule rl_password = {"password", "KAOWU_LIMIT_PASSWORD", 10, 3600,
					   "修改密码"};

/* ------------------------------------------------------------------ password change */

static struct db_stmt q_account_lock =
    DB_STMT("auth_account_lock",
	    "SELECT a.username, a.password_hash, coalesce(cd.id_number, e.id_number) AS id_number"
	    " FROM accounts a LEFT JOIN candidates cd ON cd.id = a.candidate_id"
	    " LEFT JOIN experts e ON e.id = a.expert_id WHERE a.id = $1 FOR UPDATE OF a");
static struct db_stmt q_password_set =
    DB_STMT("auth_password_set",
	    "UPDATE accounts SET password_hash = $2, must_change_password = false,"
	    " initial_password_expires = NULL, password_changed_at = $3 WHERE id = $1");
/* Every outstanding reset link of an account ends when its password changes (issue 14 item 4). */
static struct db_stmt q_resets_void =
    DB_STMT("auth_resets_void", "UPDATE password_resets SET used_at = $2"
				" WHERE account_id = $1 AND used_at IS NULL");
static struct db_stmt q_sessions_end_all =
    DB_STMT("auth_sessions_end_all", "DELETE FROM sessions WHERE account_id = $1");
static struct db_stmt q_sessions_end_others =
    DB_STMT("auth_sessions_end_others",
	    "DELETE FROM sessions WHERE account_id = $1 AND token_hash IS DISTINCT FROM $2::bytea");

int auth_change_password(struct kw_ctx *c, const char *keep_token, json_object *body)
{
	const char *old_pw = NULL, *new_pw = NULL;
	int err;
	if ((err = ratelimit_hit(c, &rl_password, "ip", c->ip)) ||
	    (err = ratelimit_hit(c, &rl_password, "account", db_ltoa(c, c->user.id))))
		return err;
	auth_password_field(c, body, "old_password", &old_pw);
	auth_password_field(c, body, "new_password", &new_pw);
	if ((err = kw_validation_result(c)))
		return err;
	if ((err = db_begin(c)))
		return err;
	PGresult *r = db_query(c, &q_account_lock, &err, db_ltoa(c, c->user.id));
	if (!r)
		return err;
	if (PQntuples(r) != 1)
		return KW_EUNAUTH;
	const char *username = arena_strdup(c->a, db_val(r, 0, "username"));
	bool ok;
	if ((err = password_verify(c, db_val(r, 0, "password_hash"), old_pw, &ok)))
		return err;
	if (!ok)
		kw_field_error(c, "old_password", 0, "password", "原密码不正确");
	const char *problem = auth_password_problem(new_pw, username, db_val(r, 0, "id_number"));
	if (problem)
		kw_field_error(c, "new_password", 0, "password", problem);
	else if (strcmp(old_pw, new_pw) == 0)
		kw_field_error(c, "new_password", 0, "password", "新密码不能与原密码相同");
	if ((err = kw_validation_result(c)))
		return err;
	char hash[crypto_pwhash_STRBYTES];
	if ((err = auth_password_hash(c, new_pw, hash)))
		return err;
	if (!db_query(c, &q_password_set, &err, db_ltoa(c, c->user.id), hash,
		      kw_time_text(c, c->now)) ||
	    !db_query(c, &q_resets_void, &err, db_ltoa(c, c->user.id), kw_time_text(c, c->now)) ||
	    !db_query(c, &q_sessions_end_others, &err, db_ltoa(c, c->user.id),
		      well_formed_token(keep_token) ? token_hash(c, keep_token) : NULL))
		return err;
	if ((err = audit_write(c, "auth.password_change", "account", c->user.id, NULL)))
		return err;
	if ((err = db_commit(c)))
		return err;
	c->user.must_change_password = false;
	return KW_OK;
}

/* ------------------------------------------------------------------ login history */

static struct db_stmt q_logins =
    DB_STMT("auth_logins", "SELECT kw_ts(at) AS at, ip, ok, username, count(*) OVER () AS total"
			   " FROM login_history WHERE account_id = $1 ORDER BY at DESC, id DESC"
			   " LIMIT $2 OFFSET $3");
static struct db_stmt q_logins_count =
    DB_STMT("auth_logins_count", "SELECT count(*) FROM login_history WHERE account_id = $1");

int auth_logins(struct kw_ctx *c, long page, long per_page, json_object **items, long *total)
{
	int err;
	PGresult *r = db_query(c, &q_logins, &err, db_ltoa(c, c->user.id), db_ltoa(c, per_page),
			       db_ltoa(c, (page - 1) * per_page));
	if (!r)
		return err;
	*items = json_object_new_array();
	for (int i = 0; i < PQntuples(r); i++) {
		json_object *o = json_object_new_object();
		kwj_add_str(o, "at", db_val(r, i, "at"));
		kwj_add_str(o, "ip", db_val(r, i, "ip"));
		kwj_add_bool(o, "ok", db_bool(r, i, "ok"));
		kwj_add_str(o, "username", db_val(r, i, "username"));
		json_object_array_add(*items, o);
	}
	if (PQntuples(r) > 0) {
		*total = db_long(r, 0, "total");
	} else {
		PGresult *n = db_query(c, &q_logins_count, &err, db_ltoa(c, c->user.id));
		*total = n ? atol(PQgetvalue(n, 0, 0)) : 0;
	}
	kwj_own(c, *items);
	return KW_OK;
}

/* ------------------------------------------------------------------ initial passwords */

static struct db_stmt q_initial_set =
    DB_STMT("auth_initial_set",
	    "UPDATE accounts SET password_hash = $2, must_change_password = true,"
	    " initial_password_expires = $3::timestamptz + make_interval(days => $4::int)"
	    " WHERE id = $1 RETURNING kw_ts(initial_password_expires) AS expires_at");

/* True when the instance issues random initial passwords (KAOWU_INITIAL_PASSWORD=random). */
static bool initial_random(void)
{
	const char *v = getenv("KAOWU_INITIAL_PASSWORD");
	return v && !strcmp(v, "random");
}

int auth_initial_password(struct kw_ctx *c, const char *rule_pw, char *hash, const char **shown)
{
	*shown = NULL;
	if (initial_random()) {
		/* 12 characters without look-alikes (0/O, 1/l/I): about 69 bits. */
		static const char alphabet[] =
		    "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
		char *pw = arena_alloc(c->a, 13);
		for (int i = 0; i < 12; i++)
			pw[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
		pw[12] = '\0';
		*shown = pw;
		rule_pw = pw;
	}
	return auth_password_hash(c, rule_pw, hash);
}

int auth_initial_set(struct kw_ctx *c, long account_id, const char *hash, const char **expires_at)
{
	int err;
	const char *id = db_ltoa(c, account_id), *now = kw_time_text(c, c->now);
	PGresult *r =
	    db_query(c, &q_initial_set, &err, id, hash, now, db_ltoa(c, AUTH_INITIAL_DAYS));
	if (!r)
		return err;
	if (PQntuples(r) != 1)
		return KW_ENOTFOUND;
	*expires_at = arena_strdup(c->a, db_val(r, 0, "expires_at"));
	if (!db_query(c, &q_resets_void, &err, id, now) ||
	    !db_query(c, &q_sessions_end_all, &err, id))
		return err;
	return KW_OK;
}

int auth_initial_reissue(struct kw_ctx *c, const struct auth_reissue *ri, json_object **out)
{
	int err;
	const char *expires;
	const char *rule = ri->shown ? "random" : ri->rule;
	err = auth_initial_set(c, ri->account_id, ri->hash, &expires);
	sodium_memzero((char *)ri->hash, strlen(ri->hash));
	if (err)
		return err;
	json_object *d = kwj_own(c, json_object_new_object());
	kwj_add_int(d, "account_id", ri->account_id);
	kwj_add_str(d, "mode", rule);
	kwj_add_str(d, "expires_at", expires);
	const char *text = arena_printf(c->a,
					"%s的初始密码已重新发放，请在 %d 天内登录并修改密码；"
					"此前的密码与重设链接已失效",
					ri->name, AUTH_INITIAL_DAYS);
	if ((err = audit_write(c, ri->audit, ri->object_type, ri->object_id, d)) ||
	    (err = message_send(c, ri->notify_org, NULL, 0, text, NULL)) || (err = db_commit(c)))
		return err;
	json_object *o = kwj_own(c, json_object_new_object());
	kwj_add_str(o, "initial_password", ri->shown);
	kwj_add_str(o, "rule", rule);
	kwj_add_str(o, "expires_at", expires);
	*out = o;
	return KW_OK;
}

/* ------------------------------------------------------------------ registration */

static struct db_stmt q_username_taken =
    DB_STMT("auth_username_taken",
	    "SELECT 1 FROM accounts WHERE kind = 'candidate' AND lower(username) = lower($1)");
static struct db_stmt q_idnumber_taken =
    DB_STMT("auth_idnumber_taken", "SELECT 1 FROM candidates WHERE id_number = $1");
static struct db_stmt q_candidate_new = DB_STMT(
    "auth_candidate_new",
    "INSERT INTO candidates (id_number, real_name, sex, birth_date, email, phone, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id");
static struct db_stmt q_candidate_account =
    DB_STMT("auth_candidate_account",
	    "INSERT INTO accounts (kind, username, role, display_name, candidate_id, email,"
	    " password_hash, must_change_password, created_at, password_changed_at)"
	    " VALUES ('candidate', $1, 'candidate', $2, $3, $4, $5, false, $6, $6) RETURNING id");

static bool valid_username(const char *s)
{
	size_t n = strlen(s);
	if (n < 6 || n > 32)
		return false;
	for (const char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_-.@", *p))
			return false;
	return true;
}

static bool valid_email(const char *s)
{
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@') || strlen(s) > 100)
		return false;
	const char *dot = strrchr(at, '.');
	if (!dot || dot == at + 1 || !dot[1])
		return false;
	for (const char *p = s; *p; p++)
		if (isspace((unsigned char)*p) || *p == '<' || *p == '>' || *p == ',' ||
		    (unsigned char)*p < 0x20)
			return false;
	return true;
}

static bool valid_phone(const char *s)
{
	if (strlen(s) != 11 || s[0] != '1' || s[1] < '3' || s[1] > '9')
		return false;
	for (const char *p = s; *p; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	return true;
}

/* The next code point of the UTF-8 text at *p (advancing *p), or -1 when malformed. */
static long utf8_next(const unsigned char **p)
{
	const unsigned char *s = *p;
	long cp;
	int more;
	if (s[0] < 0x80) {
		cp = s[0], more = 0;
	} else if ((s[0] & 0xe0) == 0xc0) {
		cp = s[0] & 0x1f, more = 1;
	} else if ((s[0] & 0xf0) == 0xe0) {
		cp = s[0] & 0x0f, more = 2;
	} else if ((s[0] & 0xf8) == 0xf0) {
		cp = s[0] & 0x07, more = 3;
	} else {
		return -1;
	}
	for (int i = 1; i <= more; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	*p = s + 1 + more;
	return cp;
}

/*
 * 真实姓名: 2-30 characters, each a Chinese character, a Latin letter, a middle dot (·, also ・
 * and •) or a space. NULL when fine, else the message (web/src/modules/auth/forms.js shows the
 * same one).
 */
const char *auth_real_name_problem(const char *s)
{
	long n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; n++) {
		long cp = utf8_next(&p);
		bool ok = (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) ||
			  (cp >= 0x20000 && cp <= 0x2fa1f) || (cp >= 'A' && cp <= 'Z') ||
			  (cp >= 'a' && cp <= 'z') || cp == ' ' || cp == 0xb7 || cp == 0x30fb ||
			  cp == 0x2022;
		if (!ok)
			return AUTH_REAL_NAME_RULE;
	}
	return n < 2 || n > 30 ? AUTH_REAL_NAME_RULE : NULL;
}

/* Validate the email and phone members of body into *email and *phone. */
static void contact_fields(struct kw_ctx *c, json_object *body, const char **email,
			   const char **phone)
{
	if (kwj_get_string(c, body, "email", NULL, KWJ_REQUIRED, 100, email) && *email &&
	    !valid_email(*email))
		kw_field_error(c, "email", 0, "format", "邮箱格式不正确");
	if (kwj_get_string(c, body, "phone", NULL, KWJ_REQUIRED, 11, phone) && *phone &&
	    !valid_phone(*phone))
		kw_field_error(c, "phone", 0, "format", "手机号应为 11 位数字");
}

int auth_register_candidate(struct kw_ctx *c, json_object *body, long *account_id)
{
	const char *username = NULL, *password = NULL, *id_number = NULL, *real_name = NULL;
	const char *email = NULL, *phone = NULL;
	struct idcard_info info;
	int err;
	if ((err = ratelimit_hit(c, &rl_register, "ip", c->ip)))
		return err;
	if (kwj_get_string(c, body, "username", NULL, KWJ_REQUIRED, 32, &username) &&
	    !valid_username(username))
		kw_field_error(c, "username", 0, "format",
			       "用户名由字母、数字和符号 _ - . @ 组成，至少 6 位");
	if (kwj_get_string(c, body, "id_number", NULL, KWJ_REQUIRED, 18, &id_number) &&
	    !idcard_check(id_number, c->now, &info))
		kw_field_error(c, "id_number", 0, "R29", "身份证号不正确（校验位或出生日期有误）");
	if (auth_password_field(c, body, "password", &password)) {
		const char *problem = auth_password_problem(password, username, id_number);
		if (problem)
			kw_field_error(c, "password", 0, "password", problem);
	}
	/* 60: a longer name gets the rule's own words (2-30) rather than the generic length */
	if (kwj_get_string(c, body, "real_name", NULL, KWJ_REQUIRED, 60, &real_name) &&
	    auth_real_name_problem(real_name))
		kw_field_error(c, "real_name", 0, "format", auth_real_name_problem(real_name));
	contact_fields(c, body, &email, &phone);
	if ((err = kw_validation_result(c)))
		return err;
	/* The same person (ID number) tried from many addresses. */
	if ((err = ratelimit_hit(c, &rl_register, "id", info.normalized)))
		return err;

	if ((err = db_begin(c)))
		return err;
	PGresult *r = db_query(c, &q_username_taken, &err, username);
	if (!r)
		return err;
	if (PQntuples(r))
		kw_field_error(c, "username", 0, "unique", "用户名已被注册");
	r = db_query(c, &q_idnumber_taken, &err, info.normalized);
	if (!r)
		return err;
	if (PQntuples(r))
		kw_field_error(c, "id_number", 0, "unique", "该身份证号已注册");
	if ((err = kw_validation_result(c)))
		return err;
	char hash[crypto_pwhash_STRBYTES];
	if ((err = auth_password_hash(c, password, hash)))
		return err;
	const char *now = kw_time_text(c, c->now);
	char sex[2] = {info.sex, 0};
	r = db_query(c, &q_candidate_new, &err, info.normalized, real_name, sex, info.birth_date,
		     email, phone, now);
	if (!r)
		return err;
	const char *cand = arena_strdup(c->a, PQgetvalue(r, 0, 0));
	r = db_query(c, &q_candidate_account, &err, username, real_name, cand, email, hash, now);
	if (!r)
		return err;
	*account_id = atol(PQgetvalue(r, 0, 0));
	json_object *d = kwj_own(c, json_object_new_object());
	kwj_add_str(d, "username", username);
	if ((err = audit_write(c, "candidate.register", "account", *account_id, d)))
		return err;
	return db_commit(c);
}

/* ------------------------------------------------------------------ password reset */

static struct db_stmt q_reset_target =
    DB_STMT("auth_reset_target",
	    "SELECT a.id, a.display_name, a.username,"
	    " coalesce(a.email, cd.email, e.email, o.email) AS email,"
	    " (SELECT count(*) FROM password_resets r WHERE r.account_id = a.id"
	    "   AND r.created_at > $3::timestamptz - interval '1 hour') AS recent"
	    " FROM accounts a LEFT JOIN candidates cd ON cd.id = a.candidate_id"
	    " LEFT JOIN experts e ON e.id = a.expert_id LEFT JOIN orgs o ON o.id = a.org_id"
	    " WHERE a.kind = $1 AND a.username = $2 AND NOT a.frozen");
static struct db_stmt q_reset_new =
    DB_STMT("auth_reset_new",
	    "INSERT INTO password_resets (token_hash, account_id, created_at, expires_at)"
	    " VALUES ($1::bytea, $2, $3, $3::timestamptz + make_interval(secs => $4::int))");
static struct db_stmt q_outbox =
    DB_STMT("auth_outbox",
	    "INSERT INTO mail_outbox (to_addr, subject, body, created_at) VALUES ($1, $2, $3, $4)");
static struct db_stmt q_mail_notify =
    DB_STMT("auth_mail_notify", "SELECT pg_notify('kaowu_mail', '')");

int auth_forgot(struct kw_ctx *c, json_object *body, const char *public_url)
{
	const char *kind = NULL, *username = NULL;
	int err;
	if ((err = ratelimit_hit(c, &rl_reset, "ip", c->ip)))
		return err;
	kwj_get_string(c, body, "kind", NULL, KWJ_REQUIRED, 20, &kind);
	kwj_get_string(c, body, "username", NULL, KWJ_REQUIRED, 100, &username);
	if ((err = kw_validation_result(c)))
		return err;
	if (!valid_kind(kind)) {
		kw_field_error(c, "kind", 0, "enum", "请选择账号类型");
		return KW_EVALIDATION;
	}
	if ((err = ratelimit_hit(c, &rl_reset, "account",
				 arena_printf(c->a, "%s:%s", kind, username))))
		return err;
	const char *now = kw_time_text(c, c->now);
	PGresult *r = db_query(c, &q_reset_target, &err, kind, username, now);
	if (!r)
		return err;
	/* Unknown account, no address, or three mails within the hour: the same answer. */
	if (PQntuples(r) != 1 || !db_val(r, 0, "email") || db_long(r, 0, "recent") >= 3)
		return KW_OK;
	long id = db_long(r, 0, "id");
	char token[AUTH_TOKEN_LEN + 1];
	random_token(token);
	const char *subject = "机械工业人才评价管理服务平台：重设密码";
	const char *text =
	    arena_printf(c->a,
			 "%s，您好：\n\n"
			 "我们收到了重设机械工业人才评价管理服务平台账号（%s）密码的申请。"
			 "请在 30 分钟内打开下面的链接设置新密码，链接只能使用一次：\n\n"
			 "%s/reset?token=%s\n\n"
			 "如果这不是您本人的操作，请忽略本邮件，您的密码不会改变。\n\n"
			 "机械工业职业技能鉴定指导中心\n",
			 db_val(r, 0, "display_name"), db_val(r, 0, "username"), public_url, token);
	if ((err = db_begin(c)))
		return err;
	if (!db_query(c, &q_reset_new, &err, token_hash(c, token), db_ltoa(c, id), now,
		      db_ltoa(c, AUTH_RESET_SECONDS)) ||
	    !db_query(c, &q_outbox, &err, db_val(r, 0, "email"), subject, text, now) ||
	    !db_query0(c, &q_mail_notify, &err))
		return err;
	if ((err = audit_write(c, "auth.reset_requested", "account", id, NULL)))
		return err;
	return db_commit(c);
}

static struct db_stmt q_reset_use = DB_STMT(
    "auth_reset_use",
    "SELECT r.account_id, a.username, coalesce(cd.id_number, e.id_number) AS id_number"
    " FROM password_resets r JOIN accounts a ON a.id = r.account_id"
    " LEFT JOIN candidates cd ON cd.id = a.candidate_id LEFT JOIN experts e ON e.id = a.expert_id"
    " WHERE r.token_hash = $1::bytea AND r.used_at IS NULL AND r.expires_at > $2::timestamptz"
    " AND NOT a.frozen FOR UPDATE OF r");
static struct db_stmt q_reset_done = DB_STMT(
    "auth_reset_done", "UPDATE password_resets SET used_at = $2 WHERE token_hash = $1::bytea");

int auth_reset(struct kw_ctx *c, json_object *body)
{
	const char *token = NULL, *new_pw = NULL;
	int err;
	kwj_get_string(c, body, "token", NULL, KWJ_REQUIRED, 64, &token);
	auth_password_field(c, body, "new_password", &new_pw);
	if ((err = kw_validation_result(c)))
		return err;
	if ((err = db_begin(c)))
		return err;
	const char *th = well_formed_token(token) ? token_hash(c, token) : "\\x00";
	const char *now = kw_time_text(c, c->now);
	PGresult *r = db_query(c, &q_reset_use, &err, th, now);
	if (!r)
		return err;
	if (PQntuples(r) != 1) {
		kw_field_error(c, "token", 0, "token", "重设链接无效、已使用或已过期，请重新申请");
		return KW_EVALIDATION;
	}
	long id = db_long(r, 0, "account_id");
	const char *problem =
	    auth_password_problem(new_pw, db_val(r, 0, "username"), db_val(r, 0, "id_number"));
	if (problem) {
		kw_field_error(c, "new_password", 0, "password", problem);
		return KW_EVALIDATION;
	}
	char hash[crypto_pwhash_STRBYTES];
	if ((err = auth_password_hash(c, new_pw, hash)))
		return err;
	if (!db_query(c, &q_password_set, &err, db_ltoa(c, id), hash, now) ||
	    !db_query(c, &q_reset_done, &err, th, now) ||
	    !db_query(c, &q_resets_void, &err, db_ltoa(c, id), now) ||
	    !db_query(c, &q_sessions_end_all, &err, db_ltoa(c, id)))
		return err;
	if ((err = audit_write(c, "auth.password_reset", "account", id, NULL)))
		return err;
	return db_commit(c);
}

/* ------------------------------------------------------------------ 账号管理 */

static struct db_stmt q_account = DB_STMT(
    "auth_account", "SELECT a.username, a.kind, a.role, a.display_name,"
		    " coalesce(cd.email, a.email, e.email, o.email) AS email,"
		    " coalesce(cd.phone, e.phone, o.phone) AS phone,"
		    " coalesce(cd.id_number, e.id_number) AS id_number,"
		    " coalesce(cd.real_name, e.name) AS real_name"
		    " FROM accounts a LEFT JOIN candidates cd ON cd.id = a.candidate_id"
		    " LEFT JOIN experts e ON e.id = a.expert_id LEFT JOIN orgs o ON o.id = a.org_id"
		    " WHERE a.id = $1");
static struct db_stmt q_candidate_contact =
    DB_STMT("auth_candidate_contact", "UPDATE candidates SET email = $2, phone = $3 WHERE id = $1");
static struct db_stmt q_account_email =
    DB_STMT("auth_account_email", "UPDATE accounts SET email = $2 WHERE id = $1");
static struct db_stmt q_candidate_name =
    DB_STMT("auth_candidate_name", "SELECT real_name FROM candidates WHERE id = $1 FOR UPDATE");
static struct db_stmt q_candidate_rename =
    DB_STMT("auth_candidate_rename", "UPDATE candidates SET real_name = $2 WHERE id = $1");
static struct db_stmt q_account_rename =
    DB_STMT("auth_account_rename", "UPDATE accounts SET display_name = $2 WHERE id = $1");

int auth_account_get(struct kw_ctx *c, json_object **out)
{
	int err;
	PGresult *r = db_query(c, &q_account, &err, db_ltoa(c, c->user.id));
	if (!r)
		return err;
	if (PQntuples(r) != 1)
		return KW_ENOTFOUND;
	json_object *o = kwj_own(c, json_object_new_object());
	static const char *cols[] = {"username", "kind",      "role",	  "email",
				     "phone",	 "id_number", "real_name"};
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		kwj_add_str(o, cols[i], db_val(r, 0, cols[i]));
	kwj_add_str(o, "name", db_val(r, 0, "display_name"));
	*out = o;
	return KW_OK;
}

/*
 * A candidate changes his 邮箱 and 手机号 and, when real_name is given, his 真实姓名 (audited
 * with the old and the new name; earlier enrollments keep the name they were made with).
 */
int auth_account_update(struct kw_ctx *c, json_object *body)
{
	const char *email = NULL, *phone = NULL, *name = NULL;
	int err;
	if (!c->user.candidate_id)
		return kw_fail(c, KW_EFORBIDDEN, "机构与专家账号的联系方式请在机构信息中申请修改");
	contact_fields(c, body, &email, &phone);
	if (kwj_get_string(c, body, "real_name", NULL, KWJ_OPTIONAL, 60, &name) && name &&
	    auth_real_name_problem(name))
		kw_field_error(c, "real_name", 0, "format", auth_real_name_problem(name));
	if ((err = kw_validation_result(c)))
		return err;
	if ((err = db_begin(c)))
		return err;
	const char *cand = db_ltoa(c, c->user.candidate_id);
	if (!db_query(c, &q_candidate_contact, &err, cand, email, phone) ||
	    !db_query(c, &q_account_email, &err, db_ltoa(c, c->user.id), email))
		return err;
	json_object *d = kwj_own(c, json_object_new_object());
	kwj_add_str(d, "email", email);
	kwj_add_str(d, "phone", phone);
	if ((err = audit_write(c, "account.update_contact", "account", c->user.id, d)))
		return err;
	if (name) {
		PGresult *old = db_query(c, &q_candidate_name, &err, cand);
		if (!old)
			return err;
		if (PQntuples(old) == 1 && strcmp(db_val(old, 0, "real_name"), name)) {
			if (!db_query(c, &q_candidate_rename, &err, cand, name) ||
			    !db_query(c, &q_account_rename, &err, db_ltoa(c, c->user.id), name))
				return err;
			json_object *n = kwj_own(c, json_object_new_object());
			kwj_add_str(n, "old", db_val(old, 0, "real_name"));
			kwj_add_str(n, "new", name);
			if ((err = audit_write(c, "account.update_real_name", "account", c->user.id,
					       n)))
				return err;
		}
	}
	return db_commit(c);
}
