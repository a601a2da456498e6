/* ctx.c - error reporting on the request context. */
#include "ctx.h"

#include <string.h>

#include "clock.h"
#include "json.h"

/* The one table of role codes (the wire values of accounts.role) and their bits. */
static const struct {
	const char *code;
	unsigned bit;
} role_map[] = {
    {"center_staff", R_CENTER_STAFF},
    {"center_director", R_CENTER_DIRECTOR},
    {"org2", R_LEVEL2},
    {"station", R_STATION},
    {"assessor", R_ASSESSOR},
    {"supervisor", R_SUPERVISOR},
    {"candidate", R_CANDIDATE},
};

/* The bit of a role code; 0 for an unknown one. */
unsigned kw_role_bit(const char *code)
{
	for (size_t i = 0; code && i < sizeof(role_map) / sizeof(role_map[0]); i++)
		if (strcmp(role_map[i].code, code) == 0)
			return role_map[i].bit;
	return 0;
}

const char *kw_role_code(unsigned bit)
{
	for (size_t i = 0; i < sizeof(role_map) / sizeof(role_map[0]); i++)
		if (role_map[i].bit == bit)
			return role_map[i].code;
	return NULL;
}

const char *kw_time_text(struct kw_ctx *c, time_t t)
{
	char *buf = arena_alloc(c->a, 32);
	kw_format_time(t, buf, 32);
	return buf;
}

const char *kw_now_text(struct kw_ctx *c)
{
	return kw_time_text(c, c->now);
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
		c->err_fields = kwj_own(c, json_object_new_array());
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
