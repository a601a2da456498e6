/* test_image.c - R13: images are recognised by their headers (jpg frame header, png IHDR) with
 * sane dimensions, bounds-checked on every truncation and on random damage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "file.h"

/* A 1-component baseline JPEG header of w x h (no scan data; enough for the header parser). */
static size_t make_jpg(unsigned char *b, int w, int h)
{
	static const unsigned char head[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J',
					     'F',  'I',	 'F',  0x00, 0x01, 0x01, 0x00,
					     0x00, 0x01, 0x00, 0x01, 0x00, 0x00};
	size_t n = sizeof(head);
	memcpy(b, head, n);
	unsigned char sof[] = {0xFF,
			       0xC0,
			       0x00,
			       0x0B,
			       0x08,
			       (unsigned char)(h >> 8),
			       (unsigned char)h,
			       (unsigned char)(w >> 8),
			       (unsigned char)w,
			       0x01,
			       0x01,
			       0x11,
			       0x00};
	memcpy(b + n, sof, sizeof(sof));
	n += sizeof(sof);
	b[n++] = 0xFF;
	b[n++] = 0xD9;
	return n;
}

/* A PNG signature and IHDR chunk of w x h, 8-bit RGB. */
static size_t make_png(unsigned char *b, unsigned long w, unsigned long h)
{
	static const unsigned char sig[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n',
					    0,	  0,   0,   13,	 'I',  'H',  'D',  'R'};
	memcpy(b, sig, sizeof(sig));
	unsigned char *p = b + sizeof(sig);
	for (int i = 0; i < 4; i++) {
		p[i] = (unsigned char)(w >> (24 - 8 * i));
		p[4 + i] = (unsigned char)(h >> (24 - 8 * i));
	}
	p[8] = 8;
	p[9] = 2;
	p[10] = p[11] = p[12] = 0;
	memset(p + 13, 0, 4); /* CRC (not checked) */
	return sizeof(sig) + 17;
}

static void R13_jpg_and_png_sizes_from_their_headers(void **state)
{
	(void)state;
	unsigned char b[128];
	int w, h;
	size_t n = make_jpg(b, 413, 579);
	assert_int_equal(file_image_size(b, n, &w, &h), FILE_JPG);
	assert_int_equal(w, 413);
	assert_int_equal(h, 579);
	assert_int_equal(file_sniff(b, n), FILE_JPG);
	n = make_png(b, 295, 413);
	assert_int_equal(file_image_size(b, n, &w, &h), FILE_PNG);
	assert_int_equal(w, 295);
	assert_int_equal(h, 413);
	assert_int_equal(file_sniff(b, n), FILE_PNG);
}

static void R13_magic_bytes_alone_are_not_an_image(void **state)
{
	(void)state;
	unsigned char b[128];
	int w, h;
	/* JPEG magic with no frame header */
	static const unsigned char bare[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00,
					     0x04, 0x00, 0x00, 0xFF, 0xD9};
	assert_int_equal(file_image_size(bare, sizeof(bare), &w, &h), FILE_UNKNOWN);
	assert_int_equal(file_sniff(bare, sizeof(bare)), FILE_UNKNOWN);
	/* zero and absurd dimensions */
	size_t n = make_jpg(b, 0, 10);
	assert_int_equal(file_sniff(b, n), FILE_UNKNOWN);
	n = make_png(b, 1, 0);
	assert_int_equal(file_sniff(b, n), FILE_UNKNOWN);
	n = make_png(b, 30000, 10);
	assert_int_equal(file_sniff(b, n), FILE_UNKNOWN);
	n = make_png(b, 0xFFFFFFFFul, 10);
	assert_int_equal(file_sniff(b, n), FILE_UNKNOWN);
	/* a bad bit depth */
	n = make_png(b, 10, 10);
	b[24] = 3;
	assert_int_equal(file_sniff(b, n), FILE_UNKNOWN);
	/* a segment length running past the end */
	n = make_jpg(b, 10, 10);
	b[4] = 0x7F;
	assert_int_equal(file_sniff(b, n), FILE_UNKNOWN);
}

static void R13_every_truncation_and_random_damage_is_safe(void **state)
{
	(void)state;
	unsigned char good[128], b[128];
	int w, h;
	size_t sizes[2] = {make_jpg(good, 40, 30), 0};
	for (int kind = 0; kind < 2; kind++) {
		if (kind == 1)
			sizes[1] = make_png(good, 40, 30);
		size_t n = sizes[kind];
		for (size_t cut = 0; cut < n; cut++) {
			/* on the heap, exactly cut bytes, so ASan sees any read past the end */
			unsigned char *p = malloc(cut ? cut : 1);
			memcpy(p, good, cut);
			enum file_kind k = file_image_size(p, cut, &w, &h);
			assert_true(k == FILE_UNKNOWN || (w >= 1 && h >= 1));
			free(p);
		}
		srand(42);
		for (int round = 0; round < 20000; round++) {
			memcpy(b, good, n);
			for (int j = 0; j < 1 + rand() % 4; j++)
				b[rand() % n] = (unsigned char)rand();
			size_t len = 1 + (size_t)rand() % n;
			unsigned char *p = malloc(len);
			memcpy(p, b, len);
			enum file_kind k = file_image_size(p, len, &w, &h);
			assert_true(k == FILE_UNKNOWN ||
				    (w >= 1 && h >= 1 && w <= FILE_IMAGE_MAX_SIDE &&
				     h <= FILE_IMAGE_MAX_SIDE));
			free(p);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(R13_jpg_and_png_sizes_from_their_headers),
	    cmocka_unit_test(R13_magic_bytes_alone_are_not_an_image),
	    cmocka_unit_test(R13_every_truncation_and_random_damage_is_safe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
