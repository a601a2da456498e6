/* test_router.c - route matching: params, 404 versus 405, HEAD, decoding, table checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "router.h"

static int h_dummy(struct request *r)
{
	(void)r;
	return 0;
}

static const struct route tab[] = {
    ROUTE("GET", "/api/batches", h_dummy, R_PUBLIC, 0, "batch", "list", NULL, NULL),
    ROUTE("POST", "/api/batches", h_dummy, R_ORG, 0, "batch", "create", NULL, NULL),
    ROUTE("GET", "/api/batches/:id", h_dummy, R_ANY, 0, "batch", "get", NULL, NULL),
    ROUTE("POST", "/api/batches/:id/actions/:action", h_dummy, R_ANY, 0, "batch", "act", NULL,
	  NULL),
    ROUTE("DELETE", "/api/papers/:id/questions/:qid", h_dummy, R_ORG, 0, "paper", "del", NULL,
	  NULL),
};
#define N (sizeof(tab) / sizeof(tab[0]))

static struct request req(arena *a, const char *method, const char *path)
{
	struct request r = {.a = a, .method = method, .path = path, .query = ""};
	return r;
}

static void exact_and_parameter_matches(void **state)
{
	(void)state;
	arena *a = arena_new(1024);
	const char *allow = NULL;
	struct request r = req(a, "GET", "/api/batches");
	assert_int_equal(route_match(tab, N, &r, &allow), 0);
	assert_ptr_equal(r.route, &tab[0]);

	r = req(a, "POST", "/api/batches/42/actions/submit");
	assert_int_equal(route_match(tab, N, &r, &allow), 0);
	assert_ptr_equal(r.route, &tab[3]);
	assert_string_equal(req_param(&r, "id"), "42");
	assert_string_equal(req_param(&r, "action"), "submit");
	assert_int_equal(req_param_id(&r, "id"), 42);
	assert_null(req_param(&r, "nope"));
	arena_free(a);
}

static void unknown_path_is_404_known_path_wrong_method_is_405(void **state)
{
	(void)state;
	arena *a = arena_new(1024);
	const char *allow = NULL;
	struct request r = req(a, "GET", "/api/nothing");
	assert_int_equal(route_match(tab, N, &r, &allow), KW_ENOTFOUND);

	r = req(a, "PUT", "/api/batches");
	assert_int_equal(route_match(tab, N, &r, &allow), KW_EMETHOD);
	assert_string_equal(allow, "GET, POST");

	r = req(a, "GET", "/api/papers/1/questions/2");
	assert_int_equal(route_match(tab, N, &r, &allow), KW_EMETHOD);
	assert_string_equal(allow, "DELETE");
	arena_free(a);
}

static void head_matches_get(void **state)
{
	(void)state;
	arena *a = arena_new(1024);
	const char *allow = NULL;
	struct request r = req(a, "HEAD", "/api/batches/7");
	assert_int_equal(route_match(tab, N, &r, &allow), 0);
	assert_ptr_equal(r.route, &tab[2]);
	arena_free(a);
}

static void segments_must_line_up(void **state)
{
	(void)state;
	arena *a = arena_new(1024);
	const char *allow = NULL;
	const char *bad[] = {"/api/batches/",
			     "/api/batches//actions/x",
			     "/api/batches/1/actions",
			     "/api/batches/1/actions/x/y",
			     "/api//batches",
			     "/apix/batches",
			     ""};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct request r = req(a, "GET", bad[i]);
		int rc = route_match(tab, N, &r, &allow);
		assert_true(rc == KW_ENOTFOUND || rc == KW_EMETHOD);
		assert_null(r.route);
	}
	arena_free(a);
}

static void parameters_are_percent_decoded_and_ids_checked(void **state)
{
	(void)state;
	arena *a = arena_new(1024);
	const char *allow = NULL;
	struct request r = req(a, "POST", "/api/batches/12/actions/%E5%AE%A1%E6%A0%B8");
	assert_int_equal(route_match(tab, N, &r, &allow), 0);
	assert_string_equal(req_param(&r, "action"), "审核");

	r = req(a, "GET", "/api/batches/%zz");
	assert_int_equal(route_match(tab, N, &r, &allow), KW_ENOTFOUND);
	r = req(a, "GET", "/api/batches/%00");
	assert_int_equal(route_match(tab, N, &r, &allow), KW_ENOTFOUND);

	const char *not_ids[] = {"-1", "1x", "abc", "99999999999999999999", "0x10"};
	for (size_t i = 0; i < sizeof(not_ids) / sizeof(not_ids[0]); i++) {
		r = req(a, "GET", arena_printf(a, "/api/batches/%s", not_ids[i]));
		assert_int_equal(route_match(tab, N, &r, &allow), 0);
		assert_int_equal(req_param_id(&r, "id"), 0);
	}
	arena_free(a);
}

static void query_parameters_are_decoded(void **state)
{
	(void)state;
	arena *a = arena_new(1024);
	struct request r = req(a, "GET", "/api/batches");
	r.query = "status=%E6%8A%A5%E5%90%8D%E4%B8%AD&q=a+b&empty=&flag&page=2";
	assert_string_equal(req_query(&r, "status"), "报名中");
	assert_string_equal(req_query(&r, "q"), "a b");
	assert_string_equal(req_query(&r, "empty"), "");
	assert_string_equal(req_query(&r, "flag"), "");
	assert_string_equal(req_query(&r, "page"), "2");
	assert_null(req_query(&r, "missing"));
	assert_null(req_query(&r, "pag"));
	arena_free(a);
}

static void table_checks_find_problems(void **state)
{
	(void)state;
	assert_null(route_table_problem(tab, N));
	/* The real table is well-formed and fully described (it feeds OpenAPI). */
	assert_null(route_table_problem(routes, routes_count));

	const struct route dup[] = {
	    ROUTE("GET", "/api/a", h_dummy, 0, 0, "t", "s", NULL, NULL),
	    ROUTE("GET", "/api/a", h_dummy, 0, 0, "t", "s", NULL, NULL),
	};
	assert_non_null(route_table_problem(dup, 2));
	const struct route undescribed[] = {
	    ROUTE("GET", "/api/a", h_dummy, 0, 0, "t", "", NULL, NULL),
	};
	assert_non_null(route_table_problem(undescribed, 1));
	const struct route bad_schema[] = {
	    ROUTE("GET", "/api/a", h_dummy, 0, 0, "t", "s", "{not json", NULL),
	};
	assert_non_null(route_table_problem(bad_schema, 1));
	const struct route bad_method[] = {
	    ROUTE("FETCH", "/api/a", h_dummy, 0, 0, "t", "s", NULL, NULL),
	};
	assert_non_null(route_table_problem(bad_method, 1));
	const struct route trailing[] = {
	    ROUTE("GET", "/api/a/", h_dummy, 0, 0, "t", "s", NULL, NULL),
	};
	assert_non_null(route_table_problem(trailing, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(exact_and_parameter_matches),
	    cmocka_unit_test(unknown_path_is_404_known_path_wrong_method_is_405),
	    cmocka_unit_test(head_matches_get),
	    cmocka_unit_test(segments_must_line_up),
	    cmocka_unit_test(parameters_are_percent_decoded_and_ids_checked),
	    cmocka_unit_test(query_parameters_are_decoded),
	    cmocka_unit_test(table_checks_find_problems),
	};
	return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
