/* fuzz_xlsx_parts.c - libFuzzer target: the xlsx reader's XML handling, parts wrapped in a stored
 * zip. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/err.h"
#include "office/xlsx_reader.h"

#include "zipw.h"

/*
 * Deflate and CRCs make raw zip bytes a poor surface for XML mutations, so
 * this target takes the parts themselves, separated by NUL bytes (XML has
 * none): sheet, shared strings, workbook, workbook relationships, root
 * relationships. Missing parts get the usual ones; an empty part is left out
 * of the package, so fallbacks get exercised too.
 */
static const struct xlsx_read_limits limits = {
    .max_file = 1 << 20,
    .max_inflated = 4 << 20,
    .max_entries = 64,
    .max_strings = 10000,
    .max_cell_chars = 4096,
    .max_rows = 5000,
    .max_depth = 32,
};

static int visit(void *ctx, const struct xlsx_read_row *row)
{
	size_t *sum = ctx;
	for (unsigned i = 0; i < row->ncells; i++) {
		if (strlen(row->cells[i].text) != row->cells[i].len || row->cells[i].len == 0)
			__builtin_trap();
		*sum += row->cells[i].len;
	}
	if (xlsx_read_text(row, row->cells[0].col) != row->cells[0].text)
		__builtin_trap();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
					    "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
					    "_rels/.rels"};
	const char *defaults[] = {NULL, NULL, ZIPW_WORKBOOK, ZIPW_WB_RELS, ZIPW_RELS};
	const uint8_t *part[5] = {0};
	size_t len[5] = {0}, n = 0, start = 0;
	for (size_t i = 0; i <= size && n < 5; i++) {
		if (i == size || data[i] == 0) {
			part[n] = data + start;
			len[n++] = i - start;
			start = i + 1;
		}
	}
	struct zipw z;
	memset(&z, 0, sizeof(z));
	zipw_add_str(&z, "[Content_Types].xml", ZIPW_CT, 0);
	for (size_t i = 0; i < 5; i++) {
		if (i < n && len[i])
			zipw_add(&z, names[i], part[i], len[i], 0);
		else if (i >= n && defaults[i])
			zipw_add_str(&z, names[i], defaults[i], 0);
	}
	zipw_finish(&z);
	size_t sum = 0;
	struct xlsx_read_error err;
	int rc = xlsx_read(z.p, z.len, &limits, visit, &sum, &err);
	if (rc &&
	    (rc != err.code || !err.message[0] || (rc != KW_EVALIDATION && rc != KW_ETOOLARGE)))
		__builtin_trap();
	zipw_free(&z);
	return 0;
}
