/* h_calendar.c - the handler of 考试日历 (lib/batch_calendar.c): batches by exam date with their
 * people, for the center and level-2 orgs (a station sees its own). */
#include "handlers.h"

#include "batch.h"
#include "core/json.h"
#include "expert.h"

/* GET /api/calendar?from=&to=&org_id=&occupation_id= */
int h_calendar(struct request *r)
{
	long org = req_query_id(r, "org_id"), occ = req_query_id(r, "occupation_id");
	struct batch_calendar_filter f = {
	    .from = req_query(r, "from"),
	    .to = req_query(r, "to"),
	    .org_id = org > 0 ? org : 0,
	    .occupation_id = occ > 0 ? occ : 0,
	};
	json_object *out;
	int err = kw_validation_result(r->ctx);
	if (err || (err = batch_calendar(r->ctx, &f, &out)))
		return err;
	r->out = out;
	return KW_OK;
}

/* GET /api/experts/{id}/records: 考评记录 / 督导记录 of an expert the caller may see. */
int h_expert_records(struct request *r)
{
	long id = req_param_id(r, "id");
	json_object *expert, *items;
	if (!id)
		return KW_ENOTFOUND;
	int err = expert_get(r->ctx, id, &expert);
	if (err || (err = batch_expert_records(r->ctx, id, &items)))
		return err;
	json_object *o = kwj_own(r->ctx, json_object_new_object());
	kwj_put(o, "items", items);
	kwj_add_int(o, "total", (long)json_object_array_length(items));
	r->out = o;
	return KW_OK;
}
