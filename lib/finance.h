/* finance.h - 费用管理 (R24): per-level prices, the fee notice of a batch and its chain on the
 * workflow engine (send, invoice application, invoiced, paid). Amounts are integers in fen. */
#ifndef KW_FINANCE_H
#define KW_FINANCE_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "core/ctx.h"
#include "office/xlsx_writer.h"
#include "workflow.h"

#define FEE_MAX_FEN 100000000000L /* 10亿元: the largest fee */
#define PRICE_MAX_FEN 10000000L	  /* 10万元: the largest price per certificate */

/*
 * The fee chain: draft 待发送 -> unpaid 待缴费 -> invoice_applied 已申请发票 -> invoiced 已开票
 * -> paid 已缴费; unpaid -> paid when the station needs no invoice.
 */
extern const struct wf_def fee_wf;

/* {"items": [{"category", "category_text", "level", "level_text", "price_fen"}]} of every
 * category x level. */
int finance_prices(struct kw_ctx *c, json_object **out);

/* Replace prices: {"items": [{"category", "level", "price_fen"}]} (center). */
int finance_prices_set(struct kw_ctx *c, json_object *body);

/*
 * The center's view of batch id's fee before sending: the lines per category x level
 * (price, passed, enrolled), the default amount per basis, and the fee when there is one.
 */
int finance_batch_fee(struct kw_ctx *c, long batch_id, json_object **out);

/* Create or edit the fee of batch id ({"amount_fen", "basis", "note"}; draft or unpaid);
 * *fee_id the fee, *created when it is new. */
int finance_fee_put(struct kw_ctx *c, long batch_id, json_object *body, long *fee_id,
		    bool *created);

/* One fee in full (actions, trail); 404 outside the caller's scope, drafts for the center only. */
int finance_fee_get(struct kw_ctx *c, long id, json_object **out);

struct fee_filter {
	const char *status; /* a status code or NULL */
	long org_id;	    /* 0: any */
	long batch_id;	    /* 0: any */
	const char *batch;  /* part of the batch's name or code, or NULL */
};

/* Check a filter's values (422 on an unknown status). */
int finance_filter_check(struct kw_ctx *c, const struct fee_filter *f);

/* One page of the fees in the caller's scope; *total counts all matches. */
int finance_fee_list(struct kw_ctx *c, const struct fee_filter *f, long page, long per_page,
		     json_object **items, long *total);

/* Every fee matching f as export rows (columns fee_export_cols). */
struct db_rows;
int finance_fee_export(struct kw_ctx *c, const struct fee_filter *f, struct db_rows **rows);
extern const struct xlsx_col fee_export_cols[];
extern const size_t fee_export_ncols;

/* Run an action of the chain: send | apply_invoice | invoiced | paid (body per action). */
int finance_act(struct kw_ctx *c, long id, const char *action, json_object *body);

/* True when s is an 18-character 统一社会信用代码 with a valid check character. */
bool finance_uscc_valid(const char *s);

/* Format fen as yuan with two decimals ("1234.50"), no floats (arena). */
const char *finance_yuan(struct kw_ctx *c, long fen);

#endif
