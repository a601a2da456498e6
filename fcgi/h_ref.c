/* h_ref.c - handlers of the reference data: occupations, levels, categories, regions (lib/ref). */
#include "handlers.h"

#include "core/json.h"
#include "ref.h"

/* {"items": items}; items is arena-owned. */
static int answer_items(struct request *r, json_object *items)
{
	json_object *o = kwj_own(r->ctx, json_object_new_object());
	kwj_put(o, "items", items);
	r->out = o;
	return KW_OK;
}

/* GET /api/ref/occupations?q=&category= (public: the landing page and registration use it). */
int h_ref_occupations(struct request *r)
{
	json_object *items;
	int err = ref_occupations(r->ctx, req_query(r, "q"), req_query(r, "category"), &items);
	return err ? err : answer_items(r, items);
}

/* GET /api/ref/levels */
int h_ref_levels(struct request *r)
{
	return answer_items(r, ref_levels_json(r->ctx));
}

/* GET /api/ref/categories */
int h_ref_categories(struct request *r)
{
	return answer_items(r, ref_categories_json(r->ctx));
}

/* GET /api/ref/regions?parent=CODE (provinces without parent; public). */
int h_ref_regions(struct request *r)
{
	json_object *items;
	int err = ref_regions(r->ctx, req_query(r, "parent"), &items);
	return err ? err : answer_items(r, items);
}

/* GET /api/ref/regions/:code: one region with its path (public). */
int h_ref_region(struct request *r)
{
	json_object *o;
	int err = ref_region_get(r->ctx, req_param(r, "code"), &o);
	if (err)
		return err;
	r->out = o;
	return KW_OK;
}
