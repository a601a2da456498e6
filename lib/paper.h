/* paper.h - 题库管理: the question bank (我的题库) with its xlsx template and import, paper
 * schemes (组卷方案) and theory papers generated from them, exported as Word (R16, R17, R27, R28).
 */
#ifndef KW_PAPER_H
#define KW_PAPER_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "core/ctx.h"

/*
 * Codes (API.md): question type single | multi | judge (单选题 / 多选题 / 判断题),
 * knowledge kind basic | related (基础知识 / 相关知识), level 1..5.
 *
 * A bank is one org's questions for one occupation (or direction) and level. The
 * caller's org owns what it imports; a level-2 org sees and exports its stations'
 * banks, the center every bank (lib/org.h scope); only the owning org edits or
 * deletes. Another org's question outside the scope is 404.
 *
 * JSON shapes (owned by the request arena):
 *   question: {"id", "org": {"id", "name"}, "occupation": {"id", "name"}, "level",
 *              "level_text", "type", "type_text", "kind", "kind_text", "stem",
 *              "options": ["…", …], "answer", "near_of": question-summary|null,
 *              "similarity": 0.83|null, "editable", "created_at", "updated_at"}
 *   question-summary: {"id", "type", "type_text", "kind", "kind_text", "stem", "options", "answer"}
 */

/* ------------------------------------------------------------------ the template and its rows */

/* The template's columns A-H in order (the manual's header row). */
extern const char *const paper_template_header[8];

/* Bounds of an import file and of one question. */
#define PAPER_MAX_ROWS 50000u  /* non-empty rows of a bank file */
#define PAPER_MAX_STEM 2000    /* characters */
#define PAPER_MAX_OPTION 500   /* characters */
#define PAPER_MAX_ERRORS 1000u /* bad cells listed in a 422 (the message counts them all) */

/* One question of a sheet, checked (R16); strings in the request arena. */
struct paper_q {
	unsigned row; /* sheet row (1-based); 0 for questions from JSON */
	int type;     /* 0 single, 1 multi, 2 judge */
	int kind;     /* 0 basic, 1 related */
	const char *stem;
	const char *opt[4];
	int nopt;
	const char *answer; /* canonical: "C", "A,B,D", "对" */
	const char *norm;   /* normalised stem and options: the duplicate key (paper_normalize) */
};

/* An xlsx bank file read and checked. */
struct paper_sheet {
	struct paper_q *q; /* the valid question rows, in sheet order */
	size_t n;
	unsigned rows;	   /* question rows read (template rows and blank rows not counted) */
	unsigned bad_rows; /* rows with at least one error */
	unsigned nerrors;  /* errors found (errors lists the first PAPER_MAX_ERRORS) */
	json_object
	    *template_rows;  /* [row, …]: the template's header, examples and notes, skipped */
	json_object *errors; /* [{"row", "field": "B", "rule": "R17", "message"}, …] */
};

/*
 * Read the first worksheet of an uploaded xlsx (lib/office/xlsx_reader.h) and
 * check every row against the template (R16, R17): A stem, B type (单选题 / 多选题 /
 * 判断题), C-F options (2-4 from C on for single and multi, none for judge), G answer
 * (A-D; letters among the options joined by ',' for multi, at least two, no
 * repeats; 对 / 错), H kind (基础知识 / 相关知识). The template's header row,
 * example rows and notes before the first question are recognised and skipped,
 * as is any header row (B starting with 题型) later on. Full-width letters and
 * commas count as their ASCII forms (Ａ，Ｂ is A,B). Bad rows do not stop the
 * reading: they go to out->errors. Returns KW_OK when the file could be read
 * (bad rows or not), or the reader's error (KW_EVALIDATION: not an xlsx, XML
 * with a DTD...; KW_ETOOLARGE: a limit) with the message set on c.
 */
int paper_sheet_read(struct kw_ctx *c, const void *buf, size_t len, struct paper_sheet *out);

/*
 * Read an uploaded theory paper (a batch item's, R17) exactly as the bank import
 * reads a file: the same checks, and a file with any bad row is KW_EVALIDATION
 * with the same per-cell field errors ({"row", "field", "rule": "R17", "message"}).
 */
int paper_sheet_checked(struct kw_ctx *c, const void *buf, size_t len, struct paper_sheet *out);

/*
 * The duplicate key of a text (arena): white space dropped, full-width ASCII
 * (U+FF01-U+FF5E) folded to ASCII, CJK punctuation mapped to its ASCII
 * counterpart (。→ .  、→ ,  “” → "  【】→ []  《》→ <>  …→ ...  — → -).
 */
char *paper_normalize(struct kw_ctx *c, const char *s);

/* The norm of a question: its stem and options normalised, joined by U+001F. */
char *paper_question_norm(struct kw_ctx *c, const struct paper_q *q);

/*
 * Trigram similarity of two texts as pg_trgm computes it (words are runs of
 * letters and digits, lower-cased, padded with two blanks before and one
 * after; similarity = shared / (trigrams of a + trigrams of b - shared)), up
 * to pg_trgm's rare hash collisions of multi-byte trigrams. Used to prune
 * near-duplicate candidates before pg_trgm's similarity() decides.
 */
double paper_trgm_similarity(const char *a, const char *b);

/* Words for codes: "single" -> "单选题", "basic" -> "基础知识"; NULL for unknown codes. */
const char *paper_type_text(const char *type);
const char *paper_kind_text(const char *kind);

/* ------------------------------------------------------------------ the bank */

/*
 * The near-duplicate threshold: an imported question whose pg_trgm similarity
 * (on the norm: stem and options) to a question of the same bank is at least
 * this is imported and flagged. Tuned on labelled pairs (bench/import/README.md).
 */
#define PAPER_NEAR_THRESHOLD 0.65

/* GET /api/bank/template.xlsx: header row, four examples and a note (rows 1-6), into the arena. */
int paper_template_xlsx(struct kw_ctx *c, const char **data, size_t *len);

/*
 * Import a bank file for occupation (an id, or a name or alias such as
 * 汽车焊接生产线操作工) and level into the caller's org (R17, R27). The
 * occupation must be in the org's approved scope (a level-2 org: its own or a
 * station's; a direction counts through its occupation) and define the level.
 * Rows are checked (paper_sheet_read); then exact duplicates (same norm in the
 * bank, or earlier in the file) are skipped, and near-duplicates (similarity
 * >= PAPER_NEAR_THRESHOLD with a question of the bank) are imported and flagged.
 *
 * dry_run: nothing is saved and the report is returned even with bad rows.
 * Otherwise a file with any bad row is KW_EVALIDATION with one field error per
 * bad cell ({"row", "field": column letter, "rule": "R17", "message"}), and the
 * questions are inserted in one statement, one transaction (audit "bank.import").
 *
 * *report: {"dry_run", "occupation": {"id", "name"}, "level", "level_text",
 *   "rows", "template_rows": [...], "valid", "imported", "import_id",
 *   "duplicate_count", "duplicates": [{"row", "stem", "existing": question-summary|null,
 *   "duplicate_of_row": n|null}], "near_duplicate_count",
 *   "near_duplicates": [{"row", "id"|null, "similarity", "question": question-summary,
 *   "existing": question-summary}], "error_count", "errors": [...]}
 * (lists hold at most PAPER_MAX_ERRORS entries each; the counts are complete).
 */
int paper_bank_import(struct kw_ctx *c, const char *occupation, const char *level, const void *buf,
		      size_t len, bool dry_run, json_object **report);

/* Filters of the bank list, statistics and export; NULL / 0 do not filter. */
struct bank_filter {
	const char *occupation; /* id, or a name or alias */
	const char *level;
	const char *type;
	const char *kind;
	const char *q;	    /* part of the stem (ILIKE over a trigram index) */
	const char *org_id; /* one org of the caller's scope */
	const char *near;   /* "1": only questions flagged as near-duplicates */
};

/* Check a filter's values; field errors named after the query parameters. */
int paper_bank_filter_check(struct kw_ctx *c, const struct bank_filter *f);

/* One page of the questions in scope matching f, newest first; *total counts all matches. */
int paper_bank_list(struct kw_ctx *c, const struct bank_filter *f, long page, long per_page,
		    json_object **items, long *total);

/*
 * Every question in scope matching f as export rows in the template's column
 * order, then 职业/工种, 等级, 所属机构 (so an exported file imports again).
 */
struct db_rows;
int paper_bank_export(struct kw_ctx *c, const struct bank_filter *f, struct db_rows **rows);

/*
 * Statistics (我的题库 统计): per occupation x level the counts per type x kind.
 * *out: {"items": [{"occupation": {"id", "name"}, "level", "level_text",
 *   "single": {"basic", "related"}, "multi": {...}, "judge": {...}, "total"}],
 *   "totals": {"single": {...}, "multi": {...}, "judge": {...}, "total"}}
 */
int paper_bank_stats(struct kw_ctx *c, const struct bank_filter *f, json_object **out);

/* One question (shape above); KW_ENOTFOUND outside the scope. */
int paper_bank_get(struct kw_ctx *c, long id, json_object **out);

/*
 * Edit a question of the caller's org: body {"type", "kind", "stem",
 * "options": [...], "answer"} (all required, checked as R16), optionally
 * "near_of": null to clear a near-duplicate flag. Becoming an exact duplicate
 * of another question of the bank is KW_ECONFLICT. Another org's question in
 * scope is KW_EFORBIDDEN, outside it KW_ENOTFOUND. Audit "bank.question.update".
 */
int paper_bank_update(struct kw_ctx *c, long id, json_object *body);

/* Delete a question of the caller's org (papers keep their copies). Audit "bank.question.delete".
 */
int paper_bank_delete(struct kw_ctx *c, long id);

/* ------------------------------------------------------------------ schemes and papers */

/*
 * Paper schemes (组卷方案) belong to the org that made them (a station, a level-2
 * org, or the center for self-tests); other orgs' schemes are 404.
 *   scheme: {"id", "occupation": {"id", "name"}, "level", "level_text", "minutes",
 *            "single": {"basic", "related", "total"}, "multi": {...}, "judge": {...},
 *            "total", "papers": n, "created_at"}
 */

/*
 * body {"level", "occupation_id" (or "occupation": a name or alias), "minutes",
 * "single": {"basic", "related"}, "multi": {...}, "judge": {...}}: counts 0..1000;
 * R28: total >= 90 questions and >= 60 minutes for levels 5-3, >= 120 and >= 90
 * for levels 2-1; the occupation defines the level and (for orgs) is in scope.
 * Audit "scheme.create".
 */
int paper_scheme_create(struct kw_ctx *c, json_object *body, long *id);
int paper_scheme_list(struct kw_ctx *c, long page, long per_page, json_object **items, long *total);
int paper_scheme_get(struct kw_ctx *c, long id, json_object **out);
/* Delete a scheme (its papers stay). Audit "scheme.delete". */
int paper_scheme_delete(struct kw_ctx *c, long id);

/*
 * Generate sets (1..10) papers from scheme id (R28): per type x kind a random
 * pick from the bank the caller sees (its org's; a level-2 org's with its
 * stations'; the center's all) for the scheme's occupation and level. Several
 * sets share as few questions as the bank allows (disjoint when it holds
 * enough). A short bank is KW_EVALIDATION with one field error per shortfall
 * ("single.basic", R28, "单选题·基础知识 缺 12 道（题库现有 38 道，方案需要 50 道）").
 * *ids: the new papers' ids. Audit "paper.generate".
 */
int paper_generate(struct kw_ctx *c, long scheme_id, int sets, json_object **ids);

/*
 * Papers:
 *   paper: {"id", "title", "source": "scheme"|"upload", "scheme_id", "set_no",
 *           "occupation": {"id", "name"}, "level", "level_text", "minutes",
 *           "counts": {"single", "multi", "judge"}, "question_count", "editable",
 *           "created_at"}
 *   paper question: {"id", "no", "type", "type_text", "kind", "kind_text", "stem",
 *           "options", "answer", "question_id"}
 * Reading needs the paper's org in the caller's scope; changing a generated paper
 * is for its own org.
 */
int paper_list(struct kw_ctx *c, long scheme_id, long page, long per_page, json_object **items,
	       long *total);
int paper_get(struct kw_ctx *c, long id, json_object **out);
int paper_delete(struct kw_ctx *c, long id);
int paper_questions(struct kw_ctx *c, long id, json_object **items);

/* Remove one question from a paper (R18: reviewers delete single questions). Audit
 * "paper.question.delete". */
int paper_question_delete(struct kw_ctx *c, long paper_id, long pq_id);

/*
 * Replace one question of a paper by another of the bank with the same
 * occupation, level, type and kind that the paper does not hold yet: with_id
 * (a bank question id) or, when 0, a random one. None left is KW_ECONFLICT.
 * *out: the paper question now in that place. Audit "paper.question.replace".
 */
int paper_question_replace(struct kw_ctx *c, long paper_id, long pq_id, long with_id,
			   json_object **out);

/*
 * The paper (answers false) or its answer key (true) as a .docx in the arena
 * (lib/office/docx_writer.h): title, time allowed, instructions, a numbered
 * section per type (一、单选题 …) with the questions numbered throughout and each
 * option on its own line; the key lists the answers by section. *name: the file
 * name to offer ("….docx").
 */
int paper_export_docx(struct kw_ctx *c, long id, bool answers, const char **data, size_t *len,
		      const char **name);

/* ------------------------------------------------------------------ papers of batch items */

/*
 * A batch item's papers (查看试卷, R15-R18; lib/paper_batch.c): source "upload",
 * part "theory" (questions copied from the uploaded sheet) or "practical" (the
 * uploaded docx, file_id). One paper per item x part x set_no. The batch module
 * decides who may change them and when; these functions run inside its
 * transaction (the batch row locked) and only touch the paper tables.
 */
struct paper_upload {
	long org_id, batch_id, item_id, occupation_id;
	int level;
	const char *part; /* "theory" | "practical" */
	long set_no;	  /* 1..3 */
	const char *title;
	long file_id; /* practical: the stored docx */
};

/* The minimum number of questions of a theory paper for level (R16): 90 (5-3), 120 (2-1). */
long paper_r16_minimum(int level);

/* Save u (replacing the item's paper of that part and set) with the questions of sh (theory);
 * *id: the new paper. Audit "paper.upload". */
int paper_upload_save(struct kw_ctx *c, const struct paper_upload *u, const struct paper_sheet *sh,
		      long *id);

/* The papers of one item, by part and set: rows id, part, set_no, title, question_count,
 * file_id, file_name, created_at. */
int paper_item_rows(struct kw_ctx *c, long item_id, PGresult **res);

/* Per item of batch_id: item_id, theory_sets, practical_sets, min_theory (fewest questions of
 * its theory papers, NULL when none). */
int paper_batch_counts(struct kw_ctx *c, long batch_id, PGresult **res);

/* Delete paper_id of item_id; KW_ENOTFOUND when the item holds no such paper. Audit
 * "paper.upload.delete". */
int paper_item_delete(struct kw_ctx *c, long item_id, long paper_id);

#endif
