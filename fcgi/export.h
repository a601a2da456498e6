/* export.h - the one export mechanism: any list as a CSV or XLSX download, streamed. */
#ifndef KW_EXPORT_H
#define KW_EXPORT_H

#include <stddef.h>

#include "db/db.h"

#include "http.h"
#include "office/xlsx_writer.h"

/*
 * True when the request asks for a file (?format=csv or ?format=xlsx); a
 * ?format= with another value records a validation error and *err is set.
 */
int export_requested(struct request *r, int *err);

/*
 * Answer with rows as a download named `name` (.csv or .xlsx by ?format=), one
 * column per cols[i] taken from result column i. After the headers
 * (Content-Disposition: attachment) the rows are fetched from the database one
 * at a time and written as they come through the office writers, so the
 * worker's memory does not grow with the row count. The module opened rows
 * (db_rows_open); nothing else may run on the connection after this call.
 */
int resp_export(struct request *r, const char *name, const struct xlsx_col *cols, size_t n,
		struct db_rows *rows);

#endif
