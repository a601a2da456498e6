/* http.c - request accessors: CGI variables, path and query parameters. */
#include "http.h"

#include <stdlib.h>
#include <string.h>

#include "core/json.h"

const char *req_env(const struct request *r, const char *name)
{
	size_t n = strlen(name);
	for (char **e = r->env; e && *e; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

const char *req_param(const struct request *r, const char *name)
{
	for (int i = 0; i < r->nparams; i++)
		if (strcmp(r->param_name[i], name) == 0)
			return r->param_val[i];
	return NULL;
}

long req_param_id(const struct request *r, const char *name)
{
	const char *s = req_param(r, name);
	if (!s || !*s || strlen(s) > 15)
		return 0;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return strtol(s, NULL, 10);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *url_decode(arena *a, const char *s, size_t n, int plus)
{
	char *out = arena_alloc(a, n + 1), *o = out;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			if (i + 2 >= n)
				return NULL;
			int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
			if (h < 0 || l < 0 || (h == 0 && l == 0))
				return NULL;
			*o++ = (char)(h * 16 + l);
			i += 2;
		} else if (plus && s[i] == '+') {
			*o++ = ' ';
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

const char *req_query(const struct request *r, const char *key)
{
	size_t klen = strlen(key);
	const char *p = r->query;
	while (p && *p) {
		size_t len = strcspn(p, "&");
		const char *eq = memchr(p, '=', len);
		size_t nlen = eq ? (size_t)(eq - p) : len;
		char *name = url_decode(r->a, p, nlen, 1);
		if (name && strlen(name) == klen && memcmp(name, key, klen) == 0) {
			if (!eq)
				return "";
			return url_decode(r->a, eq + 1, len - nlen - 1, 1);
		}
		p += len;
		if (*p == '&')
			p++;
	}
	return NULL;
}

void resp_header(struct request *r, const char *name, const char *value)
{
	if (r->nhdr == RESP_MAX_HEADERS)
		return;
	r->hdr_name[r->nhdr] = name;
	r->hdr_val[r->nhdr++] = value;
}

/* RFC 5987 ext-value: UTF-8 bytes outside attr-char percent-encoded. */
static const char *ext_value(arena *a, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out = arena_alloc(a, 3 * n + 1), *p = out;
	for (const unsigned char *q = (const unsigned char *)s; *q; q++) {
		if ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
		    (*q >= '0' && *q <= '9') || strchr("!#$&+-.^_`|~", *q)) {
			*p++ = (char)*q;
		} else {
			*p++ = '%';
			*p++ = hex[*q >> 4];
			*p++ = hex[*q & 15];
		}
	}
	*p = '\0';
	return out;
}

/* A quoted-string-safe ASCII stand-in for a file name. */
static const char *ascii_value(arena *a, const char *s)
{
	char *out = arena_strdup(a, s);
	for (char *p = out; *p; p++)
		if ((unsigned char)*p >= 0x7F || (unsigned char)*p < 0x20 || *p == '"' ||
		    *p == '\\')
			*p = '_';
	return out;
}

void resp_download(struct request *r, const char *type, const char *name, const char *fallback)
{
	resp_header(r, "Content-Disposition",
		    arena_printf(r->a, "%s; filename=\"%s\"; filename*=UTF-8''%s", type,
				 ascii_value(r->a, fallback ? fallback : name),
				 ext_value(r->a, name)));
}

/* Parse a query parameter as an integer in [min, max]; absent leaves *out alone. */
static int query_long(struct request *r, const char *key, long min, long max, long *out)
{
	const char *v = req_query(r, key);
	if (!v)
		return KW_OK;
	char *end;
	long n = strtol(v, &end, 10);
	if (!*v || *end || n < min || n > max) {
		kw_field_error(r->ctx, key, 0, "range",
			       arena_printf(r->a, "应为 %ld 到 %ld 之间的整数", min, max));
		return KW_EVALIDATION;
	}
	*out = n;
	return KW_OK;
}

int req_paging(struct request *r, long *page, long *per_page)
{
	*page = 1;
	*per_page = 20;
	int err = query_long(r, "page", 1, 1000000, page);
	int err2 = query_long(r, "per_page", 1, 100, per_page);
	return err ? err : err2;
}

void resp_list(struct request *r, json_object *items, long total, long page, long per_page)
{
	json_object *o = json_object_new_object();
	kwj_put(o, "items", items);
	kwj_add_int(o, "total", total);
	kwj_add_int(o, "page", page);
	kwj_add_int(o, "per_page", per_page);
	r->out = kwj_own(r->ctx, o);
}

int req_query_bool(struct request *r, const char *key, int dflt)
{
	const char *v = req_query(r, key);
	if (!v || !*v)
		return dflt;
	if (!strcmp(v, "true") || !strcmp(v, "1"))
		return 1;
	if (!strcmp(v, "false") || !strcmp(v, "0"))
		return 0;
	kw_field_error(r->ctx, key, 0, "type", "应为 true、false、1 或 0");
	return dflt;
}

long req_query_id(struct request *r, const char *key)
{
	const char *v = req_query(r, key);
	if (!v || !*v)
		return 0;
	char *end;
	long n = strtol(v, &end, 10);
	if (*end || n <= 0 || strlen(v) > 15) {
		kw_field_error(r->ctx, key, 0, "format", "应为正整数");
		return -1;
	}
	return n;
}
