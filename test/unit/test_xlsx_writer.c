/* test_xlsx_writer.c - the streaming XLSX writer: zip container, typed cells, escaping, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>
#include <zip.h>

#include "core/err.h"
#include "office/xlsx_writer.h"
#include "office/zipstream.h"

/* Read one entry of an in-memory zip, NUL-terminated; NULL if it is missing. */
static char *zip_entry_text(const struct kw_membuf *mb, const char *name, size_t *len)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(mb->data, mb->len, 0, &ze);
	assert_non_null(src);
	zip_t *za = zip_open_from_source(src, ZIP_CHECKCONS | ZIP_RDONLY, &ze);
	assert_non_null(za);
	char *out = NULL;
	zip_stat_t st;
	if (zip_stat(za, name, 0, &st) == 0) {
		assert_int_equal(st.comp_method, ZIP_CM_DEFLATE);
		zip_file_t *f = zip_fopen(za, name, 0);
		assert_non_null(f);
		out = malloc(st.size + 1);
		zip_int64_t n = zip_fread(f, out, st.size);
		assert_int_equal(n, (zip_int64_t)st.size);
		char extra;
		assert_int_equal(zip_fread(f, &extra, 1), 0); /* at the end: the CRC is checked */
		assert_int_equal(zip_fclose(f), 0);
		out[st.size] = 0;
		if (len)
			*len = st.size;
	}
	zip_close(za);
	zip_error_fini(&ze);
	return out;
}

/* Assert that an entry contains needle. */
static void assert_entry_has(const struct kw_membuf *mb, const char *name, const char *needle)
{
	char *xml = zip_entry_text(mb, name, NULL);
	assert_non_null(xml);
	if (!strstr(xml, needle))
		fail_msg("%s lacks %s", name, needle);
	free(xml);
}

/* Assert that an entry does not contain needle. */
static void assert_entry_lacks(const struct kw_membuf *mb, const char *name, const char *needle)
{
	char *xml = zip_entry_text(mb, name, NULL);
	assert_non_null(xml);
	if (strstr(xml, needle))
		fail_msg("%s has %s", name, needle);
	free(xml);
}

#define SHEET1 "xl/worksheets/sheet1.xml"

static const struct xlsx_col cols3[] = {
    {.header = "姓名", .type = XLSX_TEXT},
    {.header = "理论成绩", .type = XLSX_INT},
    {.header = "颁证日期", .type = XLSX_DATE},
};

static void writes_every_part_of_a_valid_zip(void **state)
{
	(void)state;
	struct kw_membuf mb = {0};
	xlsx_writer *w = xlsx_open(kw_membuf_sink, &mb);
	assert_int_equal(xlsx_add_sheet(w, "证书"), 0);
	assert_int_equal(xlsx_columns(w, cols3, 3), 0);
	xlsx_row_begin(w);
	xlsx_cell_text(w, "张三");
	xlsx_cell_int(w, 86);
	xlsx_cell_date(w, 2019, 6, 28);
	assert_int_equal(xlsx_row_end(w), 0);
	assert_int_equal(xlsx_close(w), 0);

	static const char *parts[] = {"[Content_Types].xml", "_rels/.rels",
				      "docProps/app.xml",    "docProps/core.xml",
				      "xl/workbook.xml",     "xl/_rels/workbook.xml.rels",
				      "xl/styles.xml",	     SHEET1};
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		char *t = zip_entry_text(&mb, parts[i], NULL);
		if (!t)
			fail_msg("missing %s", parts[i]);
		assert_memory_equal(t, "<?xml", 5);
		free(t);
	}
	assert_entry_has(
	    &mb, "[Content_Types].xml",
	    "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/"
	    "vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>");
	assert_entry_has(&mb, "xl/workbook.xml",
			 "<sheet name=\"证书\" sheetId=\"1\" r:id=\"rId1\"/>");
	assert_entry_has(&mb, "xl/_rels/workbook.xml.rels", "Target=\"worksheets/sheet1.xml\"");
	/* A local header starts the file; the end-of-central-directory record ends it. */
	assert_memory_equal(mb.data, "PK\x03\x04", 4);
	assert_memory_equal(mb.data + mb.len - 22, "PK\x05\x06", 4);
	kw_membuf_free(&mb);
}

static void cells_have_real_types(void **state)
{
	(void)state;
	struct kw_membuf mb = {0};
	xlsx_writer *w = xlsx_open(kw_membuf_sink, &mb);
	xlsx_add_sheet(w, "S");
	xlsx_row_begin(w);
	xlsx_cell_int(w, 42);
	xlsx_cell_text(w, "机械工业");
	xlsx_cell_number(w, 85.5);
	xlsx_cell_date(w, 2019, 6, 28);
	xlsx_cell_datetime(w, 2019, 6, 28, 12, 0, 0);
	xlsx_cell_bool(w, true);
	xlsx_cell_blank(w);
	xlsx_cell_int(w, -7);
	xlsx_cell_time(w, 1561703400); /* 2019-06-28T06:30:00Z: 14:30 in Beijing */
	xlsx_row_end(w);
	xlsx_row_begin(w);
	xlsx_cell_blank(w);
	xlsx_cell_text(w, "B2");
	xlsx_row_end(w);
	assert_int_equal(xlsx_close(w), 0);

	assert_entry_has(&mb, SHEET1, "<row r=\"1\"><c r=\"A1\"><v>42</v></c>");
	assert_entry_has(&mb, SHEET1,
			 "<c r=\"B1\" s=\"2\" t=\"inlineStr\"><is><t>机械工业</t></is></c>");
	assert_entry_has(&mb, SHEET1, "<c r=\"C1\"><v>85.5</v></c>");
	assert_entry_has(&mb, SHEET1, "<c r=\"D1\" s=\"3\"><v>43644</v></c>");
	assert_entry_has(&mb, SHEET1, "<c r=\"E1\" s=\"4\"><v>43644.5</v></c>");
	assert_entry_has(&mb, SHEET1, "<c r=\"F1\" t=\"b\"><v>1</v></c>");
	assert_entry_lacks(&mb, SHEET1, "r=\"G1\"");
	assert_entry_has(&mb, SHEET1, "<c r=\"H1\"><v>-7</v></c>");
	assert_entry_has(&mb, SHEET1, "<c r=\"I1\" s=\"4\"><v>43644.604166666664</v></c>");
	assert_entry_has(&mb, SHEET1,
			 "<row r=\"2\"><c r=\"B2\" s=\"2\" t=\"inlineStr\"><is><t>B2</t></is></c>"
			 "</row>");
	/* No header declared: no frozen pane, no filter. */
	assert_entry_lacks(&mb, SHEET1, "<pane");
	assert_entry_lacks(&mb, SHEET1, "autoFilter");
	/* The styles the cells name: text "@", yyyy-mm-dd, yyyy-mm-dd hh:mm. */
	assert_entry_has(&mb, "xl/styles.xml",
			 "<numFmt numFmtId=\"164\" formatCode=\"yyyy-mm-dd\"/>");
	assert_entry_has(&mb, "xl/styles.xml",
			 "<numFmt numFmtId=\"165\" formatCode=\"yyyy-mm-dd hh:mm\"/>");
	kw_membuf_free(&mb);
}

static void numbers_keep_their_value(void **state)
{
	(void)state;
	struct kw_membuf mb = {0};
	xlsx_writer *w = xlsx_open(kw_membuf_sink, &mb);
	xlsx_row_begin(w);
	xlsx_cell_number(w, 0.1);
	xlsx_cell_number(w, 1.0 / 3);
	xlsx_cell_number(w, NAN);
	xlsx_cell_number(w, -INFINITY);
	xlsx_cell_int(w, INT64_MIN);
	xlsx_cell_int(w, 999999999999999);
	xlsx_cell_int(w, 1000000000000000);
	xlsx_row_end(w);
	assert_int_equal(xlsx_close(w), 0);
	assert_entry_has(&mb, SHEET1, "<c r=\"A1\"><v>0.1</v></c>");
	assert_entry_has(&mb, SHEET1, "<c r=\"B1\"><v>0.33333333333333331</v></c>");
	assert_entry_has(&mb, SHEET1, "<c r=\"C1\" s=\"2\" t=\"inlineStr\"><is><t>NaN</t>");
	assert_entry_has(&mb, SHEET1, "<c r=\"D1\" s=\"2\" t=\"inlineStr\"><is><t>-Infinity</t>");
	/* Beyond 15 digits Excel would round: the digits are kept as text. */
	assert_entry_has(&mb, SHEET1, "<is><t>-9223372036854775808</t></is>");
	assert_entry_has(&mb, SHEET1, "<c r=\"F1\"><v>999999999999999</v></c>");
	assert_entry_has(&mb, SHEET1,
			 "<c r=\"G1\" s=\"2\" t=\"inlineStr\"><is><t>1000000000000000</t>");
	kw_membuf_free(&mb);
}

static void text_is_escaped_and_cleaned(void **state)
{
	(void)state;
	struct kw_membuf mb = {0};
	xlsx_writer *w = xlsx_open(kw_membuf_sink, &mb);
	xlsx_row_begin(w);
	xlsx_cell_text(w, "a<b & c>d \"q\"");
	xlsx_cell_text(w, "x\x01\x08\x0b\x0c\x1fy\tz\nw\rv");
	xlsx_cell_text(w, "bad\xff\xc3(\xe4\xb8");
	xlsx_cell_text(w, "_x0041_ and _x12_ and _xZZZZ_");
	xlsx_cell_text(w, " padded ");
	xlsx_cell_text(w, "鉴定站 😀 ＝全角");
	xlsx_cell_text(w, "\xef\xbf\xbe\xef\xbf\xbfok"); /* U+FFFE, U+FFFF: not XML characters */
	xlsx_cell_text(w, "");
	xlsx_cell_text(w, NULL);
	xlsx_cell_text_len(w, "cut here", 3);
	xlsx_row_end(w);
	assert_int_equal(xlsx_close(w), 0);
	assert_entry_has(&mb, SHEET1, "<t>a&lt;b &amp; c&gt;d &quot;q&quot;</t>");
	assert_entry_has(&mb, SHEET1, "<t>xy\tz\nw&#13;v</t>");
	assert_entry_has(&mb, SHEET1,
			 "<t>bad\xef\xbf\xbd\xef\xbf\xbd(\xef\xbf\xbd\xef\xbf\xbd</t>");
	assert_entry_has(&mb, SHEET1, "<t>_x005F_x0041_ and _x12_ and _xZZZZ_</t>");
	assert_entry_has(&mb, SHEET1, "<t xml:space=\"preserve\"> padded </t>");
	assert_entry_has(&mb, SHEET1, "<t>鉴定站 😀 ＝全角</t>");
	assert_entry_has(&mb, SHEET1, "<c r=\"G1\" s=\"2\" t=\"inlineStr\"><is><t>ok</t>");
	assert_entry_lacks(&mb, SHEET1, "r=\"H1\"");
	assert_entry_lacks(&mb, SHEET1, "r=\"I1\"");
	assert_entry_has(&mb, SHEET1, "<c r=\"J1\" s=\"2\" t=\"inlineStr\"><is><t>cut</t>");
	kw_membuf_free(&mb);
}

static void long_text_is_cut_at_excel_limit(void **state)
{
	(void)state;
	size_t n = 40000;
	char *big = malloc(n * 3 + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(big + 3 * i, "考", 3);
	big[n * 3] = 0;
	struct kw_membuf mb = {0};
	xlsx_writer *w = xlsx_open(kw_membuf_sink, &mb);
	xlsx_row_begin(w);
	xlsx_cell_text(w, big);
	xlsx_row_end(w);
	assert_int_equal(xlsx_close(w), 0);
	char *xml = zip_entry_text(&mb, SHEET1, NULL);
	char *t = strstr(xml, "<t>"), *e = strstr(xml, "</t>");
	assert_non_null(t);
	assert_int_equal((size_t)(e - t - 3), 32767 * 3);
	free(xml);
	free(big);
	kw_membuf_free(&mb);
}

static void date_serials_follow_excel(void **state)
{
	(void)state;
	assert_int_equal(xlsx_date_serial(2019, 6, 28), 43644);
	assert_int_equal(xlsx_date_serial(1900, 1, 1), 1);
	assert_int_equal(xlsx_date_serial(1900, 2, 28), 59);
	assert_int_equal(xlsx_date_serial(1900, 3, 1), 61); /* 60 is Excel's 1900-02-29 */
	assert_int_equal(xlsx_date_serial(1970, 1, 1), 25569);
	assert_int_equal(xlsx_date_serial(2000, 2, 29), 36585);
	assert_int_equal(xlsx_date_serial(9999, 12, 31), 2958465);
	assert_int_equal(xlsx_date_serial(1899, 12, 31), -1);
	assert_int_equal(xlsx_date_serial(2019, 2, 29), -1);
	assert_int_equal(xlsx_date_serial(2019, 13, 1), -1);
}

static void parsers_accept_postgres_text(void **state)
{
	(void)state;
	bool exact, timed;
	assert_true(xlsx_parse_number("-5", 2, &exact) && exact);
	assert_true(xlsx_parse_number("85.50", 5, NULL));
	assert_true(xlsx_parse_number("1.5e-3", 6, NULL));
	assert_true(xlsx_parse_number("0.30000000000000004", 19, &exact) && exact);
	assert_true(xlsx_parse_number("1234567890123456", 16, &exact) && !exact);
	assert_true(xlsx_parse_number("000000000000000001", 18, &exact) && exact);
	const char *bad[] = {"",    "-",	"+5",  ".5", "5.",  "1e",
			     "NaN", "Infinity", "1,5", "5 ", "0x10"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(xlsx_parse_number(bad[i], strlen(bad[i]), NULL));

	struct xlsx_datetime t;
	assert_true(xlsx_parse_datetime("2019-06-28", &t, &timed));
	assert_false(timed);
	assert_int_equal(t.year * 10000 + t.month * 100 + t.day, 20190628);
	assert_true(xlsx_parse_datetime("2019-06-28 14:30:05.25+08", &t, &timed));
	assert_true(timed);
	assert_int_equal(t.hour * 10000 + t.min * 100 + t.sec, 143005);
	assert_true(fabs(t.frac - 0.25) < 1e-9);
	assert_true(xlsx_parse_datetime("2019-06-28T14:30Z", &t, &timed));
	assert_true(xlsx_parse_datetime("2019-06-28 14:30:00-05:30", &t, &timed));
	const char *baddt[] = {"2019-6-28", "2019-02-29",    "2019-06-28 25:00", "2019-06-28 14",
			       "infinity",  "2019-06-28 BC", "2019-06-28x",	 "12019-06-28"};
	for (size_t i = 0; i < sizeof(baddt) / sizeof(baddt[0]); i++)
		assert_false(xlsx_parse_datetime(baddt[i], &t, &timed));

	assert_int_equal(xlsx_parse_bool("t"), 1);
	assert_int_equal(xlsx_parse_bool("TRUE"), 1);
	assert_int_equal(xlsx_parse_bool("off"), 0);
	assert_int_equal(xlsx_parse_bool("0"), 0);
	assert_int_equal(xlsx_parse_bool("是"), -1);
}

static const struct xlsx_col all_types[] = {
    {.header = "文本", .type = XLSX_TEXT},
    {.header = "整数", .type = XLSX_INT},
    {.header = "小数", .type = XLSX_DECIMAL, .decimals = 2},
    {.header = "日期", .type = XLSX_DATE},
    {.header = "时间", .type = XLSX_DATETIME},
    {.header = "布尔", .type = XLSX_BOOL},
    {.header = NULL, .type = XLSX_DECIMAL, .width = 33},
};

static void auto_converts_by_column_type(void **state)
{
	(void)state;
	struct kw_membuf mb = {0};
	xlsx_writer *w = xlsx_open(kw_membuf_sink, &mb);
	assert_int_equal(xlsx_columns(w, all_types, 7), 0);
	const char *good[] = {"张三", "-12", "85.50", "2019-06-28", "2019-06-28 12:00:00+08",
			      "t",    "1e3", "extra"};
	const char *odd[] = {"=1+1", "12.5", "NaN", "2019-02-30", "infinity", "maybe", "-x", NULL};
	xlsx_row_begin(w);
	for (size_t i = 0; i < 8; i++)
		xlsx_cell_auto(w, good[i]);
	xlsx_row_end(w);
	xlsx_row_begin(w);
	for (size_t i = 0; i < 8; i++)
		xlsx_cell_auto(w, odd[i]);
	xlsx_row_end(w);
	xlsx_row_begin(w);
	xlsx_cell_auto(w, NULL);
	xlsx_cell_auto(w, "");
	xlsx_cell_auto(w, "12345678901234567");	  /* too many digits for Excel: text */
	xlsx_cell_auto(w, "2019-06-28 23:59:59"); /* the time of a date column is ignored */
	xlsx_cell_auto(w, "2019-06-28");	  /* midnight */
	xlsx_row_end(w);
	assert_int_equal(xlsx_close(w), 0);

	assert_entry_has(&mb, SHEET1, "<c r=\"A2\" s=\"2\" t=\"inlineStr\"><is><t>张三</t>");
	assert_entry_has(&mb, SHEET1, "<c r=\"B2\"><v>-12</v></c>");
	assert_entry_has(&mb, SHEET1, "<c r=\"C2\" s=\"6\"><v>85.50</v></c>");
	assert_entry_has(&mb, SHEET1, "<c r=\"D2\" s=\"3\"><v>43644</v></c>");
	assert_entry_has(&mb, SHEET1, "<c r=\"E2\" s=\"4\"><v>43644.5</v></c>");
	assert_entry_has(&mb, SHEET1, "<c r=\"F2\" t=\"b\"><v>1</v></c>");
	assert_entry_has(&mb, SHEET1, "<c r=\"G2\"><v>1e3</v></c>");
	assert_entry_has(&mb, SHEET1, "<c r=\"H2\" s=\"2\" t=\"inlineStr\"><is><t>extra</t>");

	/* Values that do not fit their column stay, as text. */
	assert_entry_has(&mb, SHEET1, "<c r=\"A3\" s=\"2\" t=\"inlineStr\"><is><t>=1+1</t>");
	assert_entry_has(&mb, SHEET1, "<c r=\"B3\"><v>12.5</v></c>");
	assert_entry_has(&mb, SHEET1, "<c r=\"C3\" s=\"2\" t=\"inlineStr\"><is><t>NaN</t>");
	assert_entry_has(&mb, SHEET1, "<c r=\"D3\" s=\"2\" t=\"inlineStr\"><is><t>2019-02-30</t>");
	assert_entry_has(&mb, SHEET1, "<c r=\"E3\" s=\"2\" t=\"inlineStr\"><is><t>infinity</t>");
	assert_entry_has(&mb, SHEET1, "<c r=\"F3\" s=\"2\" t=\"inlineStr\"><is><t>maybe</t>");
	assert_entry_has(&mb, SHEET1, "<c r=\"G3\" s=\"2\" t=\"inlineStr\"><is><t>-x</t>");

	assert_entry_lacks(&mb, SHEET1, "r=\"A4\"");
	assert_entry_lacks(&mb, SHEET1, "r=\"B4\"");
	assert_entry_has(&mb, SHEET1,
			 "<row r=\"4\"><c r=\"C4\" s=\"2\" t=\"inlineStr\"><is><t>"
			 "12345678901234567</t>");
	assert_entry_has(&mb, SHEET1, "<c r=\"D4\" s=\"3\"><v>43644</v></c>");
	assert_entry_has(&mb, SHEET1, "<c r=\"E4\" s=\"4\"><v>43644</v></c>");
	kw_membuf_free(&mb);
}

static void header_is_bold_frozen_filtered_and_sized(void **state)
{
	(void)state;
	struct kw_membuf mb = {0};
	xlsx_writer *w = xlsx_open(kw_membuf_sink, &mb);
	xlsx_add_sheet(w, "证书");
	assert_int_equal(xlsx_columns(w, all_types, 7), 0);
	for (int i = 0; i < 2; i++) {
		xlsx_row_begin(w);
		xlsx_cell_auto(w, "x");
		xlsx_row_end(w);
	}
	assert_int_equal(xlsx_close(w), 0);
	assert_entry_has(&mb, SHEET1,
			 "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" "
			 "state=\"frozen\"/>");
	assert_entry_has(
	    &mb, SHEET1,
	    "<row r=\"1\"><c r=\"A1\" s=\"1\" t=\"inlineStr\"><is><t>文本</t></is></c>");
	assert_entry_has(&mb, SHEET1, "<autoFilter ref=\"A1:G3\"/>");
	/* 2 CJK characters = width 4, *1.1 + 4 for the filter button = 8.4; minimums by type. */
	assert_entry_has(&mb, SHEET1, "<col min=\"1\" max=\"1\" width=\"10\" customWidth=\"1\"/>");
	assert_entry_has(&mb, SHEET1, "<col min=\"2\" max=\"2\" width=\"8.4\" customWidth=\"1\"/>");
	assert_entry_has(&mb, SHEET1, "<col min=\"5\" max=\"5\" width=\"17\" customWidth=\"1\"/>");
	assert_entry_has(&mb, SHEET1, "<col min=\"7\" max=\"7\" width=\"33\" customWidth=\"1\"/>");
	/* The header style is bold with a fill. */
	assert_entry_has(&mb, "xl/styles.xml", "<font><b/>");
	assert_entry_has(&mb, "xl/styles.xml", "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"2\"");
	assert_entry_has(&mb, "xl/workbook.xml",
			 "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"0\" "
			 "hidden=\"1\">&apos;证书&apos;!$A$1:$G$3</definedName>");
	kw_membuf_free(&mb);
}

static void several_sheets_and_names_excel_accepts(void **state)
{
	(void)state;
	struct kw_membuf mb = {0};
	xlsx_writer *w = xlsx_open(kw_membuf_sink, &mb);
	assert_int_equal(xlsx_add_sheet(w, "a[b]:c*d?e/f\\g"), 0);
	xlsx_row_begin(w);
	xlsx_cell_int(w, 1);
	xlsx_row_end(w);
	assert_int_equal(
	    xlsx_add_sheet(w, "机械工业人才评价管理服务平台机械工业人才评价管理服务平台机械工业"),
	    0);
	assert_int_equal(xlsx_columns(w, cols3, 3), 0);
	assert_int_equal(xlsx_add_sheet(w, "A[B]:C*D?E/F\\G"), 0); /* same name, any case */
	assert_int_equal(xlsx_add_sheet(w, ""), 0);
	assert_int_equal(xlsx_add_sheet(w, "'quoted'"), 0);
	assert_int_equal(xlsx_close(w), 0);
	assert_entry_has(&mb, "xl/workbook.xml", "<sheet name=\"a_b__c_d_e_f_g\" sheetId=\"1\"");
	assert_entry_has(
	    &mb, "xl/workbook.xml",
	    "<sheet name=\"机械工业人才评价管理服务平台机械工业人才评价管理服务平台机械工\" "
	    "sheetId=\"2\"");
	assert_entry_has(&mb, "xl/workbook.xml", "<sheet name=\"Sheet3\" sheetId=\"3\"");
	assert_entry_has(&mb, "xl/workbook.xml", "<sheet name=\"Sheet4\" sheetId=\"4\"");
	assert_entry_has(&mb, "xl/workbook.xml", "<sheet name=\"_quoted_\" sheetId=\"5\"");
	assert_entry_has(&mb, "xl/workbook.xml", "localSheetId=\"1\" hidden=\"1\">&apos;");
	assert_entry_has(&mb, "xl/workbook.xml", "!$A$1:$C$1</definedName>");
	for (int i = 1; i <= 5; i++) {
		char name[40];
		snprintf(name, sizeof(name), "xl/worksheets/sheet%d.xml", i);
		char *t = zip_entry_text(&mb, name, NULL);
		assert_non_null(t);
		assert_non_null(strstr(t, "</worksheet>"));
		free(t);
	}
	assert_entry_has(&mb, "xl/_rels/workbook.xml.rels",
			 "Id=\"rId6\" Type=\"http://schemas."
			 "openxmlformats.org/officeDocument/2006/"
			 "relationships/styles\"");
	kw_membuf_free(&mb);
}

static void an_empty_workbook_still_has_a_sheet(void **state)
{
	(void)state;
	struct kw_membuf mb = {0};
	xlsx_writer *w = xlsx_open(kw_membuf_sink, &mb);
	assert_int_equal(mb.len, 0); /* nothing is written before it is needed */
	assert_int_equal(xlsx_close(w), 0);
	assert_entry_has(&mb, "xl/workbook.xml", "<sheet name=\"Sheet1\" sheetId=\"1\"");
	assert_entry_has(&mb, SHEET1, "<sheetData></sheetData>");
	kw_membuf_free(&mb);
}

/* A sink that fails once it has received `budget` bytes. */
struct failing {
	size_t budget, got;
	int calls;
};

static int failing_sink(void *ctx, const void *buf, size_t len)
{
	struct failing *f = ctx;
	(void)buf;
	f->calls++;
	if (f->got + len > f->budget)
		return KW_EUNAVAILABLE;
	f->got += len;
	return 0;
}

static void a_failing_sink_is_sticky_and_reported_at_close(void **state)
{
	(void)state;
	struct failing f = {.budget = 100000};
	xlsx_writer *w = xlsx_open(failing_sink, &f);
	xlsx_columns(w, cols3, 3);
	long i;
	for (i = 0; i < 1000000; i++) {
		xlsx_row_begin(w);
		xlsx_cell_text(w, "机械行业职业技能鉴定汽车北京奔驰站");
		xlsx_cell_int(w, i);
		xlsx_cell_date(w, 2019, 6, 28);
		if (xlsx_row_end(w))
			break;
	}
	assert_true(i < 1000000); /* the loop stopped early */
	int calls = f.calls;
	assert_int_equal(xlsx_error(w), KW_EUNAVAILABLE);
	assert_int_equal(xlsx_cell_text(w, "more"), KW_EUNAVAILABLE);
	assert_int_equal(xlsx_add_sheet(w, "x"), KW_EUNAVAILABLE);
	assert_int_equal(xlsx_close(w), KW_EUNAVAILABLE);
	assert_int_equal(f.calls, calls); /* nothing more was sent after the failure */
}

static void calls_out_of_order_are_internal_errors(void **state)
{
	(void)state;
	struct kw_membuf mb = {0};
	xlsx_writer *w = xlsx_open(kw_membuf_sink, &mb);
	assert_int_equal(xlsx_cell_int(w, 1), KW_EINTERNAL); /* no row begun */
	assert_int_equal(xlsx_row_begin(w), KW_EINTERNAL);   /* sticky */
	assert_int_equal(xlsx_close(w), KW_EINTERNAL);
	assert_int_equal(mb.len, 0); /* nothing was sent: the caller can still answer an error */
	kw_membuf_free(&mb);

	w = xlsx_open(kw_membuf_sink, &mb);
	xlsx_row_begin(w);
	xlsx_row_end(w);
	assert_int_equal(xlsx_columns(w, cols3, 3), KW_EINTERNAL); /* columns after a row */
	xlsx_free(w);
	kw_membuf_free(&mb);

	w = xlsx_open(kw_membuf_sink, &mb);
	xlsx_row_begin(w);
	assert_int_equal(xlsx_cell_date(w, 2019, 2, 29), KW_EINTERNAL);
	xlsx_free(w); /* dropped without finishing: no leak, no crash */
	kw_membuf_free(&mb);

	w = xlsx_open(kw_membuf_sink, &mb);
	xlsx_row_begin(w);
	assert_int_equal(xlsx_cell_date(w, 1899, 12, 31), 0); /* real but not Excel: text */
	assert_int_equal(xlsx_close(w), 0);
	assert_entry_has(&mb, SHEET1, "<t>1899-12-31</t>");
	kw_membuf_free(&mb);
}

static void excel_column_limit(void **state)
{
	(void)state;
	struct kw_membuf mb = {0};
	xlsx_writer *w = xlsx_open(kw_membuf_sink, &mb);
	xlsx_row_begin(w);
	for (int i = 0; i < 16384; i++)
		assert_int_equal(xlsx_cell_blank(w), 0);
	assert_int_equal(xlsx_cell_int(w, 1), KW_ETOOLARGE);
	assert_int_equal(xlsx_close(w), KW_ETOOLARGE);
	kw_membuf_free(&mb);

	w = xlsx_open(kw_membuf_sink, &mb);
	xlsx_row_begin(w);
	for (int i = 0; i < 16383; i++)
		xlsx_cell_blank(w);
	xlsx_cell_int(w, 1);
	xlsx_row_end(w);
	assert_int_equal(xlsx_close(w), 0);
	assert_entry_has(&mb, SHEET1, "<c r=\"XFD1\"><v>1</v></c>");
	kw_membuf_free(&mb);
}

/* A sink that records how the bytes arrived. */
struct counting {
	size_t bytes, max_chunk;
	int calls;
};

static int counting_sink(void *ctx, const void *buf, size_t len)
{
	struct counting *c = ctx;
	(void)buf;
	c->calls++;
	c->bytes += len;
	if (len > c->max_chunk)
		c->max_chunk = len;
	return 0;
}

static void bytes_stream_while_rows_are_written(void **state)
{
	(void)state;
	struct counting c = {0};
	xlsx_writer *w = xlsx_open(counting_sink, &c);
	xlsx_columns(w, cols3, 3);
	char name[32];
	for (int i = 0; i < 30000; i++) {
		snprintf(name, sizeof(name), "考生%d", i * 7919);
		xlsx_row_begin(w);
		xlsx_cell_text(w, name);
		xlsx_cell_int(w, i);
		xlsx_cell_date(w, 2000 + i % 20, 1 + i % 12, 1 + i % 28);
		xlsx_row_end(w);
	}
	assert_true(c.calls > 3); /* the sheet went out before the end */
	size_t before = c.bytes;
	assert_true(before > 0);
	assert_int_equal(xlsx_close(w), 0);
	assert_true(c.bytes > before);
	assert_true(c.max_chunk <= 64 * 1024);
}

static void zipstream_entries_round_trip(void **state)
{
	(void)state;
	struct kw_membuf mb = {0};
	zipstream *z = zipstream_open(kw_membuf_sink, &mb, 0);
	zipstream_set_time(z, 2019, 6, 28, 14, 30, 0);
	assert_int_equal(zipstream_entry(z, "empty.txt", "", 0), 0);
	assert_int_equal(zipstream_entry_begin(z, "dir/数据.txt"), 0);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(zipstream_entry_write(z, "0123456789", 10), 0);
	assert_int_equal(zipstream_entry_begin(z, "last"), 0); /* ends the open entry */
	assert_int_equal(zipstream_entry_write(z, "x", 1), 0);
	assert_int_equal(zipstream_close(z), 0);
	size_t len;
	char *t = zip_entry_text(&mb, "dir/数据.txt", &len);
	assert_int_equal(len, 10000);
	assert_memory_equal(t + 9990, "0123456789", 10);
	free(t);
	t = zip_entry_text(&mb, "empty.txt", &len);
	assert_int_equal(len, 0);
	free(t);
	t = zip_entry_text(&mb, "last", &len);
	assert_string_equal(t, "x");
	free(t);
	kw_membuf_free(&mb);

	struct kw_membuf small = {.limit = 100};
	z = zipstream_open(kw_membuf_sink, &small, 6);
	zipstream_entry(z, "a", "hello", 5);
	assert_int_equal(zipstream_entry_end(z), KW_EINTERNAL); /* no entry open */
	assert_int_equal(zipstream_close(z), KW_EINTERNAL);
	kw_membuf_free(&small);

	z = zipstream_open(kw_membuf_sink, &small, 6);
	char junk[4096];
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (char)(i * 2654435761u >> 13);
	zipstream_entry(z, "junk", junk, sizeof(junk));
	assert_int_equal(zipstream_close(z), KW_ETOOLARGE); /* the buffer's limit */
	kw_membuf_free(&small);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(writes_every_part_of_a_valid_zip),
	    cmocka_unit_test(cells_have_real_types),
	    cmocka_unit_test(numbers_keep_their_value),
	    cmocka_unit_test(text_is_escaped_and_cleaned),
	    cmocka_unit_test(long_text_is_cut_at_excel_limit),
	    cmocka_unit_test(date_serials_follow_excel),
	    cmocka_unit_test(parsers_accept_postgres_text),
	    cmocka_unit_test(auto_converts_by_column_type),
	    cmocka_unit_test(header_is_bold_frozen_filtered_and_sized),
	    cmocka_unit_test(several_sheets_and_names_excel_accepts),
	    cmocka_unit_test(an_empty_workbook_still_has_a_sheet),
	    cmocka_unit_test(a_failing_sink_is_sticky_and_reported_at_close),
	    cmocka_unit_test(calls_out_of_order_are_internal_errors),
	    cmocka_unit_test(excel_column_limit),
	    cmocka_unit_test(bytes_stream_while_rows_are_written),
	    cmocka_unit_test(zipstream_entries_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
