/* notice.c - 通知公告: the sanitiser of rich text, the notice state table on the engine, create and
 * edit, the audience's reads and 回执, the center's status and export, the public site and search.
 */
#include "notice.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "audit.h"
#include "core/clock.h"
#include "core/json.h"
#include "db/db.h"
#include "message.h"

/* ------------------------------------------------------------------ sanitising */

static const char *const keep_tags[] = {
    "p",     "br",  "hr",	  "strong", "b",       "em",   "i",	"u",	 "s",
    "sub",   "sup", "h1",	  "h2",	    "h3",      "h4",   "h5",	"h6",	 "ul",
    "ol",    "li",  "blockquote", "pre",    "code",    "a",    "table", "thead", "tbody",
    "tfoot", "tr",  "th",	  "td",	    "caption", "span", "div"};
static const char *const drop_tags[] = {
    "script", "style", "iframe", "object", "embed",  "frame",  "frameset", "noscript", "template",
    "svg",    "math",  "form",	 "input",  "button", "select", "textarea", "link",     "meta",
    "base",   "title", "head",	 "applet", "audio",  "video",  "canvas"};
static const char *const block_tags[] = {"p",  "br", "hr", "h1",  "h2",		"h3",  "h4",   "h5",
					 "h6", "li", "tr", "div", "blockquote", "pre", "table"};

static bool in_list(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(name, list[i]))
			return true;
	return false;
}
#define IN(name, list) in_list(name, list, sizeof(list) / sizeof(list[0]))

/* Append s escaped for HTML text and attribute values. */
static void add_escaped(xmlBufferPtr b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			xmlBufferCCat(b, "&amp;");
			break;
		case '<':
			xmlBufferCCat(b, "&lt;");
			break;
		case '>':
			xmlBufferCCat(b, "&gt;");
			break;
		case '"':
			xmlBufferCCat(b, "&quot;");
			break;
		default:
			xmlBufferAdd(b, (const xmlChar *)s, 1);
		}
	}
}

/* True for a link target we let through: http(s), mailto or a path of this site. */
static bool safe_href(const char *h)
{
	while (*h == ' ' || *h == '\t' || *h == '\n')
		h++;
	if (!strncasecmp(h, "http://", 7) || !strncasecmp(h, "https://", 8) ||
	    !strncasecmp(h, "mailto:", 7))
		return true;
	return h[0] == '/' && h[1] != '/' && h[1] != '\\';
}

static bool all_digits(const char *s)
{
	if (!*s || strlen(s) > 3)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Copy an allowed attribute of element n into out. */
static void add_attr(xmlBufferPtr out, xmlNodePtr n, const char *attr, bool (*ok)(const char *))
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);
	if (v && ok((const char *)v)) {
		xmlBufferCCat(out, " ");
		xmlBufferCCat(out, attr);
		xmlBufferCCat(out, "=\"");
		add_escaped(out, (const char *)v);
		xmlBufferCCat(out, "\"");
	}
	xmlFree(v);
}

/* Walk the children of n, writing kept markup to out and text to text. */
static void walk(xmlNodePtr n, xmlBufferPtr out, xmlBufferPtr text, int depth)
{
	for (xmlNodePtr k = n ? n->children : NULL; k; k = k->next) {
		if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) {
			const char *t = (const char *)k->content;
			if (t) {
				add_escaped(out, t);
				xmlBufferCCat(text, t);
			}
			continue;
		}
		if (k->type != XML_ELEMENT_NODE || !k->name)
			continue;
		const char *name = (const char *)k->name;
		if (IN(name, drop_tags))
			continue;
		bool keep = IN(name, keep_tags) && depth < 48;
		if (keep) {
			xmlBufferCCat(out, "<");
			xmlBufferCCat(out, name);
			if (!strcmp(name, "a")) {
				add_attr(out, k, "href", safe_href);
				xmlBufferCCat(out,
					      " target=\"_blank\" rel=\"noopener noreferrer\"");
			} else if (!strcmp(name, "td") || !strcmp(name, "th")) {
				add_attr(out, k, "colspan", all_digits);
				add_attr(out, k, "rowspan", all_digits);
			}
			xmlBufferCCat(out, ">");
		}
		if (IN(name, block_tags))
			xmlBufferCCat(text, "\n");
		if (strcmp(name, "br") && strcmp(name, "hr") && depth < 200)
			walk(k, out, text, depth + 1);
		if (keep && strcmp(name, "br") && strcmp(name, "hr")) {
			xmlBufferCCat(out, "</");
			xmlBufferCCat(out, name);
			xmlBufferCCat(out, ">");
		}
		if (IN(name, block_tags))
			xmlBufferCCat(text, "\n");
		else if (!strcmp(name, "td") || !strcmp(name, "th"))
			xmlBufferCCat(text, " ");
	}
}

/* The body element of a parsed document, or NULL. */
static xmlNodePtr find_body(xmlNodePtr n)
{
	for (; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE && n->name &&
		    !strcmp((const char *)n->name, "body"))
			return n;
		xmlNodePtr b = find_body(n->children);
		if (b)
			return b;
	}
	return NULL;
}

/* Collapse runs of blanks into one space and runs of line breaks into one, trimmed. */
static const char *tidy_text(struct kw_ctx *c, const char *s)
{
	char *o = arena_alloc(c->a, strlen(s) + 1), *p = o;
	bool nl = false, sp = false;
	for (; *s; s++) {
		if (*s == '\n' || *s == '\r') {
			nl = true;
			continue;
		}
		if (*s == ' ' || *s == '\t') {
			sp = true;
			continue;
		}
		if ((unsigned char)s[0] == 0xc2 &&
		    (unsigned char)s[1] == 0xa0) { /* no-break space */
			sp = true;
			s++;
			continue;
		}
		if (p > o && (nl || sp))
			*p++ = nl ? '\n' : ' ';
		nl = sp = false;
		*p++ = *s;
	}
	*p = '\0';
	return o;
}

bool notice_sanitize(struct kw_ctx *c, const char *html, const char **clean, const char **text)
{
	*clean = "";
	*text = "";
	if (!html || !*html)
		return true;
	/* Wrapped so that a fragment always has a body to walk. */
	const char *doc_text = arena_printf(c->a, "<html><body>%s</body></html>", html);
	htmlDocPtr doc = htmlReadMemory(doc_text, (int)strlen(doc_text), NULL, "UTF-8",
					HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
					    HTML_PARSE_NONET | HTML_PARSE_NOBLANKS);
	if (!doc)
		return false;
	xmlBufferPtr out = xmlBufferCreate(), txt = xmlBufferCreate();
	bool ok = out && txt;
	if (ok) {
		walk(find_body(xmlDocGetRootElement(doc)), out, txt, 0);
		*clean = arena_strdup(c->a, (const char *)xmlBufferContent(out));
		*text = tidy_text(c, (const char *)xmlBufferContent(txt));
	}
	if (out)
		xmlBufferFree(out);
	if (txt)
		xmlBufferFree(txt);
	xmlFreeDoc(doc);
	return ok;
}

/* ------------------------------------------------------------------ the workflow */

enum { NA_EDIT, NA_PUBLISH, NA_WITHDRAW, NA_N };

static const struct wf_status statuses[] = {
    {"draft", 1, "草稿", "草稿", R_CENTER_STAFF, WF_PARAM_NONE},
    {"published", 1, "已发布", "已发布", 0, WF_PARAM_NONE},
    {"withdrawn", 1, "已撤回", "已撤回", R_CENTER_STAFF, WF_PARAM_NONE},
};

static const struct wf_action actions[NA_N] = {
    [NA_EDIT] = {"edit", "修改", false, NULL},
    [NA_PUBLISH] = {"publish", "发布", true, NULL},
    [NA_WITHDRAW] = {"withdraw", "撤回", true, NULL},
};

static int guard_publish(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
			 json_object *body);

/* clang-format off */
#define PUBLISHED_TO_CENTER {WF_TO_CENTER, "通知公告“{name}”已由{actor}发布"}
#define WITHDRAWN_TO_CENTER {WF_TO_CENTER, "通知公告“{name}”已由{actor}撤回"}

/* The only place the notice workflow is decided. The audience's 站内信 go out in notice_move. */
static const struct wf_row rows[] = {
    {"draft", NA_EDIT, R_CENTER_STAFF, WF_CENTER, WF_ALWAYS, NULL, NULL, NULL, {{0}}, "notice.update", NULL},
    {"published", NA_EDIT, R_CENTER_STAFF, WF_CENTER, WF_ALWAYS, NULL, NULL, NULL, {{0}}, "notice.update", NULL},
    {"withdrawn", NA_EDIT, R_CENTER_STAFF, WF_CENTER, WF_ALWAYS, NULL, NULL, NULL, {{0}}, "notice.update", NULL},
    {"draft", NA_PUBLISH, R_CENTER_STAFF, WF_CENTER, WF_ALWAYS, "published", guard_publish, "发布",
     {PUBLISHED_TO_CENTER}, NULL, NULL},
    {"withdrawn", NA_PUBLISH, R_CENTER_STAFF, WF_CENTER, WF_ALWAYS, "published", guard_publish, "重新发布",
     {PUBLISHED_TO_CENTER}, NULL, NULL},
    {"published", NA_WITHDRAW, R_CENTER_STAFF, WF_CENTER, WF_ALWAYS, "withdrawn", NULL, "撤回",
     {WITHDRAWN_TO_CENTER}, NULL, NULL},
};
/* clang-format on */

static int notice_load(struct kw_ctx *c, long id, bool lock, struct wf_subject *s);
static int notice_move(struct kw_ctx *c, struct wf_subject *s, const struct wf_move *m,
		       bool *moved);
static int notice_trail(struct kw_ctx *c, const struct wf_subject *s, const struct wf_move *m);

const struct wf_def notice_wf = {
    .entity = "notice",
    .noun = "通知公告",
    .link = "/app/notices/%ld",
    .statuses = statuses,
    .nstatuses = sizeof(statuses) / sizeof(statuses[0]),
    .actions = actions,
    .nactions = NA_N,
    .rows = rows,
    .nrows = sizeof(rows) / sizeof(rows[0]),
    .load = notice_load,
    .move = notice_move,
    .trail = notice_trail,
    .audit_code = false,
};

/* ------------------------------------------------------------------ SQL */

/*
 * What the caller sees ($1 'center' | 'org' | 'none', $2 the caller's org, $3 today): the
 * center every notice; an org the published ones of its audience from the publish date on.
 */
#define NOTICE_VISIBLE                                                                             \
	"($1::text = 'center' OR ($1::text = 'org' AND n.status = 'published' AND n.publish_on <=" \
	" $3::date AND (n.audience = 'all' OR (n.audience IN ('level2', 'stations') AND EXISTS"    \
	" (SELECT 1 FROM orgs v_o WHERE v_o.id = $2::bigint AND v_o.kind = CASE n.audience WHEN"   \
	" 'level2' THEN 'level2' ELSE 'station' END)) OR (n.audience = 'selected' AND EXISTS"      \
	" (SELECT 1 FROM notice_orgs v_n WHERE v_n.notice_id = n.id AND v_n.org_id = $2::bigint)"  \
	"))))"

/* The orgs of notice $1's audience. */
#define AUDIENCE_ORGS                                                                              \
	"SELECT o.id, o.name FROM notices n JOIN orgs o ON o.kind <> 'center' AND (n.audience ="   \
	" 'all' OR (n.audience = 'level2' AND o.kind = 'level2') OR (n.audience = 'stations' AND"  \
	" o.kind = 'station') OR (n.audience = 'selected' AND o.id IN (SELECT org_id FROM"         \
	" notice_orgs WHERE notice_id = n.id))) WHERE n.id = $1"

#define NOTICE_COLUMNS                                                                             \
	"n.id, n.title, n.publish_on::text AS publish_on, n.section, n.is_public, n.receipt,"      \
	" kw_ts(n.receipt_deadline) AS receipt_deadline, n.status, n.audience,"                    \
	" kw_ts(n.published_at) AS published_at, kw_ts(n.updated_at) AS updated_at,"               \
	" (SELECT count(*) FROM notice_files f WHERE f.notice_id = n.id) AS attachment_count,"     \
	" EXISTS (SELECT 1 FROM notice_reads r WHERE r.notice_id = n.id AND r.org_id = "           \
	"$2::bigint)"                                                                              \
	" AS read, EXISTS (SELECT 1 FROM notice_receipts r WHERE r.notice_id = n.id AND r.org_id"  \
	" = $2::bigint) AS answered"
#define NOTICE_COUNTS                                                                              \
	", (SELECT count(*) FROM (" AUDIENCE_ORGS_OF_N ") a) AS audience_count,"                   \
	" (SELECT count(*) FROM notice_reads r WHERE r.notice_id = n.id) AS read_count,"           \
	" (SELECT count(*) FROM notice_receipts r WHERE r.notice_id = n.id) AS answered_count"
#define AUDIENCE_ORGS_OF_N                                                                         \
	"SELECT 1 FROM orgs o WHERE o.kind <> 'center' AND (n.audience = 'all' OR (n.audience ="   \
	" 'level2' AND o.kind = 'level2') OR (n.audience = 'stations' AND o.kind = 'station') OR"  \
	" (n.audience = 'selected' AND o.id IN (SELECT org_id FROM notice_orgs WHERE notice_id ="  \
	" n.id)))"

/* $4 part of the title, $5 status, $6 unread only */
#define NOTICE_LIST_WHERE                                                                          \
	" WHERE " NOTICE_VISIBLE " AND ($4::text IS NULL OR strpos(n.title, $4::text) > 0) AND"    \
	" ($5::text IS NULL OR n.status = $5::text) AND (NOT $6::bool OR NOT EXISTS (SELECT 1"     \
	" FROM notice_reads r WHERE r.notice_id = n.id AND r.org_id = $2::bigint))"

static struct db_stmt q_count =
    DB_STMT("notice_count", "SELECT count(*) FROM notices n" NOTICE_LIST_WHERE);
static struct db_stmt q_list = DB_STMT(
    "notice_list", "SELECT " NOTICE_COLUMNS NOTICE_COUNTS " FROM notices n" NOTICE_LIST_WHERE
		   " ORDER BY CASE WHEN $1::text = 'org' THEN EXISTS (SELECT 1 FROM notice_reads r"
		   " WHERE r.notice_id = n.id AND r.org_id = $2::bigint) END, n.publish_on DESC,"
		   " n.id DESC LIMIT $7 OFFSET $8");
static struct db_stmt q_get =
    DB_STMT("notice_get", "SELECT " NOTICE_COLUMNS NOTICE_COUNTS ", n.body_html FROM notices n"
			  " WHERE n.id = $4::bigint AND " NOTICE_VISIBLE);
static struct db_stmt q_lock = DB_STMT(
    "notice_lock",
    "SELECT n.id, n.title, n.status, n.receipt, kw_ts(n.receipt_deadline) AS receipt_deadline,"
    " n.publish_on::text AS publish_on,"
    " (SELECT c.id FROM orgs c WHERE c.kind = 'center' ORDER BY"
    " c.id LIMIT 1) AS center_id FROM notices n WHERE n.id = $1 FOR UPDATE");
static struct db_stmt q_files = DB_STMT(
    "notice_files", "SELECT f.id, f.name, f.size, f.mime FROM notice_files nf JOIN files f ON f.id"
		    " = nf.file_id WHERE nf.notice_id = $1 ORDER BY nf.pos");
static struct db_stmt q_orgs = DB_STMT(
    "notice_orgs", "SELECT o.id, o.name FROM notice_orgs x JOIN orgs o ON o.id = x.org_id WHERE"
		   " x.notice_id = $1 ORDER BY o.code");
static struct db_stmt q_mark_read = DB_STMT(
    "notice_mark_read", "INSERT INTO notice_reads (notice_id, org_id, read_by, read_at) VALUES"
			" ($1, $2, $3, $4) ON CONFLICT DO NOTHING");
static struct db_stmt q_insert = DB_STMT(
    "notice_insert",
    "INSERT INTO notices (title, body_html, body_text, audience, section, is_public, publish_on,"
    " receipt, receipt_deadline, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5,"
    " $6, $7, $8, $9, $10, $11, $11) RETURNING id");
static struct db_stmt q_update = DB_STMT(
    "notice_update",
    "UPDATE notices SET title = $2, body_html = $3, body_text = $4, audience = $5, section = $6,"
    " is_public = $7, publish_on = $8, receipt = $9, receipt_deadline = $10, updated_at = $11"
    " WHERE id = $1 AND status = $12");
static struct db_stmt q_del_orgs =
    DB_STMT("notice_del_orgs", "DELETE FROM notice_orgs WHERE notice_id = $1");
static struct db_stmt q_add_orgs = DB_STMT(
    "notice_add_orgs", "INSERT INTO notice_orgs (notice_id, org_id) SELECT $1, o.id FROM orgs o"
		       " WHERE o.id = ANY($2::bigint[]) AND o.kind <> 'center'");
static struct db_stmt q_orgs_known =
    DB_STMT("notice_orgs_known",
	    "SELECT count(*) FROM orgs WHERE id = ANY($1::bigint[]) AND kind <> 'center'");
static struct db_stmt q_del_files =
    DB_STMT("notice_del_files", "DELETE FROM notice_files WHERE notice_id = $1");
static struct db_stmt q_add_file = DB_STMT(
    "notice_add_file", "INSERT INTO notice_files (notice_id, file_id, pos) VALUES ($1, $2, $3)");
static struct db_stmt q_move = DB_STMT(
    "notice_move",
    "UPDATE notices SET status = $3, updated_at = $4, published_at = CASE WHEN $3 ="
    " 'published' THEN $4::timestamptz ELSE published_at END WHERE id = $1 AND status = $2");
static struct db_stmt q_audience = DB_STMT("notice_audience", AUDIENCE_ORGS " ORDER BY o.code");

/* ------------------------------------------------------------------ helpers */

static const char *const audience_codes[] = {"all", "level2", "stations", "selected"};
static const char *const audience_texts[] = {"全部机构", "二级机构", "鉴定站", "指定机构"};
static const char *const section_codes[] = {"work", "industry", "notice"};

static const char *audience_text(const char *code)
{
	for (size_t i = 0; i < 4; i++)
		if (code && !strcmp(code, audience_codes[i]))
			return audience_texts[i];
	return "";
}

static bool one_of(const char *v, const char *const *list, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		if (!strcmp(v, list[i]))
			return true;
	return false;
}

/* The caller's kind for NOTICE_VISIBLE. */
static const char *viewer(const struct kw_ctx *c)
{
	if (c->user.role & R_CENTER)
		return "center";
	if ((c->user.role & R_ORG) && c->user.org_id > 0)
		return "org";
	return "none";
}

static const char *today(struct kw_ctx *c)
{
	char *d = arena_alloc(c->a, 16);
	kw_format_date(c->now, d, 16);
	return d;
}

/* Is the deadline of a row ("receipt_deadline" as kw_ts text) still ahead? */
static bool receipt_open(struct kw_ctx *c, const PGresult *r, int i)
{
	time_t t;
	const char *d = db_val(r, i, "receipt_deadline");
	return db_bool(r, i, "receipt") && d && kw_parse_time(d, &t) && c->now <= t;
}

static json_object *notice_json(struct kw_ctx *c, const PGresult *r, int i, bool center)
{
	json_object *o = json_object_new_object();
	const char *status = db_val(r, i, "status");
	kwj_add_int(o, "id", db_long(r, i, "id"));
	kwj_add_str(o, "title", db_val(r, i, "title"));
	kwj_add_str(o, "publish_on", db_val(r, i, "publish_on"));
	kwj_add_str(o, "published_at", db_val(r, i, "published_at"));
	kwj_add_str(o, "section", db_val(r, i, "section"));
	kwj_add_bool(o, "is_public", db_bool(r, i, "is_public"));
	kwj_add_bool(o, "receipt", db_bool(r, i, "receipt"));
	kwj_add_str(o, "receipt_deadline", db_val(r, i, "receipt_deadline"));
	kwj_add_bool(o, "receipt_open", receipt_open(c, r, i));
	kwj_add_int(o, "attachment_count", db_long(r, i, "attachment_count"));
	kwj_add_str(o, "status", status);
	const char *st = wf_status_text(c, &notice_wf, status, NULL);
	kwj_add_str(o, "status_text", st ? st : status);
	if (center) {
		kwj_add_str(o, "audience", db_val(r, i, "audience"));
		kwj_add_str(o, "audience_text", audience_text(db_val(r, i, "audience")));
		kwj_add_int(o, "audience_count", db_long(r, i, "audience_count"));
		kwj_add_int(o, "read_count", db_long(r, i, "read_count"));
		kwj_add_int(o, "answered_count", db_long(r, i, "answered_count"));
	} else {
		kwj_add_bool(o, "read", db_bool(r, i, "read"));
		kwj_add_bool(o, "answered", db_bool(r, i, "answered"));
	}
	return o;
}

/* ------------------------------------------------------------------ the form */

struct notice_form {
	const char *title, *html, *text, *audience, *section, *publish_on, *deadline;
	bool is_public, receipt;
	const char *org_ids; /* {1,2} */
	long files[NOTICE_FILES_MAX];
	size_t nfiles;
};

/* Read an id array field (at most max ids) as "{1,2}"; field errors recorded. */
static const char *ids_field(struct kw_ctx *c, json_object *body, const char *key, size_t max,
			     long *ids, size_t *n)
{
	json_object *a = json_object_object_get(body, key);
	*n = 0;
	if (!a)
		return "{}";
	if (!json_object_is_type(a, json_type_array)) {
		kw_field_error(c, key, 0, "type", "应为编号列表");
		return NULL;
	}
	size_t len = json_object_array_length(a);
	if (len > max) {
		kw_field_error(c, key, 0, "range", arena_printf(c->a, "最多 %zu 个", max));
		return NULL;
	}
	long *tmp = ids ? ids : arena_alloc(c->a, sizeof(long) * (len ? len : 1));
	for (size_t i = 0; i < len; i++) {
		json_object *x = json_object_array_get_idx(a, i);
		if (!json_object_is_type(x, json_type_int) || json_object_get_int64(x) <= 0) {
			kw_field_error(c, arena_printf(c->a, "%s[%zu]", key, i), 0, "type",
				       "应为正整数编号");
			return NULL;
		}
		tmp[(*n)++] = (long)json_object_get_int64(x);
	}
	return db_id_array(c, tmp, *n);
}

/* Parse and check a notice body; every broken rule a field error. */
static int form_parse(struct kw_ctx *c, json_object *body, struct notice_form *f)
{
	int err;
	memset(f, 0, sizeof(*f));
	if (!body || !json_object_is_type(body, json_type_object))
		return kw_fail(c, KW_EBADREQ, "请求内容应为 JSON 对象");
	kwj_get_string(c, body, "title", NULL, KWJ_REQUIRED, NOTICE_TITLE_MAX, &f->title);
	kwj_get_string(c, body, "body", NULL, KWJ_OPTIONAL, NOTICE_BODY_MAX, &f->html);
	kwj_get_string(c, body, "audience", NULL, KWJ_REQUIRED, 20, &f->audience);
	kwj_get_string(c, body, "section", NULL, KWJ_OPTIONAL, 20, &f->section);
	kwj_get_string(c, body, "publish_on", NULL, KWJ_OPTIONAL, 10, &f->publish_on);
	kwj_get_string(c, body, "receipt_deadline", NULL, KWJ_OPTIONAL, 40, &f->deadline);
	kwj_get_bool(c, body, "is_public", NULL, KWJ_OPTIONAL, &f->is_public);
	kwj_get_bool(c, body, "receipt", NULL, KWJ_OPTIONAL, &f->receipt);
	if (f->title && !*f->title)
		kw_field_error(c, "title", 0, "required", "请填写标题");
	if (f->audience && !one_of(f->audience, audience_codes, 4))
		kw_field_error(c, "audience", 0, "enum",
			       "发送范围应为全部机构、二级机构、鉴定站或指定机构");
	if (!f->section || !*f->section)
		f->section = "notice";
	else if (!one_of(f->section, section_codes, 3))
		kw_field_error(c, "section", 0, "enum", "栏目应为工作动态、行业动态或通知公告");
	time_t t;
	if (!f->publish_on || !*f->publish_on)
		f->publish_on = today(c);
	else if (strlen(f->publish_on) != 10 || !kw_parse_time(f->publish_on, &t))
		kw_field_error(c, "publish_on", 0, "date", "发布日期应为 YYYY-MM-DD 格式的日期");
	if (f->deadline && !*f->deadline)
		f->deadline = NULL;
	if (f->deadline && !kw_parse_time(f->deadline, &t))
		kw_field_error(c, "receipt_deadline", 0, "date", "回执截止时间格式不正确");
	if (f->receipt && !f->deadline)
		kw_field_error(c, "receipt_deadline", 0, "required",
			       "需要回执时请填写回执截止时间");
	if (!f->receipt)
		f->deadline = NULL;
	size_t n;
	f->org_ids = ids_field(c, body, "org_ids", NOTICE_ORGS_MAX, NULL, &n);
	if (f->audience && !strcmp(f->audience, "selected") && f->org_ids && !n)
		kw_field_error(c, "org_ids", 0, "required", "请选择接收通知的机构");
	if (f->org_ids && n) {
		PGresult *r = db_query(c, &q_orgs_known, &err, f->org_ids);
		if (!r)
			return err;
		if ((size_t)db_long(r, 0, "count") != n)
			kw_field_error(c, "org_ids", 0, "exists", "所选机构不存在");
	}
	ids_field(c, body, "file_ids", NOTICE_FILES_MAX, f->files, &f->nfiles);
	for (size_t i = 0; i < f->nfiles; i++) {
		bool ok;
		const char *name;
		if ((err = file_usable(c, f->files[i], FILE_OFFICE, c->user.org_id, &ok, &name)))
			return err;
		if (!ok)
			kw_field_error(c, arena_printf(c->a, "file_ids[%zu]", i), 0, "file_type",
				       "附件应为本机构上传的 Word、Excel、PowerPoint 或 PDF 文件");
	}
	if (f->html && !notice_sanitize(c, f->html, &f->html, &f->text))
		kw_field_error(c, "body", 0, "html", "正文内容无法识别");
	if (!f->html) {
		f->html = "";
		f->text = "";
	}
	return kw_validation_result(c);
}

/* Replace the selected orgs and the attachments of notice id. */
static int form_children(struct kw_ctx *c, long id, const struct notice_form *f)
{
	int err;
	const char *nid = db_ltoa(c, id);
	if (!db_query(c, &q_del_orgs, &err, nid) || !db_query(c, &q_del_files, &err, nid))
		return err;
	if (!strcmp(f->audience, "selected") && !db_query(c, &q_add_orgs, &err, nid, f->org_ids))
		return err;
	for (size_t i = 0; i < f->nfiles; i++) {
		bool dup = false;
		for (size_t j = 0; j < i; j++)
			dup |= f->files[j] == f->files[i];
		if (!dup && !db_query(c, &q_add_file, &err, nid, db_ltoa(c, f->files[i]),
				      db_ltoa(c, (long)i)))
			return err;
	}
	return KW_OK;
}

static json_object *form_detail(struct kw_ctx *c, const struct notice_form *f)
{
	json_object *d = json_object_new_object();
	kwj_add_str(d, "title", f->title);
	kwj_add_str(d, "audience", f->audience);
	kwj_add_bool(d, "is_public", f->is_public);
	kwj_add_bool(d, "receipt", f->receipt);
	return kwj_own(c, d);
}

/*
 * Tell every org of notice nid's audience that it has a notice (站内信, in the caller's
 * transaction), except the orgs listed in before (the audience before an edit; NULL: nobody is left
 * out).
 */
static int tell_audience(struct kw_ctx *c, const char *nid, const char *title,
			 const PGresult *before)
{
	int err;
	PGresult *a = db_query(c, &q_audience, &err, nid);
	if (!a)
		return err;
	const char *text = arena_printf(c->a, "您收到一条通知公告“%s”，请查看", title);
	const char *link = arena_printf(c->a, "/app/notices/%s", nid);
	for (int i = 0; i < PQntuples(a); i++) {
		long org = db_long(a, i, "id");
		bool told = false;
		for (int j = 0; before && j < PQntuples(before) && !told; j++)
			told = db_long(before, j, "id") == org;
		if (!told && (err = message_send(c, org, NULL, 0, text, link)))
			return err;
	}
	return KW_OK;
}

int notice_create(struct kw_ctx *c, json_object *body, long *id)
{
	int err;
	struct notice_form f;
	if ((err = form_parse(c, body, &f)) || (err = db_begin(c)))
		return err;
	PGresult *r =
	    db_query(c, &q_insert, &err, f.title, f.html, f.text, f.audience, f.section,
		     f.is_public ? "true" : "false", f.publish_on, f.receipt ? "true" : "false",
		     f.deadline, db_ltoa(c, c->user.id), kw_now_text(c));
	if (!r)
		return err;
	*id = strtol(PQgetvalue(r, 0, 0), NULL, 10);
	if ((err = form_children(c, *id, &f)) ||
	    (err = audit_write(c, "notice.create", "notice", *id, form_detail(c, &f))))
		return err;
	return db_commit(c);
}

int notice_update(struct kw_ctx *c, long id, json_object *body)
{
	int err;
	struct notice_form f;
	struct wf_subject s;
	const struct wf_row *row;
	if ((err = form_parse(c, body, &f)) ||
	    (err = wf_begin(c, &notice_wf, id, "edit", &s, &row)))
		return err;
	/* A published notice that reaches more orgs after the edit tells the new ones. */
	bool published = !strcmp(s.status, "published");
	PGresult *before = published ? db_query(c, &q_audience, &err, db_ltoa(c, id)) : NULL;
	if (published && !before)
		return err;
	PGresult *r = db_query(c, &q_update, &err, db_ltoa(c, id), f.title, f.html, f.text,
			       f.audience, f.section, f.is_public ? "true" : "false", f.publish_on,
			       f.receipt ? "true" : "false", f.deadline, kw_now_text(c), s.status);
	if (!r)
		return err;
	if (strcmp(PQcmdTuples(r), "1"))
		return kw_fail(c, KW_ECONFLICT, "通知公告的状态已改变，请刷新后重试");
	if ((err = form_children(c, id, &f)) ||
	    (published && (err = tell_audience(c, db_ltoa(c, id), f.title, before))) ||
	    (err = audit_write(c, row->audit, "notice", id, form_detail(c, &f))))
		return err;
	return db_commit(c);
}

/* ------------------------------------------------------------------ the engine's callbacks */

/* Only the center changes notices: the loader reads any notice for it (404 for others). */
static int notice_load(struct kw_ctx *c, long id, bool lock, struct wf_subject *s)
{
	int err;
	(void)lock;
	memset(s, 0, sizeof(*s));
	if (!(c->user.role & R_CENTER))
		return kw_fail(c, KW_ENOTFOUND, "通知公告不存在");
	PGresult *r = db_query(c, &q_lock, &err, db_ltoa(c, id));
	if (!r)
		return err;
	if (!PQntuples(r))
		return kw_fail(c, KW_ENOTFOUND, "通知公告不存在");
	s->id = id;
	s->center_id = db_long(r, 0, "center_id");
	s->org_id = s->center_id;
	s->status = db_val(r, 0, "status");
	s->name = db_val(r, 0, "title");
	s->org_name = "中心";
	s->ext = r;
	return KW_OK;
}

/*
 * A notice is published on its publish date or later (the 站内信 go out at once, so the audience
 * must be able to open it), and one that asks for a 回执 only while its deadline is ahead.
 */
static int guard_publish(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
			 json_object *body)
{
	(void)r;
	(void)body;
	const PGresult *row = s->ext;
	const char *on = db_val(row, 0, "publish_on");
	if (on && strcmp(on, today(c)) > 0)
		kw_field_error(c, "publish_on", 0, "not_future",
			       "发布日期还未到，请到发布日期当天再发布，或把发布日期改为今天");
	if (db_bool(row, 0, "receipt") && !receipt_open(c, row, 0))
		kw_field_error(c, "receipt_deadline", 0, "future",
			       "回执截止时间已过，请先修改截止时间再发布");
	return kw_validation_result(c);
}

/* The move; publishing also tells every org of the audience (站内信, same transaction). */
static int notice_move(struct kw_ctx *c, struct wf_subject *s, const struct wf_move *m, bool *moved)
{
	int err;
	const char *nid = db_ltoa(c, s->id);
	PGresult *r = db_query(c, &q_move, &err, nid, m->from, m->to, m->now);
	if (!r)
		return err;
	*moved = !strcmp(PQcmdTuples(r), "1");
	if (!*moved || strcmp(m->to, "published"))
		return KW_OK;
	return tell_audience(c, nid, s->name, NULL);
}

/* Notices keep their history in the audit log; there is no trail page to write. */
static int notice_trail(struct kw_ctx *c, const struct wf_subject *s, const struct wf_move *m)
{
	(void)c;
	(void)s;
	(void)m;
	return KW_OK;
}

int notice_act(struct kw_ctx *c, long id, const char *action)
{
	int a = wf_action_of(&notice_wf, action);
	if (a < 0 || !actions[a].endpoint)
		return kw_fail(c, KW_ENOTFOUND, "没有这个操作");
	return wf_run(c, &notice_wf, id, action, NULL);
}

/* ------------------------------------------------------------------ reading */

int notice_list(struct kw_ctx *c, const struct notice_filter *f, long page, long per_page,
		json_object **items, long *total)
{
	int err;
	const char *status = f->status && *f->status ? f->status : NULL;
	if (status && !wf_status_find(&notice_wf, status))
		kw_field_error(c, "status", 0, "enum", "状态应为 draft、published 或 withdrawn");
	if (f->q && kw_utf8_len(f->q, strlen(f->q)) > 100)
		kw_field_error(c, "q", 0, "length", "查询内容不能超过 100 个字");
	if ((err = kw_validation_result(c)))
		return err;
	const char *v = viewer(c), *me = db_ltoa(c, c->user.org_id), *d = today(c);
	const char *q = f->q && *f->q ? f->q : NULL, *unread = f->unread ? "true" : "false";
	PGresult *cnt = db_query(c, &q_count, &err, v, me, d, q, status, unread);
	if (!cnt)
		return err;
	*total = strtol(PQgetvalue(cnt, 0, 0), NULL, 10);
	PGresult *r = db_query(c, &q_list, &err, v, me, d, q, status, unread, db_ltoa(c, per_page),
			       db_ltoa(c, (page - 1) * per_page));
	if (!r)
		return err;
	json_object *a = kwj_own(c, json_object_new_array());
	bool center = !strcmp(v, "center");
	for (int i = 0; i < PQntuples(r); i++)
		json_object_array_add(a, notice_json(c, r, i, center));
	*items = a;
	return KW_OK;
}

/* {"id", "name", "size", "mime"} of each attachment of nid. */
static int attachments_json(struct kw_ctx *c, const char *nid, json_object *o)
{
	int err;
	PGresult *fl = db_query(c, &q_files, &err, nid);
	if (!fl)
		return err;
	json_object *a = json_object_new_array();
	for (int i = 0; i < PQntuples(fl); i++) {
		json_object *x = json_object_new_object();
		kwj_add_int(x, "id", db_long(fl, i, "id"));
		kwj_add_str(x, "name", db_val(fl, i, "name"));
		kwj_add_int(x, "size", db_long(fl, i, "size"));
		kwj_add_str(x, "mime", db_val(fl, i, "mime"));
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "attachments", a);
	return KW_OK;
}

static int receipt_json(struct kw_ctx *c, long notice_id, long org_id, json_object **out);

int notice_get(struct kw_ctx *c, long id, json_object **out)
{
	int err;
	const char *v = viewer(c), *me = db_ltoa(c, c->user.org_id), *nid = db_ltoa(c, id);
	PGresult *r = db_query(c, &q_get, &err, v, me, today(c), nid);
	if (!r)
		return err;
	if (!PQntuples(r))
		return kw_fail(c, KW_ENOTFOUND, "通知公告不存在");
	bool center = !strcmp(v, "center");
	json_object *o = kwj_own(c, notice_json(c, r, 0, center));
	kwj_add_str(o, "body", db_val(r, 0, "body_html"));
	if ((err = attachments_json(c, nid, o)))
		return err;
	if (center) {
		PGresult *og = db_query(c, &q_orgs, &err, nid);
		if (!og)
			return err;
		json_object *a = json_object_new_array();
		for (int i = 0; i < PQntuples(og); i++)
			json_object_array_add(
			    a, kwj_id_name(db_long(og, i, "id"), db_val(og, i, "name")));
		json_object_object_add(o, "orgs", a);
		struct wf_subject s = {.id = id, .status = db_val(r, 0, "status")};
		json_object_object_add(o, "actions", wf_actions_json(c, &notice_wf, &s));
		*out = o;
		return KW_OK;
	}
	/* 查看详情 marks the notice read for the caller's org (once; the first reader counts). */
	if (!db_query(c, &q_mark_read, &err, nid, me, db_ltoa(c, c->user.id), kw_now_text(c)))
		return err;
	json_object_object_del(o, "read");
	kwj_add_bool(o, "read", true);
	json_object *mine = NULL;
	if ((err = receipt_json(c, id, c->user.org_id, &mine)))
		return err;
	kwj_put(o, "my_receipt", mine);
	*out = o;
	return KW_OK;
}

static struct db_stmt q_public_file = DB_STMT(
    "notice_public_file",
    "SELECT 1 FROM notices n JOIN notice_files f ON f.notice_id = n.id WHERE n.id = $1 AND"
    " f.file_id = $2 AND n.is_public AND n.status = 'published' AND n.publish_on <= $3::date");
static struct db_stmt q_visible_file = DB_STMT(
    "notice_visible_file", "SELECT 1 FROM notices n JOIN notice_files f ON f.notice_id = n.id"
			   " WHERE n.id = $4 AND f.file_id = $5 AND " NOTICE_VISIBLE);

int notice_attachment(struct kw_ctx *c, long id, long file_id, bool public_site,
		      struct file_blob *out)
{
	int err;
	PGresult *r =
	    public_site
		? db_query(c, &q_public_file, &err, db_ltoa(c, id), db_ltoa(c, file_id), today(c))
		: db_query(c, &q_visible_file, &err, viewer(c), db_ltoa(c, c->user.org_id),
			   today(c), db_ltoa(c, id), db_ltoa(c, file_id));
	if (!r)
		return err;
	if (!PQntuples(r))
		return kw_fail(c, KW_ENOTFOUND, "附件不存在");
	return file_fetch_attached(c, file_id, out);
}

/* ------------------------------------------------------------------ 回执 */

static struct db_stmt q_receipt_notice =
    DB_STMT("notice_receipt_notice",
	    "SELECT n.id, n.title, n.receipt, kw_ts(n.receipt_deadline) AS"
	    " receipt_deadline FROM notices n WHERE n.id = $4::bigint AND " NOTICE_VISIBLE
	    " FOR UPDATE OF n");
static struct db_stmt q_receipt_get = DB_STMT(
    "notice_receipt_get",
    "SELECT r.id, r.unit_name, r.arrive_at, r.invoice_type, r.invoice_title, r.tax_no, r.bank,"
    " r.bank_account, r.recipient_name, r.recipient_phone, r.mail_address,"
    " kw_ts(r.submitted_at) AS submitted_at, kw_ts(r.updated_at) AS updated_at"
    " FROM notice_receipts r WHERE r.notice_id = $1 AND r.org_id = $2");
static struct db_stmt q_attendees =
    DB_STMT("notice_attendees", "SELECT name, sex, title, phone, lodging, private_room FROM"
				" notice_attendees WHERE receipt_id = $1 ORDER BY pos");
static struct db_stmt q_receipt_upsert = DB_STMT(
    "notice_receipt_upsert",
    "INSERT INTO notice_receipts (notice_id, org_id, unit_name, arrive_at, invoice_type,"
    " invoice_title, tax_no, bank, bank_account, recipient_name, recipient_phone, mail_address,"
    " submitted_by, submitted_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
    " $11, $12, $13, $14, $14) ON CONFLICT (notice_id, org_id) DO UPDATE SET unit_name = $3,"
    " arrive_at = $4, invoice_type = $5, invoice_title = $6, tax_no = $7, bank = $8,"
    " bank_account = $9, recipient_name = $10, recipient_phone = $11, mail_address = $12,"
    " submitted_by = $13, updated_at = $14 RETURNING id");
static struct db_stmt q_attendees_del =
    DB_STMT("notice_attendees_del", "DELETE FROM notice_attendees WHERE receipt_id = $1");
static struct db_stmt q_attendee_add =
    DB_STMT("notice_attendee_add",
	    "INSERT INTO notice_attendees (receipt_id, pos, name, sex, title,"
	    " phone, lodging, private_room) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");

/* The org's receipt of a notice as JSON, or NULL when it has none. */
static int receipt_json(struct kw_ctx *c, long notice_id, long org_id, json_object **out)
{
	int err;
	*out = NULL;
	PGresult *r = db_query(c, &q_receipt_get, &err, db_ltoa(c, notice_id), db_ltoa(c, org_id));
	if (!r)
		return err;
	if (!PQntuples(r))
		return KW_OK;
	static const char *const cols[] = {"unit_name",	    "arrive_at",      "invoice_type",
					   "invoice_title", "tax_no",	      "bank",
					   "bank_account",  "recipient_name", "recipient_phone",
					   "mail_address",  "submitted_at",   "updated_at"};
	json_object *o = kwj_own(c, json_object_new_object());
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		kwj_add_str(o, cols[i], db_val(r, 0, cols[i]));
	PGresult *a = db_query(c, &q_attendees, &err, db_val(r, 0, "id"));
	if (!a)
		return err;
	json_object *arr = json_object_new_array();
	for (int i = 0; i < PQntuples(a); i++) {
		json_object *x = json_object_new_object();
		kwj_add_str(x, "name", db_val(a, i, "name"));
		kwj_add_str(x, "sex", db_val(a, i, "sex"));
		kwj_add_str(x, "title", db_val(a, i, "title"));
		kwj_add_str(x, "phone", db_val(a, i, "phone"));
		kwj_add_bool(x, "lodging", db_bool(a, i, "lodging"));
		kwj_add_bool(x, "private_room", db_bool(a, i, "private_room"));
		json_object_array_add(arr, x);
	}
	json_object_object_add(o, "attendees", arr);
	*out = o;
	return KW_OK;
}

/* A mainland mobile number: 11 digits starting 1[3-9]. */
static bool mobile_ok(const char *s)
{
	if (!s || strlen(s) != 11 || s[0] != '1' || s[1] < '3' || s[1] > '9')
		return false;
	for (const char *p = s; *p; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	return true;
}

/* A required text field of at most max characters; "" counts as missing. */
static const char *need(struct kw_ctx *c, json_object *o, const char *key, const char *path,
			size_t max, const char *label)
{
	const char *v = NULL;
	if (!kwj_get_string(c, o, key, path, KWJ_OPTIONAL, max, &v))
		return NULL;
	if (!v || !*v) {
		kw_field_error(c, path ? path : key, 0, "required",
			       arena_printf(c->a, "请填写%s", label));
		return NULL;
	}
	return v;
}

struct attendee {
	const char *name, *sex, *title, *phone;
	bool lodging, room;
};

int notice_receipt_put(struct kw_ctx *c, long id, json_object *body, json_object **out)
{
	int err;
	if (!body || !json_object_is_type(body, json_type_object))
		return kw_fail(c, KW_EBADREQ, "请求内容应为 JSON 对象");
	if (!(c->user.role & R_ORG) || c->user.org_id <= 0)
		return kw_fail(c, KW_EFORBIDDEN, "只有机构可以填写回执");
	const char *unit = need(c, body, "unit_name", NULL, 100, "单位名称");
	const char *arrive = need(c, body, "arrive_at", NULL, 50, "到会时间");
	const char *itype = need(c, body, "invoice_type", NULL, 20, "发票类型");
	const char *ititle = need(c, body, "invoice_title", NULL, 100, "发票抬头");
	const char *tax = need(c, body, "tax_no", NULL, 20, "纳税识别号");
	const char *bank = NULL, *account = NULL;
	kwj_get_string(c, body, "bank", NULL, KWJ_OPTIONAL, 100, &bank);
	kwj_get_string(c, body, "bank_account", NULL, KWJ_OPTIONAL, 40, &account);
	const char *rname = need(c, body, "recipient_name", NULL, 30, "发票收件人姓名");
	const char *rphone = need(c, body, "recipient_phone", NULL, 11, "发票收件人手机");
	const char *addr = need(c, body, "mail_address", NULL, 200, "发票邮寄地址");
	if (itype && strcmp(itype, "normal") && strcmp(itype, "special"))
		kw_field_error(c, "invoice_type", 0, "enum",
			       "发票类型应为普通发票或增值税专用发票");
	if (itype && !strcmp(itype, "special")) {
		if (!bank || !*bank)
			kw_field_error(c, "bank", 0, "required", "开具专用发票请填写开户行");
		if (!account || !*account)
			kw_field_error(c, "bank_account", 0, "required",
				       "开具专用发票请填写开户账号");
	}
	if (tax) {
		size_t n = strlen(tax);
		bool ok = n == 15 || n == 18 || n == 20;
		for (const char *p = tax; ok && *p; p++)
			ok = isdigit((unsigned char)*p) || isupper((unsigned char)*p);
		if (!ok)
			kw_field_error(c, "tax_no", 0, "format",
				       "纳税识别号应为 15、18 或 20 位数字或大写字母");
	}
	if (rphone && !mobile_ok(rphone))
		kw_field_error(c, "recipient_phone", 0, "format",
			       "发票收件人手机应为 11 位手机号码");
	json_object *arr = json_object_object_get(body, "attendees");
	size_t n =
	    arr && json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;
	if (!n)
		kw_field_error(c, "attendees", 0, "required", "请至少填写一位参会人");
	if (n > NOTICE_ATTENDEES_MAX)
		kw_field_error(c, "attendees", 0, "range",
			       arena_printf(c->a, "参会人最多 %d 位", NOTICE_ATTENDEES_MAX));
	struct attendee *at = arena_zalloc(c->a, sizeof(*at) * (n ? n : 1));
	for (size_t i = 0; i < n && n <= NOTICE_ATTENDEES_MAX; i++) {
		json_object *x = json_object_array_get_idx(arr, i);
		const char *p = arena_printf(c->a, "attendees[%zu]", i);
		if (!json_object_is_type(x, json_type_object)) {
			kw_field_error(c, p, 0, "type", "参会人信息格式不正确");
			continue;
		}
		at[i].name = need(c, x, "name", arena_printf(c->a, "%s.name", p), 30, "参会人姓名");
		at[i].sex = need(c, x, "sex", arena_printf(c->a, "%s.sex", p), 10, "参会人性别");
		kwj_get_string(c, x, "title", arena_printf(c->a, "%s.title", p), KWJ_OPTIONAL, 50,
			       &at[i].title);
		at[i].phone =
		    need(c, x, "phone", arena_printf(c->a, "%s.phone", p), 11, "参会人手机号");
		kwj_get_bool(c, x, "lodging", arena_printf(c->a, "%s.lodging", p), KWJ_OPTIONAL,
			     &at[i].lodging);
		kwj_get_bool(c, x, "private_room", arena_printf(c->a, "%s.private_room", p),
			     KWJ_OPTIONAL, &at[i].room);
		if (at[i].sex && strcmp(at[i].sex, "male") && strcmp(at[i].sex, "female"))
			kw_field_error(c, arena_printf(c->a, "%s.sex", p), 0, "enum",
				       "性别应为男或女");
		if (at[i].phone && !mobile_ok(at[i].phone))
			kw_field_error(c, arena_printf(c->a, "%s.phone", p), 0, "format",
				       "手机号应为 11 位手机号码");
	}
	if ((err = kw_validation_result(c)) || (err = db_begin(c)))
		return err;
	const char *nid = db_ltoa(c, id), *me = db_ltoa(c, c->user.org_id);
	PGresult *nr = db_query(c, &q_receipt_notice, &err, viewer(c), me, today(c), nid);
	if (!nr)
		return err;
	if (!PQntuples(nr))
		return kw_fail(c, KW_ENOTFOUND, "通知公告不存在");
	if (!db_bool(nr, 0, "receipt"))
		return kw_fail(c, KW_ECONFLICT, "该通知不需要填写回执");
	if (!receipt_open(c, nr, 0))
		return kw_fail(c, KW_ECONFLICT,
			       arena_printf(c->a, "回执已于 %.16s 截止，不能再提交或修改",
					    db_val(nr, 0, "receipt_deadline")));
	PGresult *r =
	    db_query(c, &q_receipt_upsert, &err, nid, me, unit, arrive, itype, ititle, tax,
		     bank && *bank ? bank : NULL, account && *account ? account : NULL, rname,
		     rphone, addr, db_ltoa(c, c->user.id), kw_now_text(c));
	if (!r)
		return err;
	const char *rid = PQgetvalue(r, 0, 0);
	if (!db_query(c, &q_attendees_del, &err, rid))
		return err;
	for (size_t i = 0; i < n; i++)
		if (!db_query(c, &q_attendee_add, &err, rid, db_ltoa(c, (long)i), at[i].name,
			      at[i].sex, at[i].title && *at[i].title ? at[i].title : NULL,
			      at[i].phone, at[i].lodging ? "true" : "false",
			      at[i].room ? "true" : "false"))
			return err;
	json_object *d = kwj_own(c, json_object_new_object());
	kwj_add_int(d, "attendees", (long)n);
	if ((err = audit_write(c, "notice.receipt", "notice", id, d)) || (err = db_commit(c)))
		return err;
	return receipt_json(c, id, c->user.org_id, out);
}

/* ------------------------------------------------------------------ the center's view */

static struct db_stmt q_status = DB_STMT(
    "notice_status",
    "SELECT a.id, a.name, kw_ts(rd.read_at) AS read_at, kw_ts(rc.submitted_at) AS answered_at"
    " FROM (" AUDIENCE_ORGS ") a LEFT JOIN notice_reads rd ON rd.notice_id = $1 AND rd.org_id ="
    " a.id LEFT JOIN notice_receipts rc ON rc.notice_id = $1 AND rc.org_id = a.id"
    " ORDER BY rc.submitted_at IS NULL, rd.read_at IS NULL, a.name");
static struct db_stmt q_exists =
    DB_STMT("notice_exists", "SELECT title FROM notices WHERE id = $1");

int notice_status(struct kw_ctx *c, long id, json_object **out)
{
	int err;
	const char *nid = db_ltoa(c, id);
	PGresult *e = db_query(c, &q_exists, &err, nid);
	if (!e)
		return err;
	if (!PQntuples(e))
		return kw_fail(c, KW_ENOTFOUND, "通知公告不存在");
	PGresult *r = db_query(c, &q_status, &err, nid);
	if (!r)
		return err;
	json_object *a = kwj_own(c, json_object_new_array());
	for (int i = 0; i < PQntuples(r); i++) {
		json_object *x = json_object_new_object();
		json_object_object_add(x, "org",
				       kwj_id_name(db_long(r, i, "id"), db_val(r, i, "name")));
		kwj_add_str(x, "read_at", db_val(r, i, "read_at"));
		kwj_add_str(x, "answered_at", db_val(r, i, "answered_at"));
		json_object_array_add(a, x);
	}
	*out = a;
	return KW_OK;
}

const struct xlsx_col notice_receipt_cols[] = {
    {.header = "机构", .type = XLSX_TEXT, .width = 36},
    {.header = "单位名称", .type = XLSX_TEXT, .width = 30},
    {.header = "到会时间", .type = XLSX_TEXT, .width = 18},
    {.header = "姓名", .type = XLSX_TEXT},
    {.header = "性别", .type = XLSX_TEXT},
    {.header = "职务", .type = XLSX_TEXT},
    {.header = "手机号", .type = XLSX_TEXT, .width = 14},
    {.header = "住宿", .type = XLSX_TEXT},
    {.header = "包房", .type = XLSX_TEXT},
    {.header = "发票类型", .type = XLSX_TEXT},
    {.header = "发票抬头", .type = XLSX_TEXT, .width = 30},
    {.header = "纳税识别号", .type = XLSX_TEXT, .width = 22},
    {.header = "开户行", .type = XLSX_TEXT, .width = 20},
    {.header = "开户账号", .type = XLSX_TEXT, .width = 22},
    {.header = "发票收件人姓名", .type = XLSX_TEXT},
    {.header = "发票收件人手机", .type = XLSX_TEXT, .width = 14},
    {.header = "发票邮寄地址", .type = XLSX_TEXT, .width = 36},
    {.header = "提交时间", .type = XLSX_DATETIME},
};
const size_t notice_receipt_ncols = sizeof(notice_receipt_cols) / sizeof(notice_receipt_cols[0]);

static struct db_stmt q_export = DB_STMT(
    "notice_receipt_export",
    "SELECT o.name, r.unit_name, r.arrive_at, a.name, CASE a.sex WHEN 'male' THEN '男' ELSE '女'"
    " END, a.title, a.phone, CASE WHEN a.lodging THEN '是' ELSE '否' END, CASE WHEN"
    " a.private_room THEN '是' ELSE '否' END, CASE r.invoice_type WHEN 'special' THEN"
    " '增值税专用发票' ELSE '普通发票' END, r.invoice_title, r.tax_no, r.bank, r.bank_account,"
    " r.recipient_name, r.recipient_phone, r.mail_address,"
    " to_char(r.updated_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS')"
    " FROM notice_receipts r JOIN orgs o ON o.id = r.org_id JOIN notice_attendees a ON"
    " a.receipt_id = r.id WHERE r.notice_id = $1 ORDER BY o.code, a.pos");

int notice_receipt_rows(struct kw_ctx *c, long id, struct db_rows **rows, const char **title)
{
	int err;
	const char *nid = db_ltoa(c, id);
	PGresult *e = db_query(c, &q_exists, &err, nid);
	if (!e)
		return err;
	if (!PQntuples(e))
		return kw_fail(c, KW_ENOTFOUND, "通知公告不存在");
	*title = db_val(e, 0, "title");
	return db_rows_query(c, &q_export, rows, nid);
}

/* ------------------------------------------------------------------ the public site */

#define PUBLIC_WHERE " n.is_public AND n.status = 'published' AND n.publish_on <= $1::date"
#define PUBLIC_COLUMNS                                                                             \
	"n.id, n.title, n.publish_on::text AS publish_on, n.section,"                              \
	" (SELECT count(*) FROM notice_files f WHERE f.notice_id = n.id) AS attachment_count"

static struct db_stmt q_pub_count =
    DB_STMT("notice_pub_count", "SELECT count(*) FROM notices n WHERE" PUBLIC_WHERE
				" AND ($2::text IS NULL OR n.section = $2::text)");
static struct db_stmt q_pub_list =
    DB_STMT("notice_pub_list", "SELECT " PUBLIC_COLUMNS " FROM notices n WHERE" PUBLIC_WHERE
			       " AND ($2::text IS NULL OR n.section = $2::text)"
			       " ORDER BY n.publish_on DESC, n.id DESC LIMIT $3 OFFSET $4");
static struct db_stmt q_pub_get =
    DB_STMT("notice_pub_get", "SELECT " PUBLIC_COLUMNS
			      ", n.body_html FROM notices n WHERE" PUBLIC_WHERE " AND n.id = $2");

static json_object *public_json(const PGresult *r, int i)
{
	json_object *o = json_object_new_object();
	kwj_add_int(o, "id", db_long(r, i, "id"));
	kwj_add_str(o, "title", db_val(r, i, "title"));
	kwj_add_str(o, "publish_on", db_val(r, i, "publish_on"));
	kwj_add_str(o, "section", db_val(r, i, "section"));
	kwj_add_int(o, "attachment_count", db_long(r, i, "attachment_count"));
	return o;
}

int notice_public_list(struct kw_ctx *c, const char *section, long page, long per_page,
		       json_object **items, long *total)
{
	int err;
	if (section && !*section)
		section = NULL;
	if (section && !one_of(section, section_codes, 3)) {
		kw_field_error(c, "section", 0, "enum", "栏目应为 work、industry 或 notice");
		return KW_EVALIDATION;
	}
	const char *d = today(c);
	PGresult *cnt = db_query(c, &q_pub_count, &err, d, section);
	if (!cnt)
		return err;
	*total = strtol(PQgetvalue(cnt, 0, 0), NULL, 10);
	PGresult *r = db_query(c, &q_pub_list, &err, d, section, db_ltoa(c, per_page),
			       db_ltoa(c, (page - 1) * per_page));
	if (!r)
		return err;
	json_object *a = kwj_own(c, json_object_new_array());
	for (int i = 0; i < PQntuples(r); i++)
		json_object_array_add(a, public_json(r, i));
	*items = a;
	return KW_OK;
}

int notice_public_get(struct kw_ctx *c, long id, json_object **out)
{
	int err;
	const char *nid = db_ltoa(c, id);
	PGresult *r = db_query(c, &q_pub_get, &err, today(c), nid);
	if (!r)
		return err;
	if (!PQntuples(r))
		return kw_fail(c, KW_ENOTFOUND, "通知公告不存在");
	json_object *o = kwj_own(c, public_json(r, 0));
	kwj_add_str(o, "body", db_val(r, 0, "body_html"));
	if ((err = attachments_json(c, nid, o)))
		return err;
	*out = o;
	return KW_OK;
}

/*
 * 站内搜索. Chinese has no spaces to split words at, so there is no word search: the
 * query must occur in the title or text as typed (ILIKE with the wildcards of the query
 * escaped; the gin trigram index serves it from three characters on, CJK characters
 * being word characters under the C.UTF-8 locale), or be close to the text by pg_trgm's
 * word_similarity (catches a slightly different wording). Title hits first.
 */
#define SEARCH_WHERE                                                                               \
	PUBLIC_WHERE " AND ((n.title || ' ' || n.body_text) ILIKE '%' || replace(replace(replace(" \
		     "$2::text, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%' OR"                 \
		     " word_similarity($2::text, n.title || ' ' || n.body_text) >= 0.6)"
static struct db_stmt q_search_count =
    DB_STMT("notice_search_count", "SELECT count(*) FROM notices n WHERE" SEARCH_WHERE);
static struct db_stmt q_search = DB_STMT(
    "notice_search",
    "SELECT " PUBLIC_COLUMNS ", substr(n.body_text, greatest(1, strpos(n.body_text, $2::text)"
    " - 30), 120) AS excerpt FROM notices n WHERE" SEARCH_WHERE
    " ORDER BY strpos(n.title, $2::text) > 0 DESC, word_similarity($2::text, n.title || ' ' ||"
    " n.body_text) DESC, n.publish_on DESC, n.id DESC LIMIT $3 OFFSET $4");

int notice_search(struct kw_ctx *c, const char *q, long page, long per_page, json_object **items,
		  long *total)
{
	int err;
	long len = q ? kw_utf8_len(q, strlen(q)) : 0;
	if (!q || !len)
		kw_field_error(c, "q", 0, "required", "请输入要搜索的内容");
	else if (len > 50)
		kw_field_error(c, "q", 0, "length", "搜索内容不能超过 50 个字");
	if ((err = kw_validation_result(c)))
		return err;
	const char *d = today(c);
	PGresult *cnt = db_query(c, &q_search_count, &err, d, q);
	if (!cnt)
		return err;
	*total = strtol(PQgetvalue(cnt, 0, 0), NULL, 10);
	PGresult *r = db_query(c, &q_search, &err, d, q, db_ltoa(c, per_page),
			       db_ltoa(c, (page - 1) * per_page));
	if (!r)
		return err;
	json_object *a = kwj_own(c, json_object_new_array());
	for (int i = 0; i < PQntuples(r); i++) {
		json_object *x = public_json(r, i);
		kwj_add_str(x, "excerpt", db_val(r, i, "excerpt"));
		json_object_array_add(a, x);
	}
	*items = a;
	return KW_OK;
}
