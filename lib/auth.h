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

/* Password reset tokens live 30 minutes and serve once. */
#define AUTH_RESET_SECONDS (30 * 60)

/*
 * Resolve a session cookie: on success fill c->user and *csrf (the session's
 * CSRF token) and return KW_OK; an unknown, expired or frozen session gives
 * KW_EUNAUTH and leaves c->user empty.
 */
int auth_session_load(struct kw_ctx *c, const char *token, const char **csrf);

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

/* 账号管理: the caller's account; candidates may change email and phone. */
int auth_account_get(struct kw_ctx *c, json_object **out);
int auth_account_update(struct kw_ctx *c, json_object *body);

/*
 * Hash a password with argon2id (crypto_pwhash_str, interactive limits) while
 * holding one of a few database-wide slots, so concurrent logins cannot
 * exhaust memory. out must hold crypto_pwhash_STRBYTES.
 */
int auth_password_hash(struct kw_ctx *c, const char *password, char *out);

/* The password rule: at least 8 characters with letters and digits, not the username. */
const char *auth_password_problem(const char *password, const char *username);

#endif
