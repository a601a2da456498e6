/* test_xlsx_reader.c - the streaming xlsx reader: each producer's fixture, the limits, hostile
 * files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/ctx.h"
#include "core/err.h"
#include "core/log.h"
#include "office/xlsx_reader.h"

#include "../../fuzz/zipw.h"

/* ---- helpers ---- */

/* One cell read back. */
struct got_cell {
	unsigned row, col;
	enum xlsx_value type;
	char *text;
};

/* Everything a file gave: cells in reading order and the row numbers seen. */
struct grid {
	struct got_cell *v;
	size_t n, cap;
	unsigned rows[64];
	size_t nrows;
	char sheet[64];
};

static void grid_free(struct grid *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->v[i].text);
	free(g->v);
	memset(g, 0, sizeof(*g));
}

static int collect(void *ctx, const struct xlsx_read_row *row)
{
	struct grid *g = ctx;
	if (g->nrows < sizeof(g->rows) / sizeof(g->rows[0]))
		g->rows[g->nrows] = row->num;
	g->nrows++;
	for (unsigned i = 0; i < row->ncells; i++) {
		const struct xlsx_read_cell *c = &row->cells[i];
		assert_int_equal(strlen(c->text), c->len);
		assert_true(c->len > 0);
		if (i)
			assert_true(c->col > row->cells[i - 1].col);
		if (g->n == g->cap) {
			g->cap = g->cap ? 2 * g->cap : 64;
			g->v = realloc(g->v, g->cap * sizeof(*g->v));
		}
		g->v[g->n++] = (struct got_cell){row->num, c->col, c->type, strdup(c->text)};
	}
	assert_int_equal(row->ncols, row->cells[row->ncells - 1].col + 1);
	return 0;
}

/* Read a whole buffer into g through the iterator; returns the reader's result. */
static int read_buf(const void *buf, size_t len, const struct xlsx_read_limits *lim, struct grid *g,
		    struct xlsx_read_error *err)
{
	struct xlsx_reader *r;
	memset(g, 0, sizeof(*g));
	int rc = xlsx_reader_open(&r, buf, len, lim, err);
	if (rc) {
		assert_null(r);
		return rc;
	}
	snprintf(g->sheet, sizeof(g->sheet), "%s", xlsx_reader_sheet_name(r));
	const struct xlsx_read_row *row;
	while ((rc = xlsx_reader_next(r, &row, err)) == 0 && row)
		collect(g, row);
	if (rc) {
		/* Errors are sticky. */
		assert_int_equal(xlsx_reader_next(r, &row, NULL), rc);
		assert_null(row);
	}
	xlsx_reader_close(r);
	return rc;
}

/* The folder of this file's fixtures, from __FILE__ (CMake passes absolute paths). */
static const char *fixture_path(const char *name)
{
	static char path[4096];
	const char *f = __FILE__, *slash = strrchr(f, '/');
	int dir = slash ? (int)(slash - f) : 1;
	snprintf(path, sizeof(path), "%.*s/../fixtures/xlsx/%s", dir, slash ? f : ".", name);
	return path;
}

static unsigned char *load(const char *name, size_t *len)
{
	FILE *fp = fopen(fixture_path(name), "rb");
	if (!fp)
		fail_msg("cannot open fixture %s", fixture_path(name));
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	unsigned char *p = malloc((size_t)n + 1);
	assert_int_equal(fread(p, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return p;
}

static int read_fixture(const char *name, struct grid *g)
{
	size_t len;
	unsigned char *p = load(name, &len);
	struct xlsx_read_error err;
	int rc = read_buf(p, len, NULL, g, &err);
	if (rc)
		print_error("%s: %s (%s)\n", name, err.message, err.detail);
	free(p);
	return rc;
}

/* The cell at "C7"-style ref, or NULL. */
static const struct got_cell *at(const struct grid *g, const char *ref)
{
	unsigned col = 0, row = 0;
	for (; *ref >= 'A' && *ref <= 'Z'; ref++)
		col = col * 26 + (unsigned)(*ref - 'A' + 1);
	row = (unsigned)atoi(ref);
	for (size_t i = 0; i < g->n; i++)
		if (g->v[i].row == row && g->v[i].col == col - 1)
			return &g->v[i];
	return NULL;
}

static void expect_cell(const struct grid *g, const char *ref, const char *text,
			enum xlsx_value type)
{
	const struct got_cell *c = at(g, ref);
	if (!c)
		fail_msg("%s: missing, expected \"%s\"", ref, text);
	if (strcmp(c->text, text) != 0)
		fail_msg("%s: got \"%s\", expected \"%s\"", ref, c->text, text);
	if (c->type != type)
		fail_msg("%s: type %d, expected %d", ref, c->type, type);
}

static size_t cells_in_row(const struct grid *g, unsigned row)
{
	size_t n = 0;
	for (size_t i = 0; i < g->n; i++)
		n += g->v[i].row == row;
	return n;
}

/* Build a one-sheet package around sheet (and sst when not NULL), deflated. */
static void build(struct zipw *z, const char *sheet, const char *sst)
{
	memset(z, 0, sizeof(*z));
	zipw_package(z, 8);
	zipw_add_str(z, "xl/worksheets/sheet1.xml", sheet, 8);
	if (sst)
		zipw_add_str(z, "xl/sharedStrings.xml", sst, 8);
	zipw_finish(z);
}

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define SHEET(rows)                                                                                \
	"<?xml version=\"1.0\"?><worksheet " NS "><sheetData>" rows "</sheetData></worksheet>"
#define SST(items) "<?xml version=\"1.0\"?><sst " NS ">" items "</sst>"

/* Read sheet (+ sst) with lim; expect code and, when given, a message containing msg. */
static void expect_refused(const char *sheet, const char *sst, const struct xlsx_read_limits *lim,
			   int code, const char *msg)
{
	struct zipw z;
	build(&z, sheet, sst);
	struct grid g;
	struct xlsx_read_error err;
	int rc = read_buf(z.p, z.len, lim, &g, &err);
	if (rc != code)
		fail_msg("expected %d, got %d: %s (%s)", code, rc, err.message, err.detail);
	assert_int_equal(err.code, code);
	if (msg && !strstr(err.message, msg))
		fail_msg("message \"%s\" lacks \"%s\"", err.message, msg);
	assert_true(err.message[0]);
	grid_free(&g);
	zipw_free(&z);
}

/* Read sheet (+ sst) and expect success; g holds the cells. */
static void expect_read(const char *sheet, const char *sst, struct grid *g)
{
	struct zipw z;
	build(&z, sheet, sst);
	struct xlsx_read_error err;
	int rc = read_buf(z.p, z.len, NULL, g, &err);
	if (rc)
		fail_msg("refused: %s (%s)", err.message, err.detail);
	zipw_free(&z);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- every producer's question bank ---- */

/* The bank test/office/gen_xlsx_fixtures.py writes, as every producer must read back. */
static void check_bank(const struct grid *g, const char *name)
{
	static const char *const rows[][8] = {
	    {"试题内容", "题型", "选项A", "选项B", "选项C", "选项D", "正确答案", "类型"},
	    {"汽车发动机的四个冲程依次是？", "单选题", "进气、压缩、做功、排气",
	     "压缩、进气、做功、排气", "进气、做功、压缩、排气", "排气、进气、压缩、做功", "A",
	     "基础知识"},
	    {"下列属于汽车制动系统部件的有（　）。", "多选题", "制动盘", "制动钳", "火花塞",
	     "制动总泵", "A,B,D", "相关知识"},
	    {"涂装前必须对工件表面进行预处理。", "判断题", NULL, NULL, NULL, NULL, "对",
	     "基础知识"},
	};
	print_message("  %s\n", name);
	char ref[16];
	for (unsigned r = 0; r < 4; r++) {
		for (unsigned c = 0; c < 8; c++) {
			snprintf(ref, sizeof(ref), "%c%u", 'A' + c, r + 1);
			if (rows[r][c])
				expect_cell(g, ref, rows[r][c], XLSX_V_STRING);
			else
				assert_null(at(g, ref));
		}
	}
	assert_int_equal(cells_in_row(g, 1), 8);
	assert_int_equal(cells_in_row(g, 4), 4);
	assert_int_equal(cells_in_row(g, 5), 0);
	expect_cell(g, "A6", "数值", XLSX_V_STRING);
	expect_cell(g, "B6", "3", XLSX_V_NUMBER);
	expect_cell(g, "C6", "3.5", XLSX_V_NUMBER);
	expect_cell(g, "D6", "-0.25", XLSX_V_NUMBER);
	expect_cell(g, "E6", "1234567890", XLSX_V_NUMBER);
	expect_cell(g, "F6", "0.1", XLSX_V_NUMBER);
	expect_cell(g, "G6", "TRUE", XLSX_V_BOOL);
	assert_null(at(g, "H6"));
	expect_cell(g, "A7", "第一行\n第二行", XLSX_V_STRING);
	expect_cell(g, "B7", "稀疏", XLSX_V_STRING);
	expect_cell(g, "H7", " 前后空格 ", XLSX_V_STRING);
	assert_int_equal(cells_in_row(g, 7), 3);
	assert_int_equal(g->rows[0], 1);
	assert_int_equal(g->rows[3], 4);
	assert_int_equal(g->rows[4], 6);
	assert_int_equal(g->rows[5], 7);
}

static void every_producer_reads_back_exactly(void **state)
{
	(void)state;
	static const char *const files[] = {
	    "openpyxl.xlsx",	"openpyxl_write_only.xlsx",
	    "libreoffice.xlsx", "libreoffice_excel.xlsx",
	    "sheetjs_sst.xlsx", "sheetjs_str.xlsx",
	    "excel.xlsx",	"wps.xlsx",
	    "strict.xlsx",
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct grid g;
		assert_int_equal(read_fixture(files[i], &g), 0);
		check_bank(&g, files[i]);
		grid_free(&g);
	}
}

static void excel_formulas_errors_and_sheet_names(void **state)
{
	(void)state;
	static const char *const files[] = {"excel.xlsx", "libreoffice_excel.xlsx"};
	for (size_t i = 0; i < 2; i++) {
		struct grid g;
		assert_int_equal(read_fixture(files[i], &g), 0);
		expect_cell(&g, "A8", "合并", XLSX_V_STRING);
		expect_cell(&g, "B8", "#DIV/0!", XLSX_V_ERROR);
		expect_cell(&g, "C8", "3", XLSX_V_NUMBER);
		expect_cell(&g, "D8", "FALSE", XLSX_V_BOOL);
		assert_null(at(&g, "E8"));
		expect_cell(&g, "F8", "0.3", XLSX_V_NUMBER);
		assert_string_equal(g.sheet, "题库");
		grid_free(&g);
	}
	struct grid g;
	assert_int_equal(read_fixture("wps.xlsx", &g), 0);
	assert_string_equal(g.sheet, "Sheet1");
	grid_free(&g);
}

static void first_visible_sheet_in_workbook_order(void **state)
{
	(void)state;
	/* order.xlsx: the workbook lists sheet2.xml (题库) before sheet1.xml (说明). */
	static const char *const files[] = {"order.xlsx", "hidden.xlsx", "openpyxl.xlsx",
					    "sheetjs_sst.xlsx"};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct grid g;
		assert_int_equal(read_fixture(files[i], &g), 0);
		assert_string_equal(g.sheet, "题库");
		expect_cell(&g, "A1", "试题内容", XLSX_V_STRING);
		expect_cell(&g, "A2", "汽车发动机的四个冲程依次是？", XLSX_V_STRING);
		grid_free(&g);
	}
}

static void minimal_writers_rich_text_and_numbers(void **state)
{
	(void)state;
	struct grid g;
	assert_int_equal(read_fixture("minimal.xlsx", &g), 0);
	/* Rows and cells without r; an empty <c/> still takes a column. */
	expect_cell(&g, "A1", "无行号", XLSX_V_STRING);
	expect_cell(&g, "B1", "富 文本", XLSX_V_STRING);
	assert_null(at(&g, "C1"));
	expect_cell(&g, "D1", "跳过一格", XLSX_V_STRING);
	/* Phonetic runs left out, _xHHHH_ escapes decoded, CDATA kept, t="str" and t="d". */
	expect_cell(&g, "B3", "注音", XLSX_V_STRING);
	expect_cell(&g, "C3", "回车\r换行", XLSX_V_STRING);
	expect_cell(&g, "E3", "_x0041_", XLSX_V_STRING);
	expect_cell(&g, "F3", "ab", XLSX_V_STRING);
	expect_cell(&g, "G3", "<不是标签>", XLSX_V_STRING);
	expect_cell(&g, "H3", "2024-03-01T00:00:00", XLSX_V_DATE);
	/* Numbers as typed: integers never get ".0"; 15 significant digits. */
	expect_cell(&g, "A4", "3", XLSX_V_NUMBER);
	expect_cell(&g, "B4", "1000", XLSX_V_NUMBER);
	expect_cell(&g, "C4", "0", XLSX_V_NUMBER);
	expect_cell(&g, "D4", "0.3", XLSX_V_NUMBER);
	expect_cell(&g, "E4", "1.5e-07", XLSX_V_NUMBER);
	expect_cell(&g, "F4", "1.23456789012346e+17", XLSX_V_NUMBER);
	expect_cell(&g, "G4", "42", XLSX_V_NUMBER);
	expect_cell(&g, "H4", "abc", XLSX_V_STRING);
	expect_cell(&g, "A6", "TRUE", XLSX_V_BOOL);
	expect_cell(&g, "B6", "#N/A", XLSX_V_ERROR);
	assert_null(at(&g, "C6"));
	expect_cell(&g, "XFD6", "最后一列", XLSX_V_STRING);
	/* <row r="7"/> is empty; the next row without r is 8, as its cell says. */
	expect_cell(&g, "C8", "行号取自单元格", XLSX_V_STRING);
	assert_int_equal(g.nrows, 5);
	grid_free(&g);

	assert_int_equal(read_fixture("norels.xlsx", &g), 0);
	expect_cell(&g, "A1", "没有关系部件", XLSX_V_STRING);
	expect_cell(&g, "B1", "共享字符串", XLSX_V_STRING);
	expect_cell(&g, "C1", "7", XLSX_V_NUMBER);
	grid_free(&g);

	assert_int_equal(read_fixture("empty.xlsx", &g), 0);
	assert_int_equal(g.nrows, 0);
	grid_free(&g);
}

static int stop_at_row_3(void *ctx, const struct xlsx_read_row *row)
{
	int *seen = ctx;
	(*seen)++;
	return row->num == 3 ? KW_ECONFLICT : 0;
}

static int check_accessors(void *ctx, const struct xlsx_read_row *row)
{
	(void)ctx;
	if (row->num == 4) {
		assert_string_equal(xlsx_read_text(row, 0), "涂装前必须对工件表面进行预处理。");
		assert_string_equal(xlsx_read_text(row, 2), "");
		assert_string_equal(xlsx_read_text(row, 6), "对");
		assert_string_equal(xlsx_read_text(row, 500), "");
		assert_null(xlsx_read_cell(row, 3));
		assert_int_equal(xlsx_read_cell(row, 7)->col, 7);
	}
	return 0;
}

static void callback_api_and_accessors(void **state)
{
	(void)state;
	size_t len;
	unsigned char *p = load("excel.xlsx", &len);
	int seen = 0;
	struct xlsx_read_error err;
	assert_int_equal(xlsx_read(p, len, NULL, stop_at_row_3, &seen, &err), KW_ECONFLICT);
	assert_int_equal(seen, 3);
	assert_int_equal(err.code, KW_ECONFLICT);
	assert_int_equal(err.row, 3);
	assert_int_equal(xlsx_read(p, len, NULL, check_accessors, NULL, NULL), 0);
	free(p);

	char b[8];
	assert_string_equal(xlsx_read_col_name(0, b), "A");
	assert_string_equal(xlsx_read_col_name(7, b), "H");
	assert_string_equal(xlsx_read_col_name(25, b), "Z");
	assert_string_equal(xlsx_read_col_name(26, b), "AA");
	assert_string_equal(xlsx_read_col_name(16383, b), "XFD");

	struct xlsx_read_limits d = xlsx_read_limits_default();
	assert_int_equal(d.max_cell_chars, 32767);
	assert_int_equal(d.max_cols, 16384);
	assert_int_equal(d.max_rows, 1048576);
	assert_true(d.max_inflated >= d.max_file);
}

static void sheet_xml_variants(void **state)
{
	(void)state;
	struct grid g;
	/* Cells by reference with gaps, lower-case refs, whitespace-only text, xml:space. */
	expect_read(
	    SHEET("<row r=\"2\"><c r=\"c2\" t=\"inlineStr\"><is><t xml:space=\"preserve\">  "
		  "</t></is></c><c r=\"AA2\"><v>7</v></c></row>"
		  "<row r=\"1048576\"><c r=\"XFD1048576\" t=\"s\"><v>1</v></c></row>"),
	    SST("<si><t>x</t></si><si><r><t>a</t></r><r><t>b</t></r></si>"), &g);
	expect_cell(&g, "C2", "  ", XLSX_V_STRING);
	expect_cell(&g, "AA2", "7", XLSX_V_NUMBER);
	expect_cell(&g, "XFD1048576", "ab", XLSX_V_STRING);
	grid_free(&g);

	/* Only well-formed _xHHHH_ escapes of allowed characters are decoded (fuzz regression). */
	expect_read(
	    SHEET("<row><c t=\"inlineStr\"><is><t>_x-001_ _xZZZZ_ _x00e9_ _x0000_ "
		  "_xD800_ _x0041</t></is></c><c t=\"str\"><v>_x4e2d__x6587_</v></c></row>"),
	    NULL, &g);
	expect_cell(&g, "A1", "_x-001_ _xZZZZ_ é _x0000_ _xD800_ _x0041", XLSX_V_STRING);
	expect_cell(&g, "B1", "中文", XLSX_V_STRING);
	grid_free(&g);

	/* Foreign elements and attributes inside rows and cells are ignored. */
	expect_read(
	    SHEET("<row r=\"1\" xmlns:x14ac=\"urn:x\" x14ac:dyDescent=\"0.2\"><x14ac:foo><c "
		  "r=\"Z1\"><v>1</v></c></x14ac:foo><c r=\"A1\" x14ac:r=\"B9\"><v>2</v>"
		  "<x14ac:v>9</x14ac:v></c></row>"),
	    NULL, &g);
	assert_int_equal(g.n, 1);
	expect_cell(&g, "A1", "2", XLSX_V_NUMBER);
	grid_free(&g);
}

/* Build a package from (name, text) pairs, deflated. */
static void build_parts(struct zipw *z, const char *const *parts, size_t n)
{
	memset(z, 0, sizeof(*z));
	for (size_t i = 0; i + 1 < n; i += 2)
		zipw_add_str(z, parts[i], parts[i + 1], 8);
	zipw_finish(z);
}

#define REL_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define RELS(body)                                                                                 \
	"<Relationships "                                                                          \
	"xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" body             \
	"</Relationships>"
#define WORKBOOK(sheets)                                                                           \
	"<workbook " NS " xmlns:r=\"" REL_NS "\"><sheets>" sheets "</sheets></workbook>"

static void package_fallbacks(void **state)
{
	(void)state;
	struct zipw z;
	struct grid g;
	struct xlsx_read_error err;
	const char *one = SHEET("<row><c t=\"inlineStr\"><is><t>一</t></is></c></row>");
	const char *two = SHEET("<row><c t=\"inlineStr\"><is><t>二</t></is></c></row>");

	/* Every sheet hidden: the first worksheet is read. Targets with "..", "." and "/". */
	const char *hidden[] = {
	    "_rels/.rels",
	    RELS("<Relationship Id=\"a\" Type=\"" REL_NS "/officeDocument\" "
		 "Target=\"/book/./main.xml\"/>"),
	    "book/main.xml",
	    WORKBOOK("<sheet name=\"甲\" sheetId=\"1\" state=\"hidden\" r:id=\"s1\"/><sheet "
		     "name=\"乙\" sheetId=\"2\" state=\"veryHidden\" r:id=\"s2\"/>"),
	    "book/_rels/main.xml.rels",
	    RELS("<Relationship Id=\"s2\" Type=\"" REL_NS
		 "/worksheet\" Target=\"../data/two.xml\"/>"
		 "<Relationship Id=\"s1\" Type=\"" REL_NS "/worksheet\" "
		 "Target=\"sub/../../data//one.xml\"/>"),
	    "data/one.xml",
	    one,
	    "data/two.xml",
	    two,
	};
	build_parts(&z, hidden, sizeof(hidden) / sizeof(hidden[0]));
	assert_int_equal(read_buf(z.p, z.len, NULL, &g, &err), 0);
	assert_string_equal(g.sheet, "甲");
	expect_cell(&g, "A1", "一", XLSX_V_STRING);
	grid_free(&g);
	zipw_free(&z);

	/* No relationships and no content types: xl/workbook.xml and sheet{sheetId}.xml. */
	const char *bare[] = {
	    "xl/workbook.xml",
	    WORKBOOK("<sheet name=\"a\" sheetId=\"9\" r:id=\"x\"/><sheet "
		     "name=\"b\" sheetId=\"2\" r:id=\"y\"/>"),
	    "xl/worksheets/sheet2.xml",
	    two,
	};
	build_parts(&z, bare, sizeof(bare) / sizeof(bare[0]));
	assert_int_equal(read_buf(z.p, z.len, NULL, &g, &err), 0);
	assert_string_equal(g.sheet, "b");
	expect_cell(&g, "A1", "二", XLSX_V_STRING);
	grid_free(&g);
	zipw_free(&z);

	/* Only a chart sheet, an external target: no worksheet to read. */
	const char *charts[] = {
	    "xl/workbook.xml",
	    WORKBOOK("<sheet name=\"c\" sheetId=\"1\" r:id=\"c\"/><sheet name=\"e\" sheetId=\"2\" "
		     "r:id=\"e\"/>"),
	    "xl/_rels/workbook.xml.rels",
	    RELS("<Relationship Id=\"c\" Type=\"" REL_NS "/chartsheet\" Target=\"c.xml\"/>"
		 "<Relationship Id=\"e\" Type=\"" REL_NS
		 "/worksheet\" Target=\"file:///etc/passwd\" "
		 "TargetMode=\"External\"/>"),
	    "xl/c.xml",
	    one,
	};
	build_parts(&z, charts, sizeof(charts) / sizeof(charts[0]));
	assert_int_equal(read_buf(z.p, z.len, NULL, &g, &err), KW_EVALIDATION);
	assert_string_equal(err.message, "文件中没有工作表");
	grid_free(&g);
	zipw_free(&z);

	/* A worksheet without sheetData; odd values in typed cells. */
	expect_read("<worksheet " NS "><dimension ref=\"A1\"/></worksheet>", NULL, &g);
	assert_int_equal(g.nrows, 0);
	grid_free(&g);
	expect_read(SHEET("<row><c t=\"b\"><v>yes</v></c><c t=\"str\"><v></v></c><c t=\"e\"/>"
			  "<c t=\"s\"><v> </v></c><c t=\"inlineStr\"><v>旧式</v></c><c t=\"b\"><v>"
			  "false</v></c><c t=\"x\"><v>1.50</v></c></row>"),
		    NULL, &g);
	expect_cell(&g, "A1", "yes", XLSX_V_STRING);
	assert_null(at(&g, "B1"));
	assert_null(at(&g, "C1"));
	assert_null(at(&g, "D1"));
	expect_cell(&g, "E1", "旧式", XLSX_V_STRING);
	expect_cell(&g, "F1", "FALSE", XLSX_V_BOOL);
	expect_cell(&g, "G1", "1.5", XLSX_V_NUMBER);
	grid_free(&g);
}

/* ---- hostile files ---- */

static const char BOMB_HEAD[] = "<?xml version=\"1.0\"?><worksheet " NS "><sheetData>";
static const char BOMB_ROW[] =
    "<row><c t=\"inlineStr\"><is><t>AAAAAAAAAAAAAAAAAAAAAAAA</t></is></c></row>";
static const char BOMB_TAIL[] = "</sheetData></worksheet>";

/* A package whose sheet inflates to about size bytes: a row, then blanks, in 1 MB chunks. */
static void build_bomb(struct zipw *z, size_t size, const struct zipw_lie *lie)
{
	static char chunk[1 << 20];
	size_t rl = strlen(BOMB_ROW);
	memcpy(chunk, BOMB_ROW, rl);
	memset(chunk + rl, ' ', sizeof(chunk) - 1 - rl);
	chunk[sizeof(chunk) - 1] = 0;
	memset(z, 0, sizeof(*z));
	zipw_package(z, 8);
	zipw_add_repeat(z, "xl/worksheets/sheet1.xml", BOMB_HEAD, chunk, size / (sizeof(chunk) - 1),
			BOMB_TAIL, lie);
	zipw_finish(z);
}

static void zip_bomb_is_refused_while_inflating(void **state)
{
	(void)state;
	struct zipw z;
	struct grid g;
	struct xlsx_read_error err;
	build_bomb(&z, (size_t)1 << 30, NULL); /* 1 GB of sheet */
	print_message("  1 GB sheet compressed to %zu bytes\n", z.len);
	assert_true(z.len < 2 << 20);
	/* The ratio is checked against the compressed bytes consumed so far: it stops at 1 MB. */
	double t = now_s();
	assert_int_equal(read_buf(z.p, z.len, NULL, &g, &err), KW_ETOOLARGE);
	assert_string_equal(err.message, "文件压缩比异常（超过 100:1），可能是压缩炸弹");
	print_message("  refused in %.3f s: %s (%s)\n", now_s() - t, err.message, err.detail);
	assert_true(now_s() - t < 2);
	grid_free(&g);
	/* With the ratio check out of the way the total cap stops it. */
	struct xlsx_read_limits lim = {.max_ratio = 1u << 30, .max_inflated = 8u << 20};
	t = now_s();
	assert_int_equal(read_buf(z.p, z.len, &lim, &g, &err), KW_ETOOLARGE);
	assert_string_equal(err.message, "文件解压后超过 8 MB 上限");
	print_message("  refused in %.3f s: %s (%s)\n", now_s() - t, err.message, err.detail);
	grid_free(&g);
	zipw_free(&z);
}

static void lying_sizes_are_not_trusted(void **state)
{
	(void)state;
	struct zipw z;
	struct grid g;
	struct xlsx_read_error err;
	struct xlsx_read_limits lim = {.max_inflated = 4u << 20, .max_ratio = 1u << 30};
	/* The headers claim the real compressed size but 100 bytes inflated; it gives 64 MB. */
	build_bomb(&z, (size_t)64 << 20, NULL);
	uint32_t comp = (uint32_t)(z.len - 1000); /* the sheet is nearly all of the file */
	zipw_free(&z);
	struct zipw_lie lie = {.set = 1, .comp_size = comp, .size = 100};
	for (int i = 0; i < 3; i++) {
		build_bomb(&z, (size_t)64 << 20, &lie);
		int rc = read_buf(z.p, z.len, i == 0 ? &lim : NULL, &g, &err);
		print_message("  claims %u of %u bytes: %s (%s)\n", lie.size, lie.comp_size,
			      err.message, err.detail);
		/* Too big, or (compressed size cut short) a broken file: never 64 MB of rows. */
		assert_true(rc == KW_ETOOLARGE || (i == 2 && rc == KW_EVALIDATION));
		assert_true(g.nrows < 100);
		grid_free(&g);
		zipw_free(&z);
		lie.comp_size = i == 0 ? comp : comp / 2;
	}
	/* A claimed compressed size of 0. */
	lie.comp_size = 0;
	build_bomb(&z, (size_t)4 << 20, &lie);
	assert_true(read_buf(z.p, z.len, NULL, &g, &err) < 0);
	grid_free(&g);
	zipw_free(&z);
}

static void too_many_entries_and_too_big_a_file(void **state)
{
	(void)state;
	struct zipw z = {0};
	zipw_package(&z, 0);
	zipw_add_str(&z, "xl/worksheets/sheet1.xml", SHEET(""), 0);
	char name[32];
	for (int i = 0; i < 1200; i++) {
		snprintf(name, sizeof(name), "junk/%d.xml", i);
		zipw_add(&z, name, "x", 1, 0);
	}
	zipw_finish(&z);
	struct grid g;
	struct xlsx_read_error err;
	assert_int_equal(read_buf(z.p, z.len, NULL, &g, &err), KW_ETOOLARGE);
	assert_string_equal(err.message, "文件中的条目过多（最多 1000 个）");
	struct xlsx_read_limits lim = {.max_entries = 5000, .max_file = 4096};
	assert_int_equal(read_buf(z.p, z.len, &lim, &g, &err), KW_ETOOLARGE);
	assert_string_equal(err.message, "文件超过 4 KB 上限");
	lim.max_file = 0;
	assert_int_equal(read_buf(z.p, z.len, &lim, &g, &err), 0);
	grid_free(&g);
	zipw_free(&z);
}

static void doctype_xxe_and_entities_are_refused(void **state)
{
	(void)state;
	static const char xxe[] =
	    "<?xml version=\"1.0\"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "
	    "\"file:///etc/passwd\">]><worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" "
	    "t=\"inlineStr\"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>";
	static const char laughs[] =
	    "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol1 "
	    "\"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol2 "
	    "\"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\"><!ENTITY lol3 "
	    "\"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\"><!ENTITY lol4 "
	    "\"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\"><!ENTITY lol5 "
	    "\"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\"><!ENTITY lol6 "
	    "\"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\"><!ENTITY lol7 "
	    "\"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\"><!ENTITY lol8 "
	    "\"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\"><!ENTITY lol9 "
	    "\"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">]><sst " NS
	    "><si><t>&lol9;</t></si></sst>";
	static const char external_dtd[] =
	    "<?xml version=\"1.0\"?><!DOCTYPE worksheet SYSTEM \"http://127.0.0.1:9/x.dtd\">"
	    "<worksheet " NS "><sheetData/></worksheet>";
	const char *msg = "DOCTYPE";
	expect_refused(xxe, NULL, NULL, KW_EVALIDATION, msg);
	expect_refused(SHEET(""), laughs, NULL, KW_EVALIDATION, msg);
	expect_refused(external_dtd, NULL, NULL, KW_EVALIDATION, msg);
	/* An undeclared entity is an XML error, never a lookup. */
	expect_refused(SHEET("<row><c t=\"inlineStr\"><is><t>&xxe;</t></is></c></row>"), NULL, NULL,
		       KW_EVALIDATION, "有效");

	/* A DOCTYPE in any part, and split across the reads that feed the parser. */
	static const char *const parts[] = {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml",
					    "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml"};
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		struct zipw z = {0};
		zipw_add_str(&z, "[Content_Types].xml", i == 0 ? xxe : ZIPW_CT, 8);
		zipw_add_str(&z, "_rels/.rels", i == 1 ? xxe : ZIPW_RELS, 8);
		zipw_add_str(&z, "xl/workbook.xml", i == 2 ? xxe : ZIPW_WORKBOOK, 8);
		zipw_add_str(&z, "xl/_rels/workbook.xml.rels", i == 3 ? xxe : ZIPW_WB_RELS, 8);
		zipw_add_str(&z, "xl/sharedStrings.xml", i == 4 ? xxe : SST(""), 8);
		zipw_add_str(&z, "xl/worksheets/sheet1.xml", SHEET(""), 8);
		zipw_finish(&z);
		struct grid g;
		struct xlsx_read_error err;
		int rc = read_buf(z.p, z.len, NULL, &g, &err);
		/* Content types are only read when _rels/.rels is missing. */
		assert_int_equal(rc, i == 0 ? 0 : KW_EVALIDATION);
		if (rc)
			assert_non_null(strstr(err.message, "DOCTYPE"));
		grid_free(&g);
		zipw_free(&z);
	}
	char *doc = malloc(20000);
	for (size_t pad = 3970; pad < 4120; pad++) {
		int n = snprintf(doc, 20000, "<?xml version=\"1.0\"?>");
		memset(doc + n, ' ', pad);
		snprintf(doc + n + pad, 20000 - (size_t)n - pad, "%s", xxe + 21);
		expect_refused(doc, NULL, NULL, KW_EVALIDATION, "DOCTYPE");
	}
	free(doc);
}

static void encodings_other_than_utf8(void **state)
{
	(void)state;
	/* A wrong declared encoding is ignored: parts are read as UTF-8. */
	struct grid g;
	expect_read("<?xml version=\"1.0\" encoding=\"GB2312\"?><worksheet " NS
		    "><sheetData><row><c "
		    "t=\"inlineStr\"><is><t>中文</t></is></c></row></sheetData></worksheet>",
		    NULL, &g);
	expect_cell(&g, "A1", "中文", XLSX_V_STRING);
	grid_free(&g);

	/* UTF-16 parts are refused (a DOCTYPE could hide in them). */
	const char *ascii = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE x [<!ENTITY a "
			    "SYSTEM \"file:///etc/passwd\">]><worksheet " NS "><sheetData><row><c "
			    "t=\"inlineStr\"><is><t>&a;</t></is></c></row></sheetData></worksheet>";
	size_t n = strlen(ascii);
	unsigned char *u16 = malloc(2 * n + 2);
	u16[0] = 0xFF;
	u16[1] = 0xFE;
	for (size_t i = 0; i < n; i++) {
		u16[2 + 2 * i] = (unsigned char)ascii[i];
		u16[3 + 2 * i] = 0;
	}
	for (int bom = 0; bom < 2; bom++) {
		struct zipw z = {0};
		zipw_package(&z, 8);
		zipw_add(&z, "xl/worksheets/sheet1.xml", u16 + (bom ? 0 : 2), 2 * n + (bom ? 2 : 0),
			 8);
		zipw_finish(&z);
		struct xlsx_read_error err;
		assert_int_equal(read_buf(z.p, z.len, NULL, &g, &err), KW_EVALIDATION);
		assert_int_equal(g.n, 0);
		grid_free(&g);
		zipw_free(&z);
	}
	free(u16);
}

static void not_xlsx_at_all(void **state)
{
	(void)state;
	struct grid g;
	struct xlsx_read_error err;
	static const unsigned char xls[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1,
					    0,	  0,	0,    0,    0,	  0,	0,    0,
					    0,	  0,	0,    0,    0,	  0,	0,    0};
	assert_int_equal(read_buf(xls, sizeof(xls), NULL, &g, &err), KW_EVALIDATION);
	assert_non_null(strstr(err.message, ".xls"));
	const char *texts[] = {"", "PK", "试题内容,题型\n",
			       "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
			       "PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		size_t len = i == 4 ? 22 : strlen(texts[i]);
		assert_int_equal(read_buf(texts[i], len, NULL, &g, &err), KW_EVALIDATION);
		assert_string_equal(err.message, "文件不是有效的 xlsx 文件");
		assert_true(err.detail[0]);
	}
	assert_int_equal(read_buf(NULL, 0, NULL, &g, &err), KW_EVALIDATION);

	/* A zip without a workbook; a docx; a workbook without sheets; a missing sheet part. */
	struct zipw z = {0};
	zipw_add_str(&z, "[Content_Types].xml", ZIPW_CT, 8);
	zipw_add_str(&z, "_rels/.rels", ZIPW_RELS, 8);
	zipw_finish(&z);
	assert_int_equal(read_buf(z.p, z.len, NULL, &g, &err), KW_EVALIDATION);
	zipw_free(&z);

	zipw_add_str(&z, "_rels/.rels",
		     "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
		     "relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas."
		     "openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
		     "Target=\"word/document.xml\"/></Relationships>",
		     8);
	zipw_add_str(
	    &z, "word/document.xml",
	    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/"
	    "main\"><w:body><w:p><w:r><w:t>试题</w:t></w:r></w:p></w:body></w:document>",
	    8);
	zipw_finish(&z);
	assert_int_equal(read_buf(z.p, z.len, NULL, &g, &err), KW_EVALIDATION);
	/* a .docx is not an xlsx at all, like a .txt (issue 15 item 5) */
	assert_string_equal(err.message, "文件不是有效的 xlsx 文件");
	zipw_free(&z);

	zipw_package(&z, 8);
	zipw_finish(&z);
	assert_int_equal(read_buf(z.p, z.len, NULL, &g, &err), KW_EVALIDATION);
	assert_non_null(strstr(err.detail, "sheet1.xml"));
	zipw_free(&z);

	/* An xlsb workbook. */
	zipw_add_str(&z, "_rels/.rels",
		     "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
		     "relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas."
		     "openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
		     "Target=\"xl/workbook.bin\"/></Relationships>",
		     8);
	zipw_add(&z, "xl/workbook.bin", "\x83\x01\x00", 3, 0);
	zipw_finish(&z);
	assert_int_equal(read_buf(z.p, z.len, NULL, &g, &err), KW_EVALIDATION);
	assert_non_null(strstr(err.message, ".xlsb"));
	zipw_free(&z);

	/* Encrypted entries and compression methods other than store and deflate. */
	struct zipw_lie enc = {.flags = 1}, bz = {.method = 12};
	for (int i = 0; i < 2; i++) {
		struct zipw_mem m = {(const unsigned char *)SHEET(""), strlen(SHEET("")), 0};
		zipw_package(&z, 8);
		zipw_add_fill(&z, "xl/worksheets/sheet1.xml", 0, zipw_fill_mem, &m, i ? &bz : &enc);
		zipw_finish(&z);
		assert_int_equal(read_buf(z.p, z.len, NULL, &g, &err), KW_EVALIDATION);
		print_message("  %s (%s)\n", err.message, err.detail);
		zipw_free(&z);
	}
}

/* Flip and cut a fixture everywhere: every result is an error or rows, never a crash. */
static void truncated_and_corrupt_files(void **state)
{
	(void)state;
	static const char *const files[] = {"excel.xlsx", "sheetjs_str.xlsx", "minimal.xlsx"};
	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		size_t len;
		unsigned char *p = load(files[f], &len);
		unsigned char *q = malloc(len);
		struct grid g;
		struct xlsx_read_error err;
		size_t ok = 0, step = len > 6000 ? 3 : 1;
		for (size_t cut = 0; cut < len; cut += step) {
			memcpy(q, p, cut);
			assert_true(read_buf(q, cut, NULL, &g, &err) < 0);
			assert_true(err.message[0]);
			grid_free(&g);
		}
		for (size_t i = 0; i < len; i += step) {
			memcpy(q, p, len);
			q[i] ^= (unsigned char)(0x55 + i);
			int rc = read_buf(q, len, NULL, &g, &err);
			ok += rc == 0;
			if (rc)
				assert_true(err.message[0] &&
					    (rc == KW_EVALIDATION || rc == KW_ETOOLARGE));
			grid_free(&g);
		}
		print_message("  %s: %zu bytes, %zu corruptions still read\n", files[f], len, ok);
		free(q);
		free(p);
	}
}

static void references_and_order(void **state)
{
	(void)state;
	const int V = KW_EVALIDATION;
	expect_refused(SHEET("<row r=\"1048577\"><c><v>1</v></c></row>"), NULL, NULL, V, "行号");
	expect_refused(SHEET("<row r=\"0\"/>"), NULL, NULL, V, "行号");
	expect_refused(SHEET("<row r=\"99999999999999999999\"/>"), NULL, NULL, V, "行号");
	expect_refused(SHEET("<row r=\"-1\"/>"), NULL, NULL, V, "行号");
	expect_refused(SHEET("<row><c r=\"A1048577\"><v>1</v></c></row>"), NULL, NULL, V,
		       "“A1048577”");
	expect_refused(SHEET("<row><c r=\"ZZZZ1\"><v>1</v></c></row>"), NULL, NULL, V, "“ZZZZ1”");
	expect_refused(SHEET("<row><c r=\"XFE1\"><v>1</v></c></row>"), NULL, NULL, V, "“XFE1”");
	expect_refused(SHEET("<row><c r=\"A\"><v>1</v></c></row>"), NULL, NULL, V, "单元格位置");
	expect_refused(SHEET("<row><c r=\"7\"><v>1</v></c></row>"), NULL, NULL, V, "单元格位置");
	expect_refused(SHEET("<row><c r=\"A 1\"><v>1</v></c></row>"), NULL, NULL, V, "单元格位置");
	expect_refused(SHEET("<row><c r=\"&#x4E2D;1\"><v>1</v></c></row>"), NULL, NULL, V,
		       "单元格位置无效");
	/* Rows and cells go forward only; a row after the last one has nowhere to go. */
	expect_refused(
	    SHEET("<row r=\"3\"><c><v>1</v></c></row><row r=\"2\"><c><v>1</v></c></row>"), NULL,
	    NULL, V, "第 2 行");
	expect_refused(SHEET("<row r=\"3\"/><row r=\"3\"/>"), NULL, NULL, V, "顺序");
	expect_refused(SHEET("<row><c r=\"C1\"><v>1</v></c><c r=\"A1\"><v>1</v></c></row>"), NULL,
		       NULL, V, "第 1 行的单元格顺序");
	expect_refused(SHEET("<row><c r=\"C1\"><v>1</v></c><c r=\"C1\"><v>1</v></c></row>"), NULL,
		       NULL, V, "顺序");
	expect_refused(SHEET("<row r=\"1048576\"/><row/>"), NULL, NULL, V, "行号");
	expect_refused(SHEET("<row><c r=\"XFD1\"><v>1</v></c><c><v>2</v></c></row>"), NULL, NULL,
		       KW_ETOOLARGE, "列数");
	/* Shared string indexes must exist. */
	expect_refused(SHEET("<row><c t=\"s\"><v>1</v></c></row>"), SST("<si><t>a</t></si>"), NULL,
		       V, "第 1 行");
	expect_refused(SHEET("<row><c t=\"s\"><v>0</v></c></row>"), NULL, NULL, V, "文字条目");
	expect_refused(SHEET("<row><c t=\"s\"><v>-1</v></c></row>"), SST("<si/>"), NULL, V, NULL);
	expect_refused(SHEET("<row><c t=\"s\"><v>99999999999999999999</v></c></row>"), SST("<si/>"),
		       NULL, V, NULL);
	/* Broken XML in the sheet. */
	expect_refused(SHEET("<row><c><v>1</v></row>"), NULL, NULL, V, "有效");
	expect_refused("<worksheet " NS "><sheetData><row><c><v>1</v></c></row>", NULL, NULL, V,
		       "有效");

	struct grid g;
	struct xlsx_read_error err;
	struct zipw z;
	build(&z, SHEET("<row r=\"5\"><c r=\"B5\"><v>1</v></c><c r=\"A9\"><v>2</v></c></row>"),
	      NULL);
	assert_int_equal(read_buf(z.p, z.len, NULL, &g, &err), V);
	assert_int_equal(err.row, 5);
	grid_free(&g);
	zipw_free(&z);
}

static void nesting_depth_is_bounded(void **state)
{
	(void)state;
	for (int depth = 100; depth <= 100000; depth *= 10) {
		size_t cap = (size_t)depth * 8 + 512;
		char *doc = malloc(cap);
		size_t n = (size_t)snprintf(doc, cap, "<worksheet " NS "><sheetData><row><c><v>");
		for (int i = 0; i < depth; i++)
			n += (size_t)snprintf(doc + n, cap - n, "<a>");
		n += (size_t)snprintf(doc + n, cap - n, "1");
		for (int i = 0; i < depth; i++)
			n += (size_t)snprintf(doc + n, cap - n, "</a>");
		snprintf(doc + n, cap - n, "</v></c></row></sheetData></worksheet>");
		expect_refused(doc, NULL, NULL, KW_EVALIDATION, depth < 200 ? "嵌套" : NULL);
		free(doc);
	}
	struct xlsx_read_limits lim = {.max_depth = 7}; /* <b> is at depth 7 */
	expect_refused(SHEET("<row><c t=\"inlineStr\"><is><r><t><b/></t></r></is></c></row>"), NULL,
		       &lim, KW_EVALIDATION, "嵌套");
}

static void limits_on_strings_cells_rows_and_columns(void **state)
{
	(void)state;
	const int L = KW_ETOOLARGE;
	struct xlsx_read_limits lim = {.max_rows = 2};
	expect_refused(SHEET("<row><c><v>1</v></c></row><row/><row><c><v>1</v></c></row><row><c><v>"
			     "1</v></c></row>"),
		       NULL, &lim, L, "工作表数据过多（最多 2 行）");
	lim = (struct xlsx_read_limits){.max_cols = 8};
	expect_refused(SHEET("<row><c r=\"I1\"><v>1</v></c></row>"), NULL, &lim, L,
		       "工作表列数过多（最多 8 列）");
	lim = (struct xlsx_read_limits){.max_strings = 2};
	expect_refused(SHEET(""), SST("<si><t>a</t></si><si/><si><t>c</t></si>"), &lim, L,
		       "最多 2 条");
	lim = (struct xlsx_read_limits){.max_cell_chars = 4};
	expect_refused(SHEET(""),
		       SST("<si><r><t>考务</t></r><r><t>平台</t></r><r><t>!</t></r></si>"), &lim, L,
		       "单元格文字超过 4 字");
	expect_refused(SHEET("<row><c t=\"inlineStr\"><is><t>1234</t><t>5</t></is></c></row>"),
		       NULL, &lim, L, "超过 4 字");
	expect_refused(SHEET("<row><c><v>12345</v></c></row>"), NULL, &lim, L, "超过 4 字");

	/* Exactly at the limits is fine: 4 characters (12 bytes), 2 rows, column H. */
	struct grid g;
	struct zipw z;
	build(&z,
	      SHEET("<row><c t=\"s\"><v>0</v></c><c r=\"H1\"><v>2</v></c></row><row><c><v>3</v>"
		    "</c></row>"),
	      SST("<si><t>考务平台</t></si>"));
	struct xlsx_read_error err;
	lim = (struct xlsx_read_limits){.max_cell_chars = 4, .max_rows = 2, .max_cols = 8};
	assert_int_equal(read_buf(z.p, z.len, &lim, &g, &err), 0);
	expect_cell(&g, "A1", "考务平台", XLSX_V_STRING);
	expect_cell(&g, "H1", "2", XLSX_V_NUMBER);
	grid_free(&g);
	zipw_free(&z);

	/* The default cell limit is Excel's 32,767 characters. */
	char *big = malloc(40000 * 3 + 256);
	for (int chars = 32767; chars <= 32768; chars++) {
		size_t n = (size_t)sprintf(big, "<sst " NS "><si><t>");
		for (int i = 0; i < chars; i++)
			n += (size_t)sprintf(big + n, "题");
		sprintf(big + n, "</t></si></sst>");
		build(&z, SHEET("<row><c t=\"s\"><v>0</v></c></row>"), big);
		int rc = read_buf(z.p, z.len, NULL, &g, &err);
		assert_int_equal(rc, chars == 32767 ? 0 : L);
		if (!rc)
			assert_int_equal(strlen(at(&g, "A1")->text), 32767 * 3);
		grid_free(&g);
		zipw_free(&z);
	}
	free(big);
}

static void errors_reach_the_request(void **state)
{
	(void)state;
	struct kw_ctx c = {.a = arena_new(4096)};
	struct grid g;
	struct xlsx_read_error err;
	assert_int_equal(read_buf("not a zip file at all", 21, NULL, &g, &err), KW_EVALIDATION);
	kw_log_set_level(KW_LOG_ERROR);
	assert_int_equal(xlsx_read_fail(&c, &err), KW_EVALIDATION);
	memset(err.message, 0, sizeof(err.message)); /* the request keeps its own copy */
	assert_string_equal(c.err_message, "文件不是有效的 xlsx 文件");
	struct xlsx_read_error cb = {.code = KW_ECONFLICT};
	c.err_message = NULL;
	assert_int_equal(xlsx_read_fail(&c, &cb), KW_ECONFLICT);
	assert_null(c.err_message);
	arena_free(c.a);
}

/* A large sheet streams: 100,000 rows of eight cells, read one row at a time. */
static void large_sheet_streams(void **state)
{
	(void)state;
	struct zipw z = {0};
	zipw_package(&z, 8);
	static char chunk[1 << 16];
	const char *row =
	    "<row><c t=\"s\"><v>0</v></c><c t=\"s\"><v>1</v></c><c t=\"inlineStr\"><is>"
	    "<t>选项</t></is></c><c><v>2</v></c><c><v>3.25</v></c><c/><c t=\"b\"><v>0"
	    "</v></c><c t=\"str\"><v>相关知识</v></c></row>";
	size_t rl = strlen(row), per = sizeof(chunk) / rl;
	for (size_t i = 0; i < per; i++)
		memcpy(chunk + i * rl, row, rl);
	chunk[per * rl] = 0;
	size_t count = 100000 / per;
	zipw_add_repeat(&z, "xl/worksheets/sheet1.xml", BOMB_HEAD, chunk, count, BOMB_TAIL, NULL);
	zipw_add_str(&z, "xl/sharedStrings.xml", SST("<si><t>题干</t></si><si><t>单选题</t></si>"),
		     8);
	zipw_finish(&z);
	struct xlsx_reader *r;
	struct xlsx_read_error err;
	struct xlsx_read_limits lim = {.max_ratio = 1000};
	double t0 = now_s();
	assert_int_equal(xlsx_reader_open(&r, z.p, z.len, &lim, &err), 0);
	const struct xlsx_read_row *rw;
	unsigned n = 0;
	while (xlsx_reader_next(r, &rw, &err) == 0 && rw) {
		n++;
		if (rw->num != n || rw->ncells != 7 ||
		    strcmp(xlsx_read_text(rw, 7), "相关知识") != 0 ||
		    strcmp(xlsx_read_text(rw, 4), "3.25") != 0)
			fail_msg("row %u: %u cells", rw->num, rw->ncells);
	}
	assert_int_equal(err.code, 0);
	assert_int_equal(n, count * per);
	print_message("  %u rows from a %zu-byte file in %.3f s\n", n, z.len, now_s() - t0);
	xlsx_reader_close(r);
	zipw_free(&z);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_producer_reads_back_exactly),
	    cmocka_unit_test(excel_formulas_errors_and_sheet_names),
	    cmocka_unit_test(first_visible_sheet_in_workbook_order),
	    cmocka_unit_test(minimal_writers_rich_text_and_numbers),
	    cmocka_unit_test(callback_api_and_accessors),
	    cmocka_unit_test(sheet_xml_variants),
	    cmocka_unit_test(package_fallbacks),
	    cmocka_unit_test(zip_bomb_is_refused_while_inflating),
	    cmocka_unit_test(lying_sizes_are_not_trusted),
	    cmocka_unit_test(too_many_entries_and_too_big_a_file),
	    cmocka_unit_test(doctype_xxe_and_entities_are_refused),
	    cmocka_unit_test(encodings_other_than_utf8),
	    cmocka_unit_test(not_xlsx_at_all),
	    cmocka_unit_test(truncated_and_corrupt_files),
	    cmocka_unit_test(references_and_order),
	    cmocka_unit_test(nesting_depth_is_bounded),
	    cmocka_unit_test(limits_on_strings_cells_rows_and_columns),
	    cmocka_unit_test(errors_reach_the_request),
	    cmocka_unit_test(large_sheet_streams),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
