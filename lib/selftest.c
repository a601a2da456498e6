/* selftest.c - 自评自测 (R28): practice papers drawn from the bank by the center's scheme, kept
 * with their deadline, scored on the server (see selftest.h for the points). */
#include "selftest.h"

#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "core/json.h"
#include "db/db.h"
#include "paper.h"
#include "ref.h"

/*
 * A bank question q is not "in use" unless a paper for a batch holds it. Today the papers a
 * batch uses are the uploaded ones (source 'upload', R18), whose rows carry the text but no
 * bank id, so both the id and the stem are compared, and every uploaded paper counts as in use.
 * When papers are linked to their batch item (phase 2), narrow this to batches not yet examined.
 */
#define NOT_IN_USE                                                                                 \
	" NOT EXISTS (SELECT 1 FROM paper_questions pq JOIN papers p ON p.id = pq.paper_id"        \
	"   WHERE p.source = 'upload' AND pq.question_id = q.id)"                                  \
	" AND NOT EXISTS (SELECT 1 FROM paper_questions pq JOIN papers p ON p.id = pq.paper_id"    \
	"   WHERE p.source = 'upload' AND pq.stem = q.stem)"

/* The newest scheme of the center per occupation and level. */
#define CENTER_SCHEMES                                                                             \
	"SELECT DISTINCT ON (ps.occupation_id, ps.level) ps.* FROM paper_schemes ps"               \
	" JOIN orgs g ON g.id = ps.org_id AND g.kind = 'center'"                                   \
	" ORDER BY ps.occupation_id, ps.level, ps.created_at DESC, ps.id DESC"

#define AVAIL(t, k, col)                                                                           \
	" AND s." col " <= coalesce((SELECT a.n FROM a WHERE a.occupation_id = s.occupation_id"    \
	" AND a.level = s.level AND a.type = '" t "' AND a.kind = '" k "'), 0)"

static struct db_stmt q_options = DB_STMT(
    "selftest_options",
    "WITH s AS (" CENTER_SCHEMES "), a AS (SELECT q.occupation_id, q.level, q.type, q.kind,"
    " count(DISTINCT md5(q.norm)) AS n FROM bank_questions q JOIN s ON s.occupation_id ="
    " q.occupation_id AND s.level = q.level WHERE" NOT_IN_USE " GROUP BY 1, 2, 3, 4)"
    " SELECT s.id, s.occupation_id, oc.name AS occupation_name, s.level, s.minutes,"
    " s.single_basic + s.single_related + s.multi_basic + s.multi_related + s.judge_basic +"
    " s.judge_related AS total, s.single_basic + s.single_related + s.judge_basic +"
    " s.judge_related AS ones, s.multi_basic + s.multi_related AS multis"
    " FROM s JOIN occupations oc ON oc.id = s.occupation_id WHERE true" AVAIL("single", "basic",
									      "single_basic")
	AVAIL("single", "related", "single_related") AVAIL("multi", "basic", "multi_basic")
	    AVAIL("multi", "related", "multi_related") AVAIL("judge", "basic", "judge_basic") AVAIL(
		"judge", "related", "judge_related") " ORDER BY oc.sort, oc.id, s.level DESC");

static struct db_stmt q_scheme =
    DB_STMT("selftest_scheme", "SELECT s.*, oc.name AS occupation_name FROM (" CENTER_SCHEMES ") s"
			       " JOIN occupations oc ON oc.id = s.occupation_id"
			       " WHERE s.occupation_id = $1 AND s.level = $2");
static struct db_stmt q_counts =
    DB_STMT("selftest_counts", "SELECT q.type, q.kind, count(DISTINCT md5(q.norm)) AS n"
			       " FROM bank_questions q WHERE q.occupation_id = $1 AND q.level = $2"
			       " AND" NOT_IN_USE " GROUP BY q.type, q.kind");
static struct db_stmt q_today =
    DB_STMT("selftest_today", "SELECT count(*) FROM self_tests WHERE account_id = $1"
			      " AND started_at > $2::timestamptz - interval '1 day'");
static struct db_stmt q_insert = DB_STMT(
    "selftest_insert",
    "INSERT INTO self_tests (account_id, scheme_id, occupation_id, level, minutes, started_at,"
    " deadline, max_points) VALUES ($1, $2, $3, $4, $5, $6::timestamptz, $6::timestamptz +"
    " make_interval(mins => $5::int), $7) RETURNING id");
/*
 * Draw the questions: one per distinct text (banks of several orgs may hold the same one), then
 * need[type, kind] of each at random ($4: the six counts in the order single.basic,
 * single.related, multi.basic, …), numbered by type (单选, 多选, 判断) with basic and related
 * mixed within the type.
 */
static struct db_stmt q_fill = DB_STMT(
    "selftest_fill",
    "WITH pool AS (SELECT DISTINCT ON (md5(q.norm)) q.id, q.type, q.kind FROM bank_questions q"
    " WHERE q.occupation_id = $2 AND q.level = $3 AND" NOT_IN_USE " ORDER BY md5(q.norm),"
    " random()), ranked AS (SELECT id, type, kind, row_number() OVER (PARTITION BY type, kind"
    " ORDER BY random()) AS rn FROM pool), picked AS (SELECT id, type FROM ranked WHERE rn <="
    " ($4::int[])[(CASE type WHEN 'single' THEN 0 WHEN 'multi' THEN 2 ELSE 4 END) +"
    " (CASE kind WHEN 'basic' THEN 1 ELSE 2 END)])"
    " INSERT INTO self_test_questions (self_test_id, seq, question_id, type, kind, stem,"
    " options, answer) SELECT $1, row_number() OVER (ORDER BY CASE p.type WHEN 'single' THEN 1"
    " WHEN 'multi' THEN 2 ELSE 3 END, random()), q.id, q.type, q.kind, q.stem, q.options,"
    " q.answer FROM picked p JOIN bank_questions q ON q.id = p.id");

#define TEST_COLS                                                                                  \
	"SELECT t.id, t.occupation_id, oc.name AS occupation_name, t.level, t.minutes,"            \
	" kw_ts(t.started_at) AS started_at, kw_ts(t.deadline) AS deadline,"                       \
	" kw_ts(t.submitted_at) AS submitted_at, t.overtime, t.points, t.max_points,"              \
	" t.score::text AS score, t.correct,"                                                      \
	" greatest(0, ceil(extract(epoch FROM t.deadline - $2::timestamptz)))::int AS remaining,"  \
	" (SELECT count(*) FROM self_test_questions x WHERE x.self_test_id = t.id) AS n"           \
	" FROM self_tests t JOIN occupations oc ON oc.id = t.occupation_id"

static struct db_stmt q_get =
    DB_STMT("selftest_get", TEST_COLS " WHERE t.id = $1 AND t.account_id = $3");
static struct db_stmt q_mine =
    DB_STMT("selftest_mine",
	    TEST_COLS " WHERE t.account_id = $1 ORDER BY t.started_at DESC, t.id DESC LIMIT 200");
static struct db_stmt q_questions =
    DB_STMT("selftest_questions", "SELECT seq, type, stem, array_to_json(options)::text AS options,"
				  " cardinality(options) AS nopt, answer, given, is_right"
				  " FROM self_test_questions WHERE self_test_id = $1 ORDER BY seq");
static struct db_stmt q_lock =
    DB_STMT("selftest_lock", "SELECT submitted_at IS NOT NULL AS submitted,"
			     " $3::timestamptz > deadline + make_interval(secs => $4::int) AS late"
			     " FROM self_tests WHERE id = $1 AND account_id = $2 FOR UPDATE");
static struct db_stmt q_answer =
    DB_STMT("selftest_answer",
	    "UPDATE self_test_questions x SET given = a.given, is_right = a.is_right"
	    " FROM unnest($2::int[], $3::text[], $4::boolean[]) AS a(seq, given, is_right)"
	    " WHERE x.self_test_id = $1 AND x.seq = a.seq");
static struct db_stmt q_finish =
    DB_STMT("selftest_finish", "UPDATE self_tests SET submitted_at = $2, overtime = $3,"
			       " points = $4, score = $5::numeric, correct = $6"
			       " WHERE id = $1 AND submitted_at IS NULL");

static const char *const type_codes[3] = {"single", "multi", "judge"};
static const char *const kind_codes[2] = {"basic", "related"};
static const char *const count_cols[6] = {"single_basic",  "single_related", "multi_basic",
					  "multi_related", "judge_basic",    "judge_related"};

/* Points of a question type. */
static int type_points(const char *type)
{
	return strcmp(type, "multi") ? SELFTEST_POINTS_ONE : SELFTEST_POINTS_MULTI;
}

/* The caller must be a candidate. */
static int need_candidate(struct kw_ctx *c)
{
	if (c->user.candidate_id <= 0)
		return kw_fail(c, KW_EFORBIDDEN, "只有考生可以进行自评自测");
	return KW_OK;
}

int selftest_options(struct kw_ctx *c, json_object **out)
{
	int err;
	PGresult *r = db_query0(c, &q_options, &err);
	if (!r)
		return err;
	json_object *items = json_object_new_array();
	for (int i = 0; i < PQntuples(r); i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(
		    o, "occupation",
		    kwj_id_name(db_long(r, i, "occupation_id"), db_val(r, i, "occupation_name")));
		int level = (int)db_long(r, i, "level");
		kwj_add_int(o, "level", level);
		kwj_add_str(o, "level_text", ref_level_label(level));
		kwj_add_int(o, "minutes", db_long(r, i, "minutes"));
		kwj_add_int(o, "question_count", db_long(r, i, "total"));
		kwj_add_int(o, "max_points",
			    db_long(r, i, "ones") * SELFTEST_POINTS_ONE +
				db_long(r, i, "multis") * SELFTEST_POINTS_MULTI);
		json_object_array_add(items, o);
	}
	json_object *o = kwj_own(c, json_object_new_object());
	json_object_object_add(o, "items", items);
	*out = o;
	return KW_OK;
}

int selftest_start(struct kw_ctx *c, json_object *body, long *id)
{
	int err;
	if ((err = need_candidate(c)))
		return err;
	if (!body || !json_object_is_type(body, json_type_object))
		return kw_fail(c, KW_EBADREQ, "请求内容应为 JSON 对象");
	long occ = 0, level = 0;
	kwj_get_int(c, body, "occupation_id", NULL, KWJ_REQUIRED, 1, 2147483647L, &occ);
	kwj_get_int(c, body, "level", NULL, KWJ_REQUIRED, 1, 5, &level);
	if ((err = kw_validation_result(c)))
		return err;
	const char *occ_s = db_ltoa(c, occ), *lvl_s = db_ltoa(c, level);

	if ((err = db_begin(c)))
		return err;
	PGresult *today = db_query(c, &q_today, &err, db_ltoa(c, c->user.id), kw_now_text(c));
	if (!today)
		return err;
	if (db_long(today, 0, "count") >= SELFTEST_PER_DAY)
		return kw_fail(c, KW_ECONFLICT,
			       arena_printf(c->a, "24 小时内最多开始 %d 次自测，请稍后再来",
					    SELFTEST_PER_DAY));
	PGresult *sc = db_query(c, &q_scheme, &err, occ_s, lvl_s);
	if (!sc)
		return err;
	if (!PQntuples(sc)) {
		kw_field_error(c, "occupation_id", 0, "R28",
			       "中心尚未设置该职业（工种）该等级的组卷方案，暂不能自测");
		return kw_validation_result(c);
	}
	long need[6], total = 0, max_points = 0;
	for (int k = 0; k < 6; k++) {
		need[k] = db_long(sc, 0, count_cols[k]);
		total += need[k];
		max_points += need[k] * type_points(type_codes[k / 2]);
	}
	PGresult *cnt = db_query(c, &q_counts, &err, occ_s, lvl_s);
	if (!cnt)
		return err;
	long have[6] = {0};
	for (int i = 0; i < PQntuples(cnt); i++)
		for (int k = 0; k < 6; k++)
			if (!strcmp(PQgetvalue(cnt, i, 0), type_codes[k / 2]) &&
			    !strcmp(PQgetvalue(cnt, i, 1), kind_codes[k % 2]))
				have[k] = db_long(cnt, i, "n");
	for (int k = 0; k < 6; k++)
		if (have[k] < need[k])
			kw_field_error(
			    c, arena_printf(c->a, "%s.%s", type_codes[k / 2], kind_codes[k % 2]), 0,
			    "R28",
			    arena_printf(c->a, "%s·%s 缺 %ld 道",
					 paper_type_text(type_codes[k / 2]),
					 paper_kind_text(kind_codes[k % 2]), need[k] - have[k]));
	if (kw_validation_result(c))
		return kw_fail(c, KW_EVALIDATION, "题库中的试题还不够组成一份自测试卷，暂不能自测");

	PGresult *r =
	    db_query(c, &q_insert, &err, db_ltoa(c, c->user.id), db_val(sc, 0, "id"), occ_s, lvl_s,
		     db_val(sc, 0, "minutes"), kw_now_text(c), db_ltoa(c, max_points));
	if (!r)
		return err;
	*id = strtol(PQgetvalue(r, 0, 0), NULL, 10);
	const char *counts = arena_printf(c->a, "{%ld,%ld,%ld,%ld,%ld,%ld}", need[0], need[1],
					  need[2], need[3], need[4], need[5]);
	if (!(r = db_query(c, &q_fill, &err, db_ltoa(c, *id), occ_s, lvl_s, counts)))
		return err;
	if (strtol(PQcmdTuples(r), NULL, 10) != total)
		return kw_fail(c, KW_ECONFLICT, "题库刚刚发生了变化，请重新开始自测");
	json_object *detail = kwj_own(c, json_object_new_object());
	kwj_add_int(detail, "occupation_id", occ);
	kwj_add_int(detail, "level", level);
	kwj_add_int(detail, "scheme_id", db_long(sc, 0, "id"));
	kwj_add_int(detail, "questions", total);
	if ((err = audit_write(c, "selftest.start", "self_test", *id, detail)))
		return err;
	return db_commit(c);
}

/* A self-test row as JSON (a new reference), without its questions. */
static json_object *test_json(const PGresult *r, int i)
{
	json_object *o = json_object_new_object();
	kwj_add_int(o, "id", db_long(r, i, "id"));
	json_object_object_add(
	    o, "occupation",
	    kwj_id_name(db_long(r, i, "occupation_id"), db_val(r, i, "occupation_name")));
	int level = (int)db_long(r, i, "level");
	kwj_add_int(o, "level", level);
	kwj_add_str(o, "level_text", ref_level_label(level));
	kwj_add_int(o, "minutes", db_long(r, i, "minutes"));
	kwj_add_str(o, "started_at", db_val(r, i, "started_at"));
	kwj_add_str(o, "deadline", db_val(r, i, "deadline"));
	bool done = !PQgetisnull(r, i, PQfnumber(r, "submitted_at"));
	bool overtime = db_bool(r, i, "overtime");
	kwj_add_int(o, "remaining_seconds", done ? 0 : db_long(r, i, "remaining"));
	kwj_add_str(o, "submitted_at", db_val(r, i, "submitted_at"));
	kwj_add_str(o, "status", done ? "submitted" : "open");
	kwj_add_str(o, "status_text", !done ? "进行中" : overtime ? "超时交卷" : "已交卷");
	kwj_add_bool(o, "overtime", overtime);
	kwj_add_int(o, "question_count", db_long(r, i, "n"));
	kwj_add_int(o, "max_points", db_long(r, i, "max_points"));
	if (done) {
		const char *score = db_val(r, i, "score");
		kwj_add_int(o, "points", db_long(r, i, "points"));
		json_object_object_add(o, "score", json_object_new_double_s(atof(score), score));
		kwj_add_int(o, "correct", db_long(r, i, "correct"));
		kwj_add_bool(o, "passed", atof(score) >= SELFTEST_PASS);
	} else {
		json_object_object_add(o, "points", NULL);
		json_object_object_add(o, "score", NULL);
		json_object_object_add(o, "correct", NULL);
		json_object_object_add(o, "passed", NULL);
	}
	return o;
}

int selftest_get(struct kw_ctx *c, long id, json_object **out)
{
	int err;
	PGresult *r =
	    db_query(c, &q_get, &err, db_ltoa(c, id), kw_now_text(c), db_ltoa(c, c->user.id));
	if (!r)
		return err;
	if (!PQntuples(r))
		return kw_fail(c, KW_ENOTFOUND, "自测记录不存在");
	json_object *o = kwj_own(c, test_json(r, 0));
	bool done = !PQgetisnull(r, 0, PQfnumber(r, "submitted_at"));
	PGresult *q = db_query(c, &q_questions, &err, db_ltoa(c, id));
	if (!q)
		return err;
	json_object *qs = json_object_new_array();
	for (int i = 0; i < PQntuples(q); i++) {
		json_object *e = json_object_new_object();
		const char *type = db_val(q, i, "type");
		kwj_add_int(e, "no", db_long(q, i, "seq"));
		kwj_add_str(e, "type", type);
		kwj_add_str(e, "type_text", paper_type_text(type));
		kwj_add_str(e, "stem", db_val(q, i, "stem"));
		json_object *opts = json_tokener_parse(db_val(q, i, "options"));
		json_object_object_add(e, "options", opts ? opts : json_object_new_array());
		kwj_add_int(e, "points", type_points(type));
		if (done) {
			/* answers only once the paper is handed in */
			kwj_add_str(e, "answer", db_val(q, i, "answer"));
			kwj_add_str(e, "given", db_val(q, i, "given"));
			kwj_add_bool(e, "right", db_bool(q, i, "is_right"));
		}
		json_object_array_add(qs, e);
	}
	json_object_object_add(o, "questions", qs);
	*out = o;
	return KW_OK;
}

int selftest_mine(struct kw_ctx *c, json_object **out)
{
	int err;
	PGresult *r = db_query(c, &q_mine, &err, db_ltoa(c, c->user.id), kw_now_text(c));
	if (!r)
		return err;
	json_object *items = json_object_new_array();
	for (int i = 0; i < PQntuples(r); i++)
		json_object_array_add(items, test_json(r, i));
	json_object *o = kwj_own(c, json_object_new_object());
	json_object_object_add(o, "items", items);
	*out = o;
	return KW_OK;
}

/*
 * The canonical form of an answer to a question of type with nopt options: "C", "A,C,D",
 * "对"; "" for no answer; NULL when the text is not an answer to such a question. Letters may
 * be lower case or full width and separated by commas (ASCII or full width), 、 or nothing.
 */
static const char *canonical(struct kw_ctx *c, const char *type, int nopt, const char *s)
{
	if (!strcmp(type, "judge")) {
		while (*s == ' ')
			s++;
		if (!*s)
			return "";
		if (!strncmp(s, "对", 3) || !strncmp(s, "正确", 6) || !strncmp(s, "√", 3))
			return "对";
		if (!strncmp(s, "错", 3) || !strncmp(s, "错误", 6) || !strncmp(s, "×", 2))
			return "错";
		return NULL;
	}
	bool seen[4] = {false};
	int n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		int letter = -1;
		if (*p >= 'A' && *p <= 'D')
			letter = *p - 'A', p++;
		else if (*p >= 'a' && *p <= 'd')
			letter = *p - 'a', p++;
		else if (p[0] == 0xEF && p[1] == 0xBC && p[2] >= 0xA1 && p[2] <= 0xA4)
			letter = p[2] - 0xA1, p += 3; /* Ａ..Ｄ */
		else if (*p == ',' || *p == ' ')
			p++;
		else if (!strncmp((const char *)p, "，", 3) || !strncmp((const char *)p, "、", 3))
			p += 3;
		else
			return NULL;
		if (letter >= 0) {
			if (letter >= nopt || seen[letter])
				return NULL;
			seen[letter] = true;
			n++;
		}
	}
	if (!n)
		return "";
	if (!strcmp(type, "single") && n != 1)
		return NULL;
	char *out = arena_alloc(c->a, 8), *o = out;
	for (int k = 0; k < 4; k++)
		if (seen[k]) {
			if (o != out)
				*o++ = ',';
			*o++ = (char)('A' + k);
		}
	*o = 0;
	return out;
}

int selftest_submit(struct kw_ctx *c, long id, json_object *body)
{
	int err;
	if (!body || !json_object_is_type(body, json_type_object))
		return kw_fail(c, KW_EBADREQ, "请求内容应为 JSON 对象");
	json_object *answers;
	if (!json_object_object_get_ex(body, "answers", &answers) ||
	    !json_object_is_type(answers, json_type_object)) {
		kw_field_error(c, "answers", 0, "required",
			       "请提交答案：以题号为键的对象，如 {\"1\": \"A\"}");
		return kw_validation_result(c);
	}
	if ((err = db_begin(c)))
		return err;
	PGresult *t = db_query(c, &q_lock, &err, db_ltoa(c, id), db_ltoa(c, c->user.id),
			       kw_now_text(c), db_ltoa(c, SELFTEST_GRACE));
	if (!t)
		return err;
	if (!PQntuples(t))
		return kw_fail(c, KW_ENOTFOUND, "自测记录不存在");
	if (db_bool(t, 0, "submitted"))
		return kw_fail(c, KW_ECONFLICT, "这份自测已经交卷，不能再次提交");
	bool late = db_bool(t, 0, "late");
	PGresult *q = db_query(c, &q_questions, &err, db_ltoa(c, id));
	if (!q)
		return err;
	int n = PQntuples(q);

	/* every key must be a question number */
	json_object_object_foreach(answers, key, val)
	{
		char *end;
		long no = strtol(key, &end, 10);
		if (*end || no < 1 || no > n)
			kw_field_error(c, arena_printf(c->a, "answers.%s", key), 0, "answer",
				       arena_printf(c->a, "没有第 %s 题", key));
		else if (val && !json_object_is_type(val, json_type_string))
			kw_field_error(c, arena_printf(c->a, "answers.%s", key), 0, "answer",
				       arena_printf(c->a, "第 %ld 题的答案应为文字", no));
	}
	if ((err = kw_validation_result(c)))
		return err;

	const char *seqs = "{", *givens = "{", *rights = "{";
	long points = 0, correct = 0, max_points = 0;
	for (int i = 0; i < n; i++) {
		const char *type = db_val(q, i, "type"), *no = db_val(q, i, "seq");
		int nopt = (int)db_long(q, i, "nopt");
		json_object *v = json_object_object_get(answers, no);
		const char *given = v ? canonical(c, type, nopt, json_object_get_string(v)) : "";
		max_points += type_points(type);
		if (!given) {
			kw_field_error(c, arena_printf(c->a, "answers.%s", no), 0, "answer",
				       arena_printf(c->a, "第 %s 题（%s）的答案应为%s", no,
						    paper_type_text(type),
						    !strcmp(type, "judge") ? "“对”或“错”"
						    : !strcmp(type, "single")
							? "一个选项字母，如 A"
							: "选项字母，如 A,C"));
			continue;
		}
		bool right = *given && !strcmp(given, db_val(q, i, "answer"));
		if (right) {
			points += type_points(type);
			correct++;
		}
		const char *sep = i ? "," : "";
		seqs = arena_printf(c->a, "%s%s%s", seqs, sep, no);
		givens = *given ? arena_printf(c->a, "%s%s\"%s\"", givens, sep, given)
				: arena_printf(c->a, "%s%sNULL", givens, sep);
		rights = arena_printf(c->a, "%s%s%s", rights, sep, right ? "t" : "f");
	}
	if ((err = kw_validation_result(c)))
		return err;
	seqs = arena_printf(c->a, "%s}", seqs);
	givens = arena_printf(c->a, "%s}", givens);
	rights = arena_printf(c->a, "%s}", rights);
	const char *score = arena_printf(
	    c->a, "%.1f",
	    max_points ? (double)((points * 1000 + max_points / 2) / max_points) / 10.0 : 0.0);
	if (!db_query(c, &q_answer, &err, db_ltoa(c, id), seqs, givens, rights))
		return err;
	PGresult *f = db_query(c, &q_finish, &err, db_ltoa(c, id), kw_now_text(c), late ? "t" : "f",
			       db_ltoa(c, points), score, db_ltoa(c, correct));
	if (!f)
		return err;
	if (strcmp(PQcmdTuples(f), "1"))
		return kw_fail(c, KW_ECONFLICT, "这份自测已经交卷，不能再次提交");
	json_object *detail = kwj_own(c, json_object_new_object());
	kwj_add_int(detail, "points", points);
	kwj_add_int(detail, "max_points", max_points);
	kwj_add_bool(detail, "overtime", late);
	if ((err = audit_write(c, "selftest.submit", "self_test", id, detail)))
		return err;
	return db_commit(c);
}
