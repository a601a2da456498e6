/* ref.h - reference data: occupations with their directions, levels, categories, regions. */
#ifndef KW_REF_H
#define KW_REF_H

#include <stdbool.h>

#include <json-c/json.h>

#include "core/ctx.h"

/*
 * JSON returned by these functions is owned by the request arena (kwj_own):
 * take a reference (json_object_get) before adding it to another container.
 *
 * Shapes:
 *   occupation: {"id", "name", "categories": ["national", ...], "levels": [5, 4, 3, 2, 1],
 *                "aliases": [...], "directions": [{"id", "name", "aliases"}]}
 *   level:      {"code": 5, "name": "初级", "grade": "五级", "label": "初级/五级"}
 *   category:   {"code": "national", "name": "国家职业技能鉴定"}
 *   region:     {"code": "110115", "name": "大兴区", "level": 3, "parent_code": "110100",
 *                "has_children": false}
 *   region path (ref_region_get): {"code", "name", "level", "full_name": "北京市 大兴区",
 *                "path": [{"code", "name"}, ...]} (province first; the package's
 *                市辖区/县 level of the municipalities is left out of full_name only)
 */

/* Level words (DESIGN.md 4a): ref_level_name(5) = "初级", ref_level_grade(5) = "五级",
 * ref_level_label(5) = "初级/五级"; NULL outside 1..5. */
const char *ref_level_name(int level);
const char *ref_level_grade(int level);
const char *ref_level_label(int level);

/* "national" -> "国家职业技能鉴定", "industry" -> "行业能力水平评价"; NULL for anything else. */
const char *ref_category_name(const char *code);

/* Arrays of the levels (5..1) and of the two categories. */
json_object *ref_levels_json(struct kw_ctx *c);
json_object *ref_categories_json(struct kw_ctx *c);

/*
 * The top-level occupations (sorted as the manual lists them), each with its
 * directions. q (may be NULL or "") keeps those whose name, an alias, or a
 * direction's name or alias contains q; category (NULL: any) keeps those
 * assessable in that category (KW_EVALIDATION, field "category", if unknown).
 */
int ref_occupations(struct kw_ctx *c, const char *q, const char *category, json_object **items);

/*
 * Find an occupation or direction by its exact name or one of its aliases
 * (xlsx imports: 汽车焊接生产线操作工 -> the id of 汽车焊装生产线操作工).
 * *id = 0 when nothing matches (KW_OK); KW_E* only for database errors.
 */
int ref_occupation_find(struct kw_ctx *c, const char *name, long *id);

/* One occupation or direction, for other modules' checks (R6, R7). */
struct ref_occupation {
	long id;	/* 0: no such occupation */
	long parent_id; /* the occupation of a direction, else 0 */
	const char *name;
	unsigned levels; /* bit (1u << l) for each level l the standard defines */
	bool national;	 /* assessable in category national */
	bool industry;	 /* ... and industry */
};

/* Look up occupation id; out->id = 0 when there is none (still KW_OK). */
int ref_occupation_get(struct kw_ctx *c, long id, struct ref_occupation *out);

/*
 * The regions under parent (NULL: the provinces), ordered by code. A parent
 * that is not six digits is KW_EVALIDATION (field "parent"); a parent that does
 * not exist is KW_ENOTFOUND.
 */
int ref_regions(struct kw_ctx *c, const char *parent, json_object **items);

/* *exists tells whether code names a region (false for malformed codes). */
int ref_region_exists(struct kw_ctx *c, const char *code, bool *exists);

/* One region with its path from the province down; KW_ENOTFOUND if unknown. */
int ref_region_get(struct kw_ctx *c, const char *code, json_object **out);

#endif
