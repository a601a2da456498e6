/* openapi.h - the OpenAPI 3.0 document, generated from the route table. */
#ifndef KW_OPENAPI_H
#define KW_OPENAPI_H

#include <stddef.h>

#include <json-c/json.h>

#include "router.h"

/* A new document describing every row of tab (caller owns the reference). */
json_object *openapi_document(const struct route *tab, size_t n, const char *version);

#endif
