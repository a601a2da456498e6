/* test_idcard.c - R29: ID number checksum, birth date, sex and age. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/clock.h"
#include "core/idcard.h"

static time_t at(const char *iso)
{
	time_t t = 0;
	assert_true(kw_parse_time(iso, &t));
	return t;
}

static void R29_valid_numbers_give_sex_birth_and_age(void **state)
{
	(void)state;
	struct idcard_info info;
	time_t now = at("2019-04-10");
	assert_true(idcard_check("110226198908051235", now, &info)); /* 申通 of the demo data */
	assert_string_equal(info.birth_date, "1989-08-05");
	assert_int_equal(info.sex, 'M');
	assert_int_equal(idcard_age(&info, now), 29); /* the manual's roster shows 29 */
	assert_int_equal(idcard_age(&info, at("2019-08-05")), 30);
	assert_int_equal(idcard_age(&info, at("2019-08-04")), 29);

	assert_true(idcard_check("11010519870722442x", now, &info)); /* lower-case x */
	assert_string_equal(info.normalized, "11010519870722442X");
	assert_int_equal(info.sex, 'F');
}

static void R29_bad_checksum_date_or_shape_is_refused(void **state)
{
	(void)state;
	time_t now = at("2019-04-10");
	const char *bad[] = {
	    "110226198908051234",  /* the manual's own example fails its checksum */
	    "422201198601176250",  /* likewise */
	    "11022619890805123",   /* 17 characters */
	    "1102261989080512355", /* 19 */
	    "11022619890805123A",  /* bad check character */
	    "11022619890230123X",  /* 1989-02-30, checksum right */
	    "11022618000101123X",  /* before 1900, checksum right */
	    "110226203001011239",  /* born in the future, checksum right */
	    "",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(idcard_check(bad[i], now, NULL));
	assert_false(idcard_check(NULL, now, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(R29_valid_numbers_give_sex_birth_and_age),
	    cmocka_unit_test(R29_bad_checksum_date_or_shape_is_refused),
	};
	return cmocka_run_group_tests_name("idcard", tests, NULL, NULL);
}
