/* parse_kaowu.c - the parsing half of a bank import in-process: lib/office/xlsx_reader and
 * paper_sheet_read (read, check every row, normalise), timed, best of -r runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "office/xlsx_reader.h"
#include "paper.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int count_row(void *ctx, const struct xlsx_read_row *row)
{
	(void)row;
	(*(long *)ctx)++;
	return 0;
}

int main(int argc, char **argv)
{
	int repeat = 3;
	if (argc >= 3 && !strcmp(argv[1], "-r")) {
		repeat = atoi(argv[2]);
		argv += 2;
		argc -= 2;
	}
	if (argc != 2) {
		fputs("usage: parse_kaowu [-r repeat] FILE.xlsx\n", stderr);
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)len);
	if (fread(buf, 1, (size_t)len, f) != (size_t)len)
		return 1;
	fclose(f);

	double best_read = 1e9, best_sheet = 1e9;
	long rows = 0;
	size_t valid = 0;
	for (int i = 0; i < repeat; i++) {
		struct xlsx_read_error err;
		rows = 0;
		double t0 = now_s();
		if (xlsx_read(buf, (size_t)len, NULL, count_row, &rows, &err)) {
			fprintf(stderr, "read: %s (%s)\n", err.message, err.detail);
			return 1;
		}
		double t1 = now_s();
		struct kw_ctx c = {.a = arena_new(1 << 20)};
		struct paper_sheet sh;
		if (paper_sheet_read(&c, buf, (size_t)len, &sh)) {
			fprintf(stderr, "sheet: %s\n", c.err_message ? c.err_message : "?");
			return 1;
		}
		double t2 = now_s();
		valid = sh.n;
		arena_free(c.a);
		if (t1 - t0 < best_read)
			best_read = t1 - t0;
		if (t2 - t1 < best_sheet)
			best_sheet = t2 - t1;
	}
	printf("{\"rows\": %ld, \"valid\": %zu, \"read_s\": %.4f, \"read_check_s\": %.4f}\n", rows,
	       valid, best_read, best_sheet);
	return 0;
}
