/* ctx.c - error reporting on the request context. */
#include "ctx.h"

static void put_json(void *p)
{
	json_object_put(p);
}

#include <string.h>

unsigned kw_role_bit(const char *code)
{
	static const struct {
		const char *code;
		unsigned bit;
	} map[] = {
	    {"center_staff", R_CENTER_STAFF},
	    {"center_director", R_CENTER_DIRECTOR},
	    {"org2", R_ORG2},
	    {"station", R_STATION},
	    {"assessor", R_ASSESSOR},
	    {"supervisor", R_SUPERVISOR},
	    {"candidate", R_CANDIDATE},
	};
	for (size_t i = 0; code && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].code, code) == 0)
			return map[i].bit;
	return 0;
}

int kw_fail(struct kw_ctx *c, int err, const char *message)
{
	c->err_message = message;
	return err;
}

void kw_field_error(struct kw_ctx *c, const char *field, int row, const char *rule,
		    const char *message)
{
	if (!c->err_fields) {
		c->err_fields = json_object_new_array();
		arena_defer(c->a, put_json, c->err_fields);
	}
	json_object *e = json_object_new_object();
	if (field)
		json_object_object_add(e, "field", json_object_new_string(field));
	if (row > 0)
		json_object_object_add(e, "row", json_object_new_int(row));
	if (rule)
		json_object_object_add(e, "rule", json_object_new_string(rule));
	json_object_object_add(e, "message", json_object_new_string(message));
	json_object_array_add(c->err_fields, e);
}

int kw_validation_result(struct kw_ctx *c)
{
	return c->err_fields && json_object_array_length(c->err_fields) > 0 ? KW_EVALIDATION
									    : KW_OK;
}
