/* test_grading.c - R19's grade bands from the lower of the two scores, every edge, and their words.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "grading.h"

/* Each band edge on both sides; the lower score decides; absence wins. */
static void r19_band_edges(void **state)
{
	(void)state;
	static const struct {
		double theory, practical;
		bool absent;
		const char *grade, *text;
	} want[] = {
	    {0, 100, false, "fail", "不合格"},	    {59.9, 100, false, "fail", "不合格"},
	    {60, 100, false, "pass", "合格"},	    {100, 60, false, "pass", "合格"},
	    {79.9, 90, false, "pass", "合格"},	    {80, 80, false, "good", "良好"},
	    {89.9, 95, false, "good", "良好"},	    {90, 90, false, "excellent", "优秀"},
	    {100, 100, false, "excellent", "优秀"}, {100, 100, true, "absent", "缺考"},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const char *g = grading_grade(want[i].theory, want[i].practical, want[i].absent);
		assert_string_equal(g, want[i].grade);
		assert_string_equal(grading_grade_text(g), want[i].text);
	}
	assert_string_equal(grading_grade_text(NULL), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(r19_band_edges)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
