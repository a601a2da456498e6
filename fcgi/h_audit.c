/* h_audit.c - the audit viewer (操作日志) for the center (lib/audit). */
#include "handlers.h"

#include "audit.h"
#include "core/json.h"

/* GET /api/audit?actor=&action=&object_type=&object_id=&from=&to=, newest first, paged. */
int h_audit_list(struct request *r)
{
	long page, per_page, total;
	json_object *items;
	struct audit_filter f = {
	    .actor = req_query(r, "actor"),
	    .action = req_query(r, "action"),
	    .object_type = req_query(r, "object_type"),
	    .object_id = req_query(r, "object_id"),
	    .from = req_query(r, "from"),
	    .to = req_query(r, "to"),
	};
	req_paging(r, &page, &per_page);
	int err = audit_query(r->ctx, &f, page, per_page, &items, &total);
	if (err)
		return err;
	resp_list(r, items, total, page, per_page);
	return KW_OK;
}

/* GET /api/audit/words: the action and object words, for the viewer's filters. */
int h_audit_words(struct request *r)
{
	r->out = audit_words_json(r->ctx);
	return KW_OK;
}
