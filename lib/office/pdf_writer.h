/* pdf_writer.h - a small PDF layout helper over cairo + pango: pages, text in a box with
 * wrapping, table cells, lines and images, in an embedded, subset CJK font. Used for the
 * 个人申报表 and, later, certificates. */
#ifndef KW_PDF_WRITER_H
#define KW_PDF_WRITER_H

#include <stdbool.h>
#include <stddef.h>

/* Page sizes in points (1/72 inch). */
#define PDF_A4_W 595.276
#define PDF_A4_H 841.890
#define PDF_MM(x) ((x)*72.0 / 25.4)

/* Text placement flags for pdf_text() and pdf_cell(). */
enum {
	PDF_LEFT = 0,
	PDF_CENTER = 1u << 0,
	PDF_RIGHT = 1u << 1,
	PDF_MIDDLE = 1u << 2, /* vertically centred in the box (else from the top) */
	PDF_BOLD = 1u << 3,
	PDF_SERIF = 1u << 4, /* Noto Serif CJK instead of Noto Sans CJK */
};

typedef struct pdf_writer pdf_writer;

/*
 * Start a document whose pages are w x h points; the first page is open. The
 * PDF is kept in memory until pdf_finish(). NULL when cairo cannot start.
 */
pdf_writer *pdf_open(double w, double h);

/* End the current page and start another one of the same size. */
void pdf_new_page(pdf_writer *p);

/*
 * Draw UTF-8 text wrapped inside the box (x, y, w, h; y from the top) at
 * `size` points; text that does not fit is cut with an ellipsis on the last
 * line that fits. Returns the height the whole text would need.
 */
double pdf_text(pdf_writer *p, double x, double y, double w, double h, const char *text,
		double size, unsigned flags);

/* A rectangle outline (line width lw) and, when text is not NULL, the text inside with
 * `pad` points of padding. */
void pdf_cell(pdf_writer *p, double x, double y, double w, double h, const char *text, double size,
	      unsigned flags, double pad, double lw);

/* A straight line. */
void pdf_line(pdf_writer *p, double x1, double y1, double x2, double y2, double lw);

/* A filled black rectangle (e.g. the modules of a QR code). */
void pdf_fill_rect(pdf_writer *p, double x, double y, double w, double h);

/*
 * Draw a png or jpg (bytes of an upload) scaled to fit inside the box, keeping
 * its aspect ratio, centred. JPEGs are embedded as they are (DCT), PNGs
 * decoded by cairo. Returns false (nothing drawn) when the bytes are not a
 * usable image.
 */
bool pdf_image(pdf_writer *p, double x, double y, double w, double h, const void *data, size_t len);

/*
 * Finish the document and hand out its bytes (malloc'd; the caller frees
 * them) in *out, *len. Frees the writer. Returns false when cairo failed (no
 * bytes then).
 */
bool pdf_finish(pdf_writer *p, unsigned char **out, size_t *len);

#endif
