/* test_arena.c - the per-request arena: alignment, growth, defers, reset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"

static void alloc_is_aligned_and_distinct(void **state)
{
	(void)state;
	arena *a = arena_new(1024);
	char *p = arena_alloc(a, 3), *q = arena_alloc(a, 5);
	assert_true(((uintptr_t)p % sizeof(max_align_t)) == 0);
	assert_true(((uintptr_t)q % sizeof(max_align_t)) == 0);
	assert_true(q >= p + 3);
	memset(p, 'x', 3);
	memset(q, 'y', 5);
	assert_int_equal(p[2], 'x');
	arena_free(a);
}

static void large_allocations_get_their_own_block(void **state)
{
	(void)state;
	arena *a = arena_new(1024);
	char *big = arena_alloc(a, 1 << 20);
	memset(big, 1, 1 << 20);
	char *small = arena_alloc(a, 16);
	memset(small, 2, 16);
	assert_int_equal(big[(1 << 20) - 1], 1);
	assert_true(arena_used(a) >= (1 << 20) + 16);
	arena_free(a);
}

static void strings_and_printf(void **state)
{
	(void)state;
	arena *a = arena_new(1024);
	assert_string_equal(arena_strdup(a, "考务"), "考务");
	assert_string_equal(arena_strndup(a, "abcdef", 3), "abc");
	assert_null(arena_strdup(a, NULL));
	assert_string_equal(arena_printf(a, "%s-%d", "R", 15), "R-15");
	char *z = arena_zalloc(a, 64);
	for (int i = 0; i < 64; i++)
		assert_int_equal(z[i], 0);
	arena_free(a);
}

static int order[8], norder;
static void record(void *p)
{
	order[norder++] = *(int *)p;
}

static void defers_run_lifo_at_reset(void **state)
{
	(void)state;
	arena *a = arena_new(1024);
	static int one = 1, two = 2, three = 3;
	norder = 0;
	arena_defer(a, record, &one);
	arena_defer(a, record, &two);
	arena_defer(a, record, NULL); /* NULL objects are ignored */
	arena_defer(a, record, &three);
	assert_int_equal(norder, 0);
	arena_reset(a);
	assert_int_equal(norder, 3);
	assert_int_equal(order[0], 3);
	assert_int_equal(order[1], 2);
	assert_int_equal(order[2], 1);
	arena_reset(a); /* defers run once */
	assert_int_equal(norder, 3);
	arena_free(a);
}

static void reset_reuses_the_first_block(void **state)
{
	(void)state;
	arena *a = arena_new(4096);
	void *first = arena_alloc(a, 32);
	for (int i = 0; i < 100; i++)
		arena_alloc(a, 1000);
	arena_reset(a);
	assert_int_equal(arena_used(a), 0);
	assert_ptr_equal(arena_alloc(a, 32), first);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(alloc_is_aligned_and_distinct),
	    cmocka_unit_test(large_allocations_get_their_own_block),
	    cmocka_unit_test(strings_and_printf),
	    cmocka_unit_test(defers_run_lifo_at_reset),
	    cmocka_unit_test(reset_reuses_the_first_block),
	};
	return cmocka_run_group_tests_name("arena", tests, NULL, NULL);
}
