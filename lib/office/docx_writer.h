/* docx_writer.h - minimal streaming WordprocessingML (.docx) writer: styled paragraphs of text. */
#ifndef KW_DOCX_WRITER_H
#define KW_DOCX_WRITER_H

#include <stddef.h>

#include "office/zipstream.h"

/*
 * Word documents the platform hands out (theory papers and their answer keys,
 * R28/R18) are a title, a few lines of instructions and numbered paragraphs.
 * This writer makes exactly that, streaming:
 *
 *	docx_writer *w = docx_open(sink, sink_ctx, "汽车装调工 理论知识试卷");
 *	docx_para(w, DOCX_TITLE, "汽车装调工（高级/三级）理论知识试卷");
 *	docx_para(w, DOCX_SUBTITLE, "考试时间：90 分钟");
 *	docx_para(w, DOCX_HEADING, "一、单选题");
 *	docx_para(w, DOCX_QUESTION, "1. 车轮前束是为了调整（　）所带来的不良后果而设置的。");
 *	docx_para(w, DOCX_OPTION, "A. 主销后倾");
 *	return docx_close(w);
 *
 * The package is the smallest one Word, WPS and LibreOffice open without
 * complaint: [Content_Types].xml, the relationships, core and app properties,
 * styles (the paragraph styles below, Chinese defaults: 宋体/SimSun body text,
 * 黑体/SimHei headings, East Asian language zh-CN), a font table, settings
 * and word/document.xml with an A4 page. document.xml is written as the
 * paragraphs come (zipstream.h: no seeking, no temporary file); memory is
 * constant whatever the length.
 *
 * Text is UTF-8: XML markup is escaped, invalid sequences become U+FFFD,
 * characters XML 1.0 forbids are dropped, '\n' is a line break inside the
 * paragraph and '\t' a tab. Leading and trailing spaces are kept.
 *
 * Errors are sticky: every function returns 0 or a negative enum kw_err
 * (a sink failure, KW_EINTERNAL for an unknown style); after the first error
 * nothing more is written and docx_close() returns it.
 */
typedef struct docx_writer docx_writer;

enum docx_style {
	DOCX_NORMAL,   /* body text: 宋体 10.5 pt (五号), 1.5 lines */
	DOCX_TITLE,    /* centred, bold 黑体 16 pt (三号), space around */
	DOCX_SUBTITLE, /* centred 宋体 12 pt (小四): time allowed, candidate fields */
	DOCX_HEADING, /* section heading (一、单选题): bold 黑体 12 pt, space before, kept with next
		       */
	DOCX_QUESTION, /* a numbered question, kept with its options */
	DOCX_OPTION,   /* one option on its own line, indented two characters */
	DOCX_NOTE,     /* instructions: 宋体 10.5 pt, first line indented two characters */
};

/*
 * Start a document writing to fn(ctx); title goes into the document
 * properties (docProps/core.xml, dc:title; may be NULL). Never returns NULL
 * (aborts on out-of-memory, like the arena). The fixed parts are written at
 * once; finish with docx_close(), or drop the document with docx_free().
 */
docx_writer *docx_open(kw_sink_fn fn, void *ctx, const char *title);

/* One paragraph of text in a style. NULL text is an empty paragraph. */
int docx_para(docx_writer *w, enum docx_style style, const char *text);

/* The same with printf formatting (the formatted text may be of any length). */
int docx_paraf(docx_writer *w, enum docx_style style, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Start a new page. */
int docx_page_break(docx_writer *w);

/* The sticky error so far (0 if none). */
int docx_error(const docx_writer *w);

/*
 * Write the page settings and the end of the document, the zip's central
 * directory, flush everything to the sink and free w. Returns 0 or the first
 * error of the writer's life; w is gone in any case.
 */
int docx_close(docx_writer *w);

/* Free w without finishing (what reached the sink is not a valid file). NULL is fine. */
void docx_free(docx_writer *w);

#endif
