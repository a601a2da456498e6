/* rows.h - deterministic certificate-list rows, as PostgreSQL text, for the export benchmarks. */
#ifndef KW_BENCH_ROWS_H
#define KW_BENCH_ROWS_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "office/xlsx_writer.h"

#define BENCH_NCOLS 14

/* The certificate list's columns (R26), as an export would declare them. */
static const struct xlsx_col bench_cols[BENCH_NCOLS] = {
    {.header = "序号", .type = XLSX_INT},
    {.header = "类别", .type = XLSX_TEXT, .width = 18},
    {.header = "姓名", .type = XLSX_TEXT},
    {.header = "性别", .type = XLSX_TEXT, .width = 8},
    {.header = "出生日期", .type = XLSX_DATE},
    {.header = "证书号", .type = XLSX_TEXT, .width = 22},
    {.header = "身份证号", .type = XLSX_TEXT, .width = 21},
    {.header = "职业/工种", .type = XLSX_TEXT, .width = 20},
    {.header = "等级", .type = XLSX_TEXT, .width = 14},
    {.header = "理论成绩", .type = XLSX_INT},
    {.header = "实操成绩", .type = XLSX_DECIMAL, .decimals = 1},
    {.header = "认定成绩", .type = XLSX_TEXT},
    {.header = "颁证日期", .type = XLSX_DATE},
    {.header = "鉴定机构", .type = XLSX_TEXT, .width = 36},
};

/* One row: the fields as text (NULL for SQL NULL) in bufs owned by the caller. */
struct bench_row {
	const char *f[BENCH_NCOLS];
	char seq[24], birth[16], cert[24], idno[24], theory[8], practical[8], issued[16];
};

/* xorshift64: a fast, reproducible pseudo-random stream. */
static uint64_t bench_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* GB 11643 check character of the first 17 digits. */
static char bench_id_check(const char *d)
{
	static const int wt[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (d[i] - '0') * wt[i];
	return "10X98765432"[sum % 11];
}

/* Fill row i (0-based); the same i always gives the same row. */
static void bench_row(long i, struct bench_row *r)
{
	static const char *cats[] = {"国家职业技能鉴定", "行业能力水平评价"};
	static const char *surnames[] = {"王", "李", "张", "刘", "陈", "杨",   "赵",
					 "黄", "周", "吴", "徐", "孙", "欧阳", "司马"};
	static const char *given[] = {"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强",
				      "磊", "军", "洋", "勇",	"艳", "杰", "娟", "涛"};
	static const char *occs[] = {
	    "汽车发动机装调工",	    "汽车整车装调工", "涂料涂覆工", "塑料模具工",
	    "汽车焊装生产线操作工", "电工",	      "钳工",	    "汽车电气装调工"};
	static const char *levels[] = {"高级技师(一级)", "技师(二级)", "高级(三级)", "中级(四级)",
				       "初级(五级)"};
	static const char *orgs[] = {
	    "机械行业职业技能鉴定汽车北京奔驰站", "机械行业职业技能鉴定上海大众汽车站",
	    "机械行业职业技能鉴定一汽解放第一站", "中国机械工业教育协会评价中心"};
	static char names[14][16][16];
	static int names_ready;
	if (!names_ready) {
		for (int a = 0; a < 14; a++)
			for (int b = 0; b < 16; b++)
				snprintf(names[a][b], sizeof(names[a][b]), "%s%s", surnames[a],
					 given[b]);
		names_ready = 1;
	}

	uint64_t s = 0x9e3779b97f4a7c15ull ^ (uint64_t)(i + 1) * 0xbf58476d1ce4e5b9ull;
	bench_rand(&s);
	int cat = (int)(bench_rand(&s) % 2), level = (int)(bench_rand(&s) % 5);
	int by = 1965 + (int)(bench_rand(&s) % 40), bm = 1 + (int)(bench_rand(&s) % 12),
	    bd = 1 + (int)(bench_rand(&s) % 28);
	int iy = 2015 + (int)(bench_rand(&s) % 10), im = 1 + (int)(bench_rand(&s) % 12),
	    id = 1 + (int)(bench_rand(&s) % 28);
	int theory = 60 + (int)(bench_rand(&s) % 41);
	int practical = 600 + (int)(bench_rand(&s) % 401);
	int sex = (int)(bench_rand(&s) % 2);

	snprintf(r->seq, sizeof(r->seq), "%ld", i + 1);
	snprintf(r->birth, sizeof(r->birth), "%04d-%02d-%02d", by, bm, bd);
	snprintf(r->issued, sizeof(r->issued), "%04d-%02d-%02d", iy, im, id);
	snprintf(r->cert, sizeof(r->cert), "%02d4900%d031%d%08ld", iy % 100, cat ? 9 : 3, 5 - level,
		 (i % 99999999) + 1);
	snprintf(r->idno, sizeof(r->idno), "110105%04d%02d%02d%03d", by, bm, bd,
		 (int)(bench_rand(&s) % 500) * 2 + sex);
	r->idno[17] = bench_id_check(r->idno);
	r->idno[18] = 0;
	snprintf(r->theory, sizeof(r->theory), "%d", theory);
	snprintf(r->practical, sizeof(r->practical), "%d.%d", practical / 10, practical % 10);
	int low = theory * 10 < practical ? theory * 10 : practical;

	r->f[0] = r->seq;
	r->f[1] = cats[cat];
	r->f[2] = names[bench_rand(&s) % 14][bench_rand(&s) % 16];
	r->f[3] = sex ? "男" : "女";
	r->f[4] = r->birth;
	r->f[5] = r->cert;
	r->f[6] = r->idno;
	r->f[7] = occs[bench_rand(&s) % 8];
	r->f[8] = levels[level];
	r->f[9] = r->theory;
	r->f[10] = r->practical;
	r->f[11] = low >= 900 ? "优秀" : low >= 800 ? "良好" : "合格";
	r->f[12] = r->issued;
	r->f[13] = i % 50 == 7 ? NULL : orgs[bench_rand(&s) % 4];
}

#endif
