/* openapi.c - build /api/openapi.json from the route rows and their operations in fcgi/api/. */
#include "openapi.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx.h"
#include "core/json.h"

/* What each error status means, for the generated 4xx/5xx answers. */
static const struct {
	int status;
	const char *text;
} error_texts[] = {
    {400, "请求格式错误（如 JSON 无法解析）"},
    {401, "未登录或登录已过期"},
    {403, "无权执行（角色不符、须先修改初始密码，或缺少 CSRF 令牌）"},
    {404, "对象不存在或不在本人可见范围内"},
    {409, "当前状态不允许此操作，或与已有数据冲突"},
    {413, "提交的内容超过上限"},
    {422, "校验未通过：fields 逐项列出字段、规则和说明"},
    {429, "尝试过于频繁，请稍后再试"},
};

static const char *error_text(int status)
{
	for (size_t i = 0; i < sizeof(error_texts) / sizeof(error_texts[0]); i++)
		if (error_texts[i].status == status)
			return error_texts[i].text;
	return "错误";
}

static int is_write(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/* A string member of o, or NULL. */
static const char *str_of(json_object *o, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* A member of o, or NULL. */
static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;
	return json_object_object_get_ex(o, key, &v) ? v : NULL;
}

void api_operation_key(const char *method, const char *pattern, char *out, size_t len)
{
	size_t o = (size_t)snprintf(out, len, "%s ", method);
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
	out[o < len ? o : len - 1] = '\0';
}

json_object *api_spec_parse(const struct api_file *files, size_t n, const char **problem)
{
	static char msg[256];
	json_object *spec = json_object_new_object();
	json_object *tags = json_object_new_array();
	json_object *schemas = json_object_new_object();
	json_object *ops = json_object_new_object();
	json_object_object_add(spec, "tags", tags);
	json_object_object_add(spec, "schemas", schemas);
	json_object_object_add(spec, "operations", ops);
	*problem = NULL;
	for (size_t i = 0; i < n && !*problem; i++) {
		json_object *f = json_tokener_parse(files[i].text);
		const char *tag = f ? str_of(f, "tag") : NULL;
		json_object *fops = f ? get(f, "operations") : NULL;
		if (!tag || !*tag || !json_object_is_type(fops, json_type_object)) {
			snprintf(msg, sizeof(msg), "%s is not JSON with a tag and operations",
				 files[i].name);
			*problem = msg;
			json_object_put(f);
			break;
		}
		json_object *t = json_object_new_object();
		json_object_object_add(t, "name", json_object_new_string(tag));
		const char *desc = str_of(f, "description");
		if (desc)
			json_object_object_add(t, "description", json_object_new_string(desc));
		json_object_array_add(tags, t);
		json_object *fs = get(f, "schemas");
		if (fs) {
			json_object_object_foreach(fs, name, s)
			{
				if (get(schemas, name)) {
					snprintf(msg, sizeof(msg), "schema %s is defined twice",
						 name);
					*problem = msg;
				}
				json_object_object_add(schemas, name, kwj_copy(s));
			}
		}
		json_object_object_foreach(fops, key, op)
		{
			if (get(ops, key) || !json_object_is_type(op, json_type_object)) {
				snprintf(msg, sizeof(msg), "operation %s is described twice", key);
				*problem = msg;
				continue;
			}
			json_object *copy = NULL;
			json_object_deep_copy(op, &copy, NULL);
			json_object_object_add(copy, "tag", json_object_new_string(tag));
			json_object_object_add(ops, key, copy);
		}
		json_object_put(f);
	}
	if (*problem) {
		json_object_put(spec);
		return NULL;
	}
	return spec;
}

json_object *api_spec(void)
{
	static json_object *spec;
	static int done;
	if (!done) {
		const char *problem;
		spec = api_spec_parse(api_files, api_files_count, &problem);
		done = 1;
	}
	return spec;
}

/* Is every "$ref" under o one of the spec's schemas? */
static const char *dangling_ref(json_object *o, json_object *schemas)
{
	if (json_object_is_type(o, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(o); i++) {
			const char *bad = dangling_ref(json_object_array_get_idx(o, i), schemas);
			if (bad)
				return bad;
		}
	} else if (json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, k, v)
		{
			if (strcmp(k, "$ref") == 0) {
				const char *s = json_object_get_string(v);
				static const char prefix[] = "#/components/schemas/";
				if (strncmp(s, prefix, sizeof(prefix) - 1) != 0 ||
				    !get(schemas, s + sizeof(prefix) - 1))
					return s;
			} else {
				const char *bad = dangling_ref(v, schemas);
				if (bad)
					return bad;
			}
		}
	}
	return NULL;
}

/* What is wrong with one operation's keys, or NULL. */
static const char *operation_problem(json_object *op)
{
	const char *summary = str_of(op, "summary");
	if (!summary || !*summary)
		return "has no summary";
	json_object *st = get(op, "status");
	if (st && (!json_object_is_type(st, json_type_int) || json_object_get_int(st) < 200 ||
		   json_object_get_int(st) > 299))
		return "has a status that is not 2xx";
	json_object *errs = get(op, "errors");
	if (errs) {
		if (!json_object_is_type(errs, json_type_array))
			return "has errors that are not a list";
		for (size_t i = 0; i < json_object_array_length(errs); i++) {
			json_object *e = json_object_array_get_idx(errs, i);
			if (!json_object_is_type(e, json_type_int) ||
			    json_object_get_int(e) < 400 || json_object_get_int(e) > 499)
				return "has an error status that is not 4xx";
		}
	}
	json_object *params = get(op, "parameters");
	if (params && !json_object_is_type(params, json_type_array))
		return "has parameters that are not a list";
	json_object *other = get(op, "other");
	if (other && !json_object_is_type(other, json_type_object))
		return "has other answers that are not an object";
	if (other) {
		json_object_object_foreach(other, code, o)
		{
			int n = atoi(code);
			if (n < 200 || n > 599 || !json_object_is_type(o, json_type_object))
				return "has an other answer that is not {\"<status>\": {...}}";
		}
	}
	return NULL;
}

const char *openapi_problem(const struct route *tab, size_t n, json_object *spec)
{
	static char msg[1024];
	char key[256];
	if (!spec)
		return "fcgi/api/<tag>.json cannot be read (not JSON, or a name given twice)";
	json_object *ops = get(spec, "operations");
	json_object *schemas = get(spec, "schemas");
	if (!get(schemas, "Error"))
		return "fcgi/api/<tag>.json defines no Error schema";
	for (size_t i = 0; i < n; i++) {
		api_operation_key(tab[i].method, tab[i].pattern, key, sizeof(key));
		json_object *op = get(ops, key);
		if (!op) {
			snprintf(msg, sizeof(msg), "%s has no operation in fcgi/api/<tag>.json",
				 key);
			return msg;
		}
		const char *bad = operation_problem(op);
		if (!bad && (bad = dangling_ref(op, schemas)))
			snprintf(msg, sizeof(msg), "%s refers to %s, which is not defined", key,
				 bad);
		else if (bad)
			snprintf(msg, sizeof(msg), "%s %s", key, bad);
		if (bad)
			return msg;
	}
	json_object_object_foreach(ops, k, op)
	{
		(void)op;
		size_t i = 0;
		for (; i < n; i++) {
			api_operation_key(tab[i].method, tab[i].pattern, key, sizeof(key));
			if (strcmp(key, k) == 0)
				break;
		}
		if (i == n) {
			snprintf(msg, sizeof(msg), "operation %s has no route row", k);
			return msg;
		}
	}
	const char *bad = dangling_ref(schemas, schemas);
	if (bad) {
		snprintf(msg, sizeof(msg), "a schema refers to %s, which is not defined", bad);
		return msg;
	}
	return NULL;
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

static json_object *ref(const char *target)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "$ref", json_object_new_string(target));
	return o;
}

/* {"<type>": {"schema": schema}} added to content (created when NULL). */
static json_object *add_content(json_object *content, const char *type, json_object *schema)
{
	if (!content)
		content = json_object_new_object();
	json_object *media = json_object_new_object();
	json_object_object_add(media, "schema", schema);
	json_object_object_add(content, type, media);
	return content;
}

static json_object *binary_schema(void)
{
	json_object *s = json_object_new_object();
	json_object_object_add(s, "type", json_object_new_string("string"));
	json_object_object_add(s, "format", json_object_new_string("binary"));
	return s;
}

/* Is parameter `name` in `in` among the operation's own parameters? */
static int has_param(json_object *params, const char *name, const char *in)
{
	for (size_t i = 0; params && i < json_object_array_length(params); i++) {
		json_object *p = json_object_array_get_idx(params, i);
		const char *n = str_of(p, "name"), *w = str_of(p, "in");
		if (n && w && strcmp(n, name) == 0 && strcmp(w, in) == 0)
			return 1;
	}
	return 0;
}

/* Path parameters from the pattern (unless the operation lists them), then the operation's. */
static json_object *parameters(const struct route *t, json_object *own)
{
	json_object *params = json_object_new_array();
	for (const char *p = strchr(t->pattern, ':'); p; p = strchr(p + 1, ':')) {
		size_t n = strcspn(p + 1, "/");
		char name[64];
		snprintf(name, sizeof(name), "%.*s", (int)n, p + 1);
		if (has_param(own, name, "path"))
			continue;
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
	for (size_t i = 0; own && i < json_object_array_length(own); i++)
		json_object_array_add(params, kwj_copy(json_object_array_get_idx(own, i)));
	if (is_write(t->method) && !(t->flags & ROUTE_NO_CSRF))
		json_object_array_add(params, ref("#/components/parameters/CsrfToken"));
	if (t->flags & ROUTE_IDEMPOTENT)
		json_object_array_add(params, ref("#/components/parameters/IdempotencyKey"));
	if (json_object_array_length(params))
		return params;
	json_object_put(params);
	return NULL;
}

/* The success answer: status, then JSON, a file type, or nothing (204). */
static void success(json_object *responses, json_object *op)
{
	json_object *st = get(op, "status");
	int status = st ? json_object_get_int(st) : 200;
	char code[8];
	snprintf(code, sizeof(code), "%d", status);
	json_object *ok = json_object_new_object();
	json_object_object_add(ok, "description", json_object_new_string("成功"));
	json_object *content = NULL;
	const char *type = str_of(op, "content_type");
	json_object *resp = get(op, "response");
	if (status == 204) {
		/* no body */
	} else if (type && strncmp(type, "application/json", 16) != 0) {
		content = add_content(NULL, type, binary_schema());
	} else {
		json_object *s =
		    resp ? kwj_copy(resp) : json_tokener_parse("{\"type\":\"object\"}");
		content = add_content(NULL, "application/json", s);
	}
	json_object *files = get(op, "file_content_types");
	for (size_t i = 0; content && files && i < json_object_array_length(files); i++)
		add_content(content, json_object_get_string(json_object_array_get_idx(files, i)),
			    binary_schema());
	if (content)
		json_object_object_add(ok, "content", content);
	json_object_object_add(responses, code, ok);
}

/* The operation's "other" answers: {"503": {"description", "response"}} (e.g. a dry run's 200). */
static void other_responses(json_object *responses, json_object *op)
{
	json_object *other = get(op, "other");
	if (!other)
		return;
	json_object_object_foreach(other, code, o)
	{
		json_object *a = json_object_new_object();
		const char *desc = str_of(o, "description");
		json_object_object_add(a, "description",
				       json_object_new_string(desc ? desc : code));
		json_object *resp = get(o, "response");
		if (resp)
			json_object_object_add(
			    a, "content", add_content(NULL, "application/json", kwj_copy(resp)));
		json_object_object_add(responses, code, a);
	}
}

/* One error answer with the envelope schema. */
static void error_response(json_object *responses, int status)
{
	char code[8];
	snprintf(code, sizeof(code), "%d", status);
	if (get(responses, code))
		return;
	json_object *e = json_object_new_object();
	json_object_object_add(e, "description", json_object_new_string(error_text(status)));
	json_object_object_add(
	    e, "content", add_content(NULL, "application/json", ref("#/components/schemas/Error")));
	json_object_object_add(responses, code, e);
}

static json_object *operation(const struct route *t, json_object *op)
{
	char id[256];
	json_object *out = json_object_new_object();
	json_object_object_add(out, "summary", json_object_new_string(str_of(op, "summary")));
	const char *desc = str_of(op, "description");
	if (desc)
		json_object_object_add(out, "description", json_object_new_string(desc));
	json_object *tags = json_object_new_array();
	json_object_array_add(tags, json_object_new_string(str_of(op, "tag")));
	json_object_object_add(out, "tags", tags);
	operation_id(t, id, sizeof(id));
	json_object_object_add(out, "operationId", json_object_new_string(id));

	json_object *params = parameters(t, get(op, "parameters"));
	if (params)
		json_object_object_add(out, "parameters", params);

	json_object *req = get(op, "request");
	const char *req_type = str_of(op, "request_content_type");
	if (req || req_type) {
		json_object *body = json_object_new_object();
		json_object_object_add(body, "required", json_object_new_boolean(1));
		json_object_object_add(body, "content",
				       add_content(NULL, req_type ? req_type : "application/json",
						   req ? kwj_copy(req) : binary_schema()));
		json_object_object_add(out, "requestBody", body);
	}

	json_object *responses = json_object_new_object();
	success(responses, op);
	other_responses(responses, op);
	if (req && !req_type)
		error_response(responses, 400);
	if (t->roles != R_PUBLIC)
		error_response(responses, 401);
	if (t->roles != R_PUBLIC || (is_write(t->method) && !(t->flags & ROUTE_NO_CSRF)))
		error_response(responses, 403);
	json_object *errs = get(op, "errors");
	for (size_t i = 0; errs && i < json_object_array_length(errs); i++)
		error_response(responses, json_object_get_int(json_object_array_get_idx(errs, i)));
	json_object *def = json_object_new_object();
	json_object_object_add(def, "description",
			       json_object_new_string("服务器内部错误或暂不可用（5xx）"));
	json_object_object_add(
	    def, "content",
	    add_content(NULL, "application/json", ref("#/components/schemas/Error")));
	json_object_object_add(responses, "default", def);
	json_object_object_add(out, "responses", responses);

	json_object *sec = json_object_new_array();
	if (t->roles != R_PUBLIC) {
		json_object *cookie = json_object_new_object();
		json_object_object_add(cookie, "session", json_object_new_array());
		json_object_array_add(sec, cookie);
		json_object *roles = json_object_new_array();
		for (unsigned i = 0; i < 32; i++)
			if ((t->roles & (1u << i)) && kw_role_code(1u << i))
				json_object_array_add(
				    roles, json_object_new_string(kw_role_code(1u << i)));
		json_object_object_add(out, "x-roles", roles);
	}
	json_object_object_add(out, "security", sec);
	return out;
}

/* components: the modules' schemas, the CSRF header and the session cookie. */
static json_object *components(json_object *spec)
{
	json_object *c = json_object_new_object();
	json_object_object_add(c, "schemas", kwj_copy(get(spec, "schemas")));

	json_object *csrf = json_object_new_object();
	json_object_object_add(csrf, "name", json_object_new_string("X-CSRF-Token"));
	json_object_object_add(csrf, "in", json_object_new_string("header"));
	json_object_object_add(csrf, "required", json_object_new_boolean(1));
	json_object_object_add(csrf, "description",
			       json_object_new_string("登录或 /api/auth/me 返回的 csrf_token"));
	json_object *s = json_object_new_object();
	json_object_object_add(s, "type", json_object_new_string("string"));
	json_object_object_add(csrf, "schema", s);
	json_object *params = json_object_new_object();
	json_object_object_add(params, "CsrfToken", csrf);
	json_object *idem = json_object_new_object();
	json_object_object_add(idem, "name", json_object_new_string("Idempotency-Key"));
	json_object_object_add(idem, "in", json_object_new_string("header"));
	json_object_object_add(idem, "required", json_object_new_boolean(0));
	json_object_object_add(
	    idem, "description",
	    json_object_new_string(
		"每次提交一个新键（如 UUID，至多 200 个可见字符）：24 小时内以同一键"
		"重试，返回第一次的答复而不再创建；同一键配不同内容为 422"));
	json_object *is = json_object_new_object();
	json_object_object_add(is, "type", json_object_new_string("string"));
	json_object_object_add(is, "maxLength", json_object_new_int(200));
	json_object_object_add(idem, "schema", is);
	json_object_object_add(params, "IdempotencyKey", idem);
	json_object_object_add(c, "parameters", params);

	json_object *sec = json_object_new_object();
	json_object *cookie = json_object_new_object();
	json_object_object_add(cookie, "type", json_object_new_string("apiKey"));
	json_object_object_add(cookie, "in", json_object_new_string("cookie"));
	json_object_object_add(cookie, "name", json_object_new_string("kaowu_session"));
	json_object_object_add(cookie, "description",
			       json_object_new_string("登录时设置的会话 Cookie"));
	json_object_object_add(sec, "session", cookie);
	json_object_object_add(c, "securitySchemes", sec);
	return c;
}

json_object *openapi_document(const struct route *tab, size_t n, json_object *spec,
			      const char *version)
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
	json_object *servers = json_object_new_array();
	json_object *server = json_object_new_object();
	json_object_object_add(server, "url", json_object_new_string("/"));
	json_object_object_add(server, "description",
			       json_object_new_string("本服务（与网页同一地址）"));
	json_object_array_add(servers, server);
	json_object_object_add(doc, "servers", servers);
	json_object_object_add(doc, "tags", kwj_copy(get(spec, "tags")));

	json_object *paths = json_object_new_object();
	json_object *ops = get(spec, "operations");
	for (size_t i = 0; i < n; i++) {
		char key[512], method[16];
		api_operation_key(tab[i].method, tab[i].pattern, key, sizeof(key));
		json_object *op = get(ops, key);
		if (!op)
			continue; /* openapi_problem() refuses such a table at start-up */
		const char *path = strchr(key, ' ') + 1;
		size_t k = 0;
		for (; tab[i].method[k] && k + 1 < sizeof(method); k++)
			method[k] = (char)tolower((unsigned char)tab[i].method[k]);
		method[k] = '\0';
		json_object *item = get(paths, path);
		if (!item) {
			item = json_object_new_object();
			json_object_object_add(paths, path, item);
		}
		json_object_object_add(item, method, operation(&tab[i], op));
	}
	json_object_object_add(doc, "paths", paths);
	json_object_object_add(doc, "components", components(spec));
	return doc;
}
