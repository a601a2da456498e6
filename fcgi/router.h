/* router.h - the route table's shape and the matcher (404 vs 405). */
#ifndef KW_ROUTER_H
#define KW_ROUTER_H

#include <stddef.h>

#include "http.h"

typedef int (*handler_fn)(struct request *r);

enum route_flags {
	ROUTE_NO_DB = 1u << 0,	    /* the handler never touches the database */
	ROUTE_NO_CSRF = 1u << 1,    /* a write that cannot carry a CSRF token yet (login) */
	ROUTE_PW_CHANGE = 1u << 2,  /* open to accounts that must still change their password */
	ROUTE_IDEMPOTENT = 1u << 3, /* a create: honours Idempotency-Key (lib/idempotency.h) */
};

/*
 * One row per endpoint: method, path, handler, roles, flags. What the row
 * takes and answers is described by exactly one operation in
 * fcgi/api/<tag>.json ("GET /api/batches/{id}"); /api/openapi.json is
 * generated from both, and start-up refuses a row without its operation.
 */
struct route {
	const char *method;
	const char *pattern; /* "/api/batches/:id/actions/:action" */
	handler_fn fn;
	unsigned roles; /* R_PUBLIC, or the enum kw_role bits allowed */
	unsigned flags;
};

#define ROUTE(m, p, fn, roles, flags)                                                              \
	{                                                                                          \
		m, p, fn, roles, flags                                                             \
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

/*
 * Check a table at start-up and in tests: well-formed, unique, and no row
 * hidden by an earlier `:param` row of the same method (a literal row such as
 * /api/batches/statuses must come before /api/batches/:id). NULL if fine.
 * openapi_problem() checks that every row is described.
 */
const char *route_table_problem(const struct route *tab, size_t n);

#endif
