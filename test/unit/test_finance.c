/* test_finance.c - R24 without a database: the 统一社会信用代码 check of an invoice's 纳税识别号
 * and the fen-to-yuan text (integers only). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "finance.h"

/* Real codes published by their companies verify; a changed character or a bad shape does not. */
static void R24_uscc_check_character(void **state)
{
	(void)state;
	assert_true(finance_uscc_valid("91350100M000100Y43"));
	assert_true(finance_uscc_valid("91110000802100433B"));
	assert_true(finance_uscc_valid("911100001000044477"));
	assert_false(finance_uscc_valid("91110000802100433C")); /* wrong check character */
	assert_false(finance_uscc_valid("91110000802100433"));	/* 17 characters */
	assert_false(finance_uscc_valid("91110000802100433BB"));
	assert_false(finance_uscc_valid("9111000080210043IB")); /* I is not in the alphabet */
	assert_false(finance_uscc_valid("91110000802100433b")); /* lower case */
	assert_false(finance_uscc_valid(""));
	assert_false(finance_uscc_valid(NULL));
}

/* Fen print as yuan with exactly two decimals, without floating point. */
static void R24_fen_as_yuan(void **state)
{
	(void)state;
	struct kw_ctx c = {.a = arena_new(4096)};
	assert_string_equal(finance_yuan(&c, 0), "0.00");
	assert_string_equal(finance_yuan(&c, 5), "0.05");
	assert_string_equal(finance_yuan(&c, 10), "0.10");
	assert_string_equal(finance_yuan(&c, 123450), "1234.50");
	assert_string_equal(finance_yuan(&c, 100000000000L), "1000000000.00");
	assert_string_equal(finance_yuan(&c, -199), "-1.99");
	arena_free(c.a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(R24_uscc_check_character),
	    cmocka_unit_test(R24_fen_as_yuan),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
