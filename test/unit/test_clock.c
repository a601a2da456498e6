/* test_clock.c - ISO-8601 parsing in China Standard Time and the KAOWU_CLOCK_FILE override. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/clock.h"

static void parses_dates_and_offsets(void **state)
{
	(void)state;
	time_t t;
	/* 2019-04-10 13:43 in Beijing is 05:43 UTC = 1554874980. */
	assert_true(kw_parse_time("2019-04-10T13:43:00+08:00", &t));
	assert_int_equal(t, 1554874980);
	assert_true(kw_parse_time("2019-04-10T05:43:00Z", &t));
	assert_int_equal(t, 1554874980);
	assert_true(kw_parse_time("2019-04-10 13:43", &t)); /* no offset: Beijing time */
	assert_int_equal(t, 1554874980);
	assert_true(kw_parse_time("2019-04-09T23:43:00-06:00", &t));
	assert_int_equal(t, 1554874980);
	assert_true(kw_parse_time("2019-04-10T13:43:00.123456+08:00", &t));
	assert_int_equal(t, 1554874980);
	/* A bare date is midnight in Beijing: 2019-04-09T16:00Z. */
	assert_true(kw_parse_time("2019-04-10", &t));
	assert_int_equal(t, 1554825600);
	assert_true(kw_parse_time(" 2024-02-29T08:00:00+08:00\n", &t)); /* leap day, file newline */
	assert_int_equal(t, 1709164800);
}

static void refuses_impossible_or_malformed(void **state)
{
	(void)state;
	time_t t;
	const char *bad[] = {"2019-02-29",
			     "2019-13-01",
			     "2019-04-31",
			     "2019-4-10",
			     "20190410",
			     "2019-04-10T25:00",
			     "2019-04-10T13:60",
			     "2019-04-10T13:43+8",
			     "2019-04-10X",
			     "2019-04-10T13:43:00+08:00junk",
			     "",
			     "1800-01-01"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(kw_parse_time(bad[i], &t));
	assert_false(kw_parse_time(NULL, &t));
}

static void formats_in_beijing_time(void **state)
{
	(void)state;
	char buf[32];
	kw_format_time(1554874980, buf, sizeof(buf));
	assert_string_equal(buf, "2019-04-10T13:43:00+08:00");
	kw_format_date(1554825600, buf,
		       sizeof(buf)); /* 16:00Z is already the next day in Beijing */
	assert_string_equal(buf, "2019-04-10");
}

static void clock_file_sets_now(void **state)
{
	(void)state;
	char path[] = "/tmp/kaowu-clock-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs("2019-06-01T09:00:00+08:00\n", f);
	fclose(f);
	setenv("KAOWU_CLOCK_FILE", path, 1);
	assert_int_equal(kw_now(), 1559350800);
	/* An unreadable or malformed file falls back to the system clock. */
	f = fopen(path, "w");
	fputs("not a time", f);
	fclose(f);
	time_t before = time(NULL);
	assert_true(kw_now() >= before);
	unlink(path);
	assert_true(kw_now() >= before);
	unsetenv("KAOWU_CLOCK_FILE");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parses_dates_and_offsets),
	    cmocka_unit_test(refuses_impossible_or_malformed),
	    cmocka_unit_test(formats_in_beijing_time),
	    cmocka_unit_test(clock_file_sets_now),
	};
	return cmocka_run_group_tests_name("clock", tests, NULL, NULL);
}
