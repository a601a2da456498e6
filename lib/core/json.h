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

/*
 * The ownership rule (one rule for every module and handler):
 *
 *   - A function that returns a json_object to its caller (module functions, the *_json
 *     builders, kwj_parse) returns it BORROWED: the request arena owns it (kwj_own) and
 *     frees it at the end of the request. The caller never puts it.
 *   - To place a child in a container use kwj_put(parent, key, child) or
 *     kwj_push(array, child), never json_object_object_add / json_object_array_add with a
 *     json_object_get(): kwj_put/kwj_push take a reference when the child is arena-owned
 *     (marked by kwj_own) and take over the caller's reference when it is a fresh object
 *     from json_object_new_*() that nobody else holds.
 *   - A child that belongs to another container (json_object_object_get, array_get_idx) is
 *     neither: copy its value (kwj_add_int / kwj_add_str, or kwj_copy for a subtree) instead
 *     of sharing it.
 *   - json_object_get appears only here, in lib/core/json.c (scripts/lint.sh checks it);
 *     json_object_put only frees an object its caller created and never placed.
 */

/* A deep copy of o that nobody else holds (NULL for NULL or when out of memory): for placing
 * a child that belongs to another container. */
json_object *kwj_copy(json_object *o);

/* Hand a json_object's reference to the arena: freed at the end of the request. Marks o
 * as arena-owned for kwj_put/kwj_push. Returns o (NULL stays NULL). */
json_object *kwj_own(struct kw_ctx *c, json_object *o);

/* Set parent[key] = child (NULL: JSON null) under the rule above. */
void kwj_put(json_object *parent, const char *key, json_object *child);

/* Append child (NULL: JSON null) to array under the rule above. */
void kwj_push(json_object *array, json_object *child);

/* True when o was handed to the arena by kwj_own. */
bool kwj_arena_owned(json_object *o);

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
