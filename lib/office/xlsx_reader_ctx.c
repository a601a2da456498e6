/* xlsx_reader_ctx.c - an xlsx reader error onto the request (apart: fuzz builds need no ctx). */
#include "office/xlsx_reader.h"

#include "core/ctx.h"
#include "core/err.h"
#include "core/log.h"

/* Log the detail (a refused limit as a warning), set the Chinese message; returns the code. */
int xlsx_read_fail(struct kw_ctx *c, const struct xlsx_read_error *err)
{
	if (err->code == KW_ETOOLARGE)
		log_warn("xlsx refused: %s (row %u: %s)", err->message, err->row, err->detail);
	else
		log_info("xlsx refused: %s (row %u: %s)", err->message, err->row, err->detail);
	if (!err->message[0])
		return err->code;
	return kw_fail(c, err->code, arena_strdup(c->a, err->message));
}
