/* batch_papers.c - phase 2 of a batch: the papers of its items (查看试卷: upload, list, delete a
 * set; R15-R17), who may change them when, and the guard of 提交报名 (R18: candidates and the
 * sets R15 requires, no empty approvals). See batch.h. */
#include "batch_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "db/db.h"
#include "enroll.h"
#include "file.h"
#include "paper.h"
#include "ref.h"

#define MAX_SETS 3

static const char *const part_words[2] = {"理论知识试卷", "操作技能试卷"};

static struct db_stmt q_items = DB_STMT(
    "batch_paper_items",
    "SELECT i.id, i.pos, i.level, i.occupation_id, coalesce(d.name, o.name) AS occupation_name"
    " FROM batch_items i JOIN occupations o ON o.id = i.occupation_id"
    " LEFT JOIN occupations d ON d.id = i.direction_id WHERE i.batch_id = $1 ORDER BY i.pos");

int batch_r15_sets(long enrolled)
{
	return enrolled <= 10 ? 1 : enrolled <= 50 ? 2 : 3;
}

/* A value of column col of the row of res whose item_id is item (0 when none). */
static long per_item(const PGresult *res, long item, const char *col)
{
	for (int k = 0; k < PQntuples(res); k++)
		if (db_long(res, k, "item_id") == item)
			return db_long(res, k, col);
	return 0;
}

/* The row index of item_id in the items of a batch, or -1. */
static int find_item(const PGresult *items, long item_id)
{
	for (int i = 0; i < PQntuples(items); i++)
		if (db_long(items, i, "id") == item_id)
			return i;
	return -1;
}

/* The item's words: "汽车焊装生产线操作工（中级）". */
static const char *item_label(struct kw_ctx *c, const PGresult *items, int i)
{
	return arena_printf(c->a, "%s（%s）", db_val(items, i, "occupation_name"),
			    ref_level_name((int)db_long(items, i, "level")));
}

/* Does the caller's station own s, and is registration still the station's (报名中 or rejected)? */
static bool station_owns(const struct kw_ctx *c, const struct wf_subject *s)
{
	return (c->user.role & R_STATION) && c->user.org_id == s->org_id;
}

static bool station_phase(const struct wf_subject *s)
{
	return !strcmp(s->status, "registering") || !strcmp(s->status, "reg_rejected");
}

/* The station changes papers of its own batch while registering (403 / 409 otherwise). */
static int may_change_papers(struct kw_ctx *c, const struct wf_subject *s, const char *verb)
{
	if (!station_owns(c, s))
		return kw_fail(c, KW_EFORBIDDEN, "只有申请批次的鉴定站可以上传或删除试卷");
	if (!station_phase(s))
		return kw_fail(c, KW_ECONFLICT,
			       arena_printf(c->a, "批次当前状态为“%s”，不能%s",
					    batch_status_text(c, s->status, s->status_param),
					    verb));
	return KW_OK;
}

int batch_paper_edit_check(struct kw_ctx *c, long batch_id)
{
	struct wf_subject s;
	int err = batch_load(c, batch_id, false, &s);
	if (err)
		return err;
	if (station_owns(c, &s) && station_phase(&s))
		return KW_OK;
	const struct wf_status *st = batch_status_find(s.status);
	const struct wf_row *r =
	    wf_find(&batch_wf, s.status, BA_APPROVE, c->user.role, wf_rel_of(c, &s), s.has_l2);
	if (st && st->phase == 2 && r && !r->pending)
		return KW_OK;
	return kw_fail(c, KW_ECONFLICT,
		       arena_printf(c->a, "批次当前状态为“%s”，不能删除试题",
				    batch_status_text(c, s.status, s.status_param)));
}

/* ?set_no=: 1..3, or 0 when absent (the first free set). */
static long read_set_no(struct kw_ctx *c, const char *v)
{
	if (!v || !*v)
		return 0;
	char *end;
	long n = strtol(v, &end, 10);
	if (*end || n < 1 || n > MAX_SETS) {
		kw_field_error(c, "set_no", 0, "R15", "套号应为 1–3");
		return -1;
	}
	return n;
}

int batch_paper_upload(struct kw_ctx *c, long id, long item_id, bool theory, const char *set_text,
		       const char *name, const void *buf, size_t len, json_object **out)
{
	int err;
	long set_no = read_set_no(c, set_text);
	if (set_no < 0)
		return KW_EVALIDATION;
	struct wf_subject s;
	if ((err = db_begin(c)) || (err = batch_load(c, id, true, &s)))
		return err;
	if ((err = may_change_papers(c, &s, "上传试卷")))
		return err;
	PGresult *items = db_query(c, &q_items, &err, db_ltoa(c, id));
	if (!items)
		return err;
	int i = find_item(items, item_id);
	if (i < 0)
		return kw_fail(c, KW_ENOTFOUND, "批次细则不存在");
	int level = (int)db_long(items, i, "level");
	const char *part = theory ? "theory" : "practical";

	struct paper_sheet sh;
	memset(&sh, 0, sizeof(sh));
	long file_id = 0;
	if (theory) {
		if ((err = paper_sheet_checked(c, buf, len, &sh)))
			return err;
		long min = paper_r16_minimum(level);
		if ((long)sh.n < min) {
			kw_field_error(
			    c, "file", 0, "R16",
			    arena_printf(c->a, "%s理论知识试卷不少于 %ld 题，文件中只有 %zu 题",
					 ref_level_name(level), min, sh.n));
			return KW_EVALIDATION;
		}
	} else {
		if (!buf || !len || file_sniff(buf, len) != FILE_DOCX) {
			kw_field_error(c, "file", 0, "R16",
				       "操作技能试卷应为 Word 文档（docx），按文件内容判断");
			return KW_EVALIDATION;
		}
		size_t nl = name ? strlen(name) : 0;
		if (nl < 6 || strcasecmp(name + nl - 5, ".docx"))
			name = arena_printf(c->a, "%s操作技能试卷.docx", item_label(c, items, i));
		json_object *fo, *v;
		if ((err = file_store(c, name, NULL, buf, len, &fo)))
			return err;
		json_object_object_get_ex(fo, "id", &v);
		file_id = json_object_get_int64(v);
	}

	PGresult *have;
	if ((err = paper_item_rows(c, item_id, &have)))
		return err;
	if (!set_no) { /* the first set of this part not uploaded yet */
		for (long n = 1; n <= MAX_SETS && !set_no; n++) {
			bool used = false;
			for (int k = 0; k < PQntuples(have); k++)
				used |= !strcmp(db_val(have, k, "part"), part) &&
					db_long(have, k, "set_no") == n;
			if (!used)
				set_no = n;
		}
		if (!set_no)
			return kw_fail(c, KW_ECONFLICT,
				       arena_printf(c->a,
						    "%s已上传 3 套，请先删除一套或指定套号替换",
						    part_words[!theory]));
	}
	struct paper_upload u = {
	    .org_id = s.org_id,
	    .batch_id = id,
	    .item_id = item_id,
	    .occupation_id = db_long(items, i, "occupation_id"),
	    .level = level,
	    .part = part,
	    .set_no = set_no,
	    .title = arena_printf(c->a, "%s%s", item_label(c, items, i), part_words[!theory]),
	    .file_id = file_id,
	};
	long pid;
	if ((err = paper_upload_save(c, &u, theory ? &sh : NULL, &pid)) ||
	    (err = batch_touch(c, id)) || (err = db_commit(c)))
		return err;
	json_object *o = kwj_own(c, json_object_new_object());
	kwj_add_int(o, "id", pid);
	kwj_add_str(o, "part", part);
	kwj_add_int(o, "set_no", set_no);
	kwj_add_int(o, "question_count", theory ? (long)sh.n : 0);
	*out = o;
	return KW_OK;
}

int batch_papers_get(struct kw_ctx *c, long id, long item_id, json_object **out)
{
	int err;
	struct wf_subject s;
	if ((err = batch_load(c, id, false, &s)))
		return err;
	PGresult *items = db_query(c, &q_items, &err, db_ltoa(c, id)), *counts, *rows;
	if (!items)
		return err;
	int i = find_item(items, item_id);
	if (i < 0)
		return kw_fail(c, KW_ENOTFOUND, "批次细则不存在");
	if ((err = enroll_count_by_items(c, id, &counts)) ||
	    (err = paper_item_rows(c, item_id, &rows)))
		return err;
	int level = (int)db_long(items, i, "level");
	long enrolled = per_item(counts, item_id, "enrolled");
	int need = batch_r15_sets(enrolled);
	json_object *o = kwj_own(c, json_object_new_object());
	kwj_add_int(o, "item_id", item_id);
	kwj_add_str(o, "item", item_label(c, items, i));
	kwj_add_int(o, "enrolled", enrolled);
	kwj_add_int(o, "sets_required", need);
	kwj_add_int(o, "min_questions", paper_r16_minimum(level));
	kwj_add_bool(o, "editable", station_owns(c, &s) && station_phase(&s));
	json_object *parts[2] = {json_object_new_array(), json_object_new_array()};
	for (int k = 0; k < PQntuples(rows); k++) {
		bool th = !strcmp(db_val(rows, k, "part"), "theory");
		json_object *p = json_object_new_object();
		kwj_add_int(p, "id", db_long(rows, k, "id"));
		kwj_add_str(p, "part", th ? "theory" : "practical");
		kwj_add_str(p, "part_text", part_words[!th]);
		kwj_add_int(p, "set_no", db_long(rows, k, "set_no"));
		kwj_add_str(p, "title", db_val(rows, k, "title"));
		kwj_add_int(p, "question_count", db_long(rows, k, "question_count"));
		json_object_object_add(
		    p, "file",
		    kwj_id_name(db_long(rows, k, "file_id"), db_val(rows, k, "file_name")));
		kwj_add_str(p, "created_at", db_val(rows, k, "created_at"));
		json_object_array_add(parts[!th], p);
	}
	json_object *missing = json_object_new_array();
	if (!enrolled)
		json_object_array_add(missing, json_object_new_string("没有已报名的考生"));
	for (int t = 0; t < 2; t++) {
		long have = (long)json_object_array_length(parts[t]);
		if (have < need)
			json_object_array_add(
			    missing, json_object_new_string(arena_printf(
					 c->a, "缺%s %ld 套", part_words[t], need - have)));
	}
	json_object_object_add(o, "theory", parts[0]);
	json_object_object_add(o, "practical", parts[1]);
	json_object_object_add(o, "missing", missing);
	*out = o;
	return KW_OK;
}

int batch_paper_remove(struct kw_ctx *c, long id, long item_id, long paper_id)
{
	int err;
	struct wf_subject s;
	if ((err = db_begin(c)) || (err = batch_load(c, id, true, &s)))
		return err;
	if ((err = may_change_papers(c, &s, "删除试卷")))
		return err;
	if ((err = paper_item_delete(c, item_id, paper_id)) || (err = batch_touch(c, id)))
		return err;
	return db_commit(c);
}

/* 提交报名 (R18): every item has candidates not rejected and the sets R15 requires, both parts. */
int batch_guard_registration(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
			     json_object *body)
{
	(void)r;
	(void)body;
	int err;
	PGresult *items = db_query(c, &q_items, &err, db_ltoa(c, s->id)), *counts, *papers;
	if (!items)
		return err;
	if ((err = enroll_count_by_items(c, s->id, &counts)) ||
	    (err = paper_batch_counts(c, s->id, &papers)))
		return err;
	const char *all = "";
	for (int i = 0; i < PQntuples(items); i++) {
		long item = db_long(items, i, "id");
		long enrolled = per_item(counts, item, "enrolled");
		long need = batch_r15_sets(enrolled);
		long have[2] = {per_item(papers, item, "theory_sets"),
				per_item(papers, item, "practical_sets")};
		const char *what = "";
		if (!enrolled)
			what = "没有已报名的考生";
		for (int t = 0; t < 2; t++)
			if (have[t] < need)
				what =
				    arena_printf(c->a, "%s%s缺%s %ld 套（报名 %ld 人，需 %ld 套）",
						 what, *what ? "，" : "", part_words[t],
						 need - have[t], enrolled, need);
		if (!*what)
			continue;
		const char *line = arena_printf(c->a, "%s：%s", item_label(c, items, i), what);
		kw_field_error(c, arena_printf(c->a, "items[%d]", i), 0, enrolled ? "R15" : "R18",
			       line);
		all = arena_printf(c->a, "%s%s%s", all, *all ? "；" : "", line);
	}
	if (*all)
		return kw_fail(c, KW_EVALIDATION, arena_printf(c->a, "还不能提交报名：%s", all));
	return KW_OK;
}
