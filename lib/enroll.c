/* enroll.c - candidate enrollment (考试报名, R5, R13, R14, R29): open items, the checked form,
 * 我的报名, the station's roster and its rejection of single candidates. */
#include "enroll.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "core/clock.h"
#include "core/json.h"
#include "db/db.h"
#include "file.h"
#include "grading.h"
#include "message.h"
#include "office/pdf_writer.h"
#include "org.h"
#include "ref.h"
#include "workflow.h"

#define R5_LAST_DAY                                                                                \
	21 /* registration closes 20 days before the exam: the last day is exam - 21               \
	    */

/* ------------------------------------------------------------------ 申报条件 */

struct condition {
	const char *text;
	bool needs_cert; /* "取得……证书后": the prior certificate is required */
};

/* The conditions of levels 5..1 as the national occupational standards word them. */
static const struct condition conditions[6][4] = {
    [5] = {{"累计从事本职业或相关职业工作1年（含）以上。", false},
	   {"本职业或相关职业学徒期满。", false}},
    [4] = {{"取得本职业或相关职业五级/初级工职业资格证书（技能等级证书）后，累计从事本职业或相关"
	    "职业工作4年（含）以上。",
	    true},
	   {"累计从事本职业或相关职业工作6年（含）以上。", false},
	   {"取得技工学校本专业或相关专业毕业证书（含尚未取得毕业证书的在校应届毕业生）；或取得经"
	    "评估论证、以中级技能为培养目标的中等及以上职业学校本专业或相关专业毕业证书（含尚未取"
	    "得毕业证书的在校应届毕业生）。",
	    false}},
    [3] = {{"取得本职业或相关职业四级/中级工职业资格证书（技能等级证书）后，累计从事本职业或相关"
	    "职业工作5年（含）以上。",
	    true},
	   {"取得四级/中级工职业资格证书（技能等级证书），并具有高级技工学校、技师学院毕业证书（含"
	    "尚未取得毕业证书的在校应届毕业生）；或取得四级/中级工职业资格证书（技能等级证书），并"
	    "具有经评估论证、以高级技能为培养目标的高等职业学校本专业或相关专业毕业证书（含尚未取"
	    "得毕业证书的在校应届毕业生）。",
	    true},
	   {"具有大专及以上本专业或相关专业毕业证书，并取得本职业或相关职业四级/中级工职业资格证书"
	    "（技能等级证书）后，累计从事本职业或相关职业工作2年（含）以上。",
	    true}},
    [2] = {{"取得本职业或相关职业三级/高级工职业资格证书（技能等级证书）后，累计从事本职业或相关"
	    "职业工作4年（含）以上。",
	    true},
	   {"取得本职业或相关职业三级/高级工职业资格证书（技能等级证书）的高级技工学校、技师学院"
	    "毕业生，累计从事本职业或相关职业工作3年（含）以上；或取得本职业或相关职业预备技师证书"
	    "的技师学院毕业生，累计从事本职业或相关职业工作2年（含）以上。",
	    true}},
    [1] = {{"取得本职业或相关职业二级/技师职业资格证书（技能等级证书）后，累计从事本职业或相关职"
	    "业工作4年（含）以上。",
	    true}},
};

/* How many conditions level has (0 for a bad level). */
static int condition_count(int level)
{
	int n = 0;
	if (level < 1 || level > 5)
		return 0;
	while (n < 4 && conditions[level][n].text)
		n++;
	return n;
}

json_object *enroll_conditions_json(struct kw_ctx *c, int level)
{
	json_object *a = kwj_own(c, json_object_new_array());
	for (int i = 0; i < condition_count(level); i++) {
		json_object *o = json_object_new_object();
		kwj_add_str(o, "code", arena_printf(c->a, "%d", i + 1));
		kwj_add_str(o, "text", conditions[level][i].text);
		kwj_add_bool(o, "needs_cert", conditions[level][i].needs_cert);
		json_object_array_add(a, o);
	}
	json_object *o = json_object_new_object();
	kwj_add_str(o, "code", "other");
	kwj_add_str(o, "text", "其他");
	kwj_add_bool(o, "needs_cert", false);
	json_object_array_add(a, o);
	return a;
}

/* The text of a condition code for a level ("其他：…" for other); "" when unknown. */
static const char *condition_text(struct kw_ctx *c, int level, const char *code, const char *other)
{
	if (!code)
		return "";
	if (!strcmp(code, "other"))
		return arena_printf(c->a, "其他：%s", other ? other : "");
	int i = atoi(code);
	if (i < 1 || i > condition_count(level))
		return "";
	return conditions[level][i - 1].text;
}

/* ------------------------------------------------------------------ dates */

/* Days since 1970-01-01 of "YYYY-MM-DD"; false when it is not a real date. */
static bool parse_day(const char *s, long *day)
{
	int y, m, d;
	char tail;
	if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return false;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return false;
	/* days from civil (Howard Hinnant's algorithm) */
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	*day = era * 146097 + doe - 719468;
	return true;
}

/* Today's day number by the business clock in Beijing. */
static long today(const struct kw_ctx *c)
{
	return (long)((c->now + 8 * 3600) / 86400);
}

/* "YYYY-MM-DD" of today (Beijing), in the arena. */
static const char *today_text(struct kw_ctx *c)
{
	char *buf = arena_alloc(c->a, 16);
	kw_format_date(c->now, buf, 16);
	return buf;
}

/* "2026年12月5日" of "2026-12-05" (arena); s itself when it is not a date. */
static const char *cn_date(struct kw_ctx *c, const char *s)
{
	int y, m, d;
	if (!s || sscanf(s, "%d-%d-%d", &y, &m, &d) != 3)
		return s ? s : "";
	return arena_printf(c->a, "%d年%d月%d日", y, m, d);
}

/* ------------------------------------------------------------------ open items */

#define ITEM_COLS                                                                                  \
	"i.id, i.batch_id, b.name AS batch_name, b.status AS batch_status, b.org_id,"              \
	" o.name AS org_name, o.region_code, rg.name AS region_name, i.category, i.level,"         \
	" i.occupation_id, oc.name AS occupation_name, i.direction_id, dc.name AS direction_name," \
	" i.exam_date::text AS exam_date, i.dual_cert,"                                            \
	" (i.exam_date - "                                                                         \
	"21"                                                                                       \
	")::text AS closes_on,"                                                                    \
	" ((b.approved_at AT TIME ZONE 'Asia/Shanghai')::date)::text AS opens_on"
#define ITEM_FROM                                                                                  \
	" FROM batch_items i JOIN batches b ON b.id = i.batch_id JOIN orgs o ON o.id = b.org_id"   \
	" LEFT JOIN regions rg ON rg.code = o.region_code"                                         \
	" JOIN occupations oc ON oc.id = i.occupation_id"                                          \
	" LEFT JOIN occupations dc ON dc.id = i.direction_id"

static struct db_stmt q_open = DB_STMT(
    "enroll_open",
    "SELECT " ITEM_COLS ITEM_FROM " WHERE b.status = 'registering' AND $1::date <= i.exam_date - 21"
    " AND ($2::bigint = 0 OR b.org_id = $2::bigint)"
    " AND ($3::text = '' OR o.region_code = $3 OR left(o.region_code, 2) || '0000' = $3"
    "      OR left(o.region_code, 4) || '00' = $3)"
    " ORDER BY i.exam_date, b.id, i.pos");

/* One item row as the candidate sees it. */
static json_object *item_json(struct kw_ctx *c, PGresult *r, int i)
{
	json_object *o = json_object_new_object();
	int level = (int)db_long(r, i, "level");
	kwj_add_int(o, "id", db_long(r, i, "id"));
	json_object_object_add(o, "batch",
			       kwj_id_name(db_long(r, i, "batch_id"), db_val(r, i, "batch_name")));
	json_object_object_add(o, "org",
			       kwj_id_name(db_long(r, i, "org_id"), db_val(r, i, "org_name")));
	json_object *rg = json_object_new_object();
	kwj_add_str(rg, "code", db_val(r, i, "region_code"));
	kwj_add_str(rg, "name", db_val(r, i, "region_name"));
	json_object_object_add(o, "region", rg);
	kwj_add_str(o, "category", db_val(r, i, "category"));
	kwj_add_str(o, "category_text", ref_category_name(db_val(r, i, "category")));
	kwj_add_int(o, "level", level);
	kwj_add_str(o, "level_text", ref_level_name(level));
	json_object_object_add(
	    o, "occupation",
	    kwj_id_name(db_long(r, i, "occupation_id"), db_val(r, i, "occupation_name")));
	json_object_object_add(
	    o, "direction",
	    db_val(r, i, "direction_id")
		? kwj_id_name(db_long(r, i, "direction_id"), db_val(r, i, "direction_name"))
		: NULL);
	kwj_add_str(o, "exam_date", db_val(r, i, "exam_date"));
	kwj_add_bool(o, "dual_cert", db_bool(r, i, "dual_cert"));
	kwj_add_str(o, "opens_on", db_val(r, i, "opens_on"));
	kwj_add_str(o, "closes_on", db_val(r, i, "closes_on"));
	kwj_put(o, "conditions", enroll_conditions_json(c, level));
	return o;
}

/* Add key -> name to a JSON object used as a set (for the picker's regions and orgs). */
static void set_add(json_object *set, const char *key, json_object *val)
{
	if (!key || json_object_object_get_ex(set, key, NULL)) {
		json_object_put(val);
		return;
	}
	json_object_object_add(set, key, val);
}

/* The values of a set as an array. */
static json_object *set_values(json_object *set)
{
	json_object *a = json_object_new_array();
	json_object_object_foreach(set, k, v)
	{
		(void)k;
		kwj_push(a, kwj_copy(v));
	}
	return a;
}

int enroll_open_items(struct kw_ctx *c, long org_id, const char *region, json_object **out)
{
	int err;
	*out = NULL;
	if (region && *region && (strlen(region) != 6 || strspn(region, "0123456789") != 6)) {
		kw_field_error(c, "region", 0, "region", "区域代码应为 6 位数字");
		return kw_validation_result(c);
	}
	PGresult *r =
	    db_query(c, &q_open, &err, today_text(c), db_ltoa(c, org_id), region ? region : "");
	if (!r)
		return err;
	json_object *o = kwj_own(c, json_object_new_object());
	json_object *items = json_object_new_array();
	json_object *regions = kwj_own(c, json_object_new_object());
	json_object *orgs = kwj_own(c, json_object_new_object());
	json_object_object_add(o, "items", items);
	for (int i = 0; i < PQntuples(r); i++) {
		json_object_array_add(items, item_json(c, r, i));
		json_object *rg = json_object_new_object();
		kwj_add_str(rg, "code", db_val(r, i, "region_code"));
		kwj_add_str(rg, "name", db_val(r, i, "region_name"));
		set_add(regions, db_val(r, i, "region_code"), rg);
		json_object *og = kwj_id_name(db_long(r, i, "org_id"), db_val(r, i, "org_name"));
		kwj_add_str(og, "region_code", db_val(r, i, "region_code"));
		set_add(orgs, db_val(r, i, "org_id"), og);
	}
	json_object_object_add(o, "regions", set_values(regions));
	json_object_object_add(o, "orgs", set_values(orgs));
	*out = o;
	return KW_OK;
}

/* ------------------------------------------------------------------ the form */

static struct db_stmt q_item =
    DB_STMT("enroll_item", "SELECT " ITEM_COLS ITEM_FROM " WHERE i.id = $1");

/* The item of an enrollment form, with the window check (R5): 404 when it does not exist or
 * its batch has not been approved, 409 with the dates when registration is not open today. */
static int load_open_item(struct kw_ctx *c, long item_id, PGresult **out)
{
	int err;
	PGresult *r = db_query(c, &q_item, &err, db_ltoa(c, item_id));
	if (!r)
		return err;
	*out = r;
	static const char *hidden[] = {"draft", "app_org2", "app_staff", "app_director",
				       "app_rejected"};
	const char *st = PQntuples(r) ? db_val(r, 0, "batch_status") : NULL;
	for (size_t i = 0; st && i < sizeof(hidden) / sizeof(*hidden); i++)
		if (!strcmp(st, hidden[i]))
			st = NULL;
	if (!st)
		return kw_fail(c, KW_ENOTFOUND, "报名批次不存在");
	long last = 0;
	bool dated = parse_day(db_val(r, 0, "closes_on"), &last);
	if (strcmp(st, "registering") != 0 || !dated || today(c) > last)
		return kw_fail(
		    c, KW_ECONFLICT,
		    arena_printf(c->a,
				 "不在报名时间内：该批次报名时间为 %s 至 %s（考试日期 %s 前 "
				 "20 天截止），今天是 %s",
				 cn_date(c, db_val(r, 0, "opens_on")),
				 cn_date(c, db_val(r, 0, "closes_on")),
				 cn_date(c, db_val(r, 0, "exam_date")), cn_date(c, today_text(c))));
	return KW_OK;
}

static struct db_stmt q_my_image =
    DB_STMT("enroll_my_image", "SELECT kind FROM files WHERE id = $1 AND created_by = $2::bigint");

/* A required/optional image field: a jpg/png the caller uploaded (R13). *id 0 when absent. */
static void get_image(struct kw_ctx *c, json_object *obj, const char *key, const char *path,
		      bool required, const char *label, long *id)
{
	*id = 0;
	json_object *v;
	if (!json_object_object_get_ex(obj, key, &v) || json_object_is_type(v, json_type_null)) {
		if (required)
			kw_field_error(c, path, 0, "R13", arena_printf(c->a, "请上传%s", label));
		return;
	}
	if (!kwj_get_int(c, obj, key, path, KWJ_REQUIRED, 1, 1L << 53, id))
		return;
	int err;
	PGresult *r = db_query(c, &q_my_image, &err, db_ltoa(c, *id), db_ltoa(c, c->user.id));
	const char *kind = r && PQntuples(r) ? db_val(r, 0, "kind") : NULL;
	if (!kind || (strcmp(kind, "jpg") != 0 && strcmp(kind, "png") != 0))
		kw_field_error(
		    c, path, 0, "R13",
		    arena_printf(c->a, "%s应为本人上传的 jpg 或 png 图片（不超过 1 MB）", label));
}

/* A date field "YYYY-MM-DD" not after today. */
static void get_date(struct kw_ctx *c, json_object *obj, const char *key, const char *path,
		     bool required, const char *label, const char **out)
{
	*out = NULL;
	const char *s = NULL;
	if (!kwj_get_string(c, obj, key, path, required ? KWJ_REQUIRED : KWJ_OPTIONAL, 10, &s) ||
	    !s || !*s)
		return;
	long d;
	if (!parse_day(s, &d) || d > today(c)) {
		kw_field_error(
		    c, path, 0, "date",
		    arena_printf(c->a, "%s应为不晚于今天的日期（如 2015-07-01）", label));
		return;
	}
	*out = s;
}

/* The parsed form. */
struct form {
	long item_id;
	int level;
	const char *identity, *education, *employer, *employer_type, *occupation_now, *work_start;
	long years_in_trade;
	bool has_years;
	const char *school, *major, *enrolled_on;
	bool has_prior;
	long prior_level, prior_file_id;
	const char *prior_name, *prior_no, *prior_issuer;
	long photo, id_card, student_card;
	const char *condition, *condition_other;
	bool dual_cert;
	json_object *history; /* normalised rows */
	PGresult *item;
};

/* Required text: trimmed, 1..max characters. */
static void get_text(struct kw_ctx *c, json_object *obj, const char *key, bool required, size_t max,
		     const char *label, const char **out)
{
	*out = NULL;
	json_object *v;
	bool present =
	    json_object_object_get_ex(obj, key, &v) && !json_object_is_type(v, json_type_null);
	if (!present) {
		if (required)
			kw_field_error(c, key, 0, "required",
				       arena_printf(c->a, "请填写%s", label));
		return;
	}
	if (!kwj_get_string(c, obj, key, NULL, KWJ_REQUIRED, max, out))
		return;
	if (required && (!*out || !**out)) {
		kw_field_error(c, key, 0, "required", arena_printf(c->a, "请填写%s", label));
		*out = NULL;
	} else if (*out && !**out) {
		*out = NULL;
	}
}

/* The prior certificate (⑤⑥): all of level, name, no, issuer, file or none of them (R13). */
static void get_prior(struct kw_ctx *c, json_object *body, struct form *f)
{
	json_object *p;
	f->has_prior = false;
	if (!json_object_object_get_ex(body, "prior_cert", &p) ||
	    json_object_is_type(p, json_type_null))
		return;
	if (!json_object_is_type(p, json_type_object)) {
		kw_field_error(c, "prior_cert", 0, "type", "已取得证书应为对象或 null");
		return;
	}
	static const char *keys[] = {"level", "name", "no", "issuer", "file_id"};
	static const char *labels[] = {"已取得职业技能等级", "已取得证书名称", "已取得证书编号",
				       "发证单位", "证书图片"};
	int given = 0;
	for (int i = 0; i < 5; i++) {
		json_object *v;
		if (json_object_object_get_ex(p, keys[i], &v) &&
		    !json_object_is_type(v, json_type_null) &&
		    !(json_object_is_type(v, json_type_string) && !*json_object_get_string(v)))
			given |= 1 << i;
	}
	if (!given)
		return;
	if (given != 0x1f) {
		for (int i = 0; i < 5; i++)
			if (!(given & (1 << i)))
				kw_field_error(c, arena_printf(c->a, "prior_cert.%s", keys[i]), 0,
					       "R13",
					       arena_printf(c->a,
							    "已取得证书的五项须全部填写或全部不填："
							    "请填写%s",
							    labels[i]));
		return;
	}
	f->has_prior = true;
	kwj_get_int(c, p, "level", "prior_cert.level", KWJ_REQUIRED, 1, 5, &f->prior_level);
	kwj_get_string(c, p, "name", "prior_cert.name", KWJ_REQUIRED, 50, &f->prior_name);
	kwj_get_string(c, p, "issuer", "prior_cert.issuer", KWJ_REQUIRED, 100, &f->prior_issuer);
	if (kwj_get_string(c, p, "no", "prior_cert.no", KWJ_REQUIRED, 19, &f->prior_no) &&
	    f->prior_no) {
		size_t n = strlen(f->prior_no);
		if ((n != 16 && n != 19) || strspn(f->prior_no, "0123456789") != n)
			kw_field_error(c, "prior_cert.no", 0, "R13",
				       "证书编号应为 16 位数字（本平台颁发的证书为 19 位）");
	}
	get_image(c, p, "file_id", "prior_cert.file_id", true, "证书图片", &f->prior_file_id);
}

/* 工作经历 / 学习经历 rows: [{"from", "to", "place", "dept", "work"}], 1..20. */
static void get_history(struct kw_ctx *c, json_object *body, const char *label, struct form *f)
{
	json_object *h;
	f->history = kwj_own(c, json_object_new_array());
	if (!json_object_object_get_ex(body, "history", &h) ||
	    !json_object_is_type(h, json_type_array) || json_object_array_length(h) < 1) {
		kw_field_error(c, "history", 0, "required",
			       arena_printf(c->a, "请至少填写一条%s", label));
		return;
	}
	size_t n = json_object_array_length(h);
	if (n > 20) {
		kw_field_error(c, "history", 0, "max", arena_printf(c->a, "%s最多 20 条", label));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		json_object *row = json_object_array_get_idx(h, i);
		const char *p = arena_printf(c->a, "history[%zu]", i);
		if (!json_object_is_type(row, json_type_object)) {
			kw_field_error(c, p, 0, "type", "经历应为对象");
			continue;
		}
		const char *from = NULL, *to = NULL, *place = NULL, *dept = NULL, *work = NULL;
		get_date(c, row, "from", arena_printf(c->a, "%s.from", p), true, "起始时间", &from);
		get_date(c, row, "to", arena_printf(c->a, "%s.to", p), false, "结束时间", &to);
		kwj_get_string(c, row, "place", arena_printf(c->a, "%s.place", p), KWJ_REQUIRED,
			       100, &place);
		kwj_get_string(c, row, "dept", arena_printf(c->a, "%s.dept", p), KWJ_OPTIONAL, 100,
			       &dept);
		kwj_get_string(c, row, "work", arena_printf(c->a, "%s.work", p), KWJ_OPTIONAL, 200,
			       &work);
		if (place && !*place)
			kw_field_error(c, arena_printf(c->a, "%s.place", p), 0, "required",
				       "请填写单位或学校名称");
		long a, b;
		if (from && to && parse_day(from, &a) && parse_day(to, &b) && b < a)
			kw_field_error(c, arena_printf(c->a, "%s.to", p), 0, "date",
				       "结束时间不能早于起始时间");
		json_object *o = json_object_new_object();
		kwj_add_str(o, "from", from);
		kwj_add_str(o, "to", to);
		kwj_add_str(o, "place", place);
		kwj_add_str(o, "dept", dept && *dept ? dept : NULL);
		kwj_add_str(o, "work", work && *work ? work : NULL);
		json_object_array_add(f->history, o);
	}
}

/* Parse and check the whole form (R5, R13). Errors: 404/409 from the item, else 422. */
static int check_form(struct kw_ctx *c, json_object *body, struct form *f)
{
	int err;
	memset(f, 0, sizeof(*f));
	if (!body || !json_object_is_type(body, json_type_object))
		return kw_fail(c, KW_EBADREQ, "请求体应为 JSON 对象");
	if (!kwj_get_int(c, body, "batch_item_id", NULL, KWJ_REQUIRED, 1, 1L << 53, &f->item_id))
		return kw_validation_result(c);
	if ((err = load_open_item(c, f->item_id, &f->item)))
		return err;
	f->level = (int)db_long(f->item, 0, "level");
	if (kwj_get_string(c, body, "identity", NULL, KWJ_REQUIRED, 10, &f->identity) &&
	    (!f->identity || (strcmp(f->identity, "employed") && strcmp(f->identity, "student")))) {
		kw_field_error(c, "identity", 0, "enum",
			       "身份类别应为在职人员（employed）或在校学生（student）");
		f->identity = NULL;
	}
	bool student = f->identity && !strcmp(f->identity, "student");
	get_text(c, body, "education", true, 20, "文化程度", &f->education);
	if (f->identity && !student) {
		get_text(c, body, "employer", true, 100, "工作单位", &f->employer);
		get_text(c, body, "employer_type", true, 20, "单位性质", &f->employer_type);
		get_text(c, body, "occupation_now", true, 50, "当前从事职业", &f->occupation_now);
		get_date(c, body, "work_start", "work_start", true, "参加工作时间", &f->work_start);
		f->has_years = kwj_get_int(c, body, "years_in_trade", NULL, KWJ_REQUIRED, 0, 60,
					   &f->years_in_trade);
		get_history(c, body, "工作经历", f);
	} else if (student) {
		get_text(c, body, "school", true, 100, "就读学校", &f->school);
		get_text(c, body, "major", true, 50, "专业", &f->major);
		get_date(c, body, "enrolled_on", "enrolled_on", true, "入学时间", &f->enrolled_on);
		get_history(c, body, "学习经历", f);
		get_image(c, body, "student_card_file_id", "student_card_file_id", true,
			  "学生证图片", &f->student_card);
	}
	get_prior(c, body, f);
	get_image(c, body, "photo_file_id", "photo_file_id", true, "考生照片", &f->photo);
	get_image(c, body, "id_card_file_id", "id_card_file_id", true, "身份证（正面）图片",
		  &f->id_card);
	/* ⑩ 是否符合申报条件: (1)..(n) of the level, or 其他 with a text */
	if (kwj_get_string(c, body, "condition", NULL, KWJ_REQUIRED, 5, &f->condition)) {
		const char *cond = f->condition ? f->condition : "";
		int k = atoi(cond);
		bool numeric = *cond && strspn(cond, "0123456789") == strlen(cond);
		if (!strcmp(cond, "other")) {
			kwj_get_string(c, body, "condition_other", NULL, KWJ_OPTIONAL, 200,
				       &f->condition_other);
			if (!f->condition_other || !*f->condition_other)
				kw_field_error(c, "condition_other", 0, "required",
					       "选择“其他”时请填写补充信息");
		} else if (!numeric || k < 1 || k > condition_count(f->level)) {
			kw_field_error(c, "condition", 0, "R13",
				       arena_printf(c->a, "请选择该等级的申报条件（1–%d）或“其他”",
						    condition_count(f->level)));
		} else if (conditions[f->level][k - 1].needs_cert && !f->has_prior) {
			json_object *p;
			if (!json_object_object_get_ex(body, "prior_cert", &p) ||
			    json_object_is_type(p, json_type_null))
				kw_field_error(
				    c, "prior_cert", 0, "R13",
				    "所选申报条件要求已取得证书：请填写已取得证书的五项");
		}
	}
	if (!kwj_get_bool(c, body, "dual_cert", NULL, KWJ_OPTIONAL, &f->dual_cert))
		f->dual_cert = false;
	if (f->dual_cert && !db_bool(f->item, 0, "dual_cert")) {
		kw_field_error(c, "dual_cert", 0, "dual_cert", "该批次不办理双证");
	}
	return kw_validation_result(c);
}

/* Whole years from "YYYY-MM-DD" to today (0 when unknown). */
static long years_since(struct kw_ctx *c, const char *day)
{
	long d;
	if (!day || !parse_day(day, &d))
		return 0;
	return (today(c) - d) / 365;
}

/*
 * The condition the entered data appears to meet: the first of the level whose certificate
 * and years are there (years: the larger of 本工种工龄 and the years since 参加工作时间). A hint
 * only: the station decides.
 */
static json_object *hint_json(struct kw_ctx *c, const struct form *f)
{
	long years = f->has_years ? f->years_in_trade : 0;
	long since = years_since(c, f->work_start);
	if (since > years)
		years = since;
	bool student = f->identity && !strcmp(f->identity, "student");
	long pl = f->has_prior ? f->prior_level : 9; /* 9: no certificate */
	int met = 0;
	switch (f->level) {
	case 5:
		met = years >= 1 ? 1 : 0;
		break;
	case 4:
		met = pl <= 5 && years >= 4 ? 1 : years >= 6 ? 2 : student ? 3 : 0;
		break;
	case 3:
		met = pl <= 4 && years >= 5   ? 1
		      : pl <= 4 && student    ? 2
		      : pl <= 4 && years >= 2 ? 3
					      : 0;
		break;
	case 2:
		met = pl <= 3 && years >= 4 ? 1 : pl <= 3 && years >= 3 ? 2 : 0;
		break;
	case 1:
		met = pl <= 2 && years >= 4 ? 1 : 0;
		break;
	}
	json_object *o = json_object_new_object();
	if (met) {
		kwj_add_str(o, "condition", arena_printf(c->a, "%d", met));
		kwj_add_str(
		    o, "text",
		    arena_printf(
			c->a, "按填写的信息，您似乎符合申报条件（%d）：%s（最终以鉴定站审核为准）",
			met, conditions[f->level][met - 1].text));
	} else {
		json_object_object_add(o, "condition", NULL);
		kwj_add_str(o, "text",
			    "按填写的信息，未能判断您符合哪一项申报条件，请核对工龄、参加工作时间和"
			    "已取得证书，或选择“其他”并说明");
	}
	kwj_add_int(o, "years", years);
	return o;
}

static struct db_stmt q_me =
    DB_STMT("enroll_me", "SELECT real_name, id_number, phone FROM candidates WHERE id = $1");

/* The form as saved (without ids of its own): the normalised view of the preview. */
static json_object *form_json(struct kw_ctx *c, const struct form *f, PGresult *me)
{
	json_object *o = kwj_own(c, json_object_new_object());
	json_object_object_add(o, "item", item_json(c, f->item, 0));
	kwj_add_int(o, "batch_item_id", f->item_id);
	kwj_add_str(o, "real_name", db_val(me, 0, "real_name"));
	kwj_add_str(o, "id_number", db_val(me, 0, "id_number"));
	kwj_add_str(o, "phone", db_val(me, 0, "phone"));
	kwj_add_str(o, "identity", f->identity);
	kwj_add_str(o, "identity_text", !strcmp(f->identity, "student") ? "在校学生" : "在职人员");
	kwj_add_str(o, "education", f->education);
	kwj_add_str(o, "employer", f->employer);
	kwj_add_str(o, "employer_type", f->employer_type);
	kwj_add_str(o, "occupation_now", f->occupation_now);
	kwj_add_str(o, "work_start", f->work_start);
	if (f->has_years)
		kwj_add_int(o, "years_in_trade", f->years_in_trade);
	else
		json_object_object_add(o, "years_in_trade", NULL);
	kwj_add_str(o, "school", f->school);
	kwj_add_str(o, "major", f->major);
	kwj_add_str(o, "enrolled_on", f->enrolled_on);
	kwj_put(o, "history", f->history);
	if (f->has_prior) {
		json_object *p = json_object_new_object();
		kwj_add_int(p, "level", f->prior_level);
		kwj_add_str(p, "level_text", ref_level_name((int)f->prior_level));
		kwj_add_str(p, "name", f->prior_name);
		kwj_add_str(p, "no", f->prior_no);
		kwj_add_str(p, "issuer", f->prior_issuer);
		kwj_add_int(p, "file_id", f->prior_file_id);
		json_object_object_add(o, "prior_cert", p);
	} else {
		json_object_object_add(o, "prior_cert", NULL);
	}
	kwj_add_int(o, "photo_file_id", f->photo);
	kwj_add_int(o, "id_card_file_id", f->id_card);
	if (f->student_card)
		kwj_add_int(o, "student_card_file_id", f->student_card);
	else
		json_object_object_add(o, "student_card_file_id", NULL);
	kwj_add_str(o, "condition", f->condition);
	kwj_add_str(o, "condition_other", f->condition_other);
	kwj_add_str(o, "condition_text",
		    condition_text(c, f->level, f->condition, f->condition_other));
	kwj_add_bool(o, "dual_cert", f->dual_cert);
	return o;
}

/* The calling candidate's fixed name / ID / phone (R13: from the account, never the body). */
static int load_me(struct kw_ctx *c, PGresult **me)
{
	int err;
	if (!c->user.candidate_id)
		return kw_fail(c, KW_EFORBIDDEN, "只有考生可以报名");
	PGresult *r = db_query(c, &q_me, &err, db_ltoa(c, c->user.candidate_id));
	if (!r)
		return err;
	if (!PQntuples(r))
		return kw_fail(c, KW_EFORBIDDEN, "只有考生可以报名");
	*me = r;
	return KW_OK;
}

int enroll_preview(struct kw_ctx *c, json_object *body, json_object **out)
{
	int err;
	struct form f;
	PGresult *me;
	*out = NULL;
	if ((err = load_me(c, &me)) || (err = check_form(c, body, &f)))
		return err;
	json_object *o = form_json(c, &f, me);
	json_object_object_add(o, "hint", hint_json(c, &f));
	*out = o;
	return KW_OK;
}

static struct db_stmt q_dup =
    DB_STMT("enroll_dup", "SELECT id FROM enrollments WHERE candidate_id = $1 AND item_id = $2");
static struct db_stmt q_lock_item =
    DB_STMT("enroll_lock_item", "SELECT id FROM batch_items WHERE id = $1 FOR SHARE");
static struct db_stmt q_insert = DB_STMT(
    "enroll_insert",
    "INSERT INTO enrollments (candidate_id, account_id, item_id, batch_id, org_id, real_name,"
    " id_number, phone, identity, education, employer, employer_type, occupation_now, work_start,"
    " years_in_trade, school, major, enrolled_on, prior_level, prior_name, prior_no, prior_issuer,"
    " prior_file_id, photo_file_id, id_card_file_id, student_card_file_id, condition,"
    " condition_other, dual_cert, created_at)"
    " SELECT $1, $2, i.id, i.batch_id, b.org_id, $4, $5, $6, $7, $8, $9, $10, $11, $12::date,"
    " $13::smallint, $14, $15, $16::date, $17::smallint, $18, $19, $20, $21::bigint, $22, $23,"
    " $24::bigint, $25, $26, $27::boolean, $28"
    " FROM batch_items i JOIN batches b ON b.id = i.batch_id WHERE i.id = $3 RETURNING id");
static struct db_stmt q_insert_history =
    DB_STMT("enroll_insert_history",
	    "INSERT INTO enrollment_history (enrollment_id, pos, from_date, to_date, place, dept, "
	    "work) VALUES ($1, $2, $3, $4, $5, $6, $7)");

/* NULL for 0, else the number as text. */
static const char *opt_id(struct kw_ctx *c, long v)
{
	return v ? db_ltoa(c, v) : NULL;
}

/* The item's name as a candidate reads it: 批次名 职业（方向）等级. */
static const char *item_title(struct kw_ctx *c, PGresult *r, int i)
{
	const char *dir = db_val(r, i, "direction_name");
	return arena_printf(c->a, "%s %s%s%s%s%s", db_val(r, i, "batch_name"),
			    db_val(r, i, "occupation_name"), dir ? "（" : "", dir ? dir : "",
			    dir ? "）" : "", ref_level_name((int)db_long(r, i, "level")));
}

int enroll_create(struct kw_ctx *c, json_object *body, long *id)
{
	int err;
	struct form f;
	PGresult *me;
	*id = 0;
	if ((err = load_me(c, &me)) || (err = check_form(c, body, &f)))
		return err;
	if ((err = db_begin(c)))
		return err;
	if (!db_query(c, &q_lock_item, &err, db_ltoa(c, f.item_id)))
		return err;
	PGresult *dup =
	    db_query(c, &q_dup, &err, db_ltoa(c, c->user.candidate_id), db_ltoa(c, f.item_id));
	if (!dup)
		return err;
	if (PQntuples(dup))
		return kw_fail(
		    c, KW_ECONFLICT,
		    arena_printf(c->a,
				 "您已报名“%s”，每位考生每个批次的每个职业等级只能报名一次，"
				 "提交后不能修改",
				 item_title(c, f.item, 0)));
	PGresult *r = db_query(
	    c, &q_insert, &err, db_ltoa(c, c->user.candidate_id), db_ltoa(c, c->user.id),
	    db_ltoa(c, f.item_id), db_val(me, 0, "real_name"), db_val(me, 0, "id_number"),
	    db_val(me, 0, "phone"), f.identity, f.education, f.employer, f.employer_type,
	    f.occupation_now, f.work_start, f.has_years ? db_ltoa(c, f.years_in_trade) : NULL,
	    f.school, f.major, f.enrolled_on, f.has_prior ? db_ltoa(c, f.prior_level) : NULL,
	    f.has_prior ? f.prior_name : NULL, f.has_prior ? f.prior_no : NULL,
	    f.has_prior ? f.prior_issuer : NULL, f.has_prior ? opt_id(c, f.prior_file_id) : NULL,
	    db_ltoa(c, f.photo), db_ltoa(c, f.id_card), opt_id(c, f.student_card), f.condition,
	    f.condition_other, f.dual_cert ? "true" : "false", kw_now_text(c));
	if (!r)
		return err;
	*id = strtol(PQgetvalue(r, 0, 0), NULL, 10);
	for (size_t i = 0; i < json_object_array_length(f.history); i++) {
		json_object *h = json_object_array_get_idx(f.history, i), *v;
		const char *vals[5];
		static const char *keys[] = {"from", "to", "place", "dept", "work"};
		for (int k = 0; k < 5; k++)
			vals[k] = json_object_object_get_ex(h, keys[k], &v) && v
				      ? json_object_get_string(v)
				      : NULL;
		if (!db_query(c, &q_insert_history, &err, db_ltoa(c, *id), db_ltoa(c, (long)i + 1),
			      vals[0], vals[1], vals[2], vals[3], vals[4]))
			return err;
	}
	json_object *d = kwj_own(c, json_object_new_object());
	kwj_add_int(d, "item_id", f.item_id);
	kwj_add_str(d, "identity", f.identity);
	if ((err = audit_write(c, "enroll.create", "enrollment", *id, d)))
		return err;
	return db_commit(c);
}

/* ------------------------------------------------------------------ reading */

#define ENROLL_COLS                                                                                \
	"e.*, kw_ts(e.created_at) AS created_ts, kw_ts(e.rejected_at) AS rejected_ts,"             \
	" e.work_start::text AS work_start_t, e.enrolled_on::text AS enrolled_on_t,"               \
	" b.status AS b_status"

static struct db_stmt q_get =
    DB_STMT("enroll_get",
	    "SELECT " ENROLL_COLS " FROM enrollments e JOIN batches b ON b.id = e.batch_id"
	    " WHERE e.id = $1 AND (e.account_id = $2::bigint OR (" ORG_SCOPE_SQL("e.org_id", "$3",
										 "$4") "))");
static struct db_stmt q_history =
    DB_STMT("enroll_history", "SELECT from_date, to_date, place, dept, work FROM enrollment_history"
			      " WHERE enrollment_id = $1 ORDER BY pos");
static struct db_stmt q_stamped =
    DB_STMT("enroll_stamped",
	    "SELECT file_id FROM enrollment_stamped_files WHERE enrollment_id = $1 ORDER BY pos");

/* The status text of 我的报名: 等待审核, 报名被拒绝 + reason, 考试完毕. 成绩查询 and 证书查询 need
 * the score and certificate phases, whose data does not exist yet: never shown for now. */
static const char *status_text(struct kw_ctx *c, const char *status, const char *reason,
			       const char *batch_status, const char *exam_date)
{
	if (!strcmp(status, "rejected"))
		return arena_printf(c->a, "报名被拒绝：%s", reason ? reason : "");
	long d;
	static const char *before[] = {"registering", "reg_org2", "reg_staff", "reg_director",
				       "reg_rejected"};
	for (size_t i = 0; i < sizeof(before) / sizeof(*before); i++)
		if (!strcmp(batch_status, before[i]))
			return "等待审核";
	if (parse_day(exam_date, &d) && d < today(c))
		return "考试完毕";
	return "审核通过，等待考试";
}

/* A candidate's scope parameters: org accounts by org, others see only their own. */
static void scope_params(struct kw_ctx *c, const char **k, const char **r)
{
	struct org_scope s;
	org_scope_of(c, &s);
	*k = s.kind_param;
	*r = s.root_param;
	if (!c->user.kind || strcmp(c->user.kind, "org") != 0) {
		*k = "none";
		*r = "0";
	}
}

int enroll_get(struct kw_ctx *c, long id, json_object **out)
{
	int err;
	const char *k, *rt;
	*out = NULL;
	scope_params(c, &k, &rt);
	PGresult *e = db_query(c, &q_get, &err, db_ltoa(c, id), db_ltoa(c, c->user.id), k, rt);
	if (!e)
		return err;
	if (!PQntuples(e))
		return kw_fail(c, KW_ENOTFOUND, "报名信息不存在");
	PGresult *it = db_query(c, &q_item, &err, db_val(e, 0, "item_id"));
	PGresult *h = it ? db_query(c, &q_history, &err, db_ltoa(c, id)) : NULL;
	PGresult *st = h ? db_query(c, &q_stamped, &err, db_ltoa(c, id)) : NULL;
	if (!st)
		return err;
	int level = (int)db_long(it, 0, "level");
	json_object *o = kwj_own(c, json_object_new_object());
	kwj_add_int(o, "id", id);
	json_object_object_add(o, "item", item_json(c, it, 0));
	kwj_add_int(o, "batch_item_id", db_long(e, 0, "item_id"));
	static const char *text_cols[] = {
	    "real_name", "id_number",	    "phone",	      "identity",      "education",
	    "employer",	 "employer_type",   "occupation_now", "school",	       "major",
	    "condition", "condition_other", "status",	      "reject_reason", "rejected_by_name"};
	for (size_t i = 0; i < sizeof(text_cols) / sizeof(*text_cols); i++)
		kwj_add_str(o, text_cols[i], db_val(e, 0, text_cols[i]));
	kwj_add_str(o, "identity_text",
		    !strcmp(db_val(e, 0, "identity"), "student") ? "在校学生" : "在职人员");
	kwj_add_str(o, "work_start", db_val(e, 0, "work_start_t"));
	kwj_add_str(o, "enrolled_on", db_val(e, 0, "enrolled_on_t"));
	if (db_val(e, 0, "years_in_trade"))
		kwj_add_int(o, "years_in_trade", db_long(e, 0, "years_in_trade"));
	else
		json_object_object_add(o, "years_in_trade", NULL);
	json_object *ha = json_object_new_array();
	for (int i = 0; i < PQntuples(h); i++) {
		json_object *r = json_object_new_object();
		kwj_add_str(r, "from", db_val(h, i, "from_date"));
		kwj_add_str(r, "to", db_val(h, i, "to_date"));
		kwj_add_str(r, "place", db_val(h, i, "place"));
		kwj_add_str(r, "dept", db_val(h, i, "dept"));
		kwj_add_str(r, "work", db_val(h, i, "work"));
		json_object_array_add(ha, r);
	}
	json_object_object_add(o, "history", ha);
	if (db_val(e, 0, "prior_no")) {
		json_object *p = json_object_new_object();
		kwj_add_int(p, "level", db_long(e, 0, "prior_level"));
		kwj_add_str(p, "level_text", ref_level_name((int)db_long(e, 0, "prior_level")));
		kwj_add_str(p, "name", db_val(e, 0, "prior_name"));
		kwj_add_str(p, "no", db_val(e, 0, "prior_no"));
		kwj_add_str(p, "issuer", db_val(e, 0, "prior_issuer"));
		kwj_add_int(p, "file_id", db_long(e, 0, "prior_file_id"));
		json_object_object_add(o, "prior_cert", p);
	} else {
		json_object_object_add(o, "prior_cert", NULL);
	}
	kwj_add_int(o, "photo_file_id", db_long(e, 0, "photo_file_id"));
	kwj_add_int(o, "id_card_file_id", db_long(e, 0, "id_card_file_id"));
	if (db_val(e, 0, "student_card_file_id"))
		kwj_add_int(o, "student_card_file_id", db_long(e, 0, "student_card_file_id"));
	else
		json_object_object_add(o, "student_card_file_id", NULL);
	json_object *sa = json_object_new_array();
	for (int i = 0; i < PQntuples(st); i++)
		json_object_array_add(sa, json_object_new_int64(db_long(st, i, "file_id")));
	json_object_object_add(o, "stamped_file_ids", sa);
	kwj_add_str(
	    o, "condition_text",
	    condition_text(c, level, db_val(e, 0, "condition"), db_val(e, 0, "condition_other")));
	kwj_add_bool(o, "dual_cert", db_bool(e, 0, "dual_cert"));
	kwj_add_str(o, "status_text",
		    status_text(c, db_val(e, 0, "status"), db_val(e, 0, "reject_reason"),
				db_val(e, 0, "b_status"), db_val(it, 0, "exam_date")));
	kwj_add_str(o, "rejected_at", db_val(e, 0, "rejected_ts"));
	kwj_add_str(o, "created_at", db_val(e, 0, "created_ts"));
	kwj_put(o, "score", grading_candidate_score(c, id, db_val(e, 0, "b_status")));
	*out = o;
	return KW_OK;
}

static struct db_stmt q_mine =
    DB_STMT("enroll_mine", "SELECT e.id AS enrollment_id, e.status AS e_status, e.reject_reason,"
			   " kw_ts(e.created_at) AS created_ts, " ITEM_COLS ITEM_FROM
			   " JOIN enrollments e ON e.item_id = i.id"
			   " WHERE e.account_id = $1 ORDER BY e.created_at DESC, e.id DESC");

int enroll_mine(struct kw_ctx *c, json_object **items)
{
	int err;
	PGresult *r = db_query(c, &q_mine, &err, db_ltoa(c, c->user.id));
	if (!r)
		return err;
	json_object *a = kwj_own(c, json_object_new_array());
	for (int i = 0; i < PQntuples(r); i++) {
		json_object *o = json_object_new_object();
		kwj_add_int(o, "id", db_long(r, i, "enrollment_id"));
		kwj_add_str(o, "status", db_val(r, i, "e_status"));
		kwj_add_str(o, "status_text",
			    status_text(c, db_val(r, i, "e_status"), db_val(r, i, "reject_reason"),
					db_val(r, i, "batch_status"), db_val(r, i, "exam_date")));
		kwj_add_str(o, "reject_reason", db_val(r, i, "reject_reason"));
		kwj_add_str(o, "created_at", db_val(r, i, "created_ts"));
		/* 成绩查询: the score once the center approved it (lib/grading) */
		kwj_put(o, "score",
			grading_candidate_score(c, db_long(r, i, "enrollment_id"),
						db_val(r, i, "batch_status")));
		json_object *it = item_json(c, r, i);
		json_object_object_del(it, "conditions");
		json_object_object_add(o, "item", it);
		json_object_array_add(a, o);
	}
	*items = a;
	return KW_OK;
}

/* ------------------------------------------------------------------ stamped form */

static struct db_stmt q_own = DB_STMT(
    "enroll_own", "SELECT id FROM enrollments WHERE id = $1 AND account_id = $2 FOR UPDATE");
static struct db_stmt q_stamped_del =
    DB_STMT("enroll_stamped_del", "DELETE FROM enrollment_stamped_files WHERE enrollment_id = $1");
static struct db_stmt q_stamped_add = DB_STMT(
    "enroll_stamped_add",
    "INSERT INTO enrollment_stamped_files (enrollment_id, pos, file_id) VALUES ($1, $2, $3)");

int enroll_set_stamped(struct kw_ctx *c, long id, json_object *body)
{
	int err;
	json_object *ids;
	if (!body || !json_object_object_get_ex(body, "file_ids", &ids) ||
	    !json_object_is_type(ids, json_type_array) || json_object_array_length(ids) < 1 ||
	    json_object_array_length(ids) > 10) {
		kw_field_error(c, "file_ids", 0, "required",
			       "请上传 1–10 张盖章后的个人申报表图片");
		return kw_validation_result(c);
	}
	size_t n = json_object_array_length(ids);
	long *fid = arena_alloc(c->a, n * sizeof(long));
	for (size_t i = 0; i < n; i++) {
		json_object *wrap = kwj_own(c, json_object_new_object());
		kwj_put(wrap, "v", kwj_copy(json_object_array_get_idx(ids, i)));
		get_image(c, wrap, "v", arena_printf(c->a, "file_ids[%zu]", i), true,
			  "盖章后的个人申报表", &fid[i]);
	}
	if ((err = kw_validation_result(c)))
		return err;
	if ((err = db_begin(c)))
		return err;
	PGresult *r = db_query(c, &q_own, &err, db_ltoa(c, id), db_ltoa(c, c->user.id));
	if (!r)
		return err;
	if (!PQntuples(r))
		return kw_fail(c, KW_ENOTFOUND, "报名信息不存在");
	if (!db_query(c, &q_stamped_del, &err, db_ltoa(c, id)))
		return err;
	for (size_t i = 0; i < n; i++)
		if (!db_query(c, &q_stamped_add, &err, db_ltoa(c, id), db_ltoa(c, (long)i + 1),
			      db_ltoa(c, fid[i])))
			return err;
	json_object *d = kwj_own(c, json_object_new_object());
	kwj_add_int(d, "files", (long)n);
	if ((err = audit_write(c, "enroll.stamped_form", "enrollment", id, d)))
		return err;
	return db_commit(c);
}

/* ------------------------------------------------------------------ roster */

static struct db_stmt q_roster_item =
    DB_STMT("enroll_roster_item",
	    "SELECT " ITEM_COLS ITEM_FROM
	    " WHERE i.id = $1 AND i.batch_id = $2 AND " ORG_SCOPE_SQL("b.org_id", "$3", "$4"));
/* age from the ID number's birth date (R29), on today's date */
static struct db_stmt q_roster = DB_STMT(
    "enroll_roster",
    "SELECT row_number() OVER (ORDER BY e.created_at, e.id) AS no,"
    " CASE e.identity WHEN 'student' THEN '在校学生' ELSE '在职人员' END AS source,"
    " e.real_name, e.id_number,"
    " date_part('year', age($2::date, to_date(substr(e.id_number, 7, 8), 'YYYYMMDD')))::int AS age,"
    " coalesce(e.employer, e.school) AS employer, to_char(e.created_at AT TIME ZONE "
    "'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS submitted,"
    " CASE e.status WHEN 'rejected' THEN '已拒绝：' || e.reject_reason ELSE '已提交' END AS"
    " status_text, e.id, e.status"
    " FROM enrollments e WHERE e.item_id = $1 ORDER BY e.created_at, e.id");

/* The batch item must be in the caller's scope: KW_ENOTFOUND otherwise. */
static int roster_item_check(struct kw_ctx *c, long batch_id, long item_id)
{
	int err;
	const char *k, *rt;
	scope_params(c, &k, &rt);
	PGresult *it =
	    db_query(c, &q_roster_item, &err, db_ltoa(c, item_id), db_ltoa(c, batch_id), k, rt);
	if (!it)
		return err;
	if (!PQntuples(it))
		return kw_fail(c, KW_ENOTFOUND, "批次或职业等级不存在");
	return KW_OK;
}

int enroll_roster_rows(struct kw_ctx *c, long batch_id, long item_id, struct db_rows **rows)
{
	int err = roster_item_check(c, batch_id, item_id);
	if (err)
		return err;
	return db_rows_query(c, &q_roster, rows, db_ltoa(c, item_id), today_text(c));
}

int enroll_roster(struct kw_ctx *c, long batch_id, long item_id, json_object **out)
{
	int err;
	*out = NULL;
	if ((err = roster_item_check(c, batch_id, item_id)))
		return err;
	PGresult *r = db_query(c, &q_roster, &err, db_ltoa(c, item_id), today_text(c));
	if (!r)
		return err;
	PGresult *it = db_query(c, &q_item, &err, db_ltoa(c, item_id));
	if (!it)
		return err;
	json_object *o = kwj_own(c, json_object_new_object());
	json_object *item = item_json(c, it, 0);
	json_object_object_del(item, "conditions");
	json_object_object_add(o, "item", item);
	json_object *a = json_object_new_array();
	for (int i = 0; i < PQntuples(r); i++) {
		json_object *e = json_object_new_object();
		kwj_add_int(e, "no", db_long(r, i, "no"));
		kwj_add_int(e, "id", db_long(r, i, "id"));
		kwj_add_str(e, "source", db_val(r, i, "source"));
		kwj_add_str(e, "name", db_val(r, i, "real_name"));
		kwj_add_str(e, "id_number", db_val(r, i, "id_number"));
		kwj_add_int(e, "age", db_long(r, i, "age"));
		kwj_add_str(e, "employer", db_val(r, i, "employer"));
		kwj_add_str(e, "submitted_at", db_val(r, i, "submitted"));
		kwj_add_str(e, "status", db_val(r, i, "status"));
		kwj_add_str(e, "status_text", db_val(r, i, "status_text"));
		json_object_array_add(a, e);
	}
	json_object_object_add(o, "items", a);
	kwj_add_int(o, "total", PQntuples(r));
	*out = o;
	return KW_OK;
}

/* ------------------------------------------------------------------ R14 reject, on the engine */

/* An enrollment's own chain: submitted (等待审核) → rejected by its station with a reason. The
 * subject's {org} is the station, {name} the candidate, {batch} the batch's name. */
static const struct wf_status statuses[] = {
    {"submitted", 2, "等待审核", "等待审核", R_STATION, WF_PARAM_NONE},
    {"rejected", 2, "报名被拒绝", "报名被拒绝", 0, WF_PARAM_NONE},
};

enum enroll_action { EA_REJECT, EA_N };

static const struct wf_action actions[EA_N] = {
    [EA_REJECT] = {"reject", "拒绝该考生的报名", true, "该考生的报名已被拒绝",
		   "只有鉴定站可以拒绝单个考生的报名；二级机构和中心审核时只能拒绝整个批次"},
};

static int guard_reject(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
			json_object *body);

/* clang-format off */
static const struct wf_row rows[] = {
    /* level-2 and the center review whole batches, never single candidates (R14) */
    {"submitted", EA_REJECT, R_STATION, WF_OWNER, WF_ALWAYS, "rejected", guard_reject,
     "{actor} 拒绝了考生 {name} 的报名",
     {{WF_TO_ACCOUNT, "您在“{batch}”的报名未通过鉴定站审核，原因：{reason}"}},
     "enroll.reject", NULL},
};
/* clang-format on */

static int enroll_load(struct kw_ctx *c, long id, bool lock, struct wf_subject *s);
static int enroll_move(struct kw_ctx *c, struct wf_subject *s, const struct wf_move *m,
		       bool *moved);
static int enroll_trail(struct kw_ctx *c, const struct wf_subject *s, const struct wf_move *m);

const struct wf_def enroll_wf = {
    .entity = "enrollment",
    .noun = "报名",
    .link = "/app/my-enrollments/%ld", /* its one message goes to the candidate */
    .statuses = statuses,
    .nstatuses = sizeof(statuses) / sizeof(statuses[0]),
    .actions = actions,
    .nactions = EA_N,
    .rows = rows,
    .nrows = sizeof(rows) / sizeof(rows[0]),
    .load = enroll_load,
    .move = enroll_move,
    .trail = enroll_trail,
    .audit_code = false,
};

/* What the loader and the guard hand to the move and the trail line. */
struct enroll_ext {
	const char *batch_id, *item_id, *batch_status;
	const char *reason; /* checked by the guard */
};

static struct db_stmt q_load =
    DB_STMT("enroll_wf_load",
	    "SELECT e.id, e.status, e.account_id, e.org_id, e.batch_id, e.item_id, e.real_name,"
	    " b.status AS b_status, b.name AS batch_name, o.name AS org_name FROM enrollments e"
	    " JOIN batches b ON b.id = e.batch_id JOIN orgs o ON o.id = e.org_id WHERE e.id = $1"
	    " AND (" ORG_SCOPE_SQL("e.org_id", "$2", "$3") ")");
static struct db_stmt q_load_lock =
    DB_STMT("enroll_wf_load_lock",
	    "SELECT e.id, e.status, e.account_id, e.org_id, e.batch_id, e.item_id, e.real_name,"
	    " b.status AS b_status, b.name AS batch_name, o.name AS org_name FROM enrollments e"
	    " JOIN batches b ON b.id = e.batch_id JOIN orgs o ON o.id = e.org_id WHERE e.id = $1"
	    " AND (" ORG_SCOPE_SQL("e.org_id", "$2", "$3") ") FOR UPDATE OF e, b");

/* The engine's loader: an enrollment in the caller's org scope (404 outside), with its batch
 * (locked with it, so the batch cannot leave registration under the rejection). */
static int enroll_load(struct kw_ctx *c, long id, bool lock, struct wf_subject *s)
{
	int err;
	const char *k, *rt;
	scope_params(c, &k, &rt);
	PGresult *r = db_query(c, lock ? &q_load_lock : &q_load, &err, db_ltoa(c, id), k, rt);
	if (!r)
		return err;
	if (!PQntuples(r))
		return kw_fail(c, KW_ENOTFOUND, "报名信息不存在");
	s->id = id;
	s->org_id = db_long(r, 0, "org_id");
	s->status = db_val(r, 0, "status");
	s->name = db_val(r, 0, "real_name");
	s->org_name = db_val(r, 0, "org_name");
	s->account_id = db_long(r, 0, "account_id");
	s->vars = kwj_own(c, json_object_new_object());
	kwj_add_str(s->vars, "batch", db_val(r, 0, "batch_name"));
	struct enroll_ext *x = arena_alloc(c->a, sizeof(*x));
	*x = (struct enroll_ext){.batch_id = db_val(r, 0, "batch_id"),
				 .item_id = db_val(r, 0, "item_id"),
				 .batch_status = db_val(r, 0, "b_status")};
	s->ext = x;
	return KW_OK;
}

/* R14: a reason (required, at most 500 characters), and the batch still in registration
 * (报名中, or sent back to the station) — after 提交报名 reviewers reject whole batches. */
static int guard_reject(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
			json_object *body)
{
	(void)r;
	struct enroll_ext *x = s->ext;
	if (!body || !kwj_get_string(c, body, "reason", NULL, KWJ_REQUIRED, 500, &x->reason) ||
	    !x->reason || !*x->reason) {
		if (!kw_validation_result(c))
			kw_field_error(c, "reason", 0, "required", "请填写拒绝原因");
		return kw_validation_result(c);
	}
	kwj_add_str(s->vars, "reason", x->reason);
	if (strcmp(x->batch_status, "registering") != 0 &&
	    strcmp(x->batch_status, "reg_rejected") != 0)
		return kw_fail(c, KW_ECONFLICT,
			       "批次已提交报名审核或已结束报名审核，不能再拒绝单个考生");
	return KW_OK;
}

static struct db_stmt q_move = DB_STMT(
    "enroll_wf_move", "UPDATE enrollments SET status = $3, reject_reason = $4, rejected_by = $5,"
		      " rejected_by_name = $6, rejected_at = $7 WHERE id = $1 AND status = $2");

/* The engine's move: the status (proving the one it came from) and who rejected why. */
static int enroll_move(struct kw_ctx *c, struct wf_subject *s, const struct wf_move *m, bool *moved)
{
	int err;
	const struct enroll_ext *x = s->ext;
	PGresult *u = db_query(c, &q_move, &err, db_ltoa(c, s->id), m->from, m->to, x->reason,
			       db_ltoa(c, c->user.id), c->user.name, m->now);
	if (!u)
		return err;
	*moved = !strcmp(PQcmdTuples(u), "1");
	return KW_OK;
}

static struct db_stmt q_trail = DB_STMT(
    "enroll_trail",
    "INSERT INTO batch_trail (batch_id, item_id, at, actor_id, actor, action, from_status,"
    " to_status, comment, text) VALUES ($1, $2, $3, $4, $5, 'reject_enrollment', $6, $6, $7, $8)");

/* The engine's trail line: on the batch's trail (the batch keeps its status), the reason as
 * the comment. */
static int enroll_trail(struct kw_ctx *c, const struct wf_subject *s, const struct wf_move *m)
{
	int err;
	const struct enroll_ext *x = s->ext;
	db_query(c, &q_trail, &err, x->batch_id, x->item_id, m->now, db_ltoa(c, c->user.id),
		 m->actor, x->batch_status, x->reason, m->trail);
	return err;
}

/* The number of UTF-8 characters of s. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

int enroll_reject(struct kw_ctx *c, long id, json_object *body)
{
	/* The reason is the move's comment too, so that the audit row carries it (a reason too
	 * long is left to the guard's 422 on "reason"). */
	json_object *v = NULL;
	if (body && json_object_is_type(body, json_type_object) &&
	    !json_object_object_get_ex(body, "comment", NULL) &&
	    json_object_object_get_ex(body, "reason", &v) &&
	    json_object_is_type(v, json_type_string) &&
	    utf8_chars(json_object_get_string(v)) <= 500)
		kwj_add_str(body, "comment", json_object_get_string(v));
	return wf_run(c, &enroll_wf, id, "reject", body);
}

/* ------------------------------------------------------------------ for other modules */

static struct db_stmt q_count = DB_STMT(
    "enroll_count", "SELECT i.id AS item_id, count(e.id) AS enrolled FROM batch_items i"
		    " LEFT JOIN enrollments e ON e.item_id = i.id AND e.status = 'submitted'"
		    " WHERE i.batch_id = $1 GROUP BY i.id ORDER BY i.id");

int enroll_count_by_items(struct kw_ctx *c, long batch_id, PGresult **res)
{
	int err;
	PGresult *r = db_query(c, &q_count, &err, db_ltoa(c, batch_id));
	if (!r)
		return err;
	*res = r;
	return KW_OK;
}

static struct db_stmt q_file_visible =
    DB_STMT("enroll_file_visible",
	    "SELECT 1 FROM enrollments e WHERE ($1::bigint IN (e.photo_file_id, e.id_card_file_id,"
	    " e.prior_file_id, e.student_card_file_id) OR EXISTS (SELECT 1 FROM"
	    " enrollment_stamped_files s WHERE s.enrollment_id = e.id AND s.file_id = $1::bigint))"
	    " AND " ORG_SCOPE_SQL("e.org_id", "$2", "$3") " LIMIT 1");

int enroll_file_visible(struct kw_ctx *c, long file_id, bool *ok)
{
	int err;
	const char *k, *rt;
	*ok = false;
	scope_params(c, &k, &rt);
	if (!strcmp(k, "none"))
		return KW_OK;
	PGresult *r = db_query(c, &q_file_visible, &err, db_ltoa(c, file_id), k, rt);
	if (!r)
		return err;
	*ok = PQntuples(r) > 0;
	return KW_OK;
}

/* ------------------------------------------------------------------ 个人申报表 PDF */

#define FORM_X 51.0  /* left margin (18 mm) */
#define FORM_W 493.0 /* table width */
#define FORM_LABEL 78.0
#define FORM_ROW 26.0

/* A string member of o, "" when absent or null. */
static const char *js(json_object *o, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !v)
		return "";
	return json_object_get_string(v);
}

/* One table row of label/value pairs: widths[i] wide, labels on even cells (centred). */
static void form_row(pdf_writer *p, double x, double y, double h, int n, const double *widths,
		     const char *const *texts)
{
	for (int i = 0; i < n; i++) {
		bool label = i % 2 == 0;
		pdf_cell(p, x, y, widths[i], h, texts[i], label ? 9.5 : 10,
			 PDF_MIDDLE | (label ? PDF_CENTER : 0), 4, 0.8);
		x += widths[i];
	}
}

/* The photo of the enrollment inside the box, or the words 照片 when it cannot be drawn. */
static void form_photo(struct kw_ctx *c, pdf_writer *p, long file_id, double x, double y, double w,
		       double h)
{
	struct file_blob f;
	pdf_cell(p, x, y, w, h, NULL, 0, 0, 0, 0.8);
	if (file_id && file_fetch(c, file_id, &f) == KW_OK &&
	    pdf_image(p, x + 3, y + 3, w - 6, h - 6, f.data, f.len))
		return;
	c->err_message = NULL;
	pdf_text(p, x, y, w, h, "照片", 10, PDF_CENTER | PDF_MIDDLE);
}

/* The history rows as lines "2010-07-01 至 今  北京汽车厂 焊装车间 焊装". */
static const char *form_history(struct kw_ctx *c, json_object *e)
{
	json_object *h;
	const char *out = "";
	if (!json_object_object_get_ex(e, "history", &h))
		return out;
	for (size_t i = 0; i < json_object_array_length(h); i++) {
		json_object *r = json_object_array_get_idx(h, i);
		const char *to = js(r, "to");
		out =
		    arena_printf(c->a, "%s%s%s 至 %s，%s %s %s", out, i ? "\n" : "", js(r, "from"),
				 *to ? to : "今", js(r, "place"), js(r, "dept"), js(r, "work"));
	}
	return out;
}

int enroll_form_pdf(struct kw_ctx *c, long id, const unsigned char **pdf, size_t *len)
{
	json_object *e;
	int err = enroll_get(c, id, &e);
	*pdf = NULL;
	*len = 0;
	if (err)
		return err;
	json_object *item = json_object_object_get(e, "item"), *prior = NULL, *v;
	json_object_object_get_ex(e, "prior_cert", &prior);
	bool national = !strcmp(js(item, "category"), "national");
	bool student = !strcmp(js(e, "identity"), "student");
	const char *idn = js(e, "id_number");
	const char *sex = strlen(idn) == 18 ? ((idn[16] - '0') % 2 ? "男" : "女") : "";
	const char *occ = js(json_object_object_get(item, "occupation"), "name");
	json_object *dir = NULL;
	if (json_object_object_get_ex(item, "direction", &dir) && dir)
		occ = arena_printf(c->a, "%s（%s）", occ, js(dir, "name"));

	pdf_writer *p = pdf_open(PDF_A4_W, PDF_A4_H);
	if (!p)
		return KW_EINTERNAL;
	double x = FORM_X, y = 48, W = FORM_W, L = FORM_LABEL;
	pdf_text(p, x, y, W, 30,
		 national ? "国家职业技能鉴定个人申报表" : "机械行业职业能力水平评价个人申报表", 18,
		 PDF_CENTER | PDF_BOLD | PDF_SERIF);
	y += 34;
	pdf_text(p, x, y, W, 14,
		 arena_printf(c->a, "报名批次：%s　　报名编号：%ld",
			      js(json_object_object_get(item, "batch"), "name"), id),
		 8.5, PDF_LEFT);
	y += 18;

	/* rows 1-4 beside the photo */
	double pw = 92, left = W - pw;
	double w4[] = {L, (left - 2 * L) / 2, L, (left - 2 * L) / 2};
	double w2l[] = {L, left - L};
	const char *r1[] = {"姓名", js(e, "real_name"), "性别", sex};
	const char *r2[] = {"身份证号", idn};
	const char *r3[] = {"电话号码", js(e, "phone"), "文化程度", js(e, "education")};
	const char *r4[] = {"身份类别", js(e, "identity_text"), "申报等级", js(item, "level_text")};
	form_photo(c, p,
		   json_object_object_get_ex(e, "photo_file_id", &v) ? json_object_get_int64(v) : 0,
		   x + left, y, pw, 4 * FORM_ROW);
	form_row(p, x, y, FORM_ROW, 4, w4, r1);
	form_row(p, x, y += FORM_ROW, FORM_ROW, 2, w2l, r2);
	form_row(p, x, y += FORM_ROW, FORM_ROW, 4, w4, r3);
	form_row(p, x, y += FORM_ROW, FORM_ROW, 4, w4, r4);
	y += FORM_ROW;

	/* full-width rows */
	double half = (W - 2 * L) / 2;
	double wf4[] = {L, half, L, half};
	double wf2[] = {L, W - L};
	double w6[] = {L, (W - 3 * L) / 3, L, (W - 3 * L) / 3, L, (W - 3 * L) / 3};
	const char *r5[] = {"申报职业（工种）", occ, "鉴定类别", js(item, "category_text")};
	form_row(p, x, y, FORM_ROW, 4, wf4, r5);
	y += FORM_ROW;
	if (student) {
		const char *r6[] = {"就读学校", js(e, "school"), "专业", js(e, "major")};
		const char *r7[] = {"入学时间", js(e, "enrolled_on")};
		form_row(p, x, y, FORM_ROW, 4, wf4, r6);
		form_row(p, x, y += FORM_ROW, FORM_ROW, 2, wf2, r7);
	} else {
		const char *r6[] = {"工作单位", js(e, "employer"), "单位性质",
				    js(e, "employer_type")};
		const char *yrs = json_object_object_get_ex(e, "years_in_trade", &v) && v
				      ? arena_printf(c->a, "%d 年", json_object_get_int(v))
				      : "";
		const char *r7[] = {"当前从事职业", js(e, "occupation_now"),
				    "参加工作时间", js(e, "work_start"),
				    "本工种工龄",   yrs};
		form_row(p, x, y, FORM_ROW, 4, wf4, r6);
		form_row(p, x, y += FORM_ROW, FORM_ROW, 6, w6, r7);
	}
	y += FORM_ROW;
	bool has_prior = prior && json_object_is_type(prior, json_type_object);
	const char *r8[] = {"已取得职业技能等级", has_prior ? js(prior, "level_text") : "",
			    "已取得证书名称", has_prior ? js(prior, "name") : ""};
	const char *r9[] = {"已取得证书编号", has_prior ? js(prior, "no") : "", "发证单位",
			    has_prior ? js(prior, "issuer") : ""};
	form_row(p, x, y, FORM_ROW, 4, wf4, r8);
	form_row(p, x, y += FORM_ROW, FORM_ROW, 4, wf4, r9);
	y += FORM_ROW;

	const char *r10[] = {student ? "学习经历" : "工作经历", form_history(c, e)};
	form_row(p, x, y, 96, 2, wf2, r10);
	y += 96;
	const char *r11[] = {"是否符合申报条件", js(e, "condition_text")};
	form_row(p, x, y, 62, 2, wf2, r11);
	y += 62;
	const char *r12[] = {
	    "考生承诺",
	    "本人承诺报名所提供的个人信息真实、准确、完整，不弄虚作假，不伪造、不使用假"
	    "证明、假证书并完全符合报名要求。\n考生签名：　　　　　　　　　年　　月　　日"};
	form_row(p, x, y, 58, 2, wf2, r12);
	y += 58;
	const char *r13[] = {"所在单位意见", NULL};
	form_row(p, x, y, 100, 2, wf2, r13);
	pdf_text(p, x + L + 8, y + 6, W - L - 16, 20, "（盖章处）", 9, PDF_LEFT);
	pdf_text(p, x + L, y + 58, W - L - 24, 36, "单位盖章\n年　　月　　日", 10, PDF_RIGHT);
	y += 100;
	const char *r14[] = {"鉴定机构审核意见", NULL};
	form_row(p, x, y, 80, 2, wf2, r14);
	pdf_text(p, x + L, y + 44, W - L - 24, 32,
		 "审核人：　　　　　　　（盖章）　　年　　月　　日", 10, PDF_RIGHT);

	unsigned char *buf;
	size_t n;
	if (!pdf_finish(p, &buf, &n))
		return KW_EINTERNAL;
	unsigned char *a = arena_memdup(c->a, buf, n);
	free(buf);
	*pdf = a;
	*len = n;
	return KW_OK;
}
