/* paper_batch.c - the papers of a batch item (查看试卷, R15-R18): saving an uploaded theory paper's
 * questions or a practical paper's file, listing and counting them, deleting a set. */
#include "paper_int.h"

#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "core/json.h"
#include "db/db.h"

static struct db_stmt q_replace_old = DB_STMT(
    "paper_upload_replace", "DELETE FROM papers WHERE item_id = $1 AND part = $2 AND set_no = $3");
static struct db_stmt q_insert =
    DB_STMT("paper_upload_insert",
	    "INSERT INTO papers (org_id, source, occupation_id, level, title, set_no, item_id,"
	    " batch_id, part, file_id, created_by, created_at) VALUES ($1, 'upload', $2, $3, $4,"
	    " $5, $6, $7, $8, $9, $10, $11) RETURNING id");
static struct db_stmt q_fill =
    DB_STMT("paper_upload_fill",
	    "INSERT INTO paper_questions (paper_id, seq, type, kind, stem, options, answer)"
	    " SELECT $1, t.ord, t.q->>'type', t.q->>'kind', t.q->>'stem',"
	    " ARRAY(SELECT jsonb_array_elements_text(t.q->'options')), t.q->>'answer'"
	    " FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t(q, ord)");
static struct db_stmt q_item_rows =
    DB_STMT("paper_item_rows",
	    "SELECT p.id, p.part, p.set_no, p.title, p.file_id, f.name AS file_name,"
	    " (SELECT count(*) FROM paper_questions x WHERE x.paper_id = p.id) AS question_count,"
	    " kw_ts(p.created_at) AS created_at"
	    " FROM papers p LEFT JOIN files f ON f.id = p.file_id"
	    " WHERE p.item_id = $1 ORDER BY p.part DESC, p.set_no");
static struct db_stmt q_batch_counts =
    DB_STMT("paper_batch_counts",
	    "SELECT p.item_id, count(*) FILTER (WHERE p.part = 'theory') AS theory_sets,"
	    " count(*) FILTER (WHERE p.part = 'practical') AS practical_sets,"
	    " min((SELECT count(*) FROM paper_questions x WHERE x.paper_id = p.id))"
	    "   FILTER (WHERE p.part = 'theory') AS min_theory"
	    " FROM papers p WHERE p.batch_id = $1 GROUP BY p.item_id");
static struct db_stmt q_item_delete =
    DB_STMT("paper_item_delete", "DELETE FROM papers WHERE id = $2 AND item_id = $1"
				 " RETURNING part, set_no, title");

long paper_r16_minimum(int level)
{
	return level == 1 || level == 2 ? 120 : 90;
}

/* The questions of sh as a JSON array text, grouped by type (单选, 多选, 判断) in sheet order. */
static const char *questions_json(struct kw_ctx *c, const struct paper_sheet *sh)
{
	json_object *a = kwj_own(c, json_object_new_array());
	for (int t = 0; t < 3; t++)
		for (size_t i = 0; i < sh->n; i++) {
			const struct paper_q *q = &sh->q[i];
			if (q->type != t)
				continue;
			json_object *o = json_object_new_object();
			kwj_add_str(o, "type", paper_type_codes[q->type]);
			kwj_add_str(o, "kind", paper_kind_codes[q->kind]);
			kwj_add_str(o, "stem", q->stem);
			json_object *opts = json_object_new_array();
			for (int k = 0; k < q->nopt; k++)
				json_object_array_add(opts, json_object_new_string(q->opt[k]));
			json_object_object_add(o, "options", opts);
			kwj_add_str(o, "answer", q->answer);
			json_object_array_add(a, o);
		}
	return kwj_string(a, NULL);
}

int paper_upload_save(struct kw_ctx *c, const struct paper_upload *u, const struct paper_sheet *sh,
		      long *id)
{
	int err;
	const char *item = db_ltoa(c, u->item_id), *set = db_ltoa(c, u->set_no);
	if (!db_query(c, &q_replace_old, &err, item, u->part, set))
		return err;
	PGresult *res = db_query(
	    c, &q_insert, &err, db_ltoa(c, u->org_id), db_ltoa(c, u->occupation_id),
	    db_ltoa(c, u->level), u->title, set, item, db_ltoa(c, u->batch_id), u->part,
	    u->file_id ? db_ltoa(c, u->file_id) : NULL, db_ltoa(c, c->user.id), kw_now_text(c));
	if (!res)
		return err;
	*id = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	if (sh && sh->n && !db_query(c, &q_fill, &err, db_ltoa(c, *id), questions_json(c, sh)))
		return err;
	json_object *detail = kwj_own(c, json_object_new_object());
	kwj_add_int(detail, "batch_id", u->batch_id);
	kwj_add_int(detail, "item_id", u->item_id);
	kwj_add_str(detail, "part", u->part);
	kwj_add_int(detail, "set_no", u->set_no);
	kwj_add_int(detail, "question_count", sh ? (long)sh->n : 0);
	return audit_write(c, "paper.upload", "paper", *id, detail);
}

int paper_item_rows(struct kw_ctx *c, long item_id, PGresult **res)
{
	int err;
	*res = db_query(c, &q_item_rows, &err, db_ltoa(c, item_id));
	return *res ? KW_OK : err;
}

int paper_batch_counts(struct kw_ctx *c, long batch_id, PGresult **res)
{
	int err;
	*res = db_query(c, &q_batch_counts, &err, db_ltoa(c, batch_id));
	return *res ? KW_OK : err;
}

int paper_item_delete(struct kw_ctx *c, long item_id, long paper_id)
{
	int err;
	PGresult *res =
	    db_query(c, &q_item_delete, &err, db_ltoa(c, item_id), db_ltoa(c, paper_id));
	if (!res)
		return err;
	if (!PQntuples(res))
		return kw_fail(c, KW_ENOTFOUND, "试卷不存在");
	json_object *detail = kwj_own(c, json_object_new_object());
	kwj_add_int(detail, "item_id", item_id);
	kwj_add_str(detail, "part", PQgetvalue(res, 0, 0));
	kwj_add_str(detail, "set_no", PQgetvalue(res, 0, 1));
	kwj_add_str(detail, "title", PQgetvalue(res, 0, 2));
	return audit_write(c, "paper.upload.delete", "paper", paper_id, detail);
}
