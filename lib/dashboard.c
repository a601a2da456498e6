/* dashboard.c - the center's home: counts over batches, plans, trainings, certificates and scores,
 * each with the SPA list it links to. */
#include "dashboard.h"

#include <string.h>

#include "batch.h"
#include "core/clock.h"
#include "core/json.h"
#include "db/db.h"

static struct db_stmt q_batches = DB_STMT(
    "dash_batches", "SELECT status, count(*) AS n FROM batches WHERE status <> 'draft' GROUP BY"
		    " status");
static struct db_stmt q_pending = DB_STMT(
    "dash_pending",
    "SELECT 'plan' AS what, status, count(*) AS n FROM plans WHERE status = 'center_review'"
    " GROUP BY status UNION ALL SELECT 'training', status, count(*) FROM trainings WHERE status"
    " IN ('center_review', 'approved') GROUP BY status");
static struct db_stmt q_certs = DB_STMT(
    "dash_certs",
    "SELECT to_char(m, 'YYYY-MM') AS month, to_char(m, 'YYYY-MM-DD') AS first,"
    " to_char(m + interval '1 month' - interval '1 day', 'YYYY-MM-DD') AS last,"
    " (SELECT count(*) FROM certificates c WHERE c.issued_on >= m::date AND c.issued_on < (m +"
    " interval '1 month')::date) AS n FROM generate_series(date_trunc('month', $1::date) -"
    " interval '11 months', date_trunc('month', $1::date), interval '1 month') AS m ORDER BY m");
static struct db_stmt q_pass = DB_STMT(
    "dash_pass",
    "SELECT occ.id, occ.name, count(*) FILTER (WHERE s.grade IS NOT NULL AND s.grade <>"
    " 'absent') AS scored, count(*) FILTER (WHERE s.grade IN ('pass', 'good', 'excellent')) AS"
    " passed FROM scores s JOIN batch_items i ON i.id = s.item_id JOIN occupations occ ON occ.id"
    " = i.occupation_id GROUP BY occ.id, occ.name, occ.sort HAVING count(*) FILTER (WHERE"
    " s.grade IS NOT NULL AND s.grade <> 'absent') > 0 ORDER BY occ.sort LIMIT 30");

/* One {"…", "text", "count", "link"} entry. */
static json_object *entry(const char *key, const char *code, const char *text, long n,
			  const char *link)
{
	json_object *o = json_object_new_object();
	kwj_add_str(o, key, code);
	kwj_add_str(o, "text", text);
	kwj_add_int(o, "count", n);
	kwj_add_str(o, "link", link);
	return o;
}

int dashboard_center(struct kw_ctx *c, json_object **out)
{
	int err;
	char today[16];
	kw_format_date(c->now, today, sizeof(today));
	PGresult *b = db_query0(c, &q_batches, &err);
	PGresult *p = b ? db_query0(c, &q_pending, &err) : NULL;
	PGresult *ce = p ? db_query(c, &q_certs, &err, today) : NULL;
	PGresult *ps = ce ? db_query0(c, &q_pass, &err) : NULL;
	if (!ps)
		return err;
	json_object *o = kwj_own(c, json_object_new_object());
	json_object *batches = json_object_new_array(), *pending = json_object_new_array();
	/* In the order of the batch's life; pending: the statuses waiting for the center. */
	for (size_t k = 0; k < batch_wf.nstatuses; k++) {
		const struct wf_status *st = &batch_wf.statuses[k];
		long n = 0;
		for (int i = 0; i < PQntuples(b); i++)
			if (!strcmp(db_val(b, i, "status"), st->code))
				n = db_long(b, i, "n");
		const char *link = arena_printf(c->a, "/app/batches?status=%s", st->code);
		if (n && strcmp(st->code, "draft"))
			json_object_array_add(batches,
					      entry("status", st->code, st->label, n, link));
		if (st->waits_for & R_CENTER)
			json_object_array_add(
			    pending, entry("step", arena_printf(c->a, "batch.%s", st->code),
					   arena_printf(c->a, "批次：%s", st->label), n, link));
	}
	long plans = 0, train_review = 0, train_sched = 0;
	for (int i = 0; i < PQntuples(p); i++) {
		const char *what = db_val(p, i, "what"), *status = db_val(p, i, "status");
		long n = db_long(p, i, "n");
		if (!strcmp(what, "plan"))
			plans = n;
		else if (!strcmp(status, "center_review"))
			train_review = n;
		else
			train_sched = n;
	}
	json_object_array_add(pending, entry("step", "plan.center_review", "年度计划：等待中心审核",
					     plans, "/app/plans?status=center_review"));
	json_object_array_add(pending,
			      entry("step", "training.center_review", "培训申请：等待中心审核",
				    train_review, "/app/trainings?status=center_review"));
	json_object_array_add(pending, entry("step", "training.approved", "培训申请：等待安排培训",
					     train_sched, "/app/trainings?status=approved"));
	json_object_object_add(o, "batches", batches);
	json_object_object_add(o, "pending", pending);
	json_object *certs = json_object_new_array();
	for (int i = 0; i < PQntuples(ce); i++) {
		json_object *x = json_object_new_object();
		kwj_add_str(x, "month", db_val(ce, i, "month"));
		kwj_add_int(x, "count", db_long(ce, i, "n"));
		kwj_add_str(x, "link",
			    arena_printf(c->a, "/app/certificates?from=%s&to=%s",
					 db_val(ce, i, "first"), db_val(ce, i, "last")));
		json_object_array_add(certs, x);
	}
	json_object_object_add(o, "certificates", certs);
	json_object *rates = json_object_new_array();
	for (int i = 0; i < PQntuples(ps); i++) {
		json_object *x = json_object_new_object();
		long scored = db_long(ps, i, "scored"), passed = db_long(ps, i, "passed");
		json_object_object_add(x, "occupation",
				       kwj_id_name(db_long(ps, i, "id"), db_val(ps, i, "name")));
		kwj_add_int(x, "scored", scored);
		kwj_add_int(x, "passed", passed);
		json_object_object_add(
		    x, "rate",
		    json_object_new_double(scored ? (double)(passed * 1000 / scored) / 10.0 : 0));
		kwj_add_str(x, "link",
			    arena_printf(c->a, "/app/certificates?occupation_id=%ld",
					 db_long(ps, i, "id")));
		json_object_array_add(rates, x);
	}
	json_object_object_add(o, "pass_rates", rates);
	*out = o;
	return KW_OK;
}
