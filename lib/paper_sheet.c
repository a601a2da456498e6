/* paper_sheet.c - the bank's xlsx side: the template (R17), reading and checking a bank file
 * (R16, R17), the duplicate key, and helpers the other paper_*.c files share. */
#include "db/db.h"
#include "paper_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/log.h"
#include "office/xlsx_reader.h"
#include "office/xlsx_writer.h"
#include "office/zipstream.h"

const char *const paper_type_codes[3] = {"single", "multi", "judge"};
const char *const paper_type_words[3] = {"单选题", "多选题", "判断题"};
const char *const paper_kind_codes[2] = {"basic", "related"};
const char *const paper_kind_words[2] = {"基础知识", "相关知识"};

int paper_type_index(const char *s)
{
	static const char *const alias[3][4] = {
	    {"single", "单选题", "单选", "单项选择题"},
	    {"multi", "多选题", "多选", "多项选择题"},
	    {"judge", "判断题", "判断", NULL},
	};
	if (!s)
		return -1;
	for (int t = 0; t < 3; t++)
		for (int k = 0; k < 4 && alias[t][k]; k++)
			if (!strcmp(s, alias[t][k]))
				return t;
	return -1;
}

int paper_kind_index(const char *s)
{
	if (!s)
		return -1;
	for (int k = 0; k < 2; k++)
		if (!strcmp(s, paper_kind_codes[k]) || !strcmp(s, paper_kind_words[k]))
			return k;
	return -1;
}

const char *paper_type_text(const char *type)
{
	int t = paper_type_index(type);
	return t < 0 ? NULL : paper_type_words[t];
}

const char *paper_kind_text(const char *kind)
{
	int k = paper_kind_index(kind);
	return k < 0 ? NULL : paper_kind_words[k];
}

/* ------------------------------------------------------------------ small helpers */

json_object *paper_json_array(const char *text)
{
	json_object *o = text ? json_tokener_parse(text) : NULL;
	if (o && !json_object_is_type(o, json_type_array)) {
		json_object_put(o);
		o = NULL;
	}
	return o ? o : json_object_new_array();
}

json_object *paper_summary_json(const PGresult *res, int i, const char *prefix)
{
	char col[64];
#define COL(name) (snprintf(col, sizeof(col), "%s%s", prefix, name), col)
	json_object *o = json_object_new_object();
	kwj_add_int(o, "id", db_long(res, i, COL("id")));
	const char *type = db_val(res, i, COL("type"));
	const char *kind = db_val(res, i, COL("kind"));
	kwj_add_str(o, "type", type);
	kwj_add_str(o, "type_text", paper_type_text(type));
	kwj_add_str(o, "kind", kind);
	kwj_add_str(o, "kind_text", paper_kind_text(kind));
	kwj_add_str(o, "stem", db_val(res, i, COL("stem")));
	json_object_object_add(o, "options", paper_json_array(db_val(res, i, COL("options"))));
	kwj_add_str(o, "answer", db_val(res, i, COL("answer")));
#undef COL
	return o;
}

char *paper_pg_text_array(struct kw_ctx *c, const char *const *v, size_t n)
{
	size_t len = 3;
	for (size_t i = 0; i < n; i++)
		len += 5 + (v[i] ? 2 * strlen(v[i]) : 0);
	char *out = arena_alloc(c->a, len), *p = out;
	*p++ = '{';
	for (size_t i = 0; i < n; i++) {
		if (i)
			*p++ = ',';
		if (!v[i]) {
			memcpy(p, "NULL", 4);
			p += 4;
			continue;
		}
		*p++ = '"';
		for (const char *s = v[i]; *s; s++) {
			if (*s == '"' || *s == '\\')
				*p++ = '\\';
			*p++ = *s;
		}
		*p++ = '"';
	}
	*p++ = '}';
	*p = '\0';
	return out;
}

char *paper_pg_long_array(struct kw_ctx *c, const long *v, size_t n)
{
	char *out = arena_alloc(c->a, n * 21 + 3), *p = out;
	*p++ = '{';
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, i ? ",%ld" : "%ld", v[i]);
	*p++ = '}';
	*p = '\0';
	return out;
}

/* ------------------------------------------------------------------ UTF-8 and normalising */

/* Decode one UTF-8 character at s; returns its length (1 for an invalid byte, cp = the byte). */
size_t paper_u8_next(const unsigned char *s, uint32_t *cp)
{
	uint32_t c = s[0];
	size_t len;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		len = 2, c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3, c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4, c &= 0x07;
	} else {
		*cp = c;
		return 1;
	}
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp = s[0];
			return 1;
		}
		c = (c << 6) | (s[i] & 0x3f);
	}
	*cp = c;
	return len;
}

static bool is_space(uint32_t cp)
{
	return cp == ' ' || (cp >= 0x09 && cp <= 0x0d) || cp == 0xa0 || cp == 0x1680 ||
	       (cp >= 0x2000 && cp <= 0x200b) || cp == 0x2028 || cp == 0x2029 || cp == 0x202f ||
	       cp == 0x205f || cp == 0x3000 || cp == 0xfeff;
}

/* The ASCII form of a full-width or CJK punctuation character, else NULL (keep cp). */
static const char *fold(uint32_t cp, char buf[2])
{
	if (cp >= 0xff01 && cp <= 0xff5e) { /* full-width ASCII */
		buf[0] = (char)(cp - 0xfee0);
		buf[1] = '\0';
		return buf;
	}
	switch (cp) {
	case 0x3002:
	case 0xff61:
	case 0x00b7:
	case 0x30fb:
		return ".";
	case 0x3001:
	case 0xff64:
		return ",";
	case 0x201c:
	case 0x201d:
	case 0x300c:
	case 0x300d:
	case 0x300e:
	case 0x300f:
		return "\"";
	case 0x2018:
	case 0x2019:
		return "'";
	case 0x3010:
	case 0x3016:
		return "[";
	case 0x3011:
	case 0x3017:
		return "]";
	case 0x3014:
	case 0xfe59:
		return "(";
	case 0x3015:
	case 0xfe5a:
		return ")";
	case 0x300a:
	case 0x3008:
		return "<";
	case 0x300b:
	case 0x3009:
		return ">";
	case 0x2026:
		return "...";
	case 0x2013:
	case 0x2014:
	case 0x2015:
	case 0x2212:
		return "-";
	default:
		return NULL;
	}
}

char *paper_normalize(struct kw_ctx *c, const char *s)
{
	size_t n = strlen(s);
	char *out = arena_alloc(c->a, n * 3 + 1), *p = out; /* … (3 bytes) -> "..." (3 bytes) */
	const unsigned char *u = (const unsigned char *)s;
	while (*u) {
		uint32_t cp;
		size_t len = paper_u8_next(u, &cp);
		char buf[2];
		const char *f;
		if (len == 1 && cp >= 0x80) { /* a stray byte: keep it */
			*p++ = (char)*u;
		} else if (is_space(cp)) {
			/* dropped */
		} else if ((f = fold(cp, buf))) {
			size_t k = strlen(f);
			memcpy(p, f, k);
			p += k;
		} else {
			memcpy(p, u, len);
			p += len;
		}
		u += len;
	}
	*p = '\0';
	return out;
}

char *paper_question_norm(struct kw_ctx *c, const struct paper_q *q)
{
	const char *parts[5];
	size_t len = 0;
	parts[0] = paper_normalize(c, q->stem);
	len += strlen(parts[0]) + 1;
	for (int i = 0; i < q->nopt; i++) {
		parts[i + 1] = paper_normalize(c, q->opt[i]);
		len += strlen(parts[i + 1]) + 1;
	}
	char *out = arena_alloc(c->a, len + 1), *p = out;
	for (int i = 0; i <= q->nopt; i++) {
		if (i)
			*p++ = '\x1f';
		size_t k = strlen(parts[i]);
		memcpy(p, parts[i], k);
		p += k;
	}
	*p = '\0';
	return out;
}

const char *paper_trim(struct kw_ctx *c, const char *s)
{
	if (!s)
		return "";
	const unsigned char *b = (const unsigned char *)s, *e = b + strlen(s);
	for (;;) {
		uint32_t cp;
		size_t len = paper_u8_next(b, &cp);
		if (b < e &&
		    (cp == ' ' || (cp >= 0x09 && cp <= 0x0d) || cp == 0x3000 || cp == 0xa0))
			b += len;
		else
			break;
	}
	while (e > b) {
		const unsigned char *q = e - 1;
		while (q > b && (*q & 0xc0) == 0x80)
			q--;
		uint32_t cp;
		paper_u8_next(q, &cp);
		if (cp == ' ' || (cp >= 0x09 && cp <= 0x0d) || cp == 0x3000 || cp == 0xa0)
			e = q;
		else
			break;
	}
	if ((const char *)b == s && *e == '\0')
		return s;
	return arena_strndup(c->a, (const char *)b, (size_t)(e - b));
}

/* Characters in s (UTF-8). */
static size_t u8_count(const char *s)
{
	size_t n = 0;
	for (const unsigned char *u = (const unsigned char *)s; *u; u++)
		n += (*u & 0xc0) != 0x80;
	return n;
}

/* An answer with full-width forms folded, spaces dropped and letters upper-cased. */
static char *answer_fold(struct kw_ctx *c, const char *s)
{
	char *n = paper_normalize(c, s);
	for (char *p = n; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	return n;
}

/* Short quote of a user's text for messages (at most 20 characters). */
static const char *quote(struct kw_ctx *c, const char *s)
{
	size_t n = 0, bytes = 0;
	const unsigned char *u = (const unsigned char *)s;
	while (u[bytes] && n < 20) {
		bytes++;
		while (u[bytes] && (u[bytes] & 0xc0) == 0x80)
			bytes++;
		n++;
	}
	return arena_printf(c->a, "“%.*s%s”", (int)bytes, s, u[bytes] ? "…" : "");
}

/* ------------------------------------------------------------------ one question (R16) */

bool paper_q_check(struct kw_ctx *c, const char *const cells[8], struct paper_q *q,
		   paper_problem_fn fn, void *fctx)
{
	static const char letters[] = "ABCD";
	bool ok = true;
	const char *v[8];
	for (int i = 0; i < 8; i++)
		v[i] = paper_trim(c, cells[i]);
	memset(q, 0, sizeof(*q));

	/* A: stem */
	if (!*v[0]) {
		fn(fctx, 0, "题干不能为空");
		ok = false;
	} else if (u8_count(v[0]) > PAPER_MAX_STEM) {
		fn(fctx, 0, arena_printf(c->a, "题干超过 %d 字", PAPER_MAX_STEM));
		ok = false;
	}
	q->stem = v[0];

	/* B: type */
	q->type = paper_type_index(v[1]);
	if (q->type < 0) {
		fn(fctx, 1,
		   *v[1] ? arena_printf(c->a, "题型应为单选题、多选题或判断题，实为%s",
					quote(c, v[1]))
			 : "题型不能为空，应为单选题、多选题或判断题");
		ok = false;
	}

	/* C..F: options, contiguous from C */
	int last = -1, count = 0;
	for (int i = 0; i < 4; i++)
		if (*v[2 + i]) {
			last = i;
			count++;
		}
	if (q->type == 2) {
		if (count) {
			fn(fctx, 2 + last, "判断题不填选项（C–F 列应为空）");
			ok = false;
		}
	} else {
		bool gap = count != last + 1;
		if (gap) {
			for (int i = 0; i < 4; i++)
				if (!*v[2 + i]) {
					fn(fctx, 2 + i,
					   arena_printf(
					       c->a,
					       "选项应从 C 列起连续填写，选项%c为空而其后有选项",
					       letters[i]));
					break;
				}
			ok = false;
		} else if (q->type >= 0 && count < 2) {
			fn(fctx, 2 + (count ? 1 : 0),
			   arena_printf(c->a, "%s应有 2–4 个选项（C–F 列），实有 %d 个",
					paper_type_words[q->type], count));
			ok = false;
		}
		for (int i = 0; i < 4; i++)
			if (*v[2 + i] && u8_count(v[2 + i]) > PAPER_MAX_OPTION) {
				fn(fctx, 2 + i,
				   arena_printf(c->a, "选项%c超过 %d 字", letters[i],
						PAPER_MAX_OPTION));
				ok = false;
			}
		q->nopt = last + 1;
		for (int i = 0; i < q->nopt; i++)
			q->opt[i] = v[2 + i];
	}

	/* G: answer */
	const char *ans = v[6];
	if (q->type >= 0 && !*ans) {
		fn(fctx, 6, "正确答案不能为空");
		ok = false;
	} else if (q->type == 2) {
		if (strcmp(ans, "对") && strcmp(ans, "错")) {
			fn(fctx, 6,
			   arena_printf(c->a, "判断题答案应为“对”或“错”，实为%s", quote(c, ans)));
			ok = false;
		}
		q->answer = ans;
	} else if (q->type == 0) {
		char *a = answer_fold(c, ans);
		if (strlen(a) != 1 || a[0] < 'A' || a[0] > 'D') {
			fn(fctx, 6,
			   arena_printf(c->a, "单选题答案应为 A、B、C、D 中的一个字母，实为%s",
					quote(c, ans)));
			ok = false;
		} else if (q->nopt >= 2 && a[0] - 'A' >= q->nopt) {
			fn(fctx, 6,
			   arena_printf(c->a, "答案 %c 超出选项范围（只有 A–%c %d 个选项）", a[0],
					letters[q->nopt - 1], q->nopt));
			ok = false;
		}
		q->answer = a;
	} else if (q->type == 1) {
		char *a = answer_fold(c, ans);
		bool seen[4] = {false}, format = true;
		int n = 0;
		const char *p = a;
		char dup = 0, beyond = 0;
		for (;;) {
			if (p[0] < 'A' || p[0] > 'D' || (p[1] != ',' && p[1] != '\0')) {
				format = false;
				break;
			}
			int k = p[0] - 'A';
			if (seen[k] && !dup)
				dup = p[0];
			if (q->nopt >= 2 && k >= q->nopt && !beyond)
				beyond = p[0];
			seen[k] = true;
			n++;
			if (p[1] == '\0')
				break;
			p += 2;
		}
		if (!format || n < 2) {
			fn(fctx, 6,
			   arena_printf(
			       c->a,
			       "多选题答案应为用英文逗号隔开的两个以上选项字母（如 A,B,D），实为%s",
			       quote(c, ans)));
			ok = false;
		} else if (dup) {
			fn(fctx, 6, arena_printf(c->a, "多选题答案中 %c 重复", dup));
			ok = false;
		} else if (beyond) {
			fn(fctx, 6,
			   arena_printf(c->a, "答案 %c 超出选项范围（只有 A–%c %d 个选项）", beyond,
					letters[q->nopt - 1], q->nopt));
			ok = false;
		}
		/* canonical: the letters in order */
		char *canon = arena_alloc(c->a, 8), *w = canon;
		for (int k = 0; k < 4; k++)
			if (seen[k]) {
				if (w > canon)
					*w++ = ',';
				*w++ = letters[k];
			}
		*w = '\0';
		q->answer = canon;
	}

	/* H: kind */
	q->kind = paper_kind_index(v[7]);
	if (q->kind < 0) {
		fn(fctx, 7,
		   *v[7] ? arena_printf(c->a, "类型应为基础知识或相关知识，实为%s", quote(c, v[7]))
			 : "类型不能为空，应为基础知识或相关知识");
		ok = false;
	}
	if (ok)
		q->norm = paper_question_norm(c, q);
	return ok;
}

/* ------------------------------------------------------------------ the template (R17) */

const char *const paper_template_header[8] = {
    "题干",	"题型(单选题、多选题、判断题)", "选项A", "选项B", "选项C", "选项D",
    "正确答案", "类型(基础知识、相关知识)",
};

/* The manual's example rows (rows 2-5 of the template). */
static const char *const template_examples[4][8] = {
    {"车轮前束是为了调整（　）所带来的不良后果而设置的。", "单选题", "主销后倾", "主销内倾",
     "车轮外倾", "车轮内倾角", "C", "基础知识"},
    {"在一正常工作的白炽灯交流电路中串入一个电感线圈，白炽灯将（　）。", "单选题", "变暗", "不变",
     "变亮", "烧坏", "A", "基础知识"},
    {"汽车制动系的作用是将（　）由踏板输入的机械推力转换成液压力。", "单选题", "制动主缸推杆",
     "后活塞", "制动轮缸", NULL, "A", "基础知识"},
    {"后驱汽车在向前行驶过程中，地面对前轮的切向反力的方向为（　）。", "单选题", "与行驶方向相同",
     "垂直于路面", "与行驶方向相反", "为零", "C", "基础知识"},
};

static const char template_note[] =
    "前六行为模板说明和示例，导入时系统自动跳过，无需删除，请从第 7 行起录入试题。"
    "A 列题干；B 列题型填单选题、多选题或判断题；C–F 列为选项，单选题、多选题从 C 列起填 2–4 个，"
    "判断题不填；G 列正确答案，单选题填 A/B/C/D，多选题用英文半角逗号隔开（如 "
    "A,B,D），判断题填对/错；"
    "H 列类型填基础知识或相关知识。";

int paper_template_xlsx(struct kw_ctx *c, const char **data, size_t *len)
{
	static const struct xlsx_col cols[8] = {
	    {.header = NULL, .type = XLSX_TEXT, .width = 60},
	    {.header = NULL, .type = XLSX_TEXT, .width = 30},
	    {.header = NULL, .type = XLSX_TEXT, .width = 16},
	    {.header = NULL, .type = XLSX_TEXT, .width = 16},
	    {.header = NULL, .type = XLSX_TEXT, .width = 16},
	    {.header = NULL, .type = XLSX_TEXT, .width = 16},
	    {.header = NULL, .type = XLSX_TEXT, .width = 10},
	    {.header = NULL, .type = XLSX_TEXT, .width = 26},
	};
	struct xlsx_col hdr[8];
	for (int i = 0; i < 8; i++) {
		hdr[i] = cols[i];
		hdr[i].header = paper_template_header[i];
	}
	struct kw_membuf mb = {.limit = 1024 * 1024};
	xlsx_writer *w = xlsx_open(kw_membuf_sink, &mb);
	xlsx_add_sheet(w, "题库");
	xlsx_columns(w, hdr, 8);
	for (int r = 0; r < 4; r++) {
		xlsx_row_begin(w);
		for (int i = 0; i < 8; i++)
			xlsx_cell_text(w, template_examples[r][i]);
		xlsx_row_end(w);
	}
	xlsx_row_begin(w);
	xlsx_cell_text(w, template_note);
	xlsx_row_end(w);
	int err = xlsx_close(w);
	if (err) {
		kw_membuf_free(&mb);
		log_error("bank template: xlsx writer failed (%d)", err);
		return KW_EINTERNAL;
	}
	*data = arena_memdup(c->a, mb.data, mb.len);
	*len = mb.len;
	kw_membuf_free(&mb);
	return KW_OK;
}

/* ------------------------------------------------------------------ reading a bank file */

struct sheet_state {
	struct kw_ctx *c;
	struct paper_sheet *out;
	size_t cap;
	bool preamble; /* no question row seen yet */
	unsigned row;  /* the row being checked */
	bool row_bad;
	const char *example_norm[4];
};

static void sheet_problem(void *ctx, int col, const char *message)
{
	struct sheet_state *st = ctx;
	struct paper_sheet *out = st->out;
	if (!st->row_bad) {
		st->row_bad = true;
		out->bad_rows++;
	}
	out->nerrors++;
	if (out->nerrors > PAPER_MAX_ERRORS)
		return;
	char name[8];
	json_object *e = json_object_new_object();
	kwj_add_int(e, "row", st->row);
	kwj_add_str(e, "field", xlsx_read_col_name((unsigned)col, name));
	kwj_add_str(e, "rule", "R17");
	kwj_add_str(e, "message",
		    arena_printf(st->c->a, "第 %u 行 %s 列：%s", st->row, name, message));
	json_object_array_add(out->errors, e);
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Is this row the template's (header, example, note, or a row of column letters)? */
static bool template_row(struct sheet_state *st, const char *const v[8])
{
	struct kw_ctx *c = st->c;
	const char *b = paper_normalize(c, v[1]);
	/* a header row anywhere: no question's type starts with 题型 */
	if (starts_with(b, "题型"))
		return true;
	if (!st->preamble)
		return false;
	bool rest_empty = true;
	for (int i = 1; i < 8; i++)
		if (*v[i])
			rest_empty = false;
	const char *a = paper_normalize(c, v[0]);
	if (rest_empty) {
		static const char *const words[] = {"前六行", "模板",	"说明",
						    "示例",   "导入时", "删除"};
		for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			if (strstr(a, words[i]))
				return true;
	}
	bool letters = true;
	for (int i = 0; i < 8 && letters; i++)
		letters = v[i][0] == 'A' + i && v[i][1] == '\0';
	if (letters)
		return true;
	for (int i = 0; i < 4; i++)
		if (!strcmp(a, st->example_norm[i]))
			return true;
	return false;
}

int paper_sheet_read(struct kw_ctx *c, const void *buf, size_t len, struct paper_sheet *out)
{
	memset(out, 0, sizeof(*out));
	out->errors = kwj_own(c, json_object_new_array());
	out->template_rows = kwj_own(c, json_object_new_array());
	struct sheet_state st = {.c = c, .out = out, .preamble = true};
	for (int i = 0; i < 4; i++)
		st.example_norm[i] = paper_normalize(c, template_examples[i][0]);

	struct xlsx_read_limits lim = {.max_rows = PAPER_MAX_ROWS};
	struct xlsx_read_error rerr;
	struct xlsx_reader *r = NULL;
	int err = xlsx_reader_open(&r, buf, len, &lim, &rerr);
	if (err) {
		xlsx_reader_close(r);
		return xlsx_read_fail(c, &rerr);
	}
	const struct xlsx_read_row *row;
	while ((err = xlsx_reader_next(r, &row, &rerr)) == 0 && row) {
		const char *v[8];
		bool any = false;
		for (unsigned i = 0; i < 8; i++) {
			v[i] = paper_trim(c, xlsx_read_text(row, i));
			if (*v[i])
				any = true;
		}
		if (!any)
			continue; /* nothing in A-H */
		if (template_row(&st, v)) {
			json_object_array_add(out->template_rows, json_object_new_int64(row->num));
			continue;
		}
		st.preamble = false;
		st.row = row->num;
		st.row_bad = false;
		out->rows++;
		/* cells are copied: the reader reuses its row buffers */
		const char *cells[8];
		for (int i = 0; i < 8; i++)
			cells[i] = v[i] == xlsx_read_text(row, (unsigned)i)
				       ? arena_strdup(c->a, v[i])
				       : v[i];
		struct paper_q q;
		if (paper_q_check(c, cells, &q, sheet_problem, &st)) {
			q.row = row->num;
			if (out->n == st.cap) {
				size_t cap = st.cap ? st.cap * 2 : 256;
				struct paper_q *nq = arena_alloc(c->a, cap * sizeof(*nq));
				if (out->n)
					memcpy(nq, out->q, out->n * sizeof(*nq));
				out->q = nq;
				st.cap = cap;
			}
			out->q[out->n++] = q;
		}
	}
	xlsx_reader_close(r);
	if (err)
		return xlsx_read_fail(c, &rerr);
	return KW_OK;
}
