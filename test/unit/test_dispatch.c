/* test_dispatch.c - the dispatcher end to end on an in-memory exchange (no web server, no db). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "db/db.h"
#include "dispatch.h"
#include "version.h"

struct mem {
	const char *in;
	size_t in_len, in_pos;
	char out[1 << 20]; /* the OpenAPI document is ~150 KB and grows */
	size_t out_len;
};

static size_t mem_read(void *h, char *buf, size_t n)
{
	struct mem *m = h;
	size_t k = m->in_len - m->in_pos < n ? m->in_len - m->in_pos : n;
	memcpy(buf, m->in + m->in_pos, k);
	m->in_pos += k;
	return k;
}

static void mem_write(void *h, const char *p, size_t n)
{
	struct mem *m = h;
	if (m->out_len + n >= sizeof(m->out))
		n = sizeof(m->out) - m->out_len - 1;
	memcpy(m->out + m->out_len, p, n);
	m->out_len += n;
	m->out[m->out_len] = '\0';
}

static struct server_cfg cfg = {
    .conninfo = "host=/nonexistent-kaowu port=1 connect_timeout=1",
    .max_body = 100,
    .expected_schema = KW_SCHEMA_VERSION,
};

/* Run one request; returns the raw response (status line, headers, body). */
static const char *run(struct mem *m, const char *method, const char *uri, const char *body,
		       const char *content_length)
{
	char *env[8];
	int n = 0;
	char e1[256], e2[512], e3[64];
	snprintf(e1, sizeof(e1), "REQUEST_METHOD=%s", method);
	snprintf(e2, sizeof(e2), "REQUEST_URI=%s", uri);
	env[n++] = e1;
	env[n++] = e2;
	if (content_length) {
		snprintf(e3, sizeof(e3), "CONTENT_LENGTH=%s", content_length);
		env[n++] = e3;
		env[n++] = "CONTENT_TYPE=application/json";
	}
	env[n] = NULL;
	memset(m, 0, sizeof(*m));
	m->in = body ? body : "";
	m->in_len = body ? strlen(body) : 0;
	server_cfg = &cfg;
	struct db *db = db_new(cfg.conninfo);
	arena *a = arena_new(4096);
	struct http_io io = {.h = m, .read = mem_read, .write = mem_write};
	http_handle(&io, env, a, db);
	arena_free(a);
	db_close(db);
	return m->out;
}

static struct mem m;

static void unknown_path_gets_the_error_envelope(void **state)
{
	(void)state;
	const char *out = run(&m, "GET", "/api/no/such/thing?x=1", NULL, NULL);
	assert_non_null(strstr(out, "Status: 404 Not Found\r\n"));
	assert_non_null(strstr(out, "Content-Type: application/json; charset=utf-8\r\n"));
	assert_non_null(strstr(out, "\r\n\r\n{\"error\":{\"code\":\"not_found\",\"message\":\""));
}

static void wrong_method_is_405_with_allow(void **state)
{
	(void)state;
	const char *out = run(&m, "POST", "/api/health", "{}", "2");
	assert_non_null(strstr(out, "Status: 405 Method Not Allowed\r\n"));
	assert_non_null(strstr(out, "Allow: GET\r\n"));
	assert_non_null(strstr(out, "\"code\":\"method_not_allowed\""));
}

static void body_over_the_cap_is_413_before_reading(void **state)
{
	(void)state;
	const char *out = run(&m, "GET", "/api/health", "{}", "101");
	assert_non_null(strstr(out, "Status: 413 Payload Too Large\r\n"));
	assert_non_null(strstr(out, "\"code\":\"too_large\""));
	assert_int_equal(m.in_pos, 0); /* nothing was read */
}

static void short_body_and_bad_length_are_400(void **state)
{
	(void)state;
	const char *out = run(&m, "GET", "/api/health", "{}", "50");
	assert_non_null(strstr(out, "Status: 400 Bad Request\r\n"));
	out = run(&m, "GET", "/api/health", "{}", "-2");
	assert_non_null(strstr(out, "Status: 400 Bad Request\r\n"));
	out = run(&m, "GET", "/api/health", "{\"a\":", "5");
	assert_non_null(strstr(out, "Status: 400 Bad Request\r\n"));
	assert_non_null(strstr(out, "\"code\":\"bad_request\""));
}

static void health_without_database_is_503(void **state)
{
	(void)state;
	const char *out = run(&m, "GET", "/api/health", NULL, NULL);
	assert_non_null(strstr(out, "Status: 503 Service Unavailable\r\n"));
	assert_non_null(strstr(out, "\"db\":\"down\",\"schema\":null"));
	assert_null(strstr(out, "\"version\"")); /* the build is behind login (issue 14 item 6) */
}

static void head_sends_no_body(void **state)
{
	(void)state;
	const char *out = run(&m, "HEAD", "/api/openapi.json", NULL, NULL);
	assert_non_null(strstr(out, "Status: 200 OK\r\n"));
	const char *end = strstr(out, "\r\n\r\n");
	assert_non_null(end);
	assert_int_equal(end[4], '\0');
}

static void openapi_describes_the_routes(void **state)
{
	(void)state;
	const char *out = run(&m, "GET", "/api/openapi.json", NULL, NULL);
	assert_non_null(strstr(out, "Status: 200 OK\r\n"));
	assert_non_null(strstr(out, "\"openapi\":\"3.0.3\""));
	assert_non_null(strstr(out, "\"/api/health\":{\"get\":{\"summary\":"));
	assert_non_null(strstr(out, "\"/api/openapi.json\":{\"get\""));
	assert_non_null(strstr(out, "\"Error\":"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(unknown_path_gets_the_error_envelope),
	    cmocka_unit_test(wrong_method_is_405_with_allow),
	    cmocka_unit_test(body_over_the_cap_is_413_before_reading),
	    cmocka_unit_test(short_body_and_bad_length_are_400),
	    cmocka_unit_test(health_without_database_is_503),
	    cmocka_unit_test(head_sends_no_body),
	    cmocka_unit_test(openapi_describes_the_routes),
	};
	return cmocka_run_group_tests_name("dispatch", tests, NULL, NULL);
}
