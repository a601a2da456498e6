/* http.h - one HTTP exchange as handlers see it: request in, JSON or file out. */
#ifndef KW_HTTP_H
#define KW_HTTP_H

#include <stddef.h>

#include <json-c/json.h>

#include "core/ctx.h"

#define ROUTE_MAX_PARAMS 4
#define RESP_MAX_HEADERS 8

struct route;

struct request {
	struct kw_ctx *ctx;
	arena *a;

	/* Request, from the FastCGI/CGI environment. */
	char **env;
	const char *method;
	const char *path;  /* without the query string */
	const char *query; /* raw, may be "" */
	const char *body;
	size_t body_len;
	json_object *json; /* the body parsed, when it was sent as JSON */
	const struct route *route;
	const char *param_name[ROUTE_MAX_PARAMS];
	const char *param_val[ROUTE_MAX_PARAMS];
	int nparams;
	const char *session_token; /* the kaowu_session cookie, when sent */
	const char *csrf;	   /* the session's CSRF token, when logged in */

	/* Response, written by the dispatcher only. */
	int status;	  /* 0 means 200 */
	json_object *out; /* JSON body, owned by the arena */
	const char *file; /* or a raw body ... */
	size_t file_len;
	const char *content_type; /* ... with its type */
	/* or a body produced after the headers are sent (downloads), see export.h */
	int (*stream)(struct request *r, int (*sink)(void *, const void *, size_t), void *sink_ctx);
	void *stream_ctx;
	const char *hdr_name[RESP_MAX_HEADERS];
	const char *hdr_val[RESP_MAX_HEADERS];
	int nhdr;
};

/* A CGI variable such as "HTTP_X_CSRF_TOKEN" or "CONTENT_TYPE"; NULL if absent. */
const char *req_env(const struct request *r, const char *name);

/* A path parameter by name (":id" -> "id"), percent-decoded; NULL if absent. */
const char *req_param(const struct request *r, const char *name);

/* A path parameter as a positive id; 0 when it is not one (handlers answer 404). */
long req_param_id(const struct request *r, const char *name);

/*
 * A positive integer (an id, a year) from a query parameter: 0 when absent or
 * empty; -1, with a field error recorded, when it is not a positive integer.
 */
long req_query_id(struct request *r, const char *key);

/*
 * A boolean query parameter, strictly (issue 14 item 5): true|1 gives 1, false|0 gives 0, absent
 * or empty gives dflt. Anything else (True, on, yes) records a 422 field error and gives dflt;
 * every boolean query parameter goes through here.
 */
int req_query_bool(struct request *r, const char *key, int dflt);

/* A query parameter, percent-decoded ('+' is a space); NULL if absent. */
const char *req_query(const struct request *r, const char *key);

/* Add a response header; name and value must outlive the request. */
void resp_header(struct request *r, const char *name, const char *value);

/*
 * Set Content-Disposition for a download named `name` (UTF-8): `type` is "attachment" or
 * "inline"; filename="fallback" (or `name` with every non-ASCII, quote and control byte made
 * '_' when fallback is NULL) and the RFC 5987 filename*=UTF-8''<percent-encoded name>.
 */
void resp_download(struct request *r, const char *type, const char *name, const char *fallback);

/*
 * Paging of list endpoints (API.md): ?page=1&per_page=20, per_page at most 100.
 * Returns KW_OK, or a validation error naming the bad parameter.
 */
int req_paging(struct request *r, long *page, long *per_page);

/* Set r->out to {"items": items, "total": total, "page": page, "per_page": per_page}. */
/* items: borrowed (arena-owned) or fresh, as kwj_put takes it. */
void resp_list(struct request *r, json_object *items, long total, long page, long per_page);

/* Percent-decode n bytes of s into the arena; NULL if malformed. plus: '+' -> ' '. */
char *url_decode(arena *a, const char *s, size_t n, int plus);

#endif
