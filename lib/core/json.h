/* json.h - reading request JSON with validation, building response JSON (json-c). */
#ifndef KW_JSON_H
#define KW_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "ctx.h"

/* Deepest nesting accepted in a request body. */
#define KWJ_MAX_DEPTH 32

/*
 * Parse a request body. Returns the object, owned by the request arena, or
 * NULL with KW_EBADREQ recorded on c (message says the JSON is malformed).
 * Trailing garbage after the value is an error.
 */
json_object *kwj_parse(struct kw_ctx *c, const char *s, size_t len, int *err);

/* Hand a json_object's reference to the arena: freed at the end of the request. */
json_object *kwj_own(struct kw_ctx *c, json_object *o);

/* Serialise compactly, keeping non-ASCII text and '/' unescaped. */
const char *kwj_string(json_object *o, size_t *len);

/* Flags for the getters below. */
enum { KWJ_OPTIONAL = 0, KWJ_REQUIRED = 1 };

/*
 * Getters: each looks up key in obj, checks its type and bounds, and on a
 * problem records a field error (name `path`, or key when path is NULL) and
 * returns false. A missing optional member returns true and leaves *out alone.
 * Strings are trimmed of surrounding white space; max_chars counts UTF-8
 * characters; invalid UTF-8 is refused.
 */
bool kwj_get_string(struct kw_ctx *c, json_object *obj, const char *key, const char *path,
		    int flags, size_t max_chars, const char **out);
bool kwj_get_int(struct kw_ctx *c, json_object *obj, const char *key, const char *path, int flags,
		 long min, long max, long *out);
bool kwj_get_bool(struct kw_ctx *c, json_object *obj, const char *key, const char *path, int flags,
		  bool *out);

/* Count UTF-8 characters; -1 if s is not valid UTF-8. */
long kw_utf8_len(const char *s, size_t n);

/* Builders that accept NULL strings (as JSON null). */
void kwj_add_str(json_object *o, const char *key, const char *val);
void kwj_add_int(json_object *o, const char *key, long val);
void kwj_add_bool(json_object *o, const char *key, bool val);

/* A new {"id", "name"} reference pair, or NULL (JSON null) when id is 0. */
json_object *kwj_id_name(long id, const char *name);

#endif
