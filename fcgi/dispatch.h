/* dispatch.h - one request through the route table: the only place that writes HTTP. */
#ifndef KW_DISPATCH_H
#define KW_DISPATCH_H

#include <stddef.h>

#include "core/arena.h"

struct db;

struct server_cfg {
	const char *conninfo;
	size_t max_body;     /* request body cap in bytes (nginx's client_max_body_size) */
	int expected_schema; /* the migrations this binary was built with */
};

/* How the dispatcher reads the body and writes the response (FastCGI stream or stdio). */
struct http_io {
	void *h;
	size_t (*read)(void *h, char *buf, size_t n);
	void (*write)(void *h, const char *p, size_t n);
};

extern const struct server_cfg *server_cfg;

/*
 * Handle one request described by the CGI variables in env. Everything it
 * allocates lives in a; the caller resets a afterwards. Writes exactly one
 * response and one access-log line.
 */
void http_handle(const struct http_io *io, char **env, arena *a, struct db *db);

#endif
