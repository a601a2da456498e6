/* test_err.c - the error table: every code maps to the status and code string of API.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"

static void codes_map_to_api_statuses(void **state)
{
	(void)state;
	static const struct {
		int err, status;
		const char *code;
	} want[] = {
	    {KW_EBADREQ, 400, "bad_request"},	 {KW_EUNAUTH, 401, "unauthorized"},
	    {KW_EFORBIDDEN, 403, "forbidden"},	 {KW_ECSRF, 403, "csrf"},
	    {KW_ENOTFOUND, 404, "not_found"},	 {KW_EMETHOD, 405, "method_not_allowed"},
	    {KW_ECONFLICT, 409, "conflict"},	 {KW_ETOOLARGE, 413, "too_large"},
	    {KW_EVALIDATION, 422, "validation"}, {KW_ERATELIMIT, 429, "rate_limited"},
	    {KW_EINTERNAL, 500, "internal"},	 {KW_EUNAVAILABLE, 503, "unavailable"},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct kw_errinfo *e = kw_errinfo(want[i].err);
		assert_int_equal(e->http_status, want[i].status);
		assert_string_equal(e->code, want[i].code);
		assert_true(strlen(e->message) > 0);
	}
}

static void unknown_codes_are_internal(void **state)
{
	(void)state;
	assert_int_equal(kw_errinfo(-999)->http_status, 500);
	assert_int_equal(kw_errinfo(12)->http_status, 500);
	assert_string_equal(kw_errinfo(-999)->code, "internal");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(codes_map_to_api_statuses),
	    cmocka_unit_test(unknown_codes_are_internal),
	};
	return cmocka_run_group_tests_name("err", tests, NULL, NULL);
}
