/* test_paper_sheet.c - the bank's pure parts: the duplicate key, one question's checks (R16),
 * pg_trgm's similarity and the near-duplicate candidate search (lib/paper_sheet.c, paper_near.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "paper.h"
#include "paper_int.h"

static struct kw_ctx ctx;

static int setup(void **state)
{
	(void)state;
	memset(&ctx, 0, sizeof(ctx));
	ctx.a = arena_new(64 * 1024);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(ctx.a);
	return 0;
}

/* White space goes, full-width ASCII and CJK punctuation become ASCII, the rest stays. */
static void normalises_space_and_punctuation(void **state)
{
	(void)state;
	assert_string_equal(paper_normalize(&ctx, "车轮前束是为了调整（　）所带来的不良后果。"),
			    "车轮前束是为了调整()所带来的不良后果.");
	assert_string_equal(paper_normalize(&ctx, " 车轮前束 是为了调整( )所带来的\t不良后果.\n"),
			    "车轮前束是为了调整()所带来的不良后果.");
	assert_string_equal(paper_normalize(&ctx, "ＡＢＣ，１２３；“引号”‘单’【括】《书》、…—～"),
			    "ABC,123;\"引号\"'单'[括]<书>,...-~");
	assert_string_equal(paper_normalize(&ctx, "a\xc2\xa0"
						  "b\xe2\x80\x8b"
						  "c\xef\xbb\xbf"
						  "d"),
			    "abcd");
	assert_string_equal(paper_normalize(&ctx, "Case Stays"), "CaseStays");
	assert_string_equal(paper_normalize(&ctx, ""), "");
	/* bytes that are not UTF-8 are kept, not lost */
	assert_string_equal(paper_normalize(&ctx, "x\xff y"), "x\xffy");
}

static void trims_both_ends(void **state)
{
	(void)state;
	assert_string_equal(paper_trim(&ctx, "\xe3\x80\x80 题干 \t\n"), "题干");
	assert_string_equal(paper_trim(&ctx, "   "), "");
	assert_string_equal(paper_trim(&ctx, NULL), "");
	const char *same = "不变";
	assert_ptr_equal(paper_trim(&ctx, same), same);
}

struct problems {
	int n;
	int col[16];
	char msg[16][256];
};

static void collect(void *p, int col, const char *message)
{
	struct problems *pr = p;
	if (pr->n < 16) {
		pr->col[pr->n] = col;
		snprintf(pr->msg[pr->n], sizeof(pr->msg[0]), "%s", message);
	}
	pr->n++;
}

static bool check(const char *a, const char *b, const char *c, const char *d, const char *e,
		  const char *f, const char *g, const char *h, struct paper_q *q,
		  struct problems *pr)
{
	const char *cells[8] = {a, b, c, d, e, f, g, h};
	memset(pr, 0, sizeof(*pr));
	return paper_q_check(&ctx, cells, q, collect, pr);
}

/* R16: the forms the template allows, canonical answers, and the norm. */
static void checks_valid_questions(void **state)
{
	(void)state;
	struct paper_q q;
	struct problems pr;
	assert_true(check("题干（　）", "单选题", "甲", "乙", "丙", "", "c", "基础知识", &q, &pr));
	assert_int_equal(pr.n, 0);
	assert_int_equal(q.type, 0);
	assert_int_equal(q.nopt, 3);
	assert_string_equal(q.answer, "C");
	assert_string_equal(q.norm, "题干()\x1f甲\x1f乙\x1f丙");

	assert_true(
	    check("多选", "多选题", "甲", "乙", "丙", "丁", "Ｄ，Ｂ ,a", "相关知识", &q, &pr));
	assert_string_equal(q.answer, "A,B,D");
	assert_int_equal(q.kind, 1);

	assert_true(check("判断", "判断", "", "", "", "", " 错 ", "基础知识", &q, &pr));
	assert_int_equal(q.type, 2);
	assert_int_equal(q.nopt, 0);
	assert_string_equal(q.answer, "错");
	assert_string_equal(q.norm, "判断");

	/* codes as the API sends them */
	assert_true(check("s", "single", "1", "2", "", "", "B", "basic", &q, &pr));
	assert_true(check("m", "multi", "1", "2", "", "", "A,B", "related", &q, &pr));
}

/* R16: one problem per broken part, in the right column. */
static void reports_each_problem_in_its_column(void **state)
{
	(void)state;
	struct paper_q q;
	struct problems pr;
	assert_false(check("", "选择题", "甲", "乙", "", "", "A", "专业知识", &q, &pr));
	assert_int_equal(pr.n, 3);
	assert_int_equal(pr.col[0], 0);
	assert_int_equal(pr.col[1], 1);
	assert_non_null(strstr(pr.msg[1], "“选择题”"));
	assert_int_equal(pr.col[2], 7);

	assert_false(check("q", "单选题", "甲", "", "丙", "", "A", "基础知识", &q, &pr)); /* gap */
	assert_int_equal(pr.n, 1);
	assert_int_equal(pr.col[0], 3);

	assert_false(
	    check("q", "单选题", "甲", "", "", "", "A", "基础知识", &q, &pr)); /* one option */
	assert_int_equal(pr.col[0], 3);
	assert_non_null(strstr(pr.msg[0], "实有 1 个"));

	assert_false(check("q", "单选题", "甲", "乙", "丙", "", "D", "基础知识", &q, &pr));
	assert_int_equal(pr.col[0], 6);
	assert_non_null(strstr(pr.msg[0], "A–C 3 个选项"));

	static const char *const bad_multi[] = {"AB", "A", "A,A", "A,,B", "A,", "A,E", "甲"};
	for (size_t i = 0; i < sizeof(bad_multi) / sizeof(bad_multi[0]); i++) {
		assert_false(
		    check("q", "多选题", "甲", "乙", "丙", "", bad_multi[i], "基础知识", &q, &pr));
		assert_int_equal(pr.n, 1);
		assert_int_equal(pr.col[0], 6);
	}
	assert_false(check("q", "多选题", "甲", "乙", "丙", "", "A,D", "基础知识", &q, &pr));
	assert_non_null(strstr(pr.msg[0], "超出选项"));

	assert_false(check("q", "判断题", "对", "", "", "", "对", "基础知识", &q, &pr));
	assert_int_equal(pr.col[0], 2);
	assert_false(check("q", "判断题", "", "", "", "", "√", "基础知识", &q, &pr));
	assert_int_equal(pr.col[0], 6);
	assert_false(check("q", "单选题", "a", "b", "", "", "", "基础知识", &q, &pr));
	assert_non_null(strstr(pr.msg[0], "不能为空"));

	/* a long text is quoted short in the message */
	assert_false(check("q", "一二三四五六七八九十一二三四五六七八九十一二三", "", "", "", "",
			   "A", "基础知识", &q, &pr));
	assert_non_null(strstr(pr.msg[0], "一二三四五六七八九十一二三四五六七八九十…”"));
}

/* The values pg_trgm's similarity() gives for the same texts (PostgreSQL 15, LC_CTYPE C.UTF-8). */
static void computes_pg_trgm_similarity(void **state)
{
	(void)state;
	static const struct {
		const char *a, *b;
		double want;
	} cases[] = {
	    {"装配气门弹簧时,其预紧力应符合()的要求.", "装配气门弹簧时,它的预紧力应当符合()的要求.",
	     0.5555556},
	    {"Engine Oil 5W-30", "engine oil 5w30", 0.7368421},
	    {"车轮前束是为了调整()所带来的不良后果而设置的.\x1f主销后倾\x1f主销内倾",
	     "车轮前束是为了调整()所带来的不良后果而设置的.\x1f主销内倾\x1f主销后倾", 1.0},
	    {"a", "b", 0.0},
	    {"", "", 0.0},
	    {"ab", "ab", 1.0},
	    {"ÄBC straße", "äbc STRASSE", 0.53333336},
	    {"IT7比IT9的精度(),高", "it7比it9的精度(),低", 0.73333335},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double got = paper_trgm_similarity(cases[i].a, cases[i].b);
		if (got < cases[i].want - 1e-6 || got > cases[i].want + 1e-6)
			fail_msg("similarity(%s, %s) = %f, pg_trgm says %f", cases[i].a, cases[i].b,
				 got, cases[i].want);
	}
}

struct found {
	size_t n;
	size_t probe[4096], base[4096];
	double sim[4096];
};

static void record(void *p, size_t probe, size_t base, double sim)
{
	struct found *f = p;
	assert_true(f->n < 4096);
	f->probe[f->n] = probe;
	f->base[f->n] = base;
	f->sim[f->n] = sim;
	f->n++;
}

/* The prefix-filtered search finds exactly the pairs a brute-force comparison finds. */
static void finds_the_same_pairs_as_brute_force(void **state)
{
	(void)state;
	static const char *const words[] = {"发动机", "曲轴", "间隙", "测量", "塞尺", "百分表",
					    "离合器", "制动", "的",   "应",   "（）", "时",
					    "，",     "检查", "装配", "要求"};
	enum { NB = 300, NP = 200 };
	static char base_buf[NB][256], probe_buf[NP][256];
	const char *base[NB], *probe[NP];
	srand(42);
	for (int i = 0; i < NB; i++) {
		base_buf[i][0] = 0;
		int n = 4 + rand() % 8;
		for (int k = 0; k < n; k++)
			strcat(base_buf[i], words[rand() % 16]);
		base[i] = base_buf[i];
	}
	for (int i = 0; i < NP; i++) {
		/* half are edits of a base text, half random */
		if (i % 2) {
			snprintf(probe_buf[i], sizeof(probe_buf[i]), "%s%s", base[rand() % NB],
				 words[rand() % 16]);
		} else {
			probe_buf[i][0] = 0;
			int n = 4 + rand() % 8;
			for (int k = 0; k < n; k++)
				strcat(probe_buf[i], words[rand() % 16]);
		}
		probe[i] = probe_buf[i];
	}
	const double t = 0.6;
	static struct found f;
	f.n = 0;
	paper_near_candidates(base, NB, probe, NP, t, NB, record, &f);
	size_t brute = 0;
	for (int p = 0; p < NP; p++)
		for (int b = 0; b < NB; b++) {
			double s = paper_trgm_similarity(probe[p], base[b]);
			if (s + 1e-9 < t)
				continue;
			brute++;
			bool seen = false;
			for (size_t k = 0; k < f.n && !seen; k++)
				if (f.probe[k] == (size_t)p && f.base[k] == (size_t)b) {
					seen = true;
					assert_true(f.sim[k] > s - 1e-9 && f.sim[k] < s + 1e-9);
				}
			if (!seen)
				fail_msg("missed probe %d base %d (%.3f): %s / %s", p, b, s,
					 probe[p], base[b]);
		}
	assert_int_equal(f.n, brute);
	assert_true(brute > 50);

	/* max keeps the best candidates, best first */
	f.n = 0;
	paper_near_candidates(base, NB, probe, NP, 0.3, 2, record, &f);
	for (size_t k = 1; k < f.n; k++)
		if (f.probe[k] == f.probe[k - 1])
			assert_true(f.sim[k] <= f.sim[k - 1]);
	/* nothing to compare */
	f.n = 0;
	paper_near_candidates(base, 0, probe, NP, t, 3, record, &f);
	paper_near_candidates(base, NB, probe, 0, t, 3, record, &f);
	assert_int_equal(f.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(normalises_space_and_punctuation, setup, teardown),
	    cmocka_unit_test_setup_teardown(trims_both_ends, setup, teardown),
	    cmocka_unit_test_setup_teardown(checks_valid_questions, setup, teardown),
	    cmocka_unit_test_setup_teardown(reports_each_problem_in_its_column, setup, teardown),
	    cmocka_unit_test_setup_teardown(computes_pg_trgm_similarity, setup, teardown),
	    cmocka_unit_test_setup_teardown(finds_the_same_pairs_as_brute_force, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
