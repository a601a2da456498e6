/* json.c - JSON request parsing and validation helpers (see json.h). */
#include "json.h"

#include <ctype.h>
#include <string.h>

static void put_json(void *p)
{
	json_object_put(p);
}

/* The userdata mark of an arena-owned object (its address is the mark). */
static const char arena_mark = 'A';

json_object *kwj_own(struct kw_ctx *c, json_object *o)
{
	if (!o)
		return NULL;
	arena_defer(c->a, put_json, o);
	if (!json_object_get_userdata(o))
		json_object_set_userdata(o, (void *)&arena_mark, NULL);
	return o;
}

bool kwj_arena_owned(json_object *o)
{
	return o && json_object_get_userdata(o) == &arena_mark;
}

/* The reference a container takes: a new one for an arena-owned child, else the caller's. */
static json_object *container_ref(json_object *child)
{
	return kwj_arena_owned(child) ? json_object_get(child) : child;
}

json_object *kwj_copy(json_object *o)
{
	json_object *dst = NULL;
	if (!o || json_object_deep_copy(o, &dst, NULL) != 0)
		return NULL;
	return dst;
}

void kwj_put(json_object *parent, const char *key, json_object *child)
{
	json_object_object_add(parent, key, container_ref(child));
}

void kwj_push(json_object *array, json_object *child)
{
	json_object_array_add(array, container_ref(child));
}

json_object *kwj_parse(struct kw_ctx *c, const char *s, size_t len, int *err)
{
	*err = KW_OK;
	if (len > (size_t)INT32_MAX || kw_utf8_len(s, len) < 0) {
		*err = kw_fail(c, KW_EBADREQ, "请求内容不是有效的 UTF-8 JSON");
		return NULL;
	}
	json_tokener *tok = json_tokener_new_ex(KWJ_MAX_DEPTH);
	if (!tok) {
		*err = KW_EINTERNAL;
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	json_object *o = json_tokener_parse_ex(tok, s, (int)len);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	size_t used = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (jerr != json_tokener_success || !o) {
		json_object_put(o);
		*err = kw_fail(c, KW_EBADREQ, "请求内容不是有效的 JSON");
		return NULL;
	}
	for (size_t i = used; i < len; i++) {
		if (!isspace((unsigned char)s[i])) {
			json_object_put(o);
			*err = kw_fail(c, KW_EBADREQ, "请求内容不是有效的 JSON");
			return NULL;
		}
	}
	return kwj_own(c, o);
}

const char *kwj_string(json_object *o, size_t *len)
{
	return json_object_to_json_string_length(
	    o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, len);
}

long kw_utf8_len(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	long count = 0;
	while (p < end) {
		unsigned char b = *p;
		size_t k;
		unsigned cp;
		if (b < 0x80) {
			p++;
			count++;
			continue;
		} else if ((b & 0xE0) == 0xC0) {
			k = 1;
			cp = b & 0x1F;
		} else if ((b & 0xF0) == 0xE0) {
			k = 2;
			cp = b & 0x0F;
		} else if ((b & 0xF8) == 0xF0) {
			k = 3;
			cp = b & 0x07;
		} else {
			return -1;
		}
		if ((size_t)(end - p) <= k)
			return -1;
		for (size_t i = 1; i <= k; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return -1;
			cp = (cp << 6) | (p[i] & 0x3F);
		}
		/* Overlong forms, surrogates and values past U+10FFFF are not UTF-8. */
		if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return -1;
		p += k + 1;
		count++;
	}
	return count;
}

static const char *name_of(const char *key, const char *path)
{
	return path ? path : key;
}

/* Look up key; false (with a field error if required) when absent or null. */
static bool lookup(struct kw_ctx *c, json_object *obj, const char *key, const char *path, int flags,
		   json_object **v)
{
	*v = NULL;
	if (obj && json_object_is_type(obj, json_type_object))
		json_object_object_get_ex(obj, key, v);
	if (*v && !json_object_is_type(*v, json_type_null))
		return true;
	*v = NULL;
	if (flags & KWJ_REQUIRED)
		kw_field_error(c, name_of(key, path), 0, "required", "此项为必填项");
	return false;
}

bool kwj_get_string(struct kw_ctx *c, json_object *obj, const char *key, const char *path,
		    int flags, size_t max_chars, const char **out)
{
	json_object *v;
	if (!lookup(c, obj, key, path, flags, &v))
		return !(flags & KWJ_REQUIRED);
	if (!json_object_is_type(v, json_type_string)) {
		kw_field_error(c, name_of(key, path), 0, "type", "应为文本");
		return false;
	}
	const char *s = json_object_get_string(v);
	size_t n = (size_t)json_object_get_string_len(v);
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	long chars = kw_utf8_len(s, n);
	if (chars < 0 || memchr(s, '\0', n)) {
		kw_field_error(c, name_of(key, path), 0, "type", "含有无效字符");
		return false;
	}
	if (n == 0 && (flags & KWJ_REQUIRED)) {
		kw_field_error(c, name_of(key, path), 0, "required", "此项为必填项");
		return false;
	}
	if ((size_t)chars > max_chars) {
		kw_field_error(c, name_of(key, path), 0, "length",
			       arena_printf(c->a, "不能超过 %zu 个字", max_chars));
		return false;
	}
	*out = arena_strndup(c->a, s, n);
	return true;
}

bool kwj_get_int(struct kw_ctx *c, json_object *obj, const char *key, const char *path, int flags,
		 long min, long max, long *out)
{
	json_object *v;
	if (!lookup(c, obj, key, path, flags, &v))
		return !(flags & KWJ_REQUIRED);
	if (!json_object_is_type(v, json_type_int)) {
		kw_field_error(c, name_of(key, path), 0, "type", "应为整数");
		return false;
	}
	int64_t n = json_object_get_int64(v);
	if (n < min || n > max) {
		kw_field_error(c, name_of(key, path), 0, "range",
			       arena_printf(c->a, "应在 %ld 到 %ld 之间", min, max));
		return false;
	}
	*out = (long)n;
	return true;
}

bool kwj_get_bool(struct kw_ctx *c, json_object *obj, const char *key, const char *path, int flags,
		  bool *out)
{
	json_object *v;
	if (!lookup(c, obj, key, path, flags, &v))
		return !(flags & KWJ_REQUIRED);
	if (!json_object_is_type(v, json_type_boolean)) {
		kw_field_error(c, name_of(key, path), 0, "type", "应为是或否");
		return false;
	}
	*out = json_object_get_boolean(v);
	return true;
}

void kwj_add_str(json_object *o, const char *key, const char *val)
{
	json_object_object_add(o, key, val ? json_object_new_string(val) : NULL);
}

void kwj_add_int(json_object *o, const char *key, long val)
{
	json_object_object_add(o, key, json_object_new_int64(val));
}

void kwj_add_bool(json_object *o, const char *key, bool val)
{
	json_object_object_add(o, key, json_object_new_boolean(val));
}

json_object *kwj_id_name(long id, const char *name)
{
	if (!id)
		return NULL;
	json_object *o = json_object_new_object();
	kwj_add_int(o, "id", id);
	kwj_add_str(o, "name", name);
	return o;
}
