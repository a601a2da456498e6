/* plan_int.h - what the plan files share (plan.c: the workflow, reads, create and update, export,
 * overview; plan_items.c: the items and their rules). Not for other modules: they use plan.h. */
#ifndef KW_PLAN_INT_H
#define KW_PLAN_INT_H

#include "plan.h"

/* The most people one item of a plan may count (a typing slip, not a real plan, above it). */
#define PLAN_MAX_COUNT 10000

/* One item of a plan after checking. */
struct plan_item {
	const char *category;
	long level, occupation_id, count;
	const char *dates[4];
	bool standard_equipped;
};

/*
 * Parse and check a plan body {"year"?, "items": [...]} for org_id (R1, R6, R7; field errors
 * items[i].field): the checked items in *out (*n_out of them) and the year (given, or the year of
 * the earliest theory exam).
 */
int plan_body_parse(struct kw_ctx *c, json_object *body, long org_id, struct plan_item **out,
		    int *n_out, long *year);

/* Store the items of plan_id in their order. */
int plan_items_insert(struct kw_ctx *c, long plan_id, const struct plan_item *it, int n);

/* The audit detail of a create or update: {"year", "items": n}. */
json_object *plan_items_detail(struct kw_ctx *c, long year, int n);

/* The words of a category code ("" for none). */
const char *plan_category_text(const char *code);

#endif
