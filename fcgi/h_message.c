/* h_message.c - handlers for 站内信. */
#include "handlers.h"

#include "core/json.h"
#include "message.h"

/* GET /api/messages?unread=1 */
int h_messages(struct request *r)
{
	long page, per_page, total = 0;
	json_object *items;
	int unread = req_query_bool(r, "unread", 0);
	int err = req_paging(r, &page, &per_page);
	if (err || (err = kw_validation_result(r->ctx)) ||
	    (err = message_list(r->ctx, unread, page, per_page, &items, &total)))
		return err;
	resp_list(r, items, total, page, per_page);
	return KW_OK;
}

/* GET /api/messages/unread-count */
int h_messages_unread(struct request *r)
{
	long n = 0;
	int err = message_unread_count(r->ctx, &n);
	if (err)
		return err;
	r->out = kwj_own(r->ctx, json_object_new_object());
	kwj_add_int(r->out, "count", n);
	return KW_OK;
}

/* POST /api/messages/:id/read */
int h_message_read(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return KW_ENOTFOUND;
	int err = message_mark_read(r->ctx, id);
	if (err)
		return err;
	return h_messages_unread(r);
}

/* POST /api/messages/read-all */
int h_messages_read_all(struct request *r)
{
	int err = message_mark_read(r->ctx, 0);
	if (err)
		return err;
	return h_messages_unread(r);
}
