/* export.h - the one export mechanism: any list as a CSV or XLSX download, streamed. */
#ifndef KW_EXPORT_H
#define KW_EXPORT_H

#include <stddef.h>

#include <libpq-fe.h>

#include "http.h"
#include "office/xlsx_writer.h"

/*
 * True when the request asks for a file (?format=csv or ?format=xlsx); a
 * ?format= with another value records a validation error and *err is set.
 */
int export_requested(struct request *r, int *err);

/*
 * Answer with the rows of res as a download named `name` (.csv or .xlsx by
 * ?format=), one column per cols[i] taken from result column i. The file is
 * streamed to the client after the headers (Content-Disposition: attachment)
 * through the office writers; res belongs to the request arena.
 */
int resp_export(struct request *r, const char *name, const struct xlsx_col *cols, size_t n,
		PGresult *res);

#endif
