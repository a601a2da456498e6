/* h_system.c - handlers about the service itself: health and the API description. */
#include "handlers.h"

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "db/db.h"
#include "dispatch.h"
#include "openapi.h"
#include "version.h"

/*
 * GET /api/health: 200 when the database answers with the schema this binary expects. Public, so
 * only db and schema: the build (version, git commit) is behind login (issue 14 item 6).
 */
int h_health(struct request *r)
{
	struct db *db = r->ctx->db;
	int schema = db_ensure(db) == KW_OK ? db_schema_version(db) : -1;
	json_object *o = kwj_own(r->ctx, json_object_new_object());
	kwj_add_str(o, "db", schema >= 0 ? "ok" : "down");
	json_object_object_add(o, "schema", schema >= 0 ? json_object_new_int(schema) : NULL);
	r->out = o;
	r->status = schema == server_cfg->expected_schema ? 200 : 503;
	return KW_OK;
}

/* GET /api/system/info (logged in): the build and the schema it expects and finds. */
int h_system_info(struct request *r)
{
	json_object *o = kwj_own(r->ctx, json_object_new_object());
	const char *plus = strchr(KW_VERSION, '+');
	kwj_add_str(o, "version", KW_VERSION);
	kwj_add_str(o, "commit", plus ? plus + 1 : NULL);
	kwj_add_int(o, "schema", db_schema_version(r->ctx->db));
	kwj_add_int(o, "expected_schema", server_cfg->expected_schema);
	r->out = o;
	return KW_OK;
}

/* The public version of the API description: the release, without the git commit. */
static const char *public_version(void)
{
	static char v[32];
	if (!v[0]) {
		size_t n = strcspn(KW_VERSION, "+");
		if (n >= sizeof(v))
			n = sizeof(v) - 1;
		memcpy(v, KW_VERSION, n);
		v[n] = '\0';
	}
	return v;
}

/* GET /api/openapi.json: generated from the route table, once per worker (the table is constant).
 */
int h_openapi(struct request *r)
{
	static char *text;
	static size_t len;
	if (!text) {
		json_object *doc =
		    openapi_document(routes, routes_count, api_spec(), public_version());
		const char *s = kwj_string(doc, &len);
		text = malloc(len + 1);
		if (!text) {
			json_object_put(doc);
			return KW_EINTERNAL;
		}
		memcpy(text, s, len + 1);
		json_object_put(doc);
	}
	r->file = text;
	r->file_len = len;
	r->content_type = "application/json; charset=utf-8";
	return KW_OK;
}
