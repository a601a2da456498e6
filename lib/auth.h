/* auth.h - accounts, passwords, sessions, throttling, registration and password reset. */
#ifndef KW_AUTH_H
#define KW_AUTH_H

#include <stdbool.h>

#include <json-c/json.h>

#include "core/ctx.h"

#define AUTH_COOKIE "kaowu_session"
#define AUTH_TOKEN_LEN 43 /* 32 random bytes, base64url without padding */

/* Session lifetimes by the business clock (DESIGN.md section 1). */
#define AUTH_IDLE_SECONDS (30 * 60)
#define AUTH_ABSOLUTE_SECONDS (12 * 3600)

/* Throttling of failed logins within AUTH_THROTTLE_WINDOW seconds. */
#define AUTH_THROTTLE_WINDOW (15 * 60)
#define AUTH_MAX_FAILS_ACCOUNT 5
#define AUTH_MAX_FAILS_IP 100 /* generous: a station office or school shares one address */

/* An initial password works for 14 days after it is issued (business clock), until changed. */
#define AUTH_INITIAL_DAYS 14

/* Password reset tokens live 30 minutes and serve once. */
#define AUTH_RESET_SECONDS (30 * 60)

/*
 * Resolve a session cookie: on success fill c->user and *csrf (the session's
 * CSRF token) and return KW_OK; an unknown, expired or frozen session gives
 * KW_EUNAUTH and leaves c->user empty.
 */
int auth_session_load(struct kw_ctx *c, const char *token, const char **csrf);

/*
 * Why the session of token no longer works, in the user's words: 账号已被冻结, 登录已超时 (idle)
 * or 登录已过期; sets c->err_reason (account_frozen, idle_timeout) for the first two.
 */
const char *auth_session_gone(struct kw_ctx *c, const char *token);

/*
 * Log in: check throttling, the password (argon2id) and the account's state,
 * record the attempt in the login history, create a new session. On success
 * fills token (AUTH_TOKEN_LEN + 1 bytes), *csrf and c->user.
 * Errors: KW_EVALIDATION (malformed input), KW_EUNAUTH (bad pair, same
 * message whether the account exists), KW_EFORBIDDEN (frozen),
 * KW_ERATELIMIT (c->retry_after set).
 */
int auth_login(struct kw_ctx *c, const char *kind, const char *username, const char *password,
	       char *token, const char **csrf);

/* End the session of this token. */
int auth_logout(struct kw_ctx *c, const char *token);

/* The caller's view of itself: {"user": {...}, "csrf_token"} body of API.md. */
json_object *auth_me_json(struct kw_ctx *c, const char *csrf);

/*
 * Change the caller's password; ends the account's other sessions
 * (keep_token stays). 422 when the old password is wrong or the new one weak.
 */
int auth_change_password(struct kw_ctx *c, const char *keep_token, json_object *body);

/* The caller's login history, newest first. */
int auth_logins(struct kw_ctx *c, long page, long per_page, json_object **items, long *total);

/* Candidate self-registration (manual part 3, section 1); R29 on the ID number. */
int auth_register_candidate(struct kw_ctx *c, json_object *body, long *account_id);

/* 找回密码: queue a reset mail when the account exists and has an address; always KW_OK. */
int auth_forgot(struct kw_ctx *c, json_object *body, const char *public_url);

/* Set a new password with a reset token; ends every session of the account. */
int auth_reset(struct kw_ctx *c, json_object *body);

/* 账号管理: the caller's account; candidates may change 真实姓名, email and phone. */
int auth_account_get(struct kw_ctx *c, json_object **out);
int auth_account_update(struct kw_ctx *c, json_object *body);

/* The rule for 真实姓名 (the SPA's forms.js says the same words). */
#define AUTH_REAL_NAME_RULE "真实姓名应为 2–30 个字，只能包含汉字、字母、间隔号“·”和空格"

/* NULL when name is an acceptable 真实姓名, else AUTH_REAL_NAME_RULE. */
const char *auth_real_name_problem(const char *name);

/*
 * The initial password of an account being issued: rule_pw (the manual's rule: an org's code,
 * an expert's last six) or, when the instance sets KAOWU_INITIAL_PASSWORD=random, a random
 * 12-character one returned in *shown (arena; shown once to the issuer, else NULL). Its
 * argon2id hash goes to hash (crypto_pwhash_STRBYTES). Call before the transaction.
 */
int auth_initial_password(struct kw_ctx *c, const char *rule_pw, char *hash, const char **shown);

/*
 * Inside the caller's transaction: make hash the account's initial password again (must change
 * at next login, expires AUTH_INITIAL_DAYS from now), void its reset links and end its
 * sessions. *expires_at: the expiry as kw_ts text. KW_ENOTFOUND for no such account.
 */
int auth_initial_set(struct kw_ctx *c, long account_id, const char *hash, const char **expires_at);

/* One re-issue of an initial password, as the org and expert modules describe it. */
struct auth_reissue {
	long account_id;
	const char *hash;	 /* from auth_initial_password; wiped here */
	const char *shown;	 /* the random password shown once, or NULL */
	const char *rule;	 /* the manual's rule when not random: "org_code", "id_last6" */
	const char *audit;	 /* audit code, e.g. "org.initial_password" */
	const char *object_type; /* audit object type and id */
	long object_id;
	long notify_org;  /* the org told by 站内信 */
	const char *name; /* whose password, in that message */
};

/*
 * Inside the caller's transaction (begun, the subject's row locked): auth_initial_set, the
 * audit row and the 站内信, then COMMIT. *out: {"initial_password": shown|null, "rule",
 * "expires_at"} (arena-owned).
 */
int auth_initial_reissue(struct kw_ctx *c, const struct auth_reissue *ri, json_object **out);

/*
 * Hash a password with argon2id (crypto_pwhash_str, interactive limits) while
 * holding one of a few database-wide slots, so concurrent logins cannot
 * exhaust memory. out must hold crypto_pwhash_STRBYTES.
 */
int auth_password_hash(struct kw_ctx *c, const char *password, char *out);

/*
 * The password rule (NIST SP 800-63B, DESIGN.md "Passwords"): 8 to 128 characters counted as
 * Unicode characters, no composition rule, not in the bundled list of common passwords
 * (lib/password_list.c), not the username, the ID number or its last six. NULL when fine, else
 * the message (the SPA's web/src/modules/auth/forms.js gives the same words).
 */
#define AUTH_PASSWORD_MIN 8
#define AUTH_PASSWORD_MAX 128
#define AUTH_PASSWORD_MIN_TEXT "密码至少 8 个字符"
#define AUTH_PASSWORD_MAX_TEXT "密码不能超过 128 个字符"
#define AUTH_PASSWORD_COMMON_TEXT "该密码过于常见，容易被猜中，请换一个"
const char *auth_password_problem(const char *password, const char *username,
				  const char *id_number);

/*
 * A password member of body taken as typed (no trimming): a string of 1..128 characters of
 * valid UTF-8 without a NUL byte (a NUL is a 422, never a truncation). false after recording
 * the field error.
 */
bool auth_password_field(struct kw_ctx *c, json_object *body, const char *key, const char **out);

#endif
