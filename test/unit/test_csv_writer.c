/* test_csv_writer.c - the CSV writer: BOM, CRLF, RFC 4180 quoting, formula guard, numbers, errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "core/err.h"
#include "office/csv_writer.h"

#define BOM "\xef\xbb\xbf"

/* The buffer as a NUL-terminated string (it is text). */
static const char *text(struct kw_membuf *mb)
{
	kw_membuf_sink(mb, "", 1);
	mb->len--;
	return (const char *)mb->data;
}

static void starts_with_bom_and_ends_rows_with_crlf(void **state)
{
	(void)state;
	struct kw_membuf mb = {0};
	csv_writer *w = csv_open(kw_membuf_sink, &mb);
	assert_int_equal(mb.len, 0); /* buffered until full or closed */
	csv_field(w, "类别");
	csv_field(w, "姓名");
	csv_row_end(w);
	csv_field(w, "国家职业技能鉴定");
	csv_field(w, "张三");
	csv_row_end(w);
	assert_int_equal(csv_close(w), 0);
	assert_string_equal(text(&mb), BOM "类别,姓名\r\n国家职业技能鉴定,张三\r\n");
	kw_membuf_free(&mb);
}

static void quotes_what_rfc4180_needs(void **state)
{
	(void)state;
	struct kw_membuf mb = {0};
	csv_writer *w = csv_open(kw_membuf_sink, &mb);
	csv_field(w, "plain");
	csv_field(w, "a,b");
	csv_field(w, "say \"hi\"");
	csv_field(w, "two\nlines");
	csv_field(w, "cr\rhere");
	csv_field(w, " lead");
	csv_field(w, "trail ");
	csv_field(w, "");
	csv_field(w, NULL);
	csv_field(w, "\"");
	csv_field_len(w, "abc,def", 3);
	csv_row_end(w);
	assert_int_equal(csv_close(w), 0);
	assert_string_equal(text(&mb), BOM "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\","
					   "\"cr\rhere\",\" lead\",\"trail \",,,\"\"\"\",abc\r\n");
	kw_membuf_free(&mb);
}

static void guards_against_formula_injection(void **state)
{
	(void)state;
	struct kw_membuf mb = {0};
	csv_writer *w = csv_open(kw_membuf_sink, &mb);
	csv_field(w, "=1+1");
	csv_field(w, "+86 10");
	csv_field(w, "-5");
	csv_field(w, "@SUM(A1)");
	csv_field(w, "\tx");
	csv_field(w, "\rx");
	csv_field(w, "=HYPERLINK(\"http://x\",\"y\")");
	csv_field(w, "a=b");
	csv_row_end(w);
	assert_int_equal(csv_close(w), 0);
	assert_string_equal(text(&mb), BOM "'=1+1,'+86 10,'-5,'@SUM(A1),\"'\tx\",\"'\rx\","
					   "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",a=b\r\n");
	kw_membuf_free(&mb);
}

static void numbers_are_not_guarded(void **state)
{
	(void)state;
	struct kw_membuf mb = {0};
	csv_writer *w = csv_open(kw_membuf_sink, &mb);
	csv_field_number(w, "-5");
	csv_field_number(w, "85.50");
	csv_field_number(w, "-1e-3");
	csv_field_number(w, "-5+cmd|' /C calc'!A0"); /* not a number: guarded text */
	csv_field_number(w, NULL);
	csv_field_int(w, -5);
	csv_field_int(w, INT64_MIN);
	csv_field_double(w, 0.1);
	csv_field_double(w, -1.0 / 3);
	csv_field_double(w, NAN);
	csv_row_end(w);
	assert_int_equal(csv_close(w), 0);
	assert_string_equal(text(&mb), BOM "-5,85.50,-1e-3,'-5+cmd|' /C calc'!A0,,-5,"
					   "-9223372036854775808,0.1,-0.33333333333333331,\r\n");
	kw_membuf_free(&mb);
}

static const struct xlsx_col cols[] = {
    {.header = "姓名", .type = XLSX_TEXT},
    {.header = "成绩", .type = XLSX_DECIMAL, .decimals = 1},
    {.header = "出生日期", .type = XLSX_DATE},
    {.header = "提交时间", .type = XLSX_DATETIME},
    {.header = "双证", .type = XLSX_BOOL},
    {.header = "备注, \"说明\"", .type = XLSX_TEXT},
};

static void auto_fields_follow_the_columns(void **state)
{
	(void)state;
	struct kw_membuf mb = {0};
	csv_writer *w = csv_open(kw_membuf_sink, &mb);
	assert_int_equal(csv_columns(w, cols, 6), 0);
	const char *row1[] = {"-张三", "-5", "2019-06-28", "2019-06-28 14:30:05.5+08",
			      "t",     NULL, "extra"};
	const char *row2[] = {"李四", "=1+1", "2019-02-30", "infinity", "maybe", "", "-x"};
	for (int i = 0; i < 7; i++)
		csv_field_auto(w, row1[i]);
	csv_row_end(w);
	for (int i = 0; i < 7; i++)
		csv_field_auto(w, row2[i]);
	csv_row_end(w);
	csv_field_auto(w, "last row without csv_row_end");
	assert_int_equal(csv_close(w), 0);
	assert_string_equal(text(&mb),
			    BOM "姓名,成绩,出生日期,提交时间,双证,\"备注, \"\"说明\"\"\"\r\n"
				"'-张三,-5,2019-06-28,2019-06-28 14:30:05,TRUE,,extra\r\n"
				"李四,'=1+1,2019-02-30,infinity,maybe,,'-x\r\n"
				"last row without csv_row_end\r\n");
	kw_membuf_free(&mb);
}

/* A sink that fails once it has received `budget` bytes. */
struct failing {
	size_t budget, got;
	int calls;
	size_t max_chunk;
};

static int failing_sink(void *ctx, const void *buf, size_t len)
{
	struct failing *f = ctx;
	(void)buf;
	f->calls++;
	if (len > f->max_chunk)
		f->max_chunk = len;
	if (f->got + len > f->budget)
		return KW_EUNAVAILABLE;
	f->got += len;
	return 0;
}

static void streams_in_chunks_and_errors_stick(void **state)
{
	(void)state;
	struct failing f = {.budget = 1 << 30};
	csv_writer *w = csv_open(failing_sink, &f);
	for (int i = 0; i < 20000; i++) {
		csv_field_int(w, i);
		csv_field(w, "机械行业职业技能鉴定汽车北京奔驰站");
		csv_row_end(w);
	}
	assert_true(f.calls > 5);
	assert_true(f.max_chunk <= 64 * 1024);
	assert_int_equal(csv_close(w), 0);

	struct failing g = {.budget = 100000};
	w = csv_open(failing_sink, &g);
	int i;
	for (i = 0; i < 1000000; i++) {
		csv_field(w, "机械行业职业技能鉴定汽车北京奔驰站");
		if (csv_row_end(w))
			break;
	}
	assert_true(i < 1000000);
	int calls = g.calls;
	assert_int_equal(csv_error(w), KW_EUNAVAILABLE);
	assert_int_equal(csv_field(w, "x"), KW_EUNAVAILABLE);
	assert_int_equal(csv_close(w), KW_EUNAVAILABLE);
	assert_int_equal(g.calls, calls);

	struct kw_membuf mb = {0};
	w = csv_open(kw_membuf_sink, &mb);
	csv_field(w, "x");
	assert_int_equal(csv_columns(w, cols, 6), KW_EINTERNAL); /* after a field */
	assert_int_equal(csv_close(w), KW_EINTERNAL);
	assert_int_equal(mb.len, 0); /* after an error nothing is flushed */
	kw_membuf_free(&mb);

	w = csv_open(kw_membuf_sink, &mb);
	csv_field(w, "dropped");
	csv_free(w); /* discarded: nothing reached the sink, nothing leaks */
	assert_int_equal(mb.len, 0);
	kw_membuf_free(&mb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(starts_with_bom_and_ends_rows_with_crlf),
	    cmocka_unit_test(quotes_what_rfc4180_needs),
	    cmocka_unit_test(guards_against_formula_injection),
	    cmocka_unit_test(numbers_are_not_guarded),
	    cmocka_unit_test(auto_fields_follow_the_columns),
	    cmocka_unit_test(streams_in_chunks_and_errors_stick),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
