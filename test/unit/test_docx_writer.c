/* test_docx_writer.c - the .docx writer: package parts, well-formed XML, styles, CJK text,
 * escaping, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <zip.h>

#include "core/err.h"
#include "office/docx_writer.h"
#include "office/zipstream.h"

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

/* Read one entry of an in-memory zip, NUL-terminated; NULL if it is missing. */
static char *zip_entry_text(const struct kw_membuf *mb, const char *name, size_t *len)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(mb->data, mb->len, 0, &ze);
	assert_non_null(src);
	zip_t *za = zip_open_from_source(src, ZIP_CHECKCONS | ZIP_RDONLY, &ze);
	assert_non_null(za);
	char *out = NULL;
	zip_stat_t st;
	if (zip_stat(za, name, 0, &st) == 0) {
		zip_file_t *f = zip_fopen(za, name, 0);
		assert_non_null(f);
		out = malloc(st.size + 1);
		assert_int_equal(zip_fread(f, out, st.size), (zip_int64_t)st.size);
		char extra;
		assert_int_equal(zip_fread(f, &extra, 1), 0); /* at the end: the CRC is checked */
		assert_int_equal(zip_fclose(f), 0);
		out[st.size] = 0;
		if (len)
			*len = st.size;
	}
	zip_close(za);
	zip_error_fini(&ze);
	return out;
}

/* Parse an entry as XML (no network, no entities): fails the test if it is not well-formed. */
static xmlDocPtr entry_doc(const struct kw_membuf *mb, const char *name)
{
	size_t len = 0;
	char *xml = zip_entry_text(mb, name, &len);
	if (!xml)
		fail_msg("%s missing", name);
	xmlDocPtr doc =
	    xmlReadMemory(xml, (int)len, name, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
	free(xml);
	if (!doc)
		fail_msg("%s is not well-formed XML", name);
	return doc;
}

/* The string value of an XPath expression over doc (w: bound), malloc'd. */
static char *xpath_string(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr xc = xmlXPathNewContext(doc);
	xmlXPathRegisterNs(xc, BAD_CAST "w", BAD_CAST W_NS);
	xmlXPathRegisterNs(xc, BAD_CAST "ct",
			   BAD_CAST "http://schemas.openxmlformats.org/package/2006/content-types");
	xmlXPathRegisterNs(xc, BAD_CAST "rel",
			   BAD_CAST "http://schemas.openxmlformats.org/package/2006/relationships");
	xmlXPathRegisterNs(xc, BAD_CAST "dc", BAD_CAST "http://purl.org/dc/elements/1.1/");
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, xc);
	assert_non_null(o);
	xmlChar *s = xmlXPathCastToString(o);
	char *out = strdup((const char *)s);
	xmlFree(s);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(xc);
	return out;
}

static void assert_xpath(xmlDocPtr doc, const char *expr, const char *want)
{
	char *got = xpath_string(doc, expr);
	if (strcmp(got, want))
		fail_msg("%s: got \"%s\", want \"%s\"", expr, got, want);
	free(got);
}

/* A small paper: every part is there, every XML part is well-formed, the text is in order. */
static void writes_a_complete_package(void **state)
{
	(void)state;
	struct kw_membuf mb = {0};
	docx_writer *w = docx_open(kw_membuf_sink, &mb, "汽车装调工 理论知识试卷");
	assert_int_equal(docx_para(w, DOCX_TITLE, "汽车装调工（高级/三级）理论知识试卷"), 0);
	assert_int_equal(docx_para(w, DOCX_SUBTITLE, "考试时间：90 分钟"), 0);
	assert_int_equal(docx_para(w, DOCX_NOTE, "1. 请在规定位置填写答案。"), 0);
	assert_int_equal(docx_para(w, DOCX_HEADING, "一、单选题"), 0);
	assert_int_equal(docx_paraf(w, DOCX_QUESTION, "%d. %s", 1,
				    "车轮前束是为了调整（　）所带来的不良后果而设置的。"),
			 0);
	assert_int_equal(docx_para(w, DOCX_OPTION, "A. 主销后倾"), 0);
	assert_int_equal(docx_para(w, DOCX_OPTION, "B. 主销内倾"), 0);
	assert_int_equal(docx_para(w, DOCX_NORMAL, NULL), 0);
	assert_int_equal(docx_page_break(w), 0);
	assert_int_equal(docx_close(w), 0);

	/* zip magic, and the parts Word needs */
	assert_true(mb.len > 22);
	assert_memory_equal(mb.data, "PK\3\4", 4);
	static const char *const parts[] = {"[Content_Types].xml",
					    "_rels/.rels",
					    "docProps/core.xml",
					    "docProps/app.xml",
					    "word/_rels/document.xml.rels",
					    "word/styles.xml",
					    "word/settings.xml",
					    "word/fontTable.xml",
					    "word/document.xml"};
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		xmlFreeDoc(entry_doc(&mb, parts[i]));

	xmlDocPtr ct = entry_doc(&mb, "[Content_Types].xml");
	assert_xpath(
	    ct, "string(//ct:Override[@PartName='/word/document.xml']/@ContentType)",
	    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml");
	xmlFreeDoc(ct);
	xmlDocPtr rels = entry_doc(&mb, "_rels/.rels");
	assert_xpath(rels, "string(//rel:Relationship[@Id='rId1']/@Target)", "word/document.xml");
	xmlFreeDoc(rels);
	xmlDocPtr core = entry_doc(&mb, "docProps/core.xml");
	assert_xpath(core, "string(//dc:title)", "汽车装调工 理论知识试卷");
	xmlFreeDoc(core);

	xmlDocPtr doc = entry_doc(&mb, "word/document.xml");
	assert_xpath(doc, "count(/w:document/w:body/w:p)", "9");
	assert_xpath(doc, "string(/w:document/w:body/w:p[1]/w:pPr/w:pStyle/@w:val)", "KwTitle");
	assert_xpath(doc, "string(/w:document/w:body/w:p[1])",
		     "汽车装调工（高级/三级）理论知识试卷");
	assert_xpath(doc, "string(/w:document/w:body/w:p[4]/w:pPr/w:pStyle/@w:val)", "KwHeading");
	assert_xpath(doc, "string(/w:document/w:body/w:p[5])",
		     "1. 车轮前束是为了调整（　）所带来的不良后果而设置的。");
	assert_xpath(doc, "string(/w:document/w:body/w:p[6]/w:pPr/w:pStyle/@w:val)", "KwOption");
	assert_xpath(doc, "string(/w:document/w:body/w:p[7])", "B. 主销内倾");
	assert_xpath(doc, "count(/w:document/w:body/w:p[8]/w:r)", "0");
	assert_xpath(doc, "string(/w:document/w:body/w:p[9]/w:r/w:br/@w:type)", "page");
	/* CJK: every run carries the East Asian hint; the page is A4 */
	assert_xpath(doc, "count(//w:r[w:t][not(w:rPr/w:rFonts/@w:hint='eastAsia')])", "0");
	assert_xpath(doc, "string(/w:document/w:body/w:sectPr/w:pgSz/@w:w)", "11906");
	assert_xpath(doc, "string(/w:document/w:body/w:sectPr/w:pgSz/@w:h)", "16838");
	xmlFreeDoc(doc);

	/* every style the document names is defined; the defaults are Chinese */
	xmlDocPtr st = entry_doc(&mb, "word/styles.xml");
	static const char *const ids[] = {"KwTitle",	"KwSubtitle", "KwHeading",
					  "KwQuestion", "KwOption",   "KwNote"};
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		char expr[128];
		snprintf(expr, sizeof(expr), "count(//w:style[@w:styleId='%s'])", ids[i]);
		assert_xpath(st, expr, "1");
	}
	assert_xpath(st, "string(//w:docDefaults//w:rFonts/@w:eastAsia)", "宋体");
	assert_xpath(st, "string(//w:docDefaults//w:lang/@w:eastAsia)", "zh-CN");
	assert_xpath(st, "string(//w:style[@w:styleId='KwTitle']//w:rFonts/@w:eastAsia)", "黑体");
	xmlFreeDoc(st);
	xmlDocPtr ft = entry_doc(&mb, "word/fontTable.xml");
	assert_xpath(ft, "string(//w:font[@w:name='宋体']/w:altName/@w:val)", "SimSun");
	xmlFreeDoc(ft);
	kw_membuf_free(&mb);
}

/* Markup is escaped, spaces kept, line breaks and tabs become run content, bad bytes are replaced.
 */
static void escapes_text(void **state)
{
	(void)state;
	struct kw_membuf mb = {0};
	docx_writer *w = docx_open(kw_membuf_sink, &mb, "a<b>&\"c\"\nd");
	docx_para(w, DOCX_NORMAL, "<w:p>&amp; \"引号\" 'x' ");
	docx_para(w, DOCX_NORMAL, "第一行\n第二行\t制表");
	docx_para(w, DOCX_NORMAL, "ctl\x01\x1f\r|bad\xff\xc3(|\xef\xbf\xbe|end");
	docx_para(w, DOCX_NORMAL, "  前后空格  ");
	assert_int_equal(docx_close(w), 0);

	xmlDocPtr doc = entry_doc(&mb, "word/document.xml");
	assert_xpath(doc, "string(/w:document/w:body/w:p[1])", "<w:p>&amp; \"引号\" 'x' ");
	assert_xpath(doc, "count(/w:document/w:body/w:p[2]//w:br)", "1");
	assert_xpath(doc, "count(/w:document/w:body/w:p[2]//w:tab)", "1");
	assert_xpath(doc, "string(/w:document/w:body/w:p[2]/w:r/w:t[1])", "第一行");
	assert_xpath(doc, "string(/w:document/w:body/w:p[2]/w:r/w:t[3])", "制表");
	assert_xpath(doc, "string(/w:document/w:body/w:p[3])",
		     "ctl|bad\xef\xbf\xbd\xef\xbf\xbd(||end");
	assert_xpath(doc, "string(/w:document/w:body/w:p[4]/w:r/w:t/@xml:space)", "preserve");
	assert_xpath(doc, "string(/w:document/w:body/w:p[4])", "  前后空格  ");
	xmlFreeDoc(doc);
	xmlDocPtr core = entry_doc(&mb, "docProps/core.xml");
	assert_xpath(core, "string(//dc:title)", "a<b>&\"c\" d");
	xmlFreeDoc(core);
	kw_membuf_free(&mb);
}

/* A long document streams through the buffer; long formatted paragraphs are not cut. */
static void streams_long_documents(void **state)
{
	(void)state;
	struct kw_membuf mb = {0};
	docx_writer *w = docx_open(kw_membuf_sink, &mb, NULL);
	char big[3000];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	for (int i = 1; i <= 2000; i++)
		docx_paraf(w, DOCX_QUESTION, "%d. 第 %d 题（　）", i, i);
	assert_int_equal(docx_paraf(w, DOCX_NORMAL, "%s|%s", big, big), 0);
	assert_int_equal(docx_close(w), 0);
	xmlDocPtr doc = entry_doc(&mb, "word/document.xml");
	assert_xpath(doc, "count(/w:document/w:body/w:p)", "2001");
	assert_xpath(doc, "string(/w:document/w:body/w:p[2000])", "2000. 第 2000 题（　）");
	assert_xpath(doc, "string-length(/w:document/w:body/w:p[2001])", "5999");
	xmlFreeDoc(doc);
	kw_membuf_free(&mb);
}

/* A failing sink: the error sticks, is returned by every call and by close. */
static void sink_errors_stick(void **state)
{
	(void)state;
	struct kw_membuf mb = {.limit = 1500};
	docx_writer *w = docx_open(kw_membuf_sink, &mb, "t");
	int rc = 0;
	for (int i = 0; i < 200000 && !rc; i++)
		rc = docx_paraf(w, DOCX_NORMAL, "第 %d 段：%s", i, "不可压缩的内容 0123456789");
	assert_int_equal(rc, KW_ETOOLARGE);
	assert_int_equal(docx_error(w), KW_ETOOLARGE);
	assert_int_equal(docx_para(w, DOCX_NORMAL, "more"), KW_ETOOLARGE);
	assert_int_equal(docx_close(w), KW_ETOOLARGE);
	kw_membuf_free(&mb);

	/* an unknown style is a programming error */
	struct kw_membuf mb2 = {0};
	w = docx_open(kw_membuf_sink, &mb2, NULL);
	assert_int_equal(docx_para(w, (enum docx_style)99, "x"), KW_EINTERNAL);
	assert_int_equal(docx_close(w), KW_EINTERNAL);
	kw_membuf_free(&mb2);

	docx_free(NULL);
	w = docx_open(kw_membuf_sink, &mb2, NULL);
	docx_free(w); /* dropped without finishing: no leak */
	kw_membuf_free(&mb2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(writes_a_complete_package),
	    cmocka_unit_test(escapes_text),
	    cmocka_unit_test(streams_long_documents),
	    cmocka_unit_test(sink_errors_stick),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
