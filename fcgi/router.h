/* router.h - the route table's shape and the matcher (404 vs 405). */
#ifndef KW_ROUTER_H
#define KW_ROUTER_H

#include <stddef.h>

#include "http.h"

typedef int (*handler_fn)(struct request *r);

enum route_flags {
	ROUTE_NO_DB = 1u << 0,	   /* the handler never touches the database */
	ROUTE_NO_CSRF = 1u << 1,   /* a write that cannot carry a CSRF token yet (login) */
	ROUTE_PW_CHANGE = 1u << 2, /* open to accounts that must still change their password */
};

/*
 * One row per endpoint. The OpenAPI document is generated from these rows,
 * so no route exists undescribed. Schemas are OpenAPI JSON text or NULL.
 */
struct route {
	const char *method;
	const char *pattern; /* "/api/batches/:id/actions/:action" */
	handler_fn fn;
	unsigned roles; /* R_PUBLIC, or the enum kw_role bits allowed */
	unsigned flags;
	const char *tag;
	const char *summary;
	const char *request_schema;
	const char *response_schema;
};

#define ROUTE(m, p, fn, roles, flags, tag, summary, req, resp)                                     \
	{                                                                                          \
		m, p, fn, roles, flags, tag, summary, req, resp                                    \
	}

extern const struct route routes[];
extern const size_t routes_count;

/*
 * Find the row for method and path in tab. Returns 0 with r->route and
 * r->param_* set; KW_ENOTFOUND when no pattern matches the path; KW_EMETHOD
 * when some do but not for this method, with *allow set to e.g. "GET, POST".
 * HEAD matches GET rows.
 */
int route_match(const struct route *tab, size_t n, struct request *r, const char **allow);

/* Check a table at start-up and in tests: well-formed, unique, described. NULL if fine. */
const char *route_table_problem(const struct route *tab, size_t n);

#endif
