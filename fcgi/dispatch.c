/* dispatch.c - route, check, call the handler, write the response and the access log. */
#include "dispatch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/clock.h"
#include "core/json.h"
#include "auth.h"
#include "core/log.h"
#include "db/db.h"
#include "idempotency.h"
#include "router.h"
#include "session_cache.h"

const struct server_cfg *server_cfg;

static const char *reason(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 201:
		return "Created";
	case 204:
		return "No Content";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 409:
		return "Conflict";
	case 413:
		return "Payload Too Large";
	case 422:
		return "Unprocessable Entity";
	case 429:
		return "Too Many Requests";
	case 503:
		return "Service Unavailable";
	default:
		return status >= 500 ? "Internal Server Error" : "OK";
	}
}

static long long micros(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* The error envelope of API.md; internals never reach the message. */
static void set_error(struct request *r, int err)
{
	const struct kw_errinfo *info = kw_errinfo(err);
	struct kw_ctx *c = r->ctx;
	json_object *e = json_object_new_object();
	kwj_add_str(e, "code", info->code);
	const char *msg = c->err_message && err != KW_EINTERNAL ? c->err_message : info->message;
	kwj_add_str(e, "message", msg);
	if (c->err_reason)
		kwj_add_str(e, "reason", c->err_reason);
	if (c->err_fields)
		kwj_put(e, "fields", c->err_fields);
	json_object *root = json_object_new_object();
	json_object_object_add(root, "error", e);
	r->out = kwj_own(c, root);
	r->file = NULL;
	r->stream = NULL;
	r->status = info->http_status;
	if (err == KW_ERATELIMIT && c->retry_after > 0)
		resp_header(r, "Retry-After", arena_printf(r->a, "%d", c->retry_after));
}

static int io_sink(void *ctx, const void *buf, size_t len)
{
	const struct http_io *io = ctx;
	io->write(io->h, buf, len);
	return 0;
}

/* A streamed body: headers first (no Content-Length), then the producer writes. */
static void write_stream(const struct http_io *io, struct request *r)
{
	char *head =
	    arena_printf(r->a, "Status: 200 OK\r\nContent-Type: %s\r\nCache-Control: no-store\r\n",
			 r->content_type);
	io->write(io->h, head, strlen(head));
	for (int i = 0; i < r->nhdr; i++) {
		char *h = arena_printf(r->a, "%s: %s\r\n", r->hdr_name[i], r->hdr_val[i]);
		io->write(io->h, h, strlen(h));
	}
	io->write(io->h, "\r\n", 2);
	if (strcmp(r->method, "HEAD") != 0)
		r->stream(r, io_sink, (void *)io);
}

static void write_response(const struct http_io *io, struct request *r)
{
	if (r->stream && r->status == 200) {
		write_stream(io, r);
		return;
	}
	const char *body = r->file;
	size_t len = r->file_len;
	const char *type = r->content_type;
	if (!body) {
		if (!r->out)
			r->out = kwj_own(r->ctx, json_object_new_object());
		body = kwj_string(r->out, &len);
		type = "application/json; charset=utf-8";
	}
	if (r->status == 204)
		len = 0;
	char *head = arena_printf(r->a,
				  "Status: %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
				  "Cache-Control: no-store\r\n",
				  r->status, reason(r->status),
				  type ? type : "application/octet-stream", len);
	io->write(io->h, head, strlen(head));
	for (int i = 0; i < r->nhdr; i++) {
		char *h = arena_printf(r->a, "%s: %s\r\n", r->hdr_name[i], r->hdr_val[i]);
		io->write(io->h, h, strlen(h));
	}
	io->write(io->h, "\r\n", 2);
	if (len && strcmp(r->method, "HEAD") != 0)
		io->write(io->h, body, len);
}

/* Split REQUEST_URI into path and query; the FastCGI and CGI paths both set it. */
static void parse_target(struct request *r)
{
	const char *uri = req_env(r, "REQUEST_URI");
	if (!uri || !*uri) {
		const char *pi = req_env(r, "PATH_INFO");
		uri = pi && *pi ? pi : "/";
	}
	size_t plen = strcspn(uri, "?#");
	r->path = arena_strndup(r->a, uri, plen);
	const char *qs = req_env(r, "QUERY_STRING");
	if (qs)
		r->query = qs;
	else if (uri[plen] == '?')
		r->query = arena_strndup(r->a, uri + plen + 1, strcspn(uri + plen + 1, "#"));
	else
		r->query = "";
}

static int read_body(const struct http_io *io, struct request *r)
{
	const char *cl = req_env(r, "CONTENT_LENGTH");
	if (!cl || !*cl)
		return KW_OK;
	char *end;
	unsigned long long n = strtoull(cl, &end, 10);
	if (*end || cl[0] == '-')
		return kw_fail(r->ctx, KW_EBADREQ, "Content-Length 无效");
	if (n > server_cfg->max_body)
		return kw_fail(r->ctx, KW_ETOOLARGE,
			       arena_printf(r->a, "提交的内容超过 %zu MB 的上限",
					    server_cfg->max_body / (1024 * 1024)));
	char *buf = arena_alloc(r->a, (size_t)n + 1);
	size_t got = 0;
	while (got < n) {
		size_t k = io->read(io->h, buf + got, (size_t)n - got);
		if (k == 0)
			break;
		got += k;
	}
	if (got != n)
		return kw_fail(r->ctx, KW_EBADREQ, "请求内容不完整");
	buf[n] = '\0';
	r->body = buf;
	r->body_len = (size_t)n;
	return KW_OK;
}

static int is_json(const char *type)
{
	return type && strncmp(type, "application/json", 16) == 0;
}

/* The value of cookie `name` in the Cookie header, or NULL. */
static const char *cookie(struct request *r, const char *name)
{
	const char *h = req_env(r, "HTTP_COOKIE");
	size_t n = strlen(name);
	while (h && *h) {
		while (*h == ' ' || *h == ';')
			h++;
		size_t len = strcspn(h, ";");
		if (len > n && strncmp(h, name, n) == 0 && h[n] == '=')
			return arena_strndup(r->a, h + n + 1, len - n - 1);
		h += len;
	}
	return NULL;
}

static int is_safe_method(const char *m)
{
	return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0;
}

/*
 * Who is calling, and may they? The session cookie gives the user; the route
 * row gives the roles (401 when nobody is logged in, 403 for a wrong role);
 * an account with its initial password reaches only the routes that let it
 * change it; every write carries the session's CSRF token.
 */
static int authorize(struct request *r)
{
	struct kw_ctx *c = r->ctx;
	const struct route *rt = r->route;
	int err;
	r->session_token = cookie(r, AUTH_COOKIE);
	if (r->session_token) {
		err = auth_session_load(c, r->session_token, &r->csrf);
		if (err && err != KW_EUNAUTH)
			return err;
	}
	if (rt->roles != R_PUBLIC) {
		if (!c->user.id)
			return kw_fail(c, KW_EUNAUTH,
				       r->session_token ? auth_session_gone(c, r->session_token)
							: "请先登录");
		if (!(c->user.role & rt->roles))
			return KW_EFORBIDDEN;
		if (c->user.must_change_password && !(rt->flags & ROUTE_PW_CHANGE)) {
			c->err_reason = "password_change_required";
			return kw_fail(c, KW_EFORBIDDEN, "请先修改初始密码");
		}
	}
	if (!is_safe_method(r->method) && !(rt->flags & ROUTE_NO_CSRF)) {
		const char *sent = req_env(r, "HTTP_X_CSRF_TOKEN");
		if (!r->csrf || !sent || strlen(sent) != strlen(r->csrf) ||
		    sodium_memcmp(sent, r->csrf, strlen(sent)) != 0)
			return KW_ECSRF;
	}
	return KW_OK;
}

/* SHA-256 of the query and the body: what a retry with the same Idempotency-Key must repeat. */
static void request_hash(const struct request *r, unsigned char out[32])
{
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)r->query, strlen(r->query) + 1);
	if (r->body)
		crypto_hash_sha256_update(&st, (const unsigned char *)r->body, r->body_len);
	crypto_hash_sha256_final(&st, out);
}

/*
 * A route flagged ROUTE_IDEMPOTENT with an Idempotency-Key header: claim the key (*held) or
 * replay the first answer (r->file, *replayed). Errors: 422 for a malformed or reused key,
 * 409 while the first request has not answered.
 */
static int idempotency(struct request *r, const char **held, bool *replayed)
{
	const char *key = req_env(r, "HTTP_IDEMPOTENCY_KEY");
	*held = NULL;
	*replayed = false;
	if (!(r->route->flags & ROUTE_IDEMPOTENT) || !key || !r->ctx->user.id)
		return KW_OK;
	unsigned char h[crypto_hash_sha256_BYTES];
	request_hash(r, h);
	int status;
	const char *body;
	int err = idem_begin(r->ctx, key, arena_printf(r->a, "%s %s", r->method, r->path), h,
			     &status, &body);
	if (err)
		return err;
	if (!status) {
		*held = key;
		return KW_OK;
	}
	r->status = status;
	r->file = body;
	r->file_len = strlen(body);
	r->content_type = "application/json; charset=utf-8";
	resp_header(r, "Idempotent-Replayed", "true");
	*replayed = true;
	return KW_OK;
}

static int run(const struct http_io *io, struct request *r, const char **idem_key)
{
	const char *allow = NULL;
	int err = route_match(routes, routes_count, r, &allow);
	if (err == KW_EMETHOD)
		resp_header(r, "Allow", allow);
	if (err)
		return err;
	if ((err = read_body(io, r)))
		return err;
	if (r->body_len && is_json(req_env(r, "CONTENT_TYPE"))) {
		r->json = kwj_parse(r->ctx, r->body, r->body_len, &err);
		if (err)
			return err;
	}
	if (!(r->route->flags & ROUTE_NO_DB)) {
		if ((err = db_ensure(r->ctx->db)))
			return err;
		if ((err = authorize(r)))
			return err;
	}
	/* Recorded field errors answer 422 even when a handler forgets to ask. */
	if ((err = kw_validation_result(r->ctx)))
		return err;
	bool replayed;
	if ((err = idempotency(r, idem_key, &replayed)) || replayed)
		return err;
	err = r->route->fn(r);
	return err ? err : kw_validation_result(r->ctx);
}

void http_handle(const struct http_io *io, char **env, arena *a, struct db *db)
{
	long long t0 = micros();
	struct kw_ctx ctx = {.a = a, .db = db, .now = kw_now()};
	struct request r = {.ctx = &ctx, .a = a, .env = env};
	r.method = req_env(&r, "REQUEST_METHOD");
	if (!r.method || !*r.method)
		r.method = "GET";
	const char *ip = req_env(&r, "REMOTE_ADDR");
	ctx.ip = ip ? ip : "";
	parse_target(&r);

	const char *idem_key = NULL;
	int err = run(io, &r, &idem_key);
	if (db_in_tx(db)) {
		/* A handler must commit what it began; anything left open is undone. */
		if (!err) {
			log_error("%s %s left a transaction open", r.method, r.path);
			err = KW_EINTERNAL;
		}
		db_rollback(&ctx);
	}
	if (idem_key) {
		/* Keep the created answer for a retry with the same key, or release the key. */
		size_t len = 0;
		const char *body = !err && r.out && !r.file ? kwj_string(r.out, &len) : NULL;
		int ierr = idem_finish(&ctx, idem_key, err ? 0 : (r.status ? r.status : 200), body);
		if (ierr)
			log_error("%s %s: the idempotency key was not recorded (error %d)",
				  r.method, r.path, ierr);
	}
	if (strcmp(r.method, "GET") && strcmp(r.method, "HEAD"))
		session_cache_publish(
		    &ctx); /* a revocation is known to every worker before we answer */
	if (err)
		set_error(&r, err);
	else if (!r.status)
		r.status = 200;
	write_response(io, &r);
	log_info("%s %s %d %lldus", r.method, r.path, r.status, micros() - t0);
}
