/* handlers.h - every handler the route table names, grouped by the file that holds it. */
#ifndef KW_HANDLERS_H
#define KW_HANDLERS_H

#include "http.h"
#include "router.h"

/* h_system.c */
int h_health(struct request *r);
int h_openapi(struct request *r);

#endif
