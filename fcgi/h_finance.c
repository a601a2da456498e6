/* h_finance.c - handlers of 费用管理 (lib/finance, R24): prices, a batch's fee notice, the fee
 * list and export, the invoice application, the center's marks; and the carriers of 证书寄出. */
#include "handlers.h"

#include <string.h>

#include "batch.h"
#include "core/json.h"
#include "export.h"
#include "finance.h"

/* Answer fee id in full with status. */
static int answer_fee(struct request *r, long id, int status)
{
	json_object *o;
	int err = finance_fee_get(r->ctx, id, &o);
	if (err)
		return err;
	r->out = o;
	r->status = status;
	return KW_OK;
}

/* GET /api/fee-prices: the price per category x level (fen). */
int h_fee_prices(struct request *r)
{
	return finance_prices(r->ctx, &r->out);
}

/* PUT /api/fee-prices {"items": [{"category", "level", "price_fen"}]} (center). */
int h_fee_prices_put(struct request *r)
{
	int err = finance_prices_set(r->ctx, r->json);
	return err ? err : finance_prices(r->ctx, &r->out);
}

/* GET /api/batches/:id/fee (center): the default amounts and the fee when there is one. */
int h_batch_fee_get(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "批次不存在");
	return finance_batch_fee(r->ctx, id, &r->out);
}

/* PUT /api/batches/:id/fee {"amount_fen", "basis", "note"} (center): 201 when created. */
int h_batch_fee_put(struct request *r)
{
	long id = req_param_id(r, "id"), fee;
	bool created;
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "批次不存在");
	int err = finance_fee_put(r->ctx, id, r->json, &fee, &created);
	if (err)
		return err;
	return answer_fee(r, fee, created ? 201 : 200);
}

/* GET /api/fees?status=&org_id=&batch_id=&batch= (paged; ?format=csv|xlsx exports every match). */
int h_fee_list(struct request *r)
{
	struct kw_ctx *c = r->ctx;
	int err;
	long page, per_page, total;
	struct fee_filter f = {
	    .status = req_query(r, "status"),
	    .org_id = req_query(r, "org_id") ? req_query_id(r, "org_id") : 0,
	    .batch_id = req_query(r, "batch_id") ? req_query_id(r, "batch_id") : 0,
	    .batch = req_query(r, "batch"),
	};
	int exporting = export_requested(r, &err);
	req_paging(r, &page, &per_page);
	if ((err = finance_filter_check(c, &f)))
		return err;
	if (exporting) {
		struct db_rows *rows;
		if ((err = finance_fee_export(c, &f, &rows)))
			return err;
		return resp_export(r, "费用列表", fee_export_cols, fee_export_ncols, rows);
	}
	json_object *items;
	if ((err = finance_fee_list(c, &f, page, per_page, &items, &total)))
		return err;
	resp_list(r, items, total, page, per_page);
	return KW_OK;
}

/* GET /api/fees/:id */
int h_fee_get(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "费用不存在");
	return answer_fee(r, id, 200);
}

/* POST /api/fees/:id/invoice (station): 去申请 with the invoice fields. */
int h_fee_invoice(struct request *r)
{
	long id = req_param_id(r, "id");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "费用不存在");
	int err = finance_act(r->ctx, id, "apply_invoice", r->json);
	return err ? err : answer_fee(r, id, 200);
}

/* POST /api/fees/:id/actions/:action (center): send | invoiced {"invoice_no"} | paid {"paid_on"}.
 */
int h_fee_action(struct request *r)
{
	long id = req_param_id(r, "id");
	const char *action = req_param(r, "action");
	if (!id)
		return kw_fail(r->ctx, KW_ENOTFOUND, "费用不存在");
	if (!action || !strcmp(action, "apply_invoice")) /* the station's, through /invoice */
		return kw_fail(r->ctx, KW_ENOTFOUND, "没有这个操作");
	int err = finance_act(r->ctx, id, action, r->json);
	return err ? err : answer_fee(r, id, 200);
}

/* GET /api/shipping/carriers: the carriers of 证书寄出 with their tracking pages. */
int h_carriers(struct request *r)
{
	json_object *o = kwj_own(r->ctx, json_object_new_object());
	kwj_put(o, "items", batch_carriers_json(r->ctx));
	r->out = o;
	return KW_OK;
}
