/* pdf_writer.c - a small PDF layout helper over cairo + pango (see pdf_writer.h). */
#include "office/pdf_writer.h"

#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "file.h"

struct pdf_writer {
	cairo_surface_t *surface;
	cairo_t *cr;
	unsigned char *buf; /* the PDF so far */
	size_t len, cap;
	bool failed;
};

/* cairo's output callback: append to the in-memory buffer. */
static cairo_status_t sink(void *closure, const unsigned char *data, unsigned int n)
{
	pdf_writer *p = closure;
	if (p->len + n > p->cap) {
		size_t cap = p->cap ? p->cap : 64 * 1024;
		while (cap < p->len + n)
			cap *= 2;
		unsigned char *nb = realloc(p->buf, cap);
		if (!nb) {
			p->failed = true;
			return CAIRO_STATUS_WRITE_ERROR;
		}
		p->buf = nb;
		p->cap = cap;
	}
	memcpy(p->buf + p->len, data, n);
	p->len += n;
	return CAIRO_STATUS_SUCCESS;
}

pdf_writer *pdf_open(double w, double h)
{
	pdf_writer *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->surface = cairo_pdf_surface_create_for_stream(sink, p, w, h);
	if (cairo_surface_status(p->surface) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(p->surface);
		free(p);
		return NULL;
	}
	cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATOR, "kaowu");
	p->cr = cairo_create(p->surface);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	return p;
}

void pdf_new_page(pdf_writer *p)
{
	cairo_show_page(p->cr);
}

/* A pango layout for text at size with flags, wrapped at width w. */
static PangoLayout *layout_for(pdf_writer *p, const char *text, double size, unsigned flags,
			       double w)
{
	PangoLayout *l = pango_cairo_create_layout(p->cr);
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, flags & PDF_SERIF ? "Noto Serif CJK SC"
								: "Noto Sans CJK SC");
	pango_font_description_set_weight(fd, flags & PDF_BOLD ? PANGO_WEIGHT_BOLD
							       : PANGO_WEIGHT_NORMAL);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(w * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, flags & PDF_CENTER  ? PANGO_ALIGN_CENTER
				      : flags & PDF_RIGHT ? PANGO_ALIGN_RIGHT
							  : PANGO_ALIGN_LEFT);
	pango_layout_set_text(l, text ? text : "", -1);
	return l;
}

double pdf_text(pdf_writer *p, double x, double y, double w, double h, const char *text,
		double size, unsigned flags)
{
	if (!text || !*text || w <= 0)
		return 0;
	PangoLayout *l = layout_for(p, text, size, flags, w);
	int lw, lh;
	pango_layout_get_size(l, &lw, &lh);
	double need = (double)lh / PANGO_SCALE;
	if (need > h) { /* cut to what fits, with an ellipsis */
		pango_layout_set_height(l, (int)(h * PANGO_SCALE));
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		pango_layout_get_size(l, &lw, &lh);
	}
	double top = y;
	if (flags & PDF_MIDDLE)
		top = y + (h - (double)lh / PANGO_SCALE) / 2;
	cairo_move_to(p->cr, x, top);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
	return need;
}

void pdf_cell(pdf_writer *p, double x, double y, double w, double h, const char *text, double size,
	      unsigned flags, double pad, double lw)
{
	if (lw > 0) {
		cairo_set_line_width(p->cr, lw);
		cairo_rectangle(p->cr, x, y, w, h);
		cairo_stroke(p->cr);
	}
	if (text)
		pdf_text(p, x + pad, y + pad, w - 2 * pad, h - 2 * pad, text, size, flags);
}

void pdf_line(pdf_writer *p, double x1, double y1, double x2, double y2, double lw)
{
	cairo_set_line_width(p->cr, lw);
	cairo_move_to(p->cr, x1, y1);
	cairo_line_to(p->cr, x2, y2);
	cairo_stroke(p->cr);
}

/* A filled black rectangle (the modules of a QR code). */
void pdf_fill_rect(pdf_writer *p, double x, double y, double w, double h)
{
	cairo_rectangle(p->cr, x, y, w, h);
	cairo_fill(p->cr);
}

/* Reading a PNG held in memory for cairo. */
struct mem_read {
	const unsigned char *data;
	size_t len, pos;
};

static cairo_status_t read_mem(void *closure, unsigned char *data, unsigned int n)
{
	struct mem_read *m = closure;
	if (m->pos + n > m->len)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, m->data + m->pos, n);
	m->pos += n;
	return CAIRO_STATUS_SUCCESS;
}

bool pdf_image(pdf_writer *p, double x, double y, double w, double h, const void *data, size_t len)
{
	int iw, ih;
	enum file_kind k = file_image_size(data, len, &iw, &ih);
	cairo_surface_t *img = NULL;
	if (k == FILE_PNG) {
		struct mem_read m = {data, len, 0};
		img = cairo_image_surface_create_from_png_stream(read_mem, &m);
	} else if (k == FILE_JPG) {
		/* an empty surface of the right size carrying the JPEG: the PDF embeds it as is */
		img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, iw, ih);
		unsigned char *copy = malloc(len);
		if (copy) {
			memcpy(copy, data, len);
			if (cairo_surface_set_mime_data(img, CAIRO_MIME_TYPE_JPEG, copy, len, free,
							copy) != CAIRO_STATUS_SUCCESS)
				free(copy);
		}
	}
	if (!img || cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
		if (img)
			cairo_surface_destroy(img);
		return false;
	}
	iw = cairo_image_surface_get_width(img);
	ih = cairo_image_surface_get_height(img);
	double s = w / iw < h / ih ? w / iw : h / ih;
	cairo_save(p->cr);
	cairo_translate(p->cr, x + (w - iw * s) / 2, y + (h - ih * s) / 2);
	cairo_scale(p->cr, s, s);
	cairo_set_source_surface(p->cr, img, 0, 0);
	cairo_paint(p->cr);
	cairo_restore(p->cr);
	cairo_surface_destroy(img);
	return true;
}

bool pdf_finish(pdf_writer *p, unsigned char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	cairo_destroy(p->cr);
	cairo_surface_finish(p->surface);
	bool ok = !p->failed && cairo_surface_status(p->surface) == CAIRO_STATUS_SUCCESS;
	cairo_surface_destroy(p->surface);
	if (ok) {
		*out = p->buf;
		*len = p->len;
	} else {
		free(p->buf);
	}
	free(p);
	return ok;
}
