/* openapi.c - build /api/openapi.json from the route rows, so no route goes undescribed. */
#include "openapi.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/ctx.h"

/* "/api/batches/:id" -> "/api/batches/{id}" */
static void oapi_path(const char *pattern, char *out, size_t len)
{
	size_t o = 0;
	for (const char *p = pattern; *p && o + 2 < len; p++) {
		if (*p == ':') {
			out[o++] = '{';
			p++;
			while (*p && *p != '/' && o + 2 < len)
				out[o++] = *p++;
			out[o++] = '}';
			p--;
		} else {
			out[o++] = *p;
		}
	}
	out[o] = '\0';
}

static void operation_id(const struct route *t, char *out, size_t len)
{
	size_t o = 0;
	for (const char *p = t->method; *p && o + 1 < len; p++)
		out[o++] = (char)tolower((unsigned char)*p);
	for (const char *p = t->pattern + 4; *p && o + 1 < len; p++) /* skip "/api" */
		out[o++] = isalnum((unsigned char)*p) ? *p : '_';
	out[o] = '\0';
}

static json_object *schema_or_null(const char *text)
{
	return text ? json_tokener_parse(text) : NULL;
}

static json_object *ref(const char *target)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "$ref", json_object_new_string(target));
	return o;
}

static json_object *json_content(json_object *schema)
{
	json_object *media = json_object_new_object();
	json_object_object_add(media, "schema", schema);
	json_object *content = json_object_new_object();
	json_object_object_add(content, "application/json", media);
	return content;
}

static json_object *operation(const struct route *t)
{
	char id[256];
	json_object *op = json_object_new_object();
	json_object_object_add(op, "summary", json_object_new_string(t->summary));
	json_object *tags = json_object_new_array();
	json_object_array_add(tags, json_object_new_string(t->tag));
	json_object_object_add(op, "tags", tags);
	operation_id(t, id, sizeof(id));
	json_object_object_add(op, "operationId", json_object_new_string(id));

	json_object *params = json_object_new_array();
	for (const char *p = strchr(t->pattern, ':'); p; p = strchr(p + 1, ':')) {
		size_t n = strcspn(p + 1, "/");
		char name[64];
		snprintf(name, sizeof(name), "%.*s", (int)n, p + 1);
		json_object *prm = json_object_new_object();
		json_object_object_add(prm, "name", json_object_new_string(name));
		json_object_object_add(prm, "in", json_object_new_string("path"));
		json_object_object_add(prm, "required", json_object_new_boolean(1));
		json_object *s = json_object_new_object();
		int is_id = n >= 2 && strncmp(p + 1 + n - 2, "id", 2) == 0;
		json_object_object_add(s, "type",
				       json_object_new_string(is_id ? "integer" : "string"));
		json_object_object_add(prm, "schema", s);
		json_object_array_add(params, prm);
	}
	if (json_object_array_length(params))
		json_object_object_add(op, "parameters", params);
	else
		json_object_put(params);

	json_object *req = schema_or_null(t->request_schema);
	if (req) {
		json_object *body = json_object_new_object();
		json_object_object_add(body, "required", json_object_new_boolean(1));
		json_object_object_add(body, "content", json_content(req));
		json_object_object_add(op, "requestBody", body);
	}

	json_object *responses = json_object_new_object();
	json_object *ok = json_object_new_object();
	json_object_object_add(ok, "description", json_object_new_string("成功"));
	json_object *resp = schema_or_null(t->response_schema);
	if (resp)
		json_object_object_add(ok, "content", json_content(resp));
	json_object_object_add(responses, strcmp(t->method, "POST") == 0 && req ? "201" : "200",
			       ok);
	json_object *def = json_object_new_object();
	json_object_object_add(def, "description",
			       json_object_new_string("错误，见 components.schemas.Error"));
	json_object_object_add(def, "content", json_content(ref("#/components/schemas/Error")));
	json_object_object_add(responses, "default", def);
	json_object_object_add(op, "responses", responses);

	if (t->roles != R_PUBLIC) {
		json_object *sec = json_object_new_array();
		json_object *req_cookie = json_object_new_object();
		json_object_object_add(req_cookie, "session", json_object_new_array());
		json_object_array_add(sec, req_cookie);
		json_object_object_add(op, "security", sec);
		json_object *roles = json_object_new_array();
		for (unsigned i = 0; i < 32; i++)
			if ((t->roles & (1u << i)) && kw_role_code(1u << i))
				json_object_array_add(
				    roles, json_object_new_string(kw_role_code(1u << i)));
		json_object_object_add(op, "x-roles", roles);
	}
	return op;
}

static const char error_schema[] =
    "{\"type\":\"object\",\"required\":[\"error\"],\"properties\":{\"error\":{\"type\":"
    "\"object\",\"required\":[\"code\",\"message\"],\"properties\":{\"code\":{\"type\":"
    "\"string\",\"enum\":[\"bad_request\",\"unauthorized\",\"forbidden\",\"csrf\","
    "\"not_found\",\"method_not_allowed\",\"conflict\",\"too_large\",\"validation\","
    "\"rate_limited\",\"internal\",\"unavailable\"]},\"message\":{\"type\":\"string\"},"
    "\"fields\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
    "\"field\":{\"type\":\"string\"},\"row\":{\"type\":\"integer\"},\"rule\":{\"type\":"
    "\"string\"},\"message\":{\"type\":\"string\"}}}},\"reason\":{\"type\":\"string\"}}}}}";

json_object *openapi_document(const struct route *tab, size_t n, const char *version)
{
	json_object *doc = json_object_new_object();
	json_object_object_add(doc, "openapi", json_object_new_string("3.0.3"));
	json_object *info = json_object_new_object();
	json_object_object_add(info, "title", json_object_new_string("kaowu 考务 API"));
	json_object_object_add(info, "version", json_object_new_string(version));
	json_object_object_add(
	    info, "description",
	    json_object_new_string("机械工业人才评价管理服务平台的 HTTP 接口。除 GET/HEAD 外的"
				   "请求须带 X-CSRF-Token 请求头。"));
	json_object_object_add(doc, "info", info);

	json_object *paths = json_object_new_object();
	for (size_t i = 0; i < n; i++) {
		char path[512], method[16];
		oapi_path(tab[i].pattern, path, sizeof(path));
		size_t k = 0;
		for (; tab[i].method[k] && k + 1 < sizeof(method); k++)
			method[k] = (char)tolower((unsigned char)tab[i].method[k]);
		method[k] = '\0';
		json_object *item;
		if (!json_object_object_get_ex(paths, path, &item)) {
			item = json_object_new_object();
			json_object_object_add(paths, path, item);
		}
		json_object_object_add(item, method, operation(&tab[i]));
	}
	json_object_object_add(doc, "paths", paths);

	json_object *components = json_object_new_object();
	json_object *schemas = json_object_new_object();
	json_object_object_add(schemas, "Error", json_tokener_parse(error_schema));
	json_object_object_add(components, "schemas", schemas);
	json_object *sec = json_object_new_object();
	json_object *cookie = json_object_new_object();
	json_object_object_add(cookie, "type", json_object_new_string("apiKey"));
	json_object_object_add(cookie, "in", json_object_new_string("cookie"));
	json_object_object_add(cookie, "name", json_object_new_string("kaowu_session"));
	json_object_object_add(sec, "session", cookie);
	json_object_object_add(components, "securitySchemes", sec);
	json_object_object_add(doc, "components", components);
	return doc;
}
