/* openapi.h - the OpenAPI 3.0 document, generated from the route table and fcgi/api/<tag>.json. */
#ifndef KW_OPENAPI_H
#define KW_OPENAPI_H

#include <stddef.h>

#include <json-c/json.h>

#include "router.h"

/* One fcgi/api/<tag>.json, embedded at build time (generated api_files.c). */
struct api_file {
	const char *name;
	const char *text;
};
extern const struct api_file api_files[];
extern const size_t api_files_count;

/*
 * The merged description of files: {"tags": [...], "schemas": {...},
 * "operations": {"GET /api/x/{id}": {..., "tag": "x"}}}. NULL with *problem
 * set when a file is not JSON, lacks its tag, or names a schema or operation
 * twice. The caller owns the reference.
 */
json_object *api_spec_parse(const struct api_file *files, size_t n, const char **problem);

/* The embedded files, parsed once per process (NULL if they are broken). */
json_object *api_spec(void);

/* "GET", "/api/batches/:id" -> "GET /api/batches/{id}" in out. */
void api_operation_key(const char *method, const char *pattern, char *out, size_t len);

/*
 * NULL when every row of tab has exactly one operation in spec and every
 * operation one row, and each operation is well-formed; else what is wrong.
 */
const char *openapi_problem(const struct route *tab, size_t n, json_object *spec);

/* A new document describing every row of tab (caller owns the reference). */
json_object *openapi_document(const struct route *tab, size_t n, json_object *spec,
			      const char *version);

#endif
