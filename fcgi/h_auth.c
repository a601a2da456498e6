/* h_auth.c - handlers for login, sessions, passwords, registration and 账号管理. */
#include "handlers.h"

#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "core/json.h"

/* The session cookie: HttpOnly, SameSite=Strict, Secure when served over HTTPS. */
static const char *session_cookie(struct request *r, const char *token)
{
	const char *https = req_env(r, "HTTPS");
	int secure = https && (!strcmp(https, "on") || !strcmp(https, "1"));
	if (!token)
		return arena_printf(r->a, "%s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
				    AUTH_COOKIE, secure ? "; Secure" : "");
	return arena_printf(r->a, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s", AUTH_COOKIE, token,
			    secure ? "; Secure" : "");
}

/* POST /api/auth/login */
int h_login(struct request *r)
{
	struct kw_ctx *c = r->ctx;
	const char *kind = NULL, *username = NULL, *password = NULL, *csrf = NULL;
	kwj_get_string(c, r->json, "kind", NULL, KWJ_REQUIRED, 20, &kind);
	kwj_get_string(c, r->json, "username", NULL, KWJ_REQUIRED, 100, &username);
	/* Passwords are taken as typed: no trimming; a NUL byte is a 422, never a truncation. */
	auth_password_field(c, r->json, "password", &password);
	int err = kw_validation_result(c);
	if (err)
		return err;
	char token[AUTH_TOKEN_LEN + 1];
	if ((err = auth_login(c, kind, username, password, token, &csrf)))
		return err;
	resp_header(r, "Set-Cookie", session_cookie(r, token));
	r->out = auth_me_json(c, csrf);
	return KW_OK;
}

/* POST /api/auth/logout */
int h_logout(struct request *r)
{
	int err = auth_logout(r->ctx, r->session_token);
	if (err)
		return err;
	resp_header(r, "Set-Cookie", session_cookie(r, NULL));
	r->out = kwj_own(r->ctx, json_object_new_object());
	return KW_OK;
}

/* GET /api/auth/me */
int h_me(struct request *r)
{
	r->out = auth_me_json(r->ctx, r->csrf);
	return KW_OK;
}

/* POST /api/auth/password */
int h_password(struct request *r)
{
	int err = auth_change_password(r->ctx, r->session_token, r->json);
	if (err)
		return err;
	r->out = auth_me_json(r->ctx, r->csrf);
	return KW_OK;
}

/* GET /api/auth/logins */
int h_logins(struct request *r)
{
	long page, per_page, total = 0;
	json_object *items;
	int err = req_paging(r, &page, &per_page);
	if (err || (err = auth_logins(r->ctx, page, per_page, &items, &total)))
		return err;
	resp_list(r, items, total, page, per_page);
	return KW_OK;
}

/* POST /api/candidates/register */
int h_register(struct request *r)
{
	long id = 0;
	int err = auth_register_candidate(r->ctx, r->json, &id);
	if (err)
		return err;
	json_object *o = kwj_own(r->ctx, json_object_new_object());
	kwj_add_int(o, "id", id);
	json_object *u = NULL;
	json_object_object_get_ex(r->json, "username", &u);
	kwj_add_str(o, "username", json_object_get_string(u));
	r->out = o;
	r->status = 201;
	return KW_OK;
}

/* POST /api/auth/forgot */
int h_forgot(struct request *r)
{
	const char *base = getenv("KAOWU_PUBLIC_URL");
	int err = auth_forgot(r->ctx, r->json, base && *base ? base : "http://127.0.0.1:8080");
	if (err)
		return err;
	json_object *o = kwj_own(r->ctx, json_object_new_object());
	kwj_add_str(
	    o, "message",
	    "如果该账号存在并预留了邮箱，重设密码的邮件已经发出，请在 30 分钟内查收并完成重设。");
	r->out = o;
	return KW_OK;
}

/* POST /api/auth/reset */
int h_reset(struct request *r)
{
	int err = auth_reset(r->ctx, r->json);
	if (err)
		return err;
	r->out = kwj_own(r->ctx, json_object_new_object());
	return KW_OK;
}

/* GET /api/account */
int h_account_get(struct request *r)
{
	return auth_account_get(r->ctx, &r->out);
}

/* PUT /api/account */
int h_account_put(struct request *r)
{
	int err = auth_account_update(r->ctx, r->json);
	if (err)
		return err;
	return auth_account_get(r->ctx, &r->out);
}
