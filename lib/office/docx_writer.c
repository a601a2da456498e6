/* docx_writer.c - minimal streaming .docx writer: fixed parts, then document.xml paragraph by
 * paragraph. */
#include "office/docx_writer.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/err.h"

#define DOCX_BUF (16 * 1024)

struct docx_writer {
	zipstream *z;
	int err;
	size_t blen;
	char buf[DOCX_BUF];
};

/* malloc that aborts on out-of-memory, as the arena does. */
static void *dw_xmalloc(size_t n)
{
	void *p = malloc(n);
	if (!p) {
		fputs("kaowu: out of memory\n", stderr);
		abort();
	}
	return p;
}

static int dw_fail(docx_writer *w, int err)
{
	if (!w->err)
		w->err = err;
	return w->err;
}

static void dw_flush(docx_writer *w)
{
	if (w->blen && !w->err) {
		int rc = zipstream_entry_write(w->z, w->buf, w->blen);
		if (rc)
			dw_fail(w, rc);
	}
	w->blen = 0;
}

static void dw_put(docx_writer *w, const char *s, size_t n)
{
	while (n) {
		if (w->blen == DOCX_BUF)
			dw_flush(w);
		size_t k = DOCX_BUF - w->blen;
		if (k > n)
			k = n;
		memcpy(w->buf + w->blen, s, k);
		w->blen += k;
		s += k;
		n -= k;
	}
}

static void dw_puts(docx_writer *w, const char *s)
{
	dw_put(w, s, strlen(s));
}

#define DW_LIT(w, lit) dw_put((w), (lit), sizeof(lit) - 1)

/* Length of a valid UTF-8 sequence at s (at most n bytes), 0 if none; *cp gets the code point. */
static size_t utf8_char(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c = s[0], min;
	size_t len;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		len = 2, c &= 0x1f, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3, c &= 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4, c &= 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/*
 * Append s as XML character data: markup escaped, invalid UTF-8 -> U+FFFD,
 * characters XML 1.0 forbids dropped. Stops at '\n' or '\t' (the caller
 * turns them into run content); returns the bytes consumed.
 */
static size_t dw_text(docx_writer *w, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str, *end = s + n;
	while (s < end) {
		const unsigned char *run = s;
		while (s < end && *s >= 0x20 && *s < 0x80 && *s != '<' && *s != '>' && *s != '&')
			s++;
		if (s > run)
			dw_put(w, (const char *)run, (size_t)(s - run));
		if (s >= end)
			break;
		unsigned char c = *s;
		if (c == '\n' || c == '\t')
			break;
		if (c < 0x80) {
			s++;
			if (c == '<')
				DW_LIT(w, "&lt;");
			else if (c == '>')
				DW_LIT(w, "&gt;");
			else if (c == '&')
				DW_LIT(w, "&amp;");
			/* other controls (and CR): not allowed in XML 1.0, dropped */
			continue;
		}
		uint32_t cp;
		size_t len = utf8_char(s, (size_t)(end - s), &cp);
		if (len == 0) {
			DW_LIT(w, "\xef\xbf\xbd");
			s++;
			continue;
		}
		if (cp != 0xfffe && cp != 0xffff)
			dw_put(w, (const char *)s, len);
		s += len;
	}
	return (size_t)(s - (const unsigned char *)str);
}

/* ------------------------------------------------------------------ fixed parts */

#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG_REL "http://schemas.openxmlformats.org/package/2006/relationships"
#define CT_BASE "application/vnd.openxmlformats-officedocument.wordprocessingml."

static const char content_types[] = XML_DECL
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" "
    "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/word/document.xml\" ContentType=\"" CT_BASE "document.main+xml\"/>"
    "<Override PartName=\"/word/styles.xml\" ContentType=\"" CT_BASE "styles+xml\"/>"
    "<Override PartName=\"/word/settings.xml\" ContentType=\"" CT_BASE "settings+xml\"/>"
    "<Override PartName=\"/word/fontTable.xml\" ContentType=\"" CT_BASE "fontTable+xml\"/>"
    "<Override PartName=\"/docProps/core.xml\" "
    "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
    "<Override PartName=\"/docProps/app.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
    "</Types>";

static const char root_rels[] = XML_DECL
    "<Relationships xmlns=\"" NS_PKG_REL "\">"
    "<Relationship Id=\"rId1\" Type=\"" NS_R "/officeDocument\" Target=\"word/document.xml\"/>"
    "<Relationship Id=\"rId2\" "
    "Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
    "core-properties\" "
    "Target=\"docProps/core.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"" NS_R "/extended-properties\" Target=\"docProps/app.xml\"/>"
    "</Relationships>";

static const char document_rels[] =
    XML_DECL "<Relationships xmlns=\"" NS_PKG_REL "\">"
	     "<Relationship Id=\"rId1\" Type=\"" NS_R "/styles\" Target=\"styles.xml\"/>"
	     "<Relationship Id=\"rId2\" Type=\"" NS_R "/settings\" Target=\"settings.xml\"/>"
	     "<Relationship Id=\"rId3\" Type=\"" NS_R "/fontTable\" Target=\"fontTable.xml\"/>"
	     "</Relationships>";

static const char app_xml[] =
    XML_DECL "<Properties "
	     "xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
	     "<Application>kaowu</Application></Properties>";

static const char settings_xml[] =
    XML_DECL "<w:settings xmlns:w=\"" NS_W "\">"
	     "<w:defaultTabStop w:val=\"420\"/>"
	     "<w:characterSpacingControl w:val=\"compressPunctuation\"/>"
	     "<w:compat><w:compatSetting w:name=\"compatibilityMode\" "
	     "w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>"
	     "</w:settings>";

/* The Chinese fonts by the names Word writes, with the Latin names other systems know them by. */
static const char font_table[] = XML_DECL
    "<w:fonts xmlns:w=\"" NS_W "\">"
    "<w:font w:name=\"Times New Roman\"><w:panose1 w:val=\"02020603050405020304\"/>"
    "<w:charset w:val=\"00\"/><w:family w:val=\"roman\"/><w:pitch w:val=\"variable\"/></w:font>"
    "<w:font w:name=\"宋体\"><w:altName w:val=\"SimSun\"/><w:panose1 "
    "w:val=\"02010600030101010101\"/>"
    "<w:charset w:val=\"86\"/><w:family w:val=\"auto\"/><w:pitch w:val=\"variable\"/></w:font>"
    "<w:font w:name=\"黑体\"><w:altName w:val=\"SimHei\"/><w:panose1 "
    "w:val=\"02010609060101010101\"/>"
    "<w:charset w:val=\"86\"/><w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>"
    "</w:fonts>";

#define FONTS(east)                                                                                \
	"<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"" east     \
	"\" w:cs=\"Times New Roman\"/>"
#define PSTYLE(id, name, ppr, rpr)                                                                 \
	"<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"" id                        \
	"\"><w:name w:val=\"" name "\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr>" ppr      \
	"</w:pPr><w:rPr>" rpr "</w:rPr></w:style>"

/*
 * Styles: the defaults carry the Chinese typesetting (宋体 五号, zh-CN, 1.5 lines);
 * the ids are those of enum docx_style, in order.
 */
static const char styles_xml[] = XML_DECL
    "<w:styles xmlns:w=\"" NS_W "\">"
    "<w:docDefaults><w:rPrDefault><w:rPr>" FONTS(
	"宋体") "<w:kern w:val=\"2\"/><w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/>"
		"<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" "
		"w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>"
		"<w:pPrDefault><w:pPr><w:widowControl w:val=\"0\"/><w:jc w:val=\"both\"/>"
		"<w:spacing w:after=\"0\" w:line=\"360\" "
		"w:lineRule=\"auto\"/></w:pPr></w:pPrDefault>"
		"</w:docDefaults>"
		"<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name "
		"w:val=\"Normal\"/>"
		"<w:qFormat/></w:style>"
		"<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\">"
		"<w:name w:val=\"Default Paragraph Font\"/><w:uiPriority "
		"w:val=\"1\"/><w:semiHidden/>"
		"<w:unhideWhenUsed/></w:style>" PSTYLE(
		    "KwTitle", "试卷标题",
		    "<w:keepNext/><w:spacing w:before=\"240\" w:after=\"240\"/><w:jc "
		    "w:val=\"center\"/>"
		    "<w:outlineLvl w:val=\"0\"/>",
		    FONTS("黑体") "<w:b/><w:bCs/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/>")
		    PSTYLE("KwSubtitle", "试卷副标题",
			   "<w:spacing w:after=\"120\"/><w:jc w:val=\"center\"/>",
			   "<w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/>")
			PSTYLE(
			    "KwHeading", "大题标题",
			    "<w:keepNext/><w:spacing w:before=\"240\" "
			    "w:after=\"120\"/><w:outlineLvl w:val=\"1\"/>",
			    FONTS(
				"黑体") "<w:b/><w:bCs/><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/>")
			    PSTYLE("KwQuestion", "试题",
				   "<w:keepNext/><w:spacing w:before=\"60\"/>", "")
				PSTYLE("KwOption", "选项",
				       "<w:keepNext/><w:ind w:left=\"420\" w:leftChars=\"200\"/>",
				       "")
				    PSTYLE("KwNote", "说明",
					   "<w:ind w:firstLine=\"420\" w:firstLineChars=\"200\"/>",
					   "") "</w:styles>";

static const char *const style_ids[] = {
    [DOCX_NORMAL] = NULL,	  [DOCX_TITLE] = "KwTitle",	  [DOCX_SUBTITLE] = "KwSubtitle",
    [DOCX_HEADING] = "KwHeading", [DOCX_QUESTION] = "KwQuestion", [DOCX_OPTION] = "KwOption",
    [DOCX_NOTE] = "KwNote",
};

static const char document_head[] =
    XML_DECL "<w:document xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\"><w:body>";

/* A4 portrait, the margins of the national papers (2.54 cm top/bottom, 3.17 cm left/right). */
static const char document_tail[] =
    "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
    "<w:pgMar w:top=\"1440\" w:right=\"1800\" w:bottom=\"1440\" w:left=\"1800\" w:header=\"851\" "
    "w:footer=\"992\" w:gutter=\"0\"/><w:cols w:space=\"425\"/>"
    "<w:docGrid w:type=\"lines\" w:linePitch=\"312\"/></w:sectPr></w:body></w:document>";

static void dw_entry_static(docx_writer *w, const char *name, const char *text)
{
	if (!w->err) {
		int rc = zipstream_entry(w->z, name, text, strlen(text));
		if (rc)
			dw_fail(w, rc);
	}
}

static void dw_entry_begin(docx_writer *w, const char *name)
{
	if (!w->err) {
		int rc = zipstream_entry_begin(w->z, name);
		if (rc)
			dw_fail(w, rc);
	}
	w->blen = 0;
}

static void dw_entry_end(docx_writer *w)
{
	dw_flush(w);
	if (!w->err) {
		int rc = zipstream_entry_end(w->z);
		if (rc)
			dw_fail(w, rc);
	}
}

/* docProps/core.xml: the title and the creation time (UTC, as W3CDTF requires). */
static void dw_core_xml(docx_writer *w, const char *title)
{
	char stamp[32];
	time_t now = kw_now();
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	dw_entry_begin(w, "docProps/core.xml");
	DW_LIT(
	    w, XML_DECL
	    "<cp:coreProperties "
	    "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
	    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
	    "xmlns:dcterms=\"http://purl.org/dc/terms/\" "
	    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">");
	if (title && *title) {
		DW_LIT(w, "<dc:title>");
		/* one line: breaks and tabs of a title become spaces */
		size_t n = strlen(title), off = 0;
		while (off < n) {
			off += dw_text(w, title + off, n - off);
			if (off < n) {
				DW_LIT(w, " ");
				off++;
			}
		}
		DW_LIT(w, "</dc:title>");
	}
	DW_LIT(w, "<dc:creator>kaowu</dc:creator><dcterms:created xsi:type=\"dcterms:W3CDTF\">");
	dw_puts(w, stamp);
	DW_LIT(w, "</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">");
	dw_puts(w, stamp);
	DW_LIT(w, "</dcterms:modified></cp:coreProperties>");
	dw_entry_end(w);
}

/* ------------------------------------------------------------------ API */

docx_writer *docx_open(kw_sink_fn fn, void *ctx, const char *title)
{
	docx_writer *w = dw_xmalloc(sizeof(*w));
	memset(w, 0, offsetof(docx_writer, buf));
	w->z = zipstream_open(fn, ctx, 6);
	dw_entry_static(w, "[Content_Types].xml", content_types);
	dw_entry_static(w, "_rels/.rels", root_rels);
	dw_core_xml(w, title);
	dw_entry_static(w, "docProps/app.xml", app_xml);
	dw_entry_static(w, "word/_rels/document.xml.rels", document_rels);
	dw_entry_static(w, "word/styles.xml", styles_xml);
	dw_entry_static(w, "word/settings.xml", settings_xml);
	dw_entry_static(w, "word/fontTable.xml", font_table);
	dw_entry_begin(w, "word/document.xml");
	DW_LIT(w, document_head);
	return w;
}

int docx_para(docx_writer *w, enum docx_style style, const char *text)
{
	if ((unsigned)style >= sizeof(style_ids) / sizeof(style_ids[0]))
		return dw_fail(w, KW_EINTERNAL);
	if (w->err)
		return w->err;
	DW_LIT(w, "<w:p>");
	if (style_ids[style]) {
		DW_LIT(w, "<w:pPr><w:pStyle w:val=\"");
		dw_puts(w, style_ids[style]);
		DW_LIT(w, "\"/></w:pPr>");
	}
	if (text && *text) {
		/* one run; the hint makes ambiguous characters (“”、…) take the Chinese font */
		DW_LIT(w, "<w:r><w:rPr><w:rFonts w:hint=\"eastAsia\"/></w:rPr>");
		size_t n = strlen(text), off = 0;
		while (off < n) {
			if (text[off] == '\n') {
				DW_LIT(w, "<w:br/>");
				off++;
				continue;
			}
			if (text[off] == '\t') {
				DW_LIT(w, "<w:tab/>");
				off++;
				continue;
			}
			DW_LIT(w, "<w:t xml:space=\"preserve\">");
			off += dw_text(w, text + off, n - off);
			DW_LIT(w, "</w:t>");
		}
		DW_LIT(w, "</w:r>");
	}
	DW_LIT(w, "</w:p>");
	return w->err;
}

int docx_paraf(docx_writer *w, enum docx_style style, const char *fmt, ...)
{
	char small[512], *s = small;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return dw_fail(w, KW_EINTERNAL);
	if ((size_t)n >= sizeof(small)) {
		s = dw_xmalloc((size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(s, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	int rc = docx_para(w, style, s);
	if (s != small)
		free(s);
	return rc;
}

int docx_page_break(docx_writer *w)
{
	DW_LIT(w, "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
	return w->err;
}

int docx_error(const docx_writer *w)
{
	return w->err;
}

int docx_close(docx_writer *w)
{
	if (!w)
		return KW_EINTERNAL;
	DW_LIT(w, document_tail);
	dw_entry_end(w);
	int rc = zipstream_close(w->z);
	int err = w->err ? w->err : rc;
	free(w);
	return err;
}

void docx_free(docx_writer *w)
{
	if (!w)
		return;
	zipstream_free(w->z);
	free(w);
}
