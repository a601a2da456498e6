/* notice.h - 通知公告: notices the center writes for an audience of orgs, read marks, 回执
 * (receipts with attendees) and their export, and the public site's lists and search. */
#ifndef KW_NOTICE_H
#define KW_NOTICE_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "core/ctx.h"
#include "file.h"
#include "office/xlsx_writer.h"
#include "workflow.h"

/*
 * Statuses: draft (草稿) -> published (已发布) -> withdrawn (已撤回) -> published again.
 * Only center staff write, publish and withdraw (rows of notice_wf, notice.c). Publishing
 * sends a 站内信 to every org of the audience (an edit of a published notice to the orgs it
 * newly reaches); it needs the publish date reached and, with a 回执, the deadline ahead (422).
 *
 * Audience: "all" (every level-2 org and station), "level2", "stations", "selected"
 * (org_ids). An org sees a published notice of its audience from its publish date on;
 * the center sees every notice. Anything else is 404.
 */
extern const struct wf_def notice_wf;

/* Limits (the API document states the same numbers). */
#define NOTICE_TITLE_MAX 200
#define NOTICE_BODY_MAX 100000 /* characters of the HTML sent */
#define NOTICE_FILES_MAX 10
#define NOTICE_ORGS_MAX 1000
#define NOTICE_ATTENDEES_MAX 50

/*
 * Sanitise rich text (no database): parse html with libxml2's HTML parser and keep only
 * an allow-list of elements (p br hr strong b em i u s sub sup h1-h6 ul ol li blockquote
 * pre code a table thead tbody tfoot tr th td caption span div); script, style, iframe,
 * object, form … are dropped with their content, other elements are replaced by their
 * content; attributes are dropped except a's href (http, https, mailto or a site path)
 * and td/th's colspan/rowspan (digits). *clean: the HTML, *text: its text (blocks on
 * their own lines), both in the arena. Returns false when the input cannot be parsed.
 */
bool notice_sanitize(struct kw_ctx *c, const char *html, const char **clean, const char **text);

/*
 * Create a draft (center staff). body: {"title", "body" (HTML), "audience", "org_ids"
 * (for selected), "section" (work|industry|notice), "is_public", "publish_on"
 * (YYYY-MM-DD), "receipt" (bool), "receipt_deadline" (timestamp, required with receipt),
 * "file_ids" (uploads of the caller's org: doc, docx, xlsx or pdf)}. 422 per field.
 */
int notice_create(struct kw_ctx *c, json_object *body, long *id);

/* Replace the fields of a notice (any status; center staff). */
int notice_update(struct kw_ctx *c, long id, json_object *body);

/* publish | withdraw (center staff) on the engine: 409 for a repeat. */
int notice_act(struct kw_ctx *c, long id, const char *action);

/* Filters of notice_list(). */
struct notice_filter {
	const char *q;	    /* part of the title */
	const char *status; /* center only */
	bool unread;	    /* orgs: only unread ones */
};

/*
 * The notices the caller sees: the center all of them, newest first, with audience,
 * read and answered counts; an org its published ones, unread first, with "read" and
 * "answered". Items: {"id", "title", "publish_on", "section", "is_public", "receipt",
 * "receipt_deadline", "attachment_count", "status", "status_text", and for the center
 * "audience", "audience_count", "read_count", "answered_count"; for orgs "read",
 * "answered"}.
 */
int notice_list(struct kw_ctx *c, const struct notice_filter *f, long page, long per_page,
		json_object **items, long *total);

/*
 * One notice in full: the list item plus "body" (sanitised HTML), "attachments":
 * [{"id", "name", "size", "mime"}], "orgs" (selected audience), "actions" (center),
 * "receipt_open" (before the deadline), "my_receipt" (orgs: their receipt or null).
 * An org's read marks the notice read for its org.
 */
int notice_get(struct kw_ctx *c, long id, json_object **out);

/* An attachment of notice id the caller may see (public: a public published notice). */
int notice_attachment(struct kw_ctx *c, long id, long file_id, bool public_site,
		      struct file_blob *out);

/*
 * Submit or change the caller org's 回执 until the deadline (409 after it, or when the
 * notice asks for none). body: {"unit_name", "arrive_at", "invoice_type" (normal|special),
 * "invoice_title", "tax_no", "bank", "bank_account", "recipient_name", "recipient_phone",
 * "mail_address", "attendees": [{"name", "sex" (male|female), "title", "phone",
 * "lodging", "private_room"}]}. *out: the receipt as stored.
 */
int notice_receipt_put(struct kw_ctx *c, long id, json_object *body, json_object **out);

/* Center: every org of the audience with "read_at" and "answered_at" (null when not). */
int notice_status(struct kw_ctx *c, long id, json_object **out);

/* Center: the receipts as export rows, one per attendee, in the order of notice_receipt_cols. */
extern const struct xlsx_col notice_receipt_cols[];
extern const size_t notice_receipt_ncols;
struct db_rows;
int notice_receipt_rows(struct kw_ctx *c, long id, struct db_rows **rows, const char **title);

/* Public site: published public notices of a section (work|industry|notice, NULL: all). */
int notice_public_list(struct kw_ctx *c, const char *section, long page, long per_page,
		       json_object **items, long *total);

/* Public site: one public published notice (404 otherwise). */
int notice_public_get(struct kw_ctx *c, long id, json_object **out);

/*
 * 站内搜索 over public notices: title and body text, a match of the whole query
 * (ILIKE, served by the trigram index) or a close one (pg_trgm similarity), best first.
 * Items carry an "excerpt" of the text around the match.
 */
int notice_search(struct kw_ctx *c, const char *q, long page, long per_page, json_object **items,
		  long *total);

#endif
