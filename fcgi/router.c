/* router.c - matching request paths against the route table. */
#include "router.h"

#include <stdio.h>
#include <string.h>

/* Compare one pattern with a path; on a match fill the params. */
static int match_one(const char *pat, const char *path, struct request *r)
{
	int np = 0;
	const char *names[ROUTE_MAX_PARAMS], *vals[ROUTE_MAX_PARAMS];
	while (*pat && *path) {
		if (*pat != '/' || *path != '/')
			return 0;
		pat++;
		path++;
		size_t pl = strcspn(pat, "/"), sl = strcspn(path, "/");
		if (*pat == ':') {
			if (sl == 0 || np == ROUTE_MAX_PARAMS)
				return 0;
			char *v = url_decode(r->a, path, sl, 0);
			if (!v)
				return 0;
			names[np] = arena_strndup(r->a, pat + 1, pl - 1);
			vals[np++] = v;
		} else if (pl != sl || memcmp(pat, path, pl) != 0) {
			return 0;
		}
		pat += pl;
		path += sl;
	}
	if (*pat || *path)
		return 0;
	for (int i = 0; i < np; i++) {
		r->param_name[i] = names[i];
		r->param_val[i] = vals[i];
	}
	r->nparams = np;
	return 1;
}

int route_match(const struct route *tab, size_t n, struct request *r, const char **allow)
{
	const char *method = strcmp(r->method, "HEAD") == 0 ? "GET" : r->method;
	char *methods = NULL;
	for (size_t i = 0; i < n; i++) {
		if (!match_one(tab[i].pattern, r->path, r))
			continue;
		if (strcmp(tab[i].method, method) == 0) {
			r->route = &tab[i];
			return KW_OK;
		}
		methods = methods ? arena_printf(r->a, "%s, %s", methods, tab[i].method)
				  : arena_strdup(r->a, tab[i].method);
	}
	r->nparams = 0;
	if (methods) {
		*allow = methods;
		return KW_EMETHOD;
	}
	return KW_ENOTFOUND;
}

/*
 * Does every path `later` matches also match `earlier`'s pattern, with
 * `earlier` taking a `:param` where `later` has a literal segment? Then the
 * later row can only be reached for paths the earlier one rejects: it hides it.
 */
static int shadows(const char *earlier, const char *later)
{
	int param_over_literal = 0;
	while (*earlier && *later) {
		size_t el = strcspn(earlier + 1, "/") + 1, ll = strcspn(later + 1, "/") + 1;
		int ep = earlier[1] == ':', lp = later[1] == ':';
		if (ep && !lp)
			param_over_literal = 1;
		else if (!ep && (lp || el != ll || memcmp(earlier, later, el) != 0))
			return 0; /* a literal the later row need not match */
		earlier += el;
		later += ll;
	}
	return !*earlier && !*later && param_over_literal;
}

const char *route_table_problem(const struct route *tab, size_t n)
{
	static char msg[256];
	static const char *methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
	for (size_t i = 0; i < n; i++) {
		const struct route *t = &tab[i];
		int ok = 0;
		for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++)
			ok |= t->method && strcmp(t->method, methods[m]) == 0;
		if (!ok || !t->pattern || strncmp(t->pattern, "/api/", 5) != 0 || !t->fn) {
			snprintf(msg, sizeof(msg), "route %zu is malformed", i);
			return msg;
		}
		if (strstr(t->pattern, "//") || t->pattern[strlen(t->pattern) - 1] == '/') {
			snprintf(msg, sizeof(msg), "%s has an empty segment", t->pattern);
			return msg;
		}
		for (size_t j = 0; j < i; j++) {
			if (strcmp(tab[j].method, t->method) == 0 &&
			    strcmp(tab[j].pattern, t->pattern) == 0) {
				snprintf(msg, sizeof(msg), "%s %s is listed twice", t->method,
					 t->pattern);
				return msg;
			}
			if (strcmp(tab[j].method, t->method) == 0 &&
			    shadows(tab[j].pattern, t->pattern)) {
				snprintf(msg, sizeof(msg),
					 "%s %s is hidden by the earlier %s; list it first",
					 t->method, t->pattern, tab[j].pattern);
				return msg;
			}
		}
	}
	return NULL;
}
