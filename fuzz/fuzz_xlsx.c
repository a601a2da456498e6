/* fuzz_xlsx.c - libFuzzer target: the xlsx reader on arbitrary bytes (a whole upload), tight
 * limits. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/err.h"
#include "office/xlsx_reader.h"

/* Tight enough that one input costs milliseconds, loose enough to reach every path. */
static const struct xlsx_read_limits limits = {
    .max_file = 1 << 20,
    .max_inflated = 4 << 20,
    .max_entries = 64,
    .max_ratio = 100,
    .ratio_floor = 64 << 10,
    .max_strings = 10000,
    .max_cell_chars = 4096,
    .max_rows = 5000,
    .max_cols = 16384,
    .max_depth = 32,
};

/* Touch every byte the reader hands out, and check what the header promises. */
static size_t check_row(const struct xlsx_read_row *row)
{
	size_t sum = 0;
	if (row->num == 0 || row->num > 1048576 || row->ncells == 0)
		__builtin_trap();
	for (unsigned i = 0; i < row->ncells; i++) {
		const struct xlsx_read_cell *c = &row->cells[i];
		if (c->len == 0 || strlen(c->text) != c->len || c->col >= 16384 ||
		    (i && c->col <= row->cells[i - 1].col) || xlsx_read_cell(row, c->col) != c)
			__builtin_trap();
		sum += (unsigned char)c->text[c->len - 1];
	}
	if (row->ncols != row->cells[row->ncells - 1].col + 1 || xlsx_read_text(row, row->ncols)[0])
		__builtin_trap();
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xlsx_reader *r;
	struct xlsx_read_error err;
	int rc = xlsx_reader_open(&r, data, size, &limits, &err);
	if (rc) {
		if (rc != err.code || !err.message[0] ||
		    (rc != KW_EVALIDATION && rc != KW_ETOOLARGE))
			__builtin_trap();
		return 0;
	}
	const struct xlsx_read_row *row;
	volatile size_t sum = 0;
	while ((rc = xlsx_reader_next(r, &row, &err)) == 0 && row)
		sum += check_row(row);
	if (rc &&
	    (rc != err.code || !err.message[0] || (rc != KW_EVALIDATION && rc != KW_ETOOLARGE)))
		__builtin_trap();
	xlsx_reader_close(r);
	(void)sum;
	return 0;
}
