/* finance.c - 费用管理 (R24): prices per category x level, the fee notice of a batch, the
 * station's invoice application and the center's marks, as a chain on the workflow engine. */
#include "finance.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "core/clock.h"
#include "core/json.h"
#include "db/db.h"
#include "message.h"
#include "org.h"
#include "ref.h"

/* ------------------------------------------------------------------ the chain */

static const struct wf_status statuses[] = {
    {"draft", 6, "待发送", "待发送", R_CENTER, WF_PARAM_NONE},
    {"unpaid", 6, "待缴费", "待缴费", R_STATION, WF_PARAM_NONE},
    {"invoice_applied", 6, "已申请发票", "已申请发票", R_CENTER, WF_PARAM_NONE},
    {"invoiced", 6, "已开票", "已开票", R_CENTER, WF_PARAM_NONE},
    {"paid", 6, "已缴费", "已缴费", 0, WF_PARAM_NONE},
};

enum fee_action { FA_EDIT, FA_SEND, FA_APPLY, FA_INVOICED, FA_PAID, FA_N };

static const struct wf_action actions[FA_N] = {
    [FA_EDIT] = {"edit", "修改费用", false, NULL},
    [FA_SEND] = {"send", "发送缴费通知", true, NULL},
    [FA_APPLY] = {"apply_invoice", "申请发票", true, NULL},
    [FA_INVOICED] = {"invoiced", "标记已开票", true, NULL},
    [FA_PAID] = {"paid", "标记已缴费", true, NULL},
};

static int guard_invoice(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
			 json_object *body);
static int guard_invoiced(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
			  json_object *body);
static int guard_paid(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
		      json_object *body);

/* clang-format off */
#define C WF_CENTER
#define O WF_OWNER
#define NOTICE_MSG "您收到了一个费用信息，请查看"
#define PAID_LINE "{actor}确认已缴费，缴费日期：{paid_on}"
#define PAID_MSG "您的费用已确认缴纳，请查看"
static const struct wf_row rows[] = {
    {"draft", FA_EDIT, R_CENTER, C, WF_ALWAYS, NULL, NULL, NULL, {{0}}, NULL, NULL},
    {"unpaid", FA_EDIT, R_CENTER, C, WF_ALWAYS, NULL, NULL, NULL, {{0}}, NULL, NULL},
    {"draft", FA_SEND, R_CENTER, C, WF_ALWAYS, "unpaid", NULL, "{actor}发送缴费通知",
     {{WF_TO_OWNER, NOTICE_MSG}}, NULL, NULL},
    {"unpaid", FA_APPLY, R_STATION, O, WF_ALWAYS, "invoice_applied", guard_invoice,
     "{actor}申请开具发票", {{WF_TO_CENTER, "{org}已申请开具发票（{name}），请查看"}}, NULL, NULL},
    {"invoice_applied", FA_INVOICED, R_CENTER, C, WF_ALWAYS, "invoiced", guard_invoiced,
     "{actor}已开具发票，发票号码：{invoice_no}", {{WF_TO_OWNER, "您申请的发票已开具，请查看"}},
     NULL, NULL},
    {"invoiced", FA_PAID, R_CENTER, C, WF_ALWAYS, "paid", guard_paid, PAID_LINE,
     {{WF_TO_OWNER, PAID_MSG}}, NULL, NULL},
    {"unpaid", FA_PAID, R_CENTER, C, WF_ALWAYS, "paid", guard_paid, PAID_LINE,
     {{WF_TO_OWNER, PAID_MSG}}, NULL, NULL},
};
#undef C
#undef O
/* clang-format on */

static int fee_load(struct kw_ctx *c, long id, bool lock, struct wf_subject *s);
static int fee_move(struct kw_ctx *c, struct wf_subject *s, const struct wf_move *m, bool *moved);
static int fee_trail(struct kw_ctx *c, const struct wf_subject *s, const struct wf_move *m);

const struct wf_def fee_wf = {
    .entity = "fee",
    .noun = "费用",
    .link = "/app/fees/%ld",
    .statuses = statuses,
    .nstatuses = sizeof(statuses) / sizeof(statuses[0]),
    .actions = actions,
    .nactions = FA_N,
    .rows = rows,
    .nrows = sizeof(rows) / sizeof(rows[0]),
    .load = fee_load,
    .move = fee_move,
    .trail = fee_trail,
    .audit_code = false,
};

/* What a guard prepared for the move. */
struct fee_ext {
	const char *invoice; /* JSON text */
	const char *invoice_no;
	const char *paid_on;
};

/* ------------------------------------------------------------------ small helpers */

bool finance_uscc_valid(const char *s)
{
	static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	static const int weights[17] = {1,  3,	9,  27, 19, 26, 16, 17, 20,
					29, 25, 13, 8,	24, 10, 30, 28};
	if (!s || strlen(s) != 18)
		return false;
	int sum = 0;
	for (int i = 0; i < 18; i++) {
		const char *p = s[i] ? strchr(alphabet, s[i]) : NULL;
		if (!p)
			return false;
		if (i < 17)
			sum += (int)(p - alphabet) * weights[i];
		else
			return (int)(p - alphabet) == (31 - sum % 31) % 31;
	}
	return false;
}

const char *finance_yuan(struct kw_ctx *c, long fen)
{
	return arena_printf(c->a, "%s%ld.%02ld", fen < 0 ? "-" : "", labs(fen) / 100,
			    labs(fen) % 100);
}

/* True when s matches a mobile (1[3-9] + 9 digits) or a landline (0 + area code, "-"
 * optional, 7-8 digits, optional "-" extension). */
static bool phone_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9' && strspn(s, "0123456789") == 11)
		return true;
	if (s[0] != '0')
		return false;
	size_t digits = 0, dashes = 0;
	for (const char *p = s; *p; p++) {
		if (isdigit((unsigned char)*p))
			digits++;
		else if (*p == '-' && p != s && p[1])
			dashes++;
		else
			return false;
	}
	return dashes <= 2 && digits >= 10 && digits <= 16;
}

/* Read amount_fen: an integer (never a float: 0.1 yuan written as 0.1 is refused) in range. */
static bool read_fen(struct kw_ctx *c, json_object *body, const char *key, const char *path,
		     long min, long max, long *out)
{
	const char *name = path ? path : key;
	json_object *v = NULL;
	if (!json_object_object_get_ex(body, key, &v) || !v ||
	    json_object_is_type(v, json_type_null)) {
		kw_field_error(c, name, 0, "required", "请填写金额");
		return false;
	}
	if (!json_object_is_type(v, json_type_int)) {
		kw_field_error(c, name, 0, "R24", "金额应为以分为单位的整数");
		return false;
	}
	int64_t n = json_object_get_int64(v);
	if (n < min || n > max) {
		kw_field_error(c, name, 0, "range",
			       arena_printf(c->a, "金额应在 %s 元到 %s 元之间",
					    finance_yuan(c, min), finance_yuan(c, max)));
		return false;
	}
	*out = (long)n;
	return true;
}

/* ------------------------------------------------------------------ prices */

static struct db_stmt q_prices =
    DB_STMT("fee_prices", "SELECT category, level, price_fen FROM fee_prices"
			  " ORDER BY category DESC, level DESC");
static struct db_stmt q_price_set = DB_STMT(
    "fee_price_set", "INSERT INTO fee_prices (category, level, price_fen, updated_by, updated_at)"
		     " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (category, level) DO UPDATE SET"
		     " price_fen = EXCLUDED.price_fen, updated_by = EXCLUDED.updated_by,"
		     " updated_at = EXCLUDED.updated_at");

int finance_prices(struct kw_ctx *c, json_object **out)
{
	int err;
	PGresult *res = db_query(c, &q_prices, &err);
	if (!res)
		return err;
	json_object *o = kwj_own(c, json_object_new_object());
	json_object *a = json_object_new_array();
	json_object_object_add(o, "items", a);
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *e = json_object_new_object();
		const char *cat = db_val(res, i, "category");
		int level = (int)db_long(res, i, "level");
		kwj_add_str(e, "category", cat);
		kwj_add_str(e, "category_text", ref_category_name(cat));
		kwj_add_int(e, "level", level);
		kwj_add_str(e, "level_text", ref_level_name(level));
		kwj_add_int(e, "price_fen", db_long(res, i, "price_fen"));
		json_object_array_add(a, e);
	}
	*out = o;
	return KW_OK;
}

int finance_prices_set(struct kw_ctx *c, json_object *body)
{
	int err;
	json_object *items = NULL;
	if (!body || !json_object_is_type(body, json_type_object))
		return kw_fail(c, KW_EBADREQ, "请求内容应为 JSON 对象");
	if (!json_object_object_get_ex(body, "items", &items) ||
	    !json_object_is_type(items, json_type_array) || !json_object_array_length(items)) {
		kw_field_error(c, "items", 0, "required", "请填写收费标准");
		return KW_EVALIDATION;
	}
	size_t n = json_object_array_length(items);
	if (n > 10) {
		kw_field_error(c, "items", 0, "range", "收费标准最多 10 项（两个类别 × 五个等级）");
		return KW_EVALIDATION;
	}
	const char **cats = arena_alloc(c->a, n * sizeof(*cats));
	long *levels = arena_alloc(c->a, n * sizeof(long)),
	     *prices = arena_alloc(c->a, n * sizeof(long));
	for (size_t i = 0; i < n; i++) {
		json_object *it = json_object_array_get_idx(items, i);
		const char *path = arena_printf(c->a, "items[%zu]", i);
		if (!json_object_is_type(it, json_type_object)) {
			kw_field_error(c, path, 0, "type", "每一项应为对象");
			continue;
		}
		cats[i] = NULL;
		if (kwj_get_string(c, it, "category", arena_printf(c->a, "%s.category", path),
				   KWJ_REQUIRED, 20, &cats[i]) &&
		    strcmp(cats[i], "national") && strcmp(cats[i], "industry"))
			kw_field_error(c, arena_printf(c->a, "%s.category", path), 0, "enum",
				       "类别应为 national 或 industry");
		kwj_get_int(c, it, "level", arena_printf(c->a, "%s.level", path), KWJ_REQUIRED, 1,
			    5, &levels[i]);
		read_fen(c, it, "price_fen", arena_printf(c->a, "%s.price_fen", path), 0,
			 PRICE_MAX_FEN, &prices[i]);
	}
	if ((err = kw_validation_result(c)))
		return err;
	if ((err = db_begin(c)))
		return err;
	const char *now = kw_now_text(c), *me = db_ltoa(c, c->user.id);
	json_object *detail = kwj_own(c, json_object_new_array());
	for (size_t i = 0; i < n; i++) {
		if (!db_query(c, &q_price_set, &err, cats[i], db_ltoa(c, levels[i]),
			      db_ltoa(c, prices[i]), me, now))
			return err;
		json_object *d = json_object_new_object();
		kwj_add_str(d, "category", cats[i]);
		kwj_add_int(d, "level", levels[i]);
		kwj_add_int(d, "price_fen", prices[i]);
		json_object_array_add(detail, d);
	}
	if ((err = audit_write(c, "fee.prices", "fee_prices", 0, detail)))
		return err;
	return db_commit(c);
}

/* ------------------------------------------------------------------ loading a fee */

#define FEE_COLS                                                                                   \
	"SELECT f.id, f.batch_id, f.org_id, f.amount_fen, f.basis, f.note, f.status,"              \
	" f.status_param, f.invoice::text AS invoice, f.invoice_no, f.paid_on::text AS paid_on,"   \
	" kw_ts(f.created_at) AS created_at, kw_ts(f.updated_at) AS updated_at,"                   \
	" kw_ts(f.sent_at) AS sent_at, kw_ts(f.applied_at) AS applied_at,"                         \
	" kw_ts(f.invoiced_at) AS invoiced_at, kw_ts(f.paid_at) AS paid_at,"                       \
	" b.name AS batch_name, b.code AS batch_code, o.name AS org_name, o.parent_id,"            \
	" p.kind AS parent_kind, p.name AS parent_name,"                                           \
	" (SELECT c.id FROM orgs c WHERE c.kind = 'center' ORDER BY c.id LIMIT 1) AS center_id"
#define FEE_FROM                                                                                   \
	" FROM fees f JOIN batches b ON b.id = f.batch_id JOIN orgs o ON o.id = f.org_id"          \
	" LEFT JOIN orgs p ON p.id = o.parent_id"
/* In scope; a draft for the center and (so that an early action reads 409) its own station. */
#define FEE_VISIBLE                                                                                \
	" WHERE f.id = $1 AND " ORG_SCOPE_SQL("f.org_id", "$2", "$3") " AND (f.status <> 'draft'"  \
								      " OR $2::text = 'all'"       \
								      " OR f.org_id = $4::bigint)"

static struct db_stmt q_fee = DB_STMT("fee_row", FEE_COLS FEE_FROM FEE_VISIBLE);
static struct db_stmt q_fee_lock =
    DB_STMT("fee_row_lock", FEE_COLS FEE_FROM FEE_VISIBLE " FOR UPDATE OF f");

/* Load fee id as the caller may see it; the row in *row when asked. */
static int fee_load_row(struct kw_ctx *c, long id, bool lock, struct wf_subject *s, PGresult **row)
{
	int err;
	struct org_scope sc;
	memset(s, 0, sizeof(*s));
	org_scope_of(c, &sc);
	long own = (c->user.role & R_STATION) ? c->user.org_id : 0;
	PGresult *res = db_query(c, lock ? &q_fee_lock : &q_fee, &err, db_ltoa(c, id),
				 sc.kind_param, sc.root_param, db_ltoa(c, own));
	if (!res)
		return err;
	if (!PQntuples(res))
		return kw_fail(c, KW_ENOTFOUND, "费用不存在");
	s->id = id;
	s->org_id = db_long(res, 0, "org_id");
	s->center_id = db_long(res, 0, "center_id");
	const char *pk = db_val(res, 0, "parent_kind");
	s->has_l2 = pk && !strcmp(pk, "level2");
	s->l2_id = s->has_l2 ? db_long(res, 0, "parent_id") : 0;
	s->l2_name = s->has_l2 ? db_val(res, 0, "parent_name") : NULL;
	s->name = db_val(res, 0, "batch_name");
	s->code = db_val(res, 0, "batch_code");
	s->status = db_val(res, 0, "status");
	s->status_param = db_val(res, 0, "status_param");
	s->org_name = db_val(res, 0, "org_name");
	s->ext = arena_alloc(c->a, sizeof(struct fee_ext));
	memset(s->ext, 0, sizeof(struct fee_ext));
	if (row)
		*row = res;
	return KW_OK;
}

static int fee_load(struct kw_ctx *c, long id, bool lock, struct wf_subject *s)
{
	return fee_load_row(c, id, lock, s, NULL);
}

/* ------------------------------------------------------------------ guards */

/* One invoice field: a string of at most max characters; required when req. */
static const char *inv_field(struct kw_ctx *c, json_object *body, const char *key, bool req,
			     size_t max, const char *what)
{
	const char *v = NULL;
	if (!kwj_get_string(c, body, key, NULL, KWJ_OPTIONAL, max, &v))
		return NULL;
	if (v && !*v)
		v = NULL;
	if (!v && req)
		kw_field_error(c, key, 0, "required", arena_printf(c->a, "请填写%s", what));
	return v;
}

/*
 * 去申请 (the manual's 发票信息): type 普票/专票, 发票抬头, 纳税识别号 (18-character
 * 统一社会信用代码), 注册地址及电话 and 开户行及账号 (required for a 专票), 邮寄地址, 邮编, 收件人,
 * 联系电话. The checked invoice is kept for the move.
 */
static int guard_invoice(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
			 json_object *body)
{
	(void)r;
	if (!body)
		return kw_fail(c, KW_EBADREQ, "请填写发票信息");
	const char *type = inv_field(c, body, "type", true, 20, "发票类型");
	if (type && strcmp(type, "normal") && strcmp(type, "special"))
		kw_field_error(c, "type", 0, "enum", "发票类型应为普票（normal）或专票（special）");
	bool special = type && !strcmp(type, "special");
	const char *title = inv_field(c, body, "title", true, 100, "发票抬头");
	const char *tax = inv_field(c, body, "tax_no", true, 18, "纳税识别号");
	if (tax && !finance_uscc_valid(tax))
		kw_field_error(
		    c, "tax_no", 0, "R24",
		    "纳税识别号应为 18 位统一社会信用代码（数字或大写字母，校验位正确）");
	const char *addr = inv_field(c, body, "address_phone", special, 200, "注册地址及电话");
	const char *bank = inv_field(c, body, "bank_account", special, 200, "开户行及账号");
	const char *mail = inv_field(c, body, "mail_address", true, 200, "邮寄地址");
	const char *post = inv_field(c, body, "postcode", false, 6, "邮编");
	if (post && (strlen(post) != 6 || strspn(post, "0123456789") != 6))
		kw_field_error(c, "postcode", 0, "format", "邮编应为 6 位数字");
	const char *who = inv_field(c, body, "recipient", true, 50, "收件人");
	const char *phone = inv_field(c, body, "phone", true, 20, "联系电话");
	if (phone && !phone_valid(phone))
		kw_field_error(c, "phone", 0, "format",
			       "联系电话应为 11 位手机号码或带区号的固定电话（如 010-12345678）");
	int err = kw_validation_result(c);
	if (err)
		return err;
	json_object *inv = kwj_own(c, json_object_new_object());
	kwj_add_str(inv, "type", type);
	kwj_add_str(inv, "title", title);
	kwj_add_str(inv, "tax_no", tax);
	kwj_add_str(inv, "address_phone", addr);
	kwj_add_str(inv, "bank_account", bank);
	kwj_add_str(inv, "mail_address", mail);
	kwj_add_str(inv, "postcode", post);
	kwj_add_str(inv, "recipient", who);
	kwj_add_str(inv, "phone", phone);
	((struct fee_ext *)s->ext)->invoice = kwj_string(inv, NULL);
	return KW_OK;
}

/* 标记已开票 needs the invoice number (letters and digits, 8-20). */
static int guard_invoiced(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
			  json_object *body)
{
	(void)r;
	const char *no = NULL;
	if (!body || !kwj_get_string(c, body, "invoice_no", NULL, KWJ_REQUIRED, 20, &no))
		return kw_validation_result(c)
			   ? KW_EVALIDATION
			   : (kw_field_error(c, "invoice_no", 0, "required", "请填写发票号码"),
			      KW_EVALIDATION);
	size_t n = strlen(no);
	bool ok = n >= 8 && n <= 20;
	for (size_t i = 0; ok && i < n; i++)
		ok = isalnum((unsigned char)no[i]);
	if (!ok) {
		kw_field_error(c, "invoice_no", 0, "format", "发票号码应为 8 到 20 位数字或字母");
		return KW_EVALIDATION;
	}
	((struct fee_ext *)s->ext)->invoice_no = no;
	return KW_OK;
}

/* 标记已缴费 needs the date the money arrived (not in the future). */
static int guard_paid(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
		      json_object *body)
{
	(void)r;
	const char *d = NULL;
	time_t t;
	if (!body || !kwj_get_string(c, body, "paid_on", NULL, KWJ_REQUIRED, 10, &d)) {
		if (!kw_validation_result(c))
			kw_field_error(c, "paid_on", 0, "required", "请填写缴费日期");
		return KW_EVALIDATION;
	}
	if (strlen(d) != 10 || !kw_parse_time(d, &t)) {
		kw_field_error(c, "paid_on", 0, "format", "缴费日期应为 YYYY-MM-DD");
		return KW_EVALIDATION;
	}
	char today[16];
	kw_format_date(c->now, today, sizeof(today));
	if (strcmp(d, today) > 0) {
		kw_field_error(c, "paid_on", 0, "range", "缴费日期不能晚于今天");
		return KW_EVALIDATION;
	}
	((struct fee_ext *)s->ext)->paid_on = d;
	return KW_OK;
}

/* ------------------------------------------------------------------ moves */

static struct db_stmt q_move =
    DB_STMT("fee_move",
	    "UPDATE fees SET status = $3, status_param = $4, updated_at = $5::timestamptz,"
	    " sent_at = CASE WHEN $3 = 'unpaid' THEN $5::timestamptz ELSE sent_at END,"
	    " invoice = coalesce($6::jsonb, invoice),"
	    " applied_at = CASE WHEN $6::text IS NULL THEN applied_at ELSE $5::timestamptz END,"
	    " invoice_no = coalesce($7, invoice_no),"
	    " invoiced_at = CASE WHEN $7::text IS NULL THEN invoiced_at ELSE $5::timestamptz END,"
	    " paid_on = coalesce($8::date, paid_on),"
	    " paid_at = CASE WHEN $8::text IS NULL THEN paid_at ELSE $5::timestamptz END"
	    " WHERE id = $1 AND status = $2");
static struct db_stmt q_trail = DB_STMT(
    "fee_trail_add", "INSERT INTO fee_trail (fee_id, at, actor_id, actor, action, from_status,"
		     " to_status, comment, text) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");

/* The engine's move: the status (proving the one it came from) and what the guard prepared. */
static int fee_move(struct kw_ctx *c, struct wf_subject *s, const struct wf_move *m, bool *moved)
{
	int err;
	const struct fee_ext *x = s->ext;
	PGresult *res = db_query(c, &q_move, &err, db_ltoa(c, s->id), m->from, m->to, m->param,
				 m->now, x->invoice, x->invoice_no, x->paid_on);
	if (!res)
		return err;
	*moved = !strcmp(PQcmdTuples(res), "1");
	return KW_OK;
}

/* Add a trail line of fee s. */
static int trail_add(struct kw_ctx *c, long id, const char *actor, const char *action,
		     const char *from, const char *to, const char *comment, const char *text)
{
	int err;
	db_query(c, &q_trail, &err, db_ltoa(c, id), kw_now_text(c), db_ltoa(c, c->user.id), actor,
		 action, from, to, comment, text);
	return err;
}

/* The engine's trail line of a move. */
static int fee_trail(struct kw_ctx *c, const struct wf_subject *s, const struct wf_move *m)
{
	return trail_add(c, s->id, m->actor, actions[m->row->action].code, m->from, m->to,
			 m->comment, m->trail);
}

int finance_act(struct kw_ctx *c, long id, const char *action, json_object *body)
{
	return wf_run(c, &fee_wf, id, action, body);
}

/* ------------------------------------------------------------------ the batch's fee */

static struct db_stmt q_batch =
    DB_STMT("fee_batch", "SELECT b.id, b.org_id, b.name, b.code, b.status,"
			 " (SELECT f.id FROM fees f WHERE f.batch_id = b.id) AS fee_id"
			 " FROM batches b WHERE b.id = $1");
static struct db_stmt q_batch_lock =
    DB_STMT("fee_batch_lock", "SELECT b.id, b.org_id, b.name, b.code, b.status,"
			      " (SELECT f.id FROM fees f WHERE f.batch_id = b.id) AS fee_id"
			      " FROM batches b WHERE b.id = $1 FOR UPDATE OF b");
/* Per category x level of the batch's items and certificates: the price, the enrolled
 * candidates (not rejected) and the passed ones (certificates once issued, else passing
 * scores). */
static struct db_stmt q_lines =
    DB_STMT("fee_lines",
	    "WITH lv AS (SELECT category, level FROM batch_items WHERE batch_id = $1"
	    " UNION SELECT category, level FROM certificates WHERE batch_id = $1),"
	    " issued AS (SELECT count(*) AS n FROM certificates WHERE batch_id = $1)"
	    " SELECT lv.category, lv.level, coalesce(p.price_fen, 0) AS price_fen,"
	    " (SELECT count(*) FROM enrollments e JOIN batch_items i ON i.id = e.item_id"
	    "  WHERE e.batch_id = $1 AND e.status = 'submitted' AND i.category = lv.category"
	    "  AND i.level = lv.level) AS enrolled,"
	    " CASE WHEN (SELECT n FROM issued) > 0 THEN (SELECT count(*) FROM certificates ce"
	    "  WHERE ce.batch_id = $1 AND ce.category = lv.category AND ce.level = lv.level)"
	    " ELSE (SELECT count(*) FROM scores sc JOIN batch_items i ON i.id = sc.item_id"
	    "  WHERE i.batch_id = $1 AND sc.grade IN ('pass', 'good', 'excellent')"
	    "  AND i.category = lv.category AND i.level = lv.level) END AS passed"
	    " FROM lv LEFT JOIN fee_prices p ON p.category = lv.category AND p.level = lv.level"
	    " ORDER BY lv.category DESC, lv.level DESC");
static struct db_stmt q_insert =
    DB_STMT("fee_insert",
	    "INSERT INTO fees (batch_id, org_id, amount_fen, basis, note, created_by, created_at,"
	    " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (batch_id) DO NOTHING"
	    " RETURNING id");
static struct db_stmt q_update =
    DB_STMT("fee_update", "UPDATE fees SET amount_fen = $3, basis = $4, note = $5,"
			  " updated_at = $6 WHERE id = $1 AND status = $2");

/* Batches in these statuses (from the exam on) may be charged. */
static bool chargeable(const char *status)
{
	static const char *const ok[] = {"examining",	   "score_org2",     "score_staff",
					 "score_director", "score_rejected", "certifying",
					 "certified",	   "shipped",	     "received"};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp(status, ok[i]))
			return true;
	return false;
}

int finance_batch_fee(struct kw_ctx *c, long batch_id, json_object **out)
{
	int err;
	PGresult *b = db_query(c, &q_batch, &err, db_ltoa(c, batch_id));
	if (!b)
		return err;
	if (!PQntuples(b))
		return kw_fail(c, KW_ENOTFOUND, "批次不存在");
	PGresult *res = db_query(c, &q_lines, &err, db_ltoa(c, batch_id));
	if (!res)
		return err;
	json_object *o = kwj_own(c, json_object_new_object());
	json_object *batch = kwj_id_name(batch_id, db_val(b, 0, "name"));
	kwj_add_str(batch, "code", db_val(b, 0, "code"));
	kwj_add_bool(batch, "chargeable", chargeable(db_val(b, 0, "status")));
	json_object_object_add(o, "batch", batch);
	json_object *lines = json_object_new_array();
	json_object_object_add(o, "lines", lines);
	long passed = 0, enrolled = 0, by_passed = 0, by_enrolled = 0;
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *e = json_object_new_object();
		const char *cat = db_val(res, i, "category");
		int level = (int)db_long(res, i, "level");
		long price = db_long(res, i, "price_fen"), p = db_long(res, i, "passed"),
		     n = db_long(res, i, "enrolled");
		kwj_add_str(e, "category", cat);
		kwj_add_str(e, "category_text", ref_category_name(cat));
		kwj_add_int(e, "level", level);
		kwj_add_str(e, "level_text", ref_level_name(level));
		kwj_add_int(e, "price_fen", price);
		kwj_add_int(e, "passed", p);
		kwj_add_int(e, "enrolled", n);
		json_object_array_add(lines, e);
		passed += p;
		enrolled += n;
		by_passed += price * p;
		by_enrolled += price * n;
	}
	kwj_add_int(o, "passed", passed);
	kwj_add_int(o, "enrolled", enrolled);
	json_object *def = json_object_new_object();
	kwj_add_int(def, "passed", by_passed);
	kwj_add_int(def, "enrolled", by_enrolled);
	json_object_object_add(o, "default_amount_fen", def);
	long fee_id = db_long(b, 0, "fee_id");
	json_object *fee = NULL;
	if (fee_id && (err = finance_fee_get(c, fee_id, &fee)))
		return err;
	kwj_put(o, "fee", fee);
	*out = o;
	return KW_OK;
}

int finance_fee_put(struct kw_ctx *c, long batch_id, json_object *body, long *fee_id, bool *created)
{
	int err;
	long amount = 0;
	const char *basis = NULL, *note = NULL;
	*fee_id = 0;
	*created = false;
	if (!body || !json_object_is_type(body, json_type_object))
		return kw_fail(c, KW_EBADREQ, "请求内容应为 JSON 对象");
	read_fen(c, body, "amount_fen", NULL, 1, FEE_MAX_FEN, &amount);
	if (kwj_get_string(c, body, "basis", NULL, KWJ_REQUIRED, 20, &basis) &&
	    strcmp(basis, "passed") && strcmp(basis, "enrolled"))
		kw_field_error(c, "basis", 0, "enum",
			       "计费依据应为 passed（合格人数）或 enrolled（报名人数）");
	kwj_get_string(c, body, "note", NULL, KWJ_OPTIONAL, 500, &note);
	if (note && !*note)
		note = NULL;
	if ((err = kw_validation_result(c)))
		return err;

	PGresult *b = db_query(c, &q_batch, &err, db_ltoa(c, batch_id));
	if (!b)
		return err;
	if (!PQntuples(b))
		return kw_fail(c, KW_ENOTFOUND, "批次不存在");
	long existing = db_long(b, 0, "fee_id");
	json_object *detail = kwj_own(c, json_object_new_object());
	kwj_add_int(detail, "amount_fen", amount);
	kwj_add_str(detail, "basis", basis);
	const char *line = arena_printf(c->a, "费用：%s 元（%s）", finance_yuan(c, amount),
					!strcmp(basis, "passed") ? "按合格人数" : "按报名人数");
	if (existing) {
		/* An edit of a draft or of a notice not paid yet: the engine's checks, then ours.
		 */
		struct wf_subject s;
		const struct wf_row *row;
		if ((err = wf_begin(c, &fee_wf, existing, "edit", &s, &row)))
			return err;
		PGresult *u = db_query(c, &q_update, &err, db_ltoa(c, existing), s.status,
				       db_ltoa(c, amount), basis, note, kw_now_text(c));
		if (!u)
			return err;
		if (strcmp(PQcmdTuples(u), "1"))
			return kw_fail(c, KW_ECONFLICT, "费用的状态已改变，请刷新后重试");
		const char *actor = wf_actor_label(c, &s);
		if ((err = trail_add(c, existing, actor, "edit", s.status, s.status, note,
				     arena_printf(c->a, "修改%s", line))) ||
		    (err = audit_write(c, "fee.edit", "fee", existing, detail)))
			return err;
		if (!strcmp(s.status, "unpaid") &&
		    (err = message_send(c, s.org_id, NULL, 0, "您的费用信息已更新，请查看",
					arena_printf(c->a, fee_wf.link, existing))))
			return err;
		*fee_id = existing;
		return db_commit(c);
	}
	if ((err = db_begin(c)))
		return err;
	if (!(b = db_query(c, &q_batch_lock, &err, db_ltoa(c, batch_id))))
		return err;
	if (!chargeable(db_val(b, 0, "status")))
		return kw_fail(c, KW_ECONFLICT, "批次尚未进入考试阶段，不能发送缴费通知");
	PGresult *ins =
	    db_query(c, &q_insert, &err, db_ltoa(c, batch_id), db_val(b, 0, "org_id"),
		     db_ltoa(c, amount), basis, note, db_ltoa(c, c->user.id), kw_now_text(c));
	if (!ins)
		return err;
	if (!PQntuples(ins))
		return kw_fail(c, KW_ECONFLICT, "该批次的费用已由他人创建，请刷新后重试");
	*fee_id = db_long(ins, 0, "id");
	if ((err = trail_add(c, *fee_id, "中心", "edit", "draft", "draft", note,
			     arena_printf(c->a, "创建%s", line))) ||
	    (err = audit_write(c, "fee.create", "fee", *fee_id, detail)))
		return err;
	*created = true;
	return db_commit(c);
}

/* ------------------------------------------------------------------ reads */

static struct db_stmt q_trail_of =
    DB_STMT("fee_trail_of", "SELECT kw_ts(at) AS at, actor, action, comment, text FROM fee_trail"
			    " WHERE fee_id = $1 ORDER BY at, id");

/* The fields of a fee shared by the list and the detail (row i of res). */
static json_object *fee_json(struct kw_ctx *c, PGresult *res, int i)
{
	json_object *o = json_object_new_object();
	const char *status = db_val(res, i, "status");
	const char *basis = db_val(res, i, "basis");
	kwj_add_int(o, "id", db_long(res, i, "id"));
	kwj_add_int(o, "batch_id", db_long(res, i, "batch_id"));
	json_object *batch = kwj_id_name(db_long(res, i, "batch_id"), db_val(res, i, "batch_name"));
	kwj_add_str(batch, "code", db_val(res, i, "batch_code"));
	json_object_object_add(o, "batch", batch);
	json_object_object_add(o, "org",
			       kwj_id_name(db_long(res, i, "org_id"), db_val(res, i, "org_name")));
	kwj_add_int(o, "amount_fen", db_long(res, i, "amount_fen"));
	kwj_add_str(o, "basis", basis);
	kwj_add_str(o, "basis_text",
		    basis && !strcmp(basis, "passed") ? "按合格人数" : "按报名人数");
	kwj_add_str(o, "note", db_val(res, i, "note"));
	kwj_add_str(o, "status", status);
	kwj_add_str(o, "status_text", wf_status_text(c, &fee_wf, status, NULL));
	const char *inv = db_val(res, i, "invoice");
	json_object *invoice = inv ? json_tokener_parse(inv) : NULL;
	if (invoice) {
		json_object *t = NULL;
		json_object_object_get_ex(invoice, "type", &t);
		kwj_add_str(invoice, "type_text",
			    t && !strcmp(json_object_get_string(t), "special") ? "增值税专用发票"
									       : "增值税普通发票");
	}
	json_object_object_add(o, "invoice", invoice);
	kwj_add_str(o, "invoice_no", db_val(res, i, "invoice_no"));
	kwj_add_str(o, "paid_on", db_val(res, i, "paid_on"));
	kwj_add_str(o, "created_at", db_val(res, i, "created_at"));
	kwj_add_str(o, "sent_at", db_val(res, i, "sent_at"));
	kwj_add_str(o, "applied_at", db_val(res, i, "applied_at"));
	kwj_add_str(o, "invoiced_at", db_val(res, i, "invoiced_at"));
	kwj_add_str(o, "paid_at", db_val(res, i, "paid_at"));
	kwj_add_str(o, "updated_at", db_val(res, i, "updated_at"));
	return o;
}

int finance_fee_get(struct kw_ctx *c, long id, json_object **out)
{
	int err;
	struct wf_subject s;
	PGresult *res;
	*out = NULL;
	if ((err = fee_load_row(c, id, false, &s, &res)))
		return err;
	/* A draft is the center's: the station reads it only after it is sent. */
	if (!strcmp(s.status, "draft") && !(c->user.role & R_CENTER))
		return kw_fail(c, KW_ENOTFOUND, "费用不存在");
	json_object *o = kwj_own(c, fee_json(c, res, 0));
	json_object *acts = wf_actions_json(c, &fee_wf, &s);
	json_object_object_add(o, "actions", acts);
	PGresult *tr = db_query(c, &q_trail_of, &err, db_ltoa(c, id));
	if (!tr)
		return err;
	json_object *trail = json_object_new_array();
	json_object_object_add(o, "trail", trail);
	for (int i = 0; i < PQntuples(tr); i++) {
		json_object *e = json_object_new_object();
		kwj_add_str(e, "at", db_val(tr, i, "at"));
		kwj_add_str(e, "actor", db_val(tr, i, "actor"));
		kwj_add_str(e, "action", db_val(tr, i, "action"));
		kwj_add_str(e, "comment", db_val(tr, i, "comment"));
		kwj_add_str(e, "text", db_val(tr, i, "text"));
		json_object_array_add(trail, e);
	}
	*out = o;
	return KW_OK;
}

/* The list's filter, shared by the page and the export: $1 $2 scope, $3 status, $4 org,
 * $5 batch id, $6 part of the batch's name or code. Drafts are the center's. */
#define FEE_FILTER                                                                                 \
	" WHERE " ORG_SCOPE_SQL("f.org_id", "$1", "$2") " AND (f.status <> 'draft' OR $1::text ="  \
							" 'all')"                                  \
							" AND ($3::text IS NULL OR f.status = $3)" \
							" AND ($4::bigint IS NULL OR f.org_id = "  \
							"$4::bigint)"                              \
							" AND ($5::bigint IS NULL OR f.batch_id =" \
							" $5::bigint)"                             \
							" AND ($6::text IS NULL OR strpos(b.name," \
							" $6) > 0 OR strpos(b.code, $6) > 0)"

static struct db_stmt q_list =
    DB_STMT("fee_list", FEE_COLS ", count(*) OVER () AS total" FEE_FROM FEE_FILTER
				 " ORDER BY f.updated_at DESC, f.id DESC LIMIT $7 OFFSET $8");
static struct db_stmt q_count = DB_STMT(
    "fee_count", "SELECT count(*) FROM fees f JOIN batches b ON b.id = f.batch_id" FEE_FILTER);
static struct db_stmt q_export = DB_STMT(
    "fee_export",
    "SELECT b.code, b.name, o.name,"
    " (f.amount_fen / 100)::text || '.' || lpad((f.amount_fen % 100)::text, 2, '0'),"
    " CASE f.basis WHEN 'passed' THEN '按合格人数' ELSE '按报名人数' END,"
    " CASE f.status WHEN 'draft' THEN '待发送' WHEN 'unpaid' THEN '待缴费'"
    " WHEN 'invoice_applied' THEN '已申请发票' WHEN 'invoiced' THEN '已开票' ELSE '已缴费' END,"
    " f.invoice->>'title', f.invoice->>'tax_no', f.invoice_no, f.paid_on::text,"
    " to_char(f.sent_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS')"
    " FROM fees f JOIN batches b ON b.id = f.batch_id JOIN orgs o ON o.id = f.org_id" FEE_FILTER
    " ORDER BY f.updated_at DESC, f.id DESC");

const struct xlsx_col fee_export_cols[] = {
    {.header = "批次编号", .type = XLSX_TEXT, .width = 22},
    {.header = "批次名称", .type = XLSX_TEXT, .width = 40},
    {.header = "鉴定站", .type = XLSX_TEXT, .width = 36},
    {.header = "金额(元)", .type = XLSX_DECIMAL, .decimals = 2},
    {.header = "计费依据", .type = XLSX_TEXT},
    {.header = "状态", .type = XLSX_TEXT},
    {.header = "发票抬头", .type = XLSX_TEXT, .width = 30},
    {.header = "纳税识别号", .type = XLSX_TEXT, .width = 22},
    {.header = "发票号码", .type = XLSX_TEXT, .width = 16},
    {.header = "缴费日期", .type = XLSX_DATE},
    {.header = "通知时间", .type = XLSX_DATETIME},
};
const size_t fee_export_ncols = sizeof(fee_export_cols) / sizeof(fee_export_cols[0]);

int finance_filter_check(struct kw_ctx *c, const struct fee_filter *f)
{
	if (f->status && *f->status && !wf_status_find(&fee_wf, f->status))
		kw_field_error(c, "status", 0, "enum",
			       arena_printf(c->a, "没有“%s”这一状态", f->status));
	if (f->batch && strlen(f->batch) > 200)
		kw_field_error(c, "batch", 0, "length", "查询条件过长");
	return kw_validation_result(c);
}

/* The filter's parameters $1..$6 (scope, status, org, batch id, batch text). */
static void filter_params(struct kw_ctx *c, const struct fee_filter *f, const char **p)
{
	struct org_scope sc;
	org_scope_of(c, &sc);
	p[0] = sc.kind_param;
	p[1] = sc.root_param;
	p[2] = f->status && *f->status ? f->status : NULL;
	p[3] = f->org_id ? db_ltoa(c, f->org_id) : NULL;
	p[4] = f->batch_id ? db_ltoa(c, f->batch_id) : NULL;
	p[5] = f->batch && *f->batch ? f->batch : NULL;
}

int finance_fee_list(struct kw_ctx *c, const struct fee_filter *f, long page, long per_page,
		     json_object **items, long *total)
{
	int err;
	const char *p[6];
	*items = NULL;
	*total = 0;
	filter_params(c, f, p);
	PGresult *res = db_query(c, &q_list, &err, p[0], p[1], p[2], p[3], p[4], p[5],
				 db_ltoa(c, per_page), db_ltoa(c, (page - 1) * per_page));
	if (!res)
		return err;
	if (PQntuples(res)) {
		*total = db_long(res, 0, "total");
	} else {
		PGresult *cnt = db_query(c, &q_count, &err, p[0], p[1], p[2], p[3], p[4], p[5]);
		if (!cnt)
			return err;
		*total = strtol(PQgetvalue(cnt, 0, 0), NULL, 10);
	}
	json_object *a = kwj_own(c, json_object_new_array());
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *o = fee_json(c, res, i);
		bool mine =
		    (c->user.role & R_STATION) && !strcmp(db_val(res, i, "status"), "unpaid");
		kwj_add_bool(o, "can_apply", mine && db_long(res, i, "org_id") == c->user.org_id);
		json_object_array_add(a, o);
	}
	*items = a;
	return KW_OK;
}

int finance_fee_export(struct kw_ctx *c, const struct fee_filter *f, struct db_rows **rows)
{
	const char *p[6];
	filter_params(c, f, p);
	return db_rows_open(c, &q_export, 6, p, rows);
}
