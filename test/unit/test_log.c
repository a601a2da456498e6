/* test_log.c - log records keep no ID number (issue 14 item 6): the masking of kw_log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/log.h"

/* Mask a copy of in and compare with want; returns the count. */
static int mask(const char *in, const char *want)
{
	char buf[256];
	strcpy(buf, in);
	int n = kw_log_mask_ids(buf, strlen(buf));
	assert_string_equal(buf, want);
	return n;
}

static void item6_id_numbers_are_masked(void **state)
{
	(void)state;
	assert_int_equal(
	    mask("GET /api/x/110105198510201235 404", "GET /api/x/1101**********1235 404"), 1);
	assert_int_equal(mask("Key (id_number)=(11010519870722442X) exists",
			      "Key (id_number)=(1101**********442X) exists"),
			 1);
	assert_int_equal(mask("a 11010519870722442x, b 320583198309094519.",
			      "a 1101**********442x, b 3205**********4519."),
			 2);
}

static void item6_other_numbers_stay(void **state)
{
	(void)state;
	assert_int_equal(mask("1101051985102012351 long run", "1101051985102012351 long run"), 0);
	assert_int_equal(mask("id 12345678901234567 short", "id 12345678901234567 short"), 0);
	assert_int_equal(mask("ab110105198510201235", "ab110105198510201235"), 0);
	assert_int_equal(mask("took 123456us", "took 123456us"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(item6_id_numbers_are_masked),
	    cmocka_unit_test(item6_other_numbers_stay),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
