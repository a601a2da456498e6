/* test_router.c - route matching: params, 404 versus 405, HEAD, decoding, table checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "openapi.h"
#include "router.h"

static int h_dummy(struct request *r)
{
	(void)r;
	return 0;
}

static const struct route tab[] = {
    ROUTE("GET", "/api/batches", h_dummy, R_PUBLIC, 0),
    ROUTE("POST", "/api/batches", h_dummy, R_ORG, 0),
    ROUTE("GET", "/api/batches/:id", h_dummy, R_ANY, 0),
    ROUTE("POST", "/api/batches/:id/actions/:action", h_dummy, R_ANY, 0),
    ROUTE("DELETE", "/api/papers/:id/questions/:qid", h_dummy, R_ORG, 0),
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
	/* The real table is well-formed. */
	assert_null(route_table_problem(routes, routes_count));

	const struct route dup[] = {
	    ROUTE("GET", "/api/a", h_dummy, 0, 0),
	    ROUTE("GET", "/api/a", h_dummy, 0, 0),
	};
	assert_non_null(route_table_problem(dup, 2));
	const struct route bad_method[] = {
	    ROUTE("FETCH", "/api/a", h_dummy, 0, 0),
	};
	assert_non_null(route_table_problem(bad_method, 1));
	const struct route trailing[] = {
	    ROUTE("GET", "/api/a/", h_dummy, 0, 0),
	};
	assert_non_null(route_table_problem(trailing, 1));
}

/* A `:param` row above a literal row of the same method would swallow it (it would 404). */
static void test_param_row_may_not_hide_a_later_literal_row(void **state)
{
	(void)state;
	const struct route hidden[] = {
	    ROUTE("GET", "/api/batches/:id", h_dummy, R_ANY, 0),
	    ROUTE("GET", "/api/batches/statuses", h_dummy, R_ANY, 0),
	};
	const char *p = route_table_problem(hidden, 2);
	assert_non_null(p);
	assert_non_null(strstr(p, "/api/batches/statuses"));
	const struct route literal_first[] = {
	    ROUTE("GET", "/api/batches/statuses", h_dummy, R_ANY, 0),
	    ROUTE("GET", "/api/batches/:id", h_dummy, R_ANY, 0),
	};
	assert_null(route_table_problem(literal_first, 2));
	const struct route other_method[] = {
	    ROUTE("PUT", "/api/batches/:id", h_dummy, R_ANY, 0),
	    ROUTE("GET", "/api/batches/statuses", h_dummy, R_ANY, 0),
	};
	assert_null(route_table_problem(other_method, 2));
	const struct route deeper[] = {
	    ROUTE("POST", "/api/orgs/:id/actions/:action", h_dummy, R_ANY, 0),
	    ROUTE("POST", "/api/orgs/:id/actions/freeze", h_dummy, R_ANY, 0),
	};
	assert_non_null(route_table_problem(deeper, 2));
	const struct route different_length[] = {
	    ROUTE("GET", "/api/papers/:id", h_dummy, R_ANY, 0),
	    ROUTE("GET", "/api/papers/:id/export", h_dummy, R_ANY, 0),
	};
	assert_null(route_table_problem(different_length, 2));
}

/* Every real row has exactly one operation in fcgi/api/<tag>.json and every operation a row. */
static void test_every_route_has_one_operation_and_back(void **state)
{
	(void)state;
	json_object *spec = api_spec();
	assert_non_null(spec);
	assert_null(openapi_problem(routes, routes_count, spec));

	const struct route extra[] = {
	    ROUTE("GET", "/api/nowhere", h_dummy, R_ANY, 0),
	};
	const char *p = openapi_problem(extra, 1, spec);
	assert_non_null(p);
	assert_non_null(strstr(p, "GET /api/nowhere"));
	/* A table missing rows leaves operations without a row. */
	p = openapi_problem(routes, routes_count - 1, spec);
	assert_non_null(p);
	assert_non_null(strstr(p, "has no route row"));
}

static const struct api_file good_files[] = {
    {"a.json", "{\"tag\":\"a\",\"schemas\":{\"Error\":{\"type\":\"object\"},\"A\":"
	       "{\"type\":\"object\"}},\"operations\":{\"GET /api/a/{id}\":{\"summary\":"
	       "\"s\",\"response\":{\"$ref\":\"#/components/schemas/A\"},\"errors\":[404]}}}"},
};

/* The checks on the JSON files themselves: names once, refs defined, statuses sane. */
static void test_operation_files_are_checked(void **state)
{
	(void)state;
	const char *problem;
	const struct route one[] = {ROUTE("GET", "/api/a/:id", h_dummy, R_ANY, 0)};
	json_object *spec = api_spec_parse(good_files, 1, &problem);
	assert_non_null(spec);
	assert_null(openapi_problem(one, 1, spec));
	json_object_put(spec);

	const struct api_file twice[] = {good_files[0], {"b.json", good_files[0].text}};
	assert_null(api_spec_parse(twice, 2, &problem));
	assert_non_null(problem);
	const struct api_file not_json[] = {{"a.json", "{\"tag\":"}};
	assert_null(api_spec_parse(not_json, 1, &problem));
	assert_non_null(strstr(problem, "a.json"));

	const struct api_file dangling[] = {
	    {"a.json", "{\"tag\":\"a\",\"schemas\":{\"Error\":{}},\"operations\":{"
		       "\"GET /api/a/{id}\":{\"summary\":\"s\",\"response\":{\"$ref\":"
		       "\"#/components/schemas/Nope\"}}}}"},
	};
	spec = api_spec_parse(dangling, 1, &problem);
	assert_non_null(spec);
	assert_non_null(strstr(openapi_problem(one, 1, spec), "Nope"));
	json_object_put(spec);

	const struct api_file bad_status[] = {
	    {"a.json", "{\"tag\":\"a\",\"schemas\":{\"Error\":{}},\"operations\":{"
		       "\"GET /api/a/{id}\":{\"summary\":\"s\",\"status\":404}}}"},
	};
	spec = api_spec_parse(bad_status, 1, &problem);
	assert_non_null(openapi_problem(one, 1, spec));
	json_object_put(spec);
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
	    cmocka_unit_test(test_param_row_may_not_hide_a_later_literal_row),
	    cmocka_unit_test(test_every_route_has_one_operation_and_back),
	    cmocka_unit_test(test_operation_files_are_checked),
	};
	return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
