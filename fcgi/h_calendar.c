/* h_calendar.c - the handler of 考试日历 (lib/batch_calendar.c): batches by exam date with their
 * people, for the center and level-2 orgs (a station sees its own). */
#include "handlers.h"

#include "batch.h"

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
