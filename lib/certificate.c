/* certificate.c - the certificate register: issuing (R22, R23), signing keys and signatures,
 * the PDF with its QR code, 证书数据管理 (R26), public verification and its rate limit. */
#include "certificate.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <qrencode.h>
#include <sodium.h>

#include "core/clock.h"
#include "core/json.h"
#include "core/log.h"
#include "core/ratelimit.h"
#include "db/db.h"
#include "file.h"
#include "message.h"
#include "office/pdf_writer.h"
#include "org.h"

static const char *const level_texts[] = {"", "高级技师", "技师", "高级", "中级", "初级"};

/* 高级技师 … 初级 of a level 1-5, "" otherwise. */
static const char *level_text(int level)
{
	return level >= 1 && level <= 5 ? level_texts[level] : "";
}

/* 国家职业技能鉴定 / 行业能力水平评价. */
static const char *category_text(const char *category)
{
	return category && !strcmp(category, "national") ? "国家职业技能鉴定" : "行业能力水平评价";
}

static const char *grade_text(const char *grade)
{
	if (!grade)
		return "";
	if (!strcmp(grade, "excellent"))
		return "优秀";
	if (!strcmp(grade, "good"))
		return "良好";
	return "合格";
}

/* ------------------------------------------------------------------ pure helpers */

bool certificate_number(char out[20], int year, const char *org_code, bool national, int level,
			long serial)
{
	if (!org_code || strlen(org_code) != 8 || level < 1 || level > 5 || serial < 1 ||
	    serial > 99999999L || year < 0)
		return false;
	for (int i = 0; i < 8; i++)
		if (org_code[i] < '0' || org_code[i] > '9')
			return false;
	snprintf(out, 20, "%02d%.3s%s%.3s%d%08ld", year % 100, org_code, national ? "03" : "09",
		 org_code + 5, level, serial);
	return true;
}

const char *certificate_mask_name(struct kw_ctx *c, const char *name)
{
	if (!name)
		return "";
	/* split into UTF-8 characters */
	size_t n = strlen(name), starts[64], k = 0;
	for (size_t i = 0; i < n && k < 64; i++)
		if (((unsigned char)name[i] & 0xC0) != 0x80)
			starts[k++] = i;
	if (k <= 1)
		return arena_strdup(c->a, name);
	size_t first = k > 1 ? starts[1] : n;
	char *out = arena_strndup(c->a, name, first);
	size_t stars = k >= 3 ? k - 2 : k - 1;
	for (size_t i = 0; i < stars; i++)
		out = arena_printf(c->a, "%s*", out);
	if (k >= 3)
		out = arena_printf(c->a, "%s%s", out, name + starts[k - 1]);
	return out;
}

const char *certificate_canonical(struct kw_ctx *c, const char *no, const char *name,
				  const char *occupation, int level, const char *issued_on,
				  const char *kid)
{
	return arena_printf(c->a, "%s|%s|%s|%d|%s|%s", no, name, occupation, level, issued_on, kid);
}

/* Hex of n bytes (arena). */
static char *hex_of(struct kw_ctx *c, const unsigned char *b, size_t n)
{
	char *h = arena_alloc(c->a, 2 * n + 1);
	sodium_bin2hex(h, 2 * n + 1, b, n);
	return h;
}

/* ------------------------------------------------------------------ signing keys */

static struct db_stmt q_key_lock =
    DB_STMT("cert_key_lock", "SELECT pg_advisory_xact_lock(hashtext('kaowu.cert_keys'))");
static struct db_stmt q_keys =
    DB_STMT("cert_keys", "SELECT kid, public_key, kw_ts(created_at) AS created_at FROM cert_keys"
			 " ORDER BY created_at DESC, kid DESC");
static struct db_stmt q_key_pub =
    DB_STMT("cert_key_pub", "SELECT public_key FROM cert_keys WHERE kid = $1");
static struct db_stmt q_key_add = DB_STMT(
    "cert_key_add", "INSERT INTO cert_keys (kid, public_key, created_at) VALUES ($1, $2, $3)");

/* The folder of the private keys: $KAOWU_KEYS_DIR, else $KAOWU_HOME/keys; NULL when unset. */
static const char *keys_dir(struct kw_ctx *c)
{
	const char *d = getenv("KAOWU_KEYS_DIR");
	if (d && *d)
		return d;
	const char *h = getenv("KAOWU_HOME");
	return h && *h ? arena_printf(c->a, "%s/keys", h) : NULL;
}

/* Read the secret key of kid from its file and check it against the published half. */
static bool key_read(struct kw_ctx *c, const char *kid, const char *pub_hex,
		     unsigned char sk[crypto_sign_SECRETKEYBYTES])
{
	const char *dir = keys_dir(c);
	if (!dir)
		return false;
	const char *path = arena_printf(c->a, "%s/cert-%s.key", dir, kid);
	char hex[2 * crypto_sign_SECRETKEYBYTES + 2];
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	size_t n = fread(hex, 1, sizeof(hex) - 1, f);
	fclose(f);
	hex[n] = 0;
	size_t bin_len = 0;
	if (sodium_hex2bin(sk, crypto_sign_SECRETKEYBYTES, hex, n, "\n", &bin_len, NULL) ||
	    bin_len != crypto_sign_SECRETKEYBYTES)
		return false;
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	crypto_sign_ed25519_sk_to_pk(pk, sk);
	return !strcmp(hex_of(c, pk, sizeof(pk)), pub_hex);
}

/* Make a new key pair: the private half into its file (0600, never overwritten), the public
 * half into cert_keys. Runs inside the caller's transaction under the keys' advisory lock. */
static int key_create(struct kw_ctx *c, const char **kid_out,
		      unsigned char sk[crypto_sign_SECRETKEYBYTES])
{
	int err;
	const char *dir = keys_dir(c);
	if (!dir) {
		log_error("certificate: KAOWU_HOME is not set, no place for the signing key");
		return kw_fail(c, KW_EINTERNAL, "证书签名密钥不可用，请联系系统管理员");
	}
	if (mkdir(dir, 0700) && errno != EEXIST) {
		log_error("certificate: mkdir %s: %s", dir, strerror(errno));
		return kw_fail(c, KW_EINTERNAL, "证书签名密钥不可用，请联系系统管理员");
	}
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	crypto_sign_keypair(pk, sk);
	char day[16];
	kw_format_date(time(NULL), day, sizeof(day));
	const char *kid = arena_printf(c->a, "k%.4s%.2s%.2s-%04x", day, day + 5, day + 8,
				       (unsigned)randombytes_uniform(0x10000));
	const char *path = arena_printf(c->a, "%s/cert-%s.key", dir, kid);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		log_error("certificate: create %s: %s", path, strerror(errno));
		return kw_fail(c, KW_EINTERNAL, "证书签名密钥不可用，请联系系统管理员");
	}
	const char *hex = arena_printf(c->a, "%s\n", hex_of(c, sk, crypto_sign_SECRETKEYBYTES));
	bool ok = write(fd, hex, strlen(hex)) == (ssize_t)strlen(hex);
	ok = close(fd) == 0 && ok;
	if (!ok) {
		unlink(path);
		return kw_fail(c, KW_EINTERNAL, "证书签名密钥不可用，请联系系统管理员");
	}
	/* real time, not the business clock: it orders the keys for rotation */
	if (!db_query(c, &q_key_add, &err, kid, hex_of(c, pk, sizeof(pk)),
		      kw_time_text(c, time(NULL)))) {
		unlink(path);
		return err;
	}
	log_info("certificate: new signing key %s in %s", kid, path);
	*kid_out = kid;
	return KW_OK;
}

/* The key that signs now: the newest published key whose private file is here, else a new
 * one. Inside the caller's transaction. */
static int key_current(struct kw_ctx *c, const char **kid,
		       unsigned char sk[crypto_sign_SECRETKEYBYTES])
{
	int err;
	if (!db_query0(c, &q_key_lock, &err))
		return err;
	PGresult *res = db_query0(c, &q_keys, &err);
	if (!res)
		return err;
	for (int i = 0; i < PQntuples(res); i++) {
		if (key_read(c, db_val(res, i, "kid"), db_val(res, i, "public_key"), sk)) {
			*kid = db_val(res, i, "kid");
			return KW_OK;
		}
	}
	return key_create(c, kid, sk);
}

int certificate_keygen(struct kw_ctx *c, const char **kid)
{
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
	int err = db_begin(c);
	if (err)
		return err;
	if ((err = db_query0(c, &q_key_lock, &err) ? KW_OK : err) ||
	    (err = key_create(c, kid, sk)) || (err = db_commit(c))) {
		db_rollback(c);
		sodium_memzero(sk, sizeof(sk));
		return err;
	}
	sodium_memzero(sk, sizeof(sk));
	return KW_OK;
}

/* ------------------------------------------------------------------ issuing (R22, R23) */

static struct db_stmt q_issue_src =
    DB_STMT("cert_issue_src",
	    "SELECT e.id, e.account_id, e.real_name, e.id_number, e.dual_cert AS asked, i.category,"
	    " i.dual_cert, i.level, i.occupation_id, i.direction_id, sc.grade, o.code AS org_code,"
	    " occ.name AS occupation"
	    " FROM enrollments e JOIN batch_items i ON i.id = e.item_id"
	    " JOIN scores sc ON sc.enrollment_id = e.id JOIN orgs o ON o.id = $2::bigint"
	    " JOIN occupations occ ON occ.id = i.occupation_id"
	    " WHERE e.batch_id = $1 AND e.status = 'submitted' AND sc.grade IN ('pass', 'good', "
	    "'excellent')"
	    " ORDER BY i.pos, e.id");
static struct db_stmt q_serial =
    DB_STMT("cert_serial", "INSERT INTO cert_counters AS k (year, category, org_id, n)"
			   " VALUES ($1, $2, $3, 1) ON CONFLICT (year, category, org_id)"
			   " DO UPDATE SET n = k.n + 1 RETURNING n");
static struct db_stmt q_insert = DB_STMT(
    "cert_insert",
    "INSERT INTO certificates (cert_no, enrollment_id, batch_id, org_id, category, level,"
    " occupation_id, direction_id, holder_name, id_number, grade, issued_on, created_at, kid,"
    " signature) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::date, $13, $14, $15)"
    " RETURNING id");

/* Number, sign and insert one certificate; tell its holder. */
static int issue_one(struct kw_ctx *c, PGresult *src, int row, const char *category, long batch_id,
		     long org_id, const char *day, const char *kid, const unsigned char *sk)
{
	int err;
	int year = atoi(day);
	PGresult *k = db_query(c, &q_serial, &err, db_ltoa(c, year), category, db_ltoa(c, org_id));
	if (!k)
		return err;
	int level = (int)db_long(src, row, "level");
	char no[20];
	if (!certificate_number(no, year, db_val(src, row, "org_code"),
				!strcmp(category, "national"), level, db_long(k, 0, "n")))
		return kw_fail(c, KW_ECONFLICT, "证书编号已用尽或机构代码有误，无法编号");
	const char *name = db_val(src, row, "real_name");
	const char *occ = db_val(src, row, "occupation");
	const char *text = certificate_canonical(c, no, name, occ, level, day, kid);
	unsigned char sig[crypto_sign_BYTES];
	crypto_sign_detached(sig, NULL, (const unsigned char *)text, strlen(text), sk);
	const char *direction = db_val(src, row, "direction_id");
	PGresult *ins = db_query(
	    c, &q_insert, &err, no, db_val(src, row, "id"), db_ltoa(c, batch_id),
	    db_ltoa(c, org_id), category, db_ltoa(c, level), db_val(src, row, "occupation_id"),
	    direction && *direction ? direction : NULL, name, db_val(src, row, "id_number"),
	    db_val(src, row, "grade"), day, kw_now_text(c), kid, hex_of(c, sig, sizeof(sig)));
	if (!ins)
		return err;
	return message_send(c, 0, NULL, db_long(src, row, "account_id"),
			    arena_printf(c->a, "您的%s（%s）%s证书已制作完成，证书编号 %s", occ,
					 level_text(level), category_text(category), no),
			    "/app/my-certificates");
}

int certificate_issue_batch(struct kw_ctx *c, long batch_id, long org_id, int *issued)
{
	int err, n = 0;
	PGresult *src = db_query(c, &q_issue_src, &err, db_ltoa(c, batch_id), db_ltoa(c, org_id));
	if (!src)
		return err;
	const char *kid = NULL;
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
	if (PQntuples(src) && (err = key_current(c, &kid, sk)))
		return err;
	char day[16];
	kw_format_date(c->now, day, sizeof(day)); /* 颁证日期: the business date */
	for (int i = 0; i < PQntuples(src) && !err; i++) {
		const char *cat = db_val(src, i, "category");
		err = issue_one(c, src, i, cat, batch_id, org_id, day, kid, sk);
		n += !err;
		/* R22: a dual-certificate national item gives the industry certificate too */
		if (!err && !strcmp(cat, "national") && db_bool(src, i, "dual_cert") &&
		    db_bool(src, i, "asked")) {
			err = issue_one(c, src, i, "industry", batch_id, org_id, day, kid, sk);
			n += !err;
		}
	}
	sodium_memzero(sk, sizeof(sk));
	if (issued)
		*issued = n;
	return err;
}

/* ------------------------------------------------------------------ reads: 证书数据管理 (R26) */

#define CERT_COLS                                                                                  \
	"SELECT c.id, c.cert_no, c.category, c.level, c.holder_name, c.id_number, c.grade,"        \
	" c.issued_on::text AS issued_on, c.batch_id, c.enrollment_id, c.org_id, o.name AS "       \
	"org_name,"                                                                                \
	" c.occupation_id, occ.name AS occupation, c.direction_id, dir.name AS direction,"         \
	" sc.theory_score::text AS theory_score, sc.practical_score::text AS practical_score,"     \
	" rg.name AS region, c.kid, c.signature"
#define CERT_FROM                                                                                  \
	" FROM certificates c JOIN orgs o ON o.id = c.org_id"                                      \
	" JOIN occupations occ ON occ.id = c.occupation_id"                                        \
	" LEFT JOIN occupations dir ON dir.id = c.direction_id"                                    \
	" LEFT JOIN scores sc ON sc.enrollment_id = c.enrollment_id"                               \
	" LEFT JOIN regions rg ON rg.code = o.region_code"
/* $1 $2 the scope; $3.. the filters (NULL: not given). */
#define CERT_WHERE                                                                                 \
	" WHERE " ORG_SCOPE_SQL("c.org_id", "$1",                                                  \
				"$2") " AND ($3::text IS NULL OR c.holder_name = $3) AND "         \
				      "($4::text IS NULL OR c.id_number = $4)"                     \
				      " AND ($5::text IS NULL OR c.cert_no = $5)"                  \
				      " AND ($6::integer IS NULL OR c.occupation_id = $6)"         \
				      " AND ($7::smallint IS NULL OR c.level = $7)"                \
				      " AND ($8::date IS NULL OR c.issued_on >= $8) AND "          \
				      "($9::date IS NULL OR c.issued_on <= $9)"                    \
				      " AND ($10::bigint IS NULL OR c.org_id = $10) AND "          \
				      "($11::bigint IS NULL OR c.batch_id = $11)"                  \
				      " AND ($12::text IS NULL OR c.category = $12)"

static struct db_stmt q_list =
    DB_STMT("cert_list", CERT_COLS CERT_FROM CERT_WHERE
	    " ORDER BY c.issued_on DESC, c.id DESC LIMIT $13 OFFSET $14");
static struct db_stmt q_totals =
    DB_STMT("cert_totals",
	    "SELECT c.level, count(*) AS n FROM certificates c" CERT_WHERE " GROUP BY c.level");
static struct db_stmt q_export = DB_STMT(
    "cert_export",
    "SELECT CASE c.category WHEN 'national' THEN '国家职业技能鉴定' ELSE '行业能力水平评价' END,"
    " c.holder_name,"
    " CASE WHEN length(c.id_number) = 18 THEN CASE WHEN substr(c.id_number, 17, 1)::int % 2 = 1"
    " THEN '男' ELSE '女' END END,"
    " CASE WHEN length(c.id_number) = 18 THEN substr(c.id_number, 7, 8) END,"
    " c.cert_no, c.id_number, occ.name,"
    " (ARRAY['高级技师', '技师', '高级', '中级', '初级'])[c.level],"
    " sc.theory_score, sc.practical_score,"
    " CASE c.grade WHEN 'excellent' THEN '优秀' WHEN 'good' THEN '良好' ELSE '合格' END,"
    " c.issued_on::text, rg.name, o.name" CERT_FROM CERT_WHERE
    " ORDER BY c.issued_on DESC, c.id DESC");

const struct xlsx_col certificate_export_cols[] = {
    {.header = "类别", .type = XLSX_TEXT, .width = 18},
    {.header = "姓名", .type = XLSX_TEXT},
    {.header = "性别", .type = XLSX_TEXT},
    {.header = "出生日期", .type = XLSX_TEXT},
    {.header = "证书号", .type = XLSX_TEXT, .width = 22},
    {.header = "身份证号", .type = XLSX_TEXT, .width = 20},
    {.header = "职业/工种", .type = XLSX_TEXT, .width = 22},
    {.header = "等级", .type = XLSX_TEXT},
    {.header = "理论成绩", .type = XLSX_DECIMAL, .decimals = 1},
    {.header = "实操成绩", .type = XLSX_DECIMAL, .decimals = 1},
    {.header = "认定成绩", .type = XLSX_TEXT},
    {.header = "颁证日期", .type = XLSX_DATE},
    {.header = "区/县", .type = XLSX_TEXT},
    {.header = "鉴定机构", .type = XLSX_TEXT, .width = 36},
};
const size_t certificate_export_ncols =
    sizeof(certificate_export_cols) / sizeof(certificate_export_cols[0]);

/* A calendar date "YYYY-MM-DD" or not. */
static bool is_date(const char *s)
{
	time_t t;
	return s && strlen(s) == 10 && kw_parse_time(s, &t);
}

int certificate_filter_check(struct kw_ctx *c, struct cert_filter *f)
{
	if (f->name && !*f->name)
		f->name = NULL;
	if (f->id_number && !*f->id_number)
		f->id_number = NULL;
	if (f->cert_no && !*f->cert_no)
		f->cert_no = NULL;
	if (f->name && kw_utf8_len(f->name, strlen(f->name)) > 50)
		kw_field_error(c, "name", 0, "range", "姓名最多 50 个字");
	if (f->id_number && strlen(f->id_number) > 18)
		kw_field_error(c, "id_number", 0, "format", "身份证号应为 18 位");
	if (f->cert_no && (strlen(f->cert_no) != 19 || strspn(f->cert_no, "0123456789") != 19))
		kw_field_error(c, "cert_no", 0, "format", "证书编号应为 19 位数字");
	if (f->level && (f->level < 1 || f->level > 5))
		kw_field_error(c, "level", 0, "range", "等级应为 1（高级技师）到 5（初级）");
	if (f->from && *f->from && !is_date(f->from))
		kw_field_error(c, "from", 0, "format", "起始日期格式应为 YYYY-MM-DD");
	if (f->to && *f->to && !is_date(f->to))
		kw_field_error(c, "to", 0, "format", "截止日期格式应为 YYYY-MM-DD");
	if (f->from && !*f->from)
		f->from = NULL;
	if (f->to && !*f->to)
		f->to = NULL;
	if (f->category && *f->category && strcmp(f->category, "national") &&
	    strcmp(f->category, "industry"))
		kw_field_error(c, "category", 0, "enum", "类别应为 national 或 industry");
	if (f->category && !*f->category)
		f->category = NULL;
	return kw_validation_result(c);
}

/* The twelve filter parameters ($1..$12) of CERT_WHERE. */
static void filter_params(struct kw_ctx *c, const struct cert_filter *f, const char **p)
{
	struct org_scope s;
	org_scope_of(c, &s);
	p[0] = s.kind_param;
	p[1] = s.root_param;
	p[2] = f->name;
	p[3] = f->id_number;
	p[4] = f->cert_no;
	p[5] = f->occupation_id ? db_ltoa(c, f->occupation_id) : NULL;
	p[6] = f->level ? db_ltoa(c, f->level) : NULL;
	p[7] = f->from;
	p[8] = f->to;
	p[9] = f->org_id ? db_ltoa(c, f->org_id) : NULL;
	p[10] = f->batch_id ? db_ltoa(c, f->batch_id) : NULL;
	p[11] = f->category;
}

/* A decimal column as a JSON number, or null. */
static json_object *num_or_null(const char *v)
{
	return v && *v ? json_object_new_double(strtod(v, NULL)) : NULL;
}

/* One certificate row as the list and the detail show it. */
static json_object *cert_json(struct kw_ctx *c, PGresult *res, int i)
{
	json_object *o = json_object_new_object();
	const char *idn = db_val(res, i, "id_number"), *cat = db_val(res, i, "category");
	int level = (int)db_long(res, i, "level");
	kwj_add_int(o, "id", db_long(res, i, "id"));
	kwj_add_str(o, "cert_no", db_val(res, i, "cert_no"));
	kwj_add_str(o, "category", cat);
	kwj_add_str(o, "category_text", category_text(cat));
	kwj_add_str(o, "holder_name", db_val(res, i, "holder_name"));
	kwj_add_str(o, "id_number", idn);
	bool full = idn && strlen(idn) == 18;
	kwj_add_str(o, "sex", full ? ((idn[16] - '0') % 2 ? "男" : "女") : NULL);
	kwj_add_str(o, "birth_date",
		    full ? arena_printf(c->a, "%.4s-%.2s-%.2s", idn + 6, idn + 10, idn + 12)
			 : NULL);
	kwj_put(o, "occupation",
		kwj_id_name(db_long(res, i, "occupation_id"), db_val(res, i, "occupation")));
	const char *dir = db_val(res, i, "direction");
	kwj_put(o, "direction", dir ? kwj_id_name(db_long(res, i, "direction_id"), dir) : NULL);
	kwj_add_int(o, "level", level);
	kwj_add_str(o, "level_text", level_text(level));
	kwj_put(o, "theory_score", num_or_null(db_val(res, i, "theory_score")));
	kwj_put(o, "practical_score", num_or_null(db_val(res, i, "practical_score")));
	kwj_add_str(o, "grade", db_val(res, i, "grade"));
	kwj_add_str(o, "grade_text", grade_text(db_val(res, i, "grade")));
	kwj_add_str(o, "issued_on", db_val(res, i, "issued_on"));
	kwj_add_str(o, "region", db_val(res, i, "region"));
	kwj_put(o, "org", kwj_id_name(db_long(res, i, "org_id"), db_val(res, i, "org_name")));
	const char *b = db_val(res, i, "batch_id");
	kwj_put(o, "batch_id", b ? json_object_new_int64(strtol(b, NULL, 10)) : NULL);
	kwj_add_bool(o, "valid", true);
	return o;
}

int certificate_list(struct kw_ctx *c, const struct cert_filter *f, long page, long per_page,
		     json_object **items, long *total, json_object **by_level,
		     const char **text_out)
{
	int err;
	const char *p[14];
	filter_params(c, f, p);
	p[12] = db_ltoa(c, per_page);
	p[13] = db_ltoa(c, (page - 1) * per_page);
	/* The page and the totals per level (their sum is the total) in one round trip. */
	struct db_call calls[] = {{&q_list, 14, p, NULL}, {&q_totals, 12, p, NULL}};
	if ((err = db_exec_pipeline(c, calls, 2)))
		return err;
	PGresult *res = calls[0].res, *t = calls[1].res;
	json_object *arr = kwj_own(c, json_object_new_array());
	for (int i = 0; i < PQntuples(res); i++)
		kwj_push(arr, cert_json(c, res, i));
	long counts[6] = {0};
	*total = 0;
	for (int i = 0; i < PQntuples(t); i++) {
		long lv = db_long(t, i, "level");
		if (lv >= 1 && lv <= 5)
			counts[lv] = db_long(t, i, "n");
		*total += db_long(t, i, "n");
	}
	json_object *by = kwj_own(c, json_object_new_array());
	const char *text = "";
	for (int lv = 1; lv <= 5; lv++) {
		json_object *e = json_object_new_object();
		kwj_add_int(e, "level", lv);
		kwj_add_str(e, "level_text", level_text(lv));
		kwj_add_int(e, "count", counts[lv]);
		kwj_push(by, e);
		/* as the manual prints it: 高级技师：0人，技师0人，高级11人，中级9人，初级1人 */
		text = arena_printf(c->a, "%s%s%s%s%ld人", text, lv > 1 ? "，" : "", level_text(lv),
				    lv == 1 ? "：" : "", counts[lv]);
	}
	*items = arr;
	*by_level = by;
	*text_out = text;
	return KW_OK;
}

int certificate_export_rows(struct kw_ctx *c, const struct cert_filter *f, struct db_rows **rows)
{
	const char *p[12];
	filter_params(c, f, p);
	return db_rows_open(c, &q_export, 12, p, rows);
}

static struct db_stmt q_stats_year = DB_STMT(
    "cert_stats_year",
    "SELECT extract(year FROM c.issued_on)::int::text AS key, count(*) AS n FROM certificates c"
    " WHERE " ORG_SCOPE_SQL("c.org_id", "$1", "$2") " GROUP BY 1 ORDER BY 1");
static struct db_stmt q_stats_level = DB_STMT(
    "cert_stats_level", "SELECT c.level::text AS key, count(*) AS n FROM certificates c"
			" WHERE " ORG_SCOPE_SQL("c.org_id", "$1", "$2") " GROUP BY 1 ORDER BY 1");
static struct db_stmt q_stats_occ = DB_STMT(
    "cert_stats_occupation",
    "SELECT occ.id::text AS key, occ.name AS label, count(*) AS n FROM certificates c"
    " JOIN occupations occ ON occ.id = c.occupation_id"
    " WHERE " ORG_SCOPE_SQL("c.org_id", "$1", "$2") " GROUP BY occ.id, occ.name ORDER BY n DESC,"
						    " occ.id LIMIT 50");

int certificate_stats(struct kw_ctx *c, const char *by, json_object **out)
{
	int err;
	struct db_stmt *st;
	if (!by || !*by || !strcmp(by, "year"))
		by = "year", st = &q_stats_year;
	else if (!strcmp(by, "level"))
		st = &q_stats_level;
	else if (!strcmp(by, "occupation"))
		st = &q_stats_occ;
	else {
		kw_field_error(c, "by", 0, "enum", "统计维度应为 year、level 或 occupation");
		return KW_EVALIDATION;
	}
	struct org_scope s;
	org_scope_of(c, &s);
	PGresult *res = db_query(c, st, &err, s.kind_param, s.root_param);
	if (!res)
		return err;
	json_object *o = kwj_own(c, json_object_new_object());
	json_object *items = json_object_new_array();
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *e = json_object_new_object();
		const char *key = db_val(res, i, "key");
		const char *label = key;
		if (!strcmp(by, "year"))
			label = arena_printf(c->a, "%s年", key);
		else if (!strcmp(by, "level"))
			label = level_text(atoi(key));
		else
			label = db_val(res, i, "label");
		kwj_add_str(e, "key", key);
		kwj_add_str(e, "label", label);
		kwj_add_int(e, "count", db_long(res, i, "n"));
		kwj_push(items, e);
	}
	kwj_add_str(o, "by", by);
	kwj_put(o, "items", items);
	*out = o;
	return KW_OK;
}

static struct db_stmt q_mine =
    DB_STMT("cert_mine", CERT_COLS CERT_FROM " JOIN enrollments e ON e.id = c.enrollment_id"
					     " WHERE e.candidate_id = $1"
					     " ORDER BY c.issued_on DESC, c.id DESC");

int certificate_mine(struct kw_ctx *c, json_object **items)
{
	int err;
	PGresult *res = db_query(c, &q_mine, &err, db_ltoa(c, c->user.candidate_id));
	if (!res)
		return err;
	json_object *arr = kwj_own(c, json_object_new_array());
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *o = cert_json(c, res, i);
		kwj_add_int(o, "enrollment_id", db_long(res, i, "enrollment_id"));
		kwj_push(arr, o);
	}
	*items = arr;
	return KW_OK;
}

/* ------------------------------------------------------------------ one certificate, PDF, QR */

static struct db_stmt q_one =
    DB_STMT("cert_one", CERT_COLS
	    ", e.photo_file_id, b.name AS batch_name" CERT_FROM
	    " LEFT JOIN enrollments e ON e.id = c.enrollment_id"
	    " LEFT JOIN batches b ON b.id = c.batch_id"
	    " WHERE c.id = $1 AND (" ORG_SCOPE_SQL(
		"c.org_id", "$2", "$3") " OR (e.candidate_id = $4::bigint AND $4::bigint > 0))");

/* Certificate id as the caller may see it (holder or org scope); KW_ENOTFOUND otherwise. */
static int cert_load(struct kw_ctx *c, long id, PGresult **row)
{
	int err;
	struct org_scope s;
	org_scope_of(c, &s);
	PGresult *res = db_query(c, &q_one, &err, db_ltoa(c, id), s.kind_param, s.root_param,
				 db_ltoa(c, c->user.candidate_id));
	if (!res)
		return err;
	if (!PQntuples(res))
		return kw_fail(c, KW_ENOTFOUND, "证书不存在");
	*row = res;
	return KW_OK;
}

/* Percent-encode a query value (arena). */
static const char *url_enc(struct kw_ctx *c, const char *s)
{
	static const char hexd[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *o = arena_alloc(c->a, 3 * n + 1), *q = o;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' || *p == '~') {
			*q++ = (char)*p;
		} else {
			*q++ = '%';
			*q++ = hexd[*p >> 4];
			*q++ = hexd[*p & 15];
		}
	}
	*q = 0;
	return o;
}

/* The QR payload of a loaded certificate row: the verification URL with the signed fields. */
static const char *qr_url(struct kw_ctx *c, PGresult *res, const char *base)
{
	const char *sig_hex = db_val(res, 0, "signature");
	const char *sig = "";
	unsigned char bin[crypto_sign_BYTES];
	size_t bl = 0;
	if (sig_hex &&
	    !sodium_hex2bin(bin, sizeof(bin), sig_hex, strlen(sig_hex), NULL, &bl, NULL) &&
	    bl == sizeof(bin)) {
		size_t cap = sodium_base64_ENCODED_LEN(sizeof(bin),
						       sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		char *b64 = arena_alloc(c->a, cap);
		sodium_bin2base64(b64, cap, bin, sizeof(bin),
				  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		sig = b64;
	}
	const char *kid = db_val(res, 0, "kid");
	return arena_printf(c->a, "%s/verify?no=%s&name=%s&occ=%s&lvl=%ld&date=%s&kid=%s&sig=%s",
			    base ? base : "", db_val(res, 0, "cert_no"),
			    url_enc(c, db_val(res, 0, "holder_name")),
			    url_enc(c, db_val(res, 0, "occupation")), db_long(res, 0, "level"),
			    db_val(res, 0, "issued_on"), kid ? kid : "", sig);
}

int certificate_get(struct kw_ctx *c, long id, const char *base_url, json_object **out)
{
	PGresult *res;
	int err = cert_load(c, id, &res);
	if (err)
		return err;
	json_object *o = kwj_own(c, cert_json(c, res, 0));
	kwj_add_str(o, "batch_name", db_val(res, 0, "batch_name"));
	kwj_add_str(o, "kid", db_val(res, 0, "kid"));
	kwj_add_str(o, "verify_url", qr_url(c, res, base_url));
	*out = o;
	return KW_OK;
}

/* Draw the QR code of text with its top-left corner at (x, y), `size` points wide. */
static bool draw_qr(pdf_writer *p, const char *text, double x, double y, double size)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return false;
	int w = q->width, quiet = 2;
	double m = size / (w + 2 * quiet);
	for (int r = 0; r < w; r++)
		for (int col = 0; col < w; col++)
			if (q->data[r * w + col] & 1)
				pdf_fill_rect(p, x + (col + quiet) * m, y + (r + quiet) * m,
					      m + 0.05, m + 0.05);
	QRcode_free(q);
	return true;
}

/* "2019-04-10" as 2019年04月10日 (arena). */
static const char *cn_date(struct kw_ctx *c, const char *d)
{
	return d && strlen(d) == 10 ? arena_printf(c->a, "%.4s年%.2s月%.2s日", d, d + 5, d + 8)
				    : "";
}

int certificate_pdf(struct kw_ctx *c, long id, const char *base_url, const unsigned char **pdf,
		    size_t *len)
{
	PGresult *res;
	*pdf = NULL;
	*len = 0;
	int err = cert_load(c, id, &res);
	if (err)
		return err;
	const char *cat = db_val(res, 0, "category"), *idn = db_val(res, 0, "id_number");
	int level = (int)db_long(res, 0, "level");
	const char *occ = db_val(res, 0, "occupation"), *dir = db_val(res, 0, "direction");
	if (dir)
		occ = arena_printf(c->a, "%s（%s）", occ, dir);
	bool national = !strcmp(cat, "national");
	bool full = idn && strlen(idn) == 18;

	double W = PDF_A4_H, H = PDF_A4_W; /* landscape */
	pdf_writer *p = pdf_open(W, H);
	if (!p)
		return KW_EINTERNAL;
	pdf_cell(p, 24, 24, W - 48, H - 48, NULL, 0, 0, 0, 2.4);
	pdf_cell(p, 32, 32, W - 64, H - 64, NULL, 0, 0, 0, 0.8);
	pdf_text(p, 40, 58, W - 80, 40, national ? "职业资格证书" : "职业能力水平评价证书", 30,
		 PDF_CENTER | PDF_BOLD | PDF_SERIF);
	pdf_text(p, 40, 102, W - 80, 18, category_text(cat), 12, PDF_CENTER | PDF_SERIF);

	/* photo */
	double px = 70, py = 150, pw = 110, ph = 140;
	struct file_blob f;
	long photo = db_long(res, 0, "photo_file_id");
	pdf_cell(p, px, py, pw, ph, NULL, 0, 0, 0, 0.8);
	if (!(photo && file_fetch(c, photo, &f) == KW_OK &&
	      pdf_image(p, px + 3, py + 3, pw - 6, ph - 6, f.data, f.len))) {
		c->err_message = NULL;
		pdf_text(p, px, py, pw, ph, "照片", 11, PDF_CENTER | PDF_MIDDLE);
	}

	/* the fields */
	const char *labels[] = {"姓　　名", "性　　别", "身份证号", "职业（工种）", "等　　级",
				"评定成绩", "证书编号", "颁证日期", "发证机构"};
	const char *values[] = {
	    db_val(res, 0, "holder_name"),
	    full ? ((idn[16] - '0') % 2 ? "男" : "女") : "",
	    idn,
	    occ,
	    arena_printf(c->a, "%s（国家职业资格%s级）", level_text(level),
			 (const char *[]){"", "一", "二", "三", "四", "五"}[level]),
	    grade_text(db_val(res, 0, "grade")),
	    db_val(res, 0, "cert_no"),
	    cn_date(c, db_val(res, 0, "issued_on")),
	    db_val(res, 0, "org_name")};
	double fx = 210, fy = 146, lw = 96, vw = 330, rh = 30;
	for (int i = 0; i < 9; i++) {
		pdf_text(p, fx, fy + i * rh, lw, rh, labels[i], 13, PDF_MIDDLE | PDF_SERIF);
		pdf_text(p, fx + lw, fy + i * rh, vw, rh, values[i], 13, PDF_MIDDLE | PDF_BOLD);
		pdf_line(p, fx + lw, fy + (i + 1) * rh - 4, fx + lw + vw, fy + (i + 1) * rh - 4,
			 0.4);
	}

	/* the signed QR code */
	double qs = 150, qx = W - 70 - qs, qy = 160;
	const char *url = qr_url(c, res, base_url);
	if (!draw_qr(p, url, qx, qy, qs)) {
		unsigned char *tmp;
		size_t tl;
		if (pdf_finish(p, &tmp, &tl))
			free(tmp);
		return kw_fail(c, KW_EINTERNAL, "证书二维码生成失败");
	}
	pdf_text(p, qx - 10, qy + qs + 4, qs + 20, 16, "扫码验证证书真伪", 10, PDF_CENTER);
	const char *kid = db_val(res, 0, "kid");
	pdf_text(p, qx - 10, qy + qs + 20, qs + 20, 14,
		 arena_printf(c->a, "签名密钥 %s", kid ? kid : "—"), 7.5, PDF_CENTER);
	pdf_text(p, 60, H - 84, W - 120, 30,
		 "本证书信息可在“证书查询”中核验，扫描二维码可离线验证签名。"
		 "涂改、伪造无效。",
		 9, PDF_CENTER);

	unsigned char *buf;
	size_t n;
	if (!pdf_finish(p, &buf, &n))
		return KW_EINTERNAL;
	*pdf = arena_memdup(c->a, buf, n);
	free(buf);
	*len = n;
	return KW_OK;
}

/* ------------------------------------------------------------------ public verification */

static struct db_stmt q_pub_no =
    DB_STMT("cert_pub_no",
	    "SELECT c.cert_no, c.holder_name, c.category, c.level, occ.name AS occupation,"
	    " c.issued_on::text AS issued_on, o.name AS org_name FROM certificates c"
	    " JOIN orgs o ON o.id = c.org_id JOIN occupations occ ON occ.id = c.occupation_id"
	    " WHERE c.cert_no = $1 AND c.holder_name = $2");
static struct db_stmt q_pub_idn = DB_STMT(
    "cert_pub_idn",
    "SELECT c.cert_no, c.holder_name, c.category, c.level, occ.name AS occupation,"
    " c.issued_on::text AS issued_on, o.name AS org_name FROM certificates c"
    " JOIN orgs o ON o.id = c.org_id JOIN occupations occ ON occ.id = c.occupation_id"
    " WHERE c.id_number = $1 AND c.holder_name = $2 AND ($3::text IS NULL OR c.category = $3)"
    " ORDER BY c.issued_on DESC, c.id DESC LIMIT 20");

/* name plus exactly one key; records field errors. */
static int public_keys_check(struct kw_ctx *c, const char **cert_no, const char **id_number,
			     const char **name)
{
	if (*cert_no && !**cert_no)
		*cert_no = NULL;
	if (*id_number && !**id_number)
		*id_number = NULL;
	if (!*name || !**name)
		kw_field_error(c, "name", 0, "required", "请输入姓名");
	else if (kw_utf8_len(*name, strlen(*name)) > 50)
		kw_field_error(c, "name", 0, "range", "姓名最多 50 个字");
	if (!*cert_no && !*id_number)
		kw_field_error(c, "cert_no", 0, "required", "请输入证书编号或身份证号");
	if (*cert_no && strlen(*cert_no) > 40)
		kw_field_error(c, "cert_no", 0, "format", "证书编号格式不正确");
	if (*id_number && (strlen(*id_number) != 18 || strspn(*id_number, "0123456789") < 17))
		kw_field_error(c, "id_number", 0, "format", "身份证号应为 18 位");
	return kw_validation_result(c);
}

int certificate_public_query(struct kw_ctx *c, const char *cert_no, const char *id_number,
			     const char *name, const char *category, json_object **items)
{
	int err = public_keys_check(c, &cert_no, &id_number, &name);
	if (category && *category && strcmp(category, "national") && strcmp(category, "industry"))
		kw_field_error(c, "category", 0, "enum", "类别应为 national 或 industry");
	if (err || (err = kw_validation_result(c)))
		return err;
	PGresult *res = cert_no ? db_query(c, &q_pub_no, &err, cert_no, name)
				: db_query(c, &q_pub_idn, &err, id_number, name,
					   category && *category ? category : NULL);
	if (!res)
		return err;
	json_object *arr = kwj_own(c, json_object_new_array());
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *o = json_object_new_object();
		const char *cat = db_val(res, i, "category");
		int level = (int)db_long(res, i, "level");
		kwj_add_str(o, "cert_no", db_val(res, i, "cert_no"));
		kwj_add_str(o, "name", certificate_mask_name(c, db_val(res, i, "holder_name")));
		kwj_add_str(o, "category", cat);
		kwj_add_str(o, "category_text", category_text(cat));
		kwj_add_str(o, "occupation", db_val(res, i, "occupation"));
		kwj_add_int(o, "level", level);
		kwj_add_str(o, "level_text", level_text(level));
		kwj_add_str(o, "issued_on", db_val(res, i, "issued_on"));
		kwj_add_str(o, "org", db_val(res, i, "org_name"));
		kwj_add_bool(o, "valid", true);
		kwj_add_str(o, "valid_text", "有效");
		kwj_push(arr, o);
	}
	*items = arr;
	return KW_OK;
}

static struct db_stmt q_pub_expert = DB_STMT(
    "cert_pub_expert",
    "SELECT ec.cert_no, x.name, ec.category, ec.type, ec.issued_on::text AS issued_on,"
    " ec.valid_until::text AS valid_until, ec.valid_until >= $4::date AS valid, o.name AS org_name,"
    " (SELECT string_agg(occ.name, '、' ORDER BY occ.sort) FROM expert_certificate_occupations eo"
    "  JOIN occupations occ ON occ.id = eo.occupation_id WHERE eo.certificate_id = ec.id)"
    "  AS occupations"
    " FROM expert_certificates ec JOIN experts x ON x.id = ec.expert_id"
    " JOIN orgs o ON o.id = ec.org_id"
    " WHERE x.name = $3 AND (($1::text IS NOT NULL AND ec.cert_no = $1)"
    "  OR ($1::text IS NULL AND x.id_number = $2))"
    " ORDER BY ec.issued_on DESC, ec.id DESC LIMIT 20");

int certificate_public_expert_query(struct kw_ctx *c, const char *cert_no, const char *id_number,
				    const char *name, json_object **items)
{
	int err = public_keys_check(c, &cert_no, &id_number, &name);
	if (err)
		return err;
	char today[16];
	kw_format_date(c->now, today, sizeof(today));
	PGresult *res =
	    db_query(c, &q_pub_expert, &err, cert_no, cert_no ? NULL : id_number, name, today);
	if (!res)
		return err;
	json_object *arr = kwj_own(c, json_object_new_array());
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *o = json_object_new_object();
		const char *type = db_val(res, i, "type"), *cat = db_val(res, i, "category");
		bool valid = db_bool(res, i, "valid");
		kwj_add_str(o, "cert_no", db_val(res, i, "cert_no"));
		kwj_add_str(o, "name", certificate_mask_name(c, db_val(res, i, "name")));
		kwj_add_str(o, "type", type);
		kwj_add_str(o, "type_text",
			    !strcmp(type, "supervisor")	       ? "督导员"
			    : !strcmp(type, "senior_assessor") ? "高级考评员"
							       : "考评员");
		kwj_add_str(o, "category", cat);
		kwj_add_str(o, "category_text", category_text(cat));
		kwj_add_str(o, "occupation", db_val(res, i, "occupations"));
		kwj_add_str(o, "issued_on", db_val(res, i, "issued_on"));
		kwj_add_str(o, "valid_until", db_val(res, i, "valid_until"));
		kwj_add_str(o, "org", db_val(res, i, "org_name"));
		kwj_add_bool(o, "valid", valid);
		kwj_add_str(o, "valid_text", valid ? "有效" : "已过期");
		kwj_push(arr, o);
	}
	*items = arr;
	return KW_OK;
}

int certificate_public_keys(struct kw_ctx *c, json_object **out)
{
	int err;
	PGresult *res = db_query0(c, &q_keys, &err);
	if (!res)
		return err;
	json_object *o = kwj_own(c, json_object_new_object());
	json_object *keys = json_object_new_array();
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *k = json_object_new_object();
		kwj_add_str(k, "kid", db_val(res, i, "kid"));
		kwj_add_str(k, "public_key", db_val(res, i, "public_key"));
		kwj_add_str(k, "created_at", db_val(res, i, "created_at"));
		kwj_add_bool(k, "current", i == 0);
		kwj_push(keys, k);
	}
	kwj_add_str(o, "algorithm", "Ed25519");
	kwj_add_str(o, "signed_text", "cert_no|holder_name|occupation|level|issued_on|kid");
	kwj_put(o, "keys", keys);
	*out = o;
	return KW_OK;
}

/* The value of key in a query string (percent-decoded, '+' as space; arena), or NULL. */
static const char *query_value(struct kw_ctx *c, const char *q, const char *key)
{
	size_t kl = strlen(key);
	for (const char *p = q; p && *p;) {
		const char *amp = strchr(p, '&'), *end = amp ? amp : p + strlen(p);
		if ((size_t)(end - p) > kl && !strncmp(p, key, kl) && p[kl] == '=') {
			const char *v = p + kl + 1;
			char *o = arena_alloc(c->a, (size_t)(end - v) + 1), *w = o;
			for (const char *s = v; s < end; s++) {
				if (*s == '%' && end - s >= 3) {
					char h[3] = {s[1], s[2], 0};
					char *e;
					long b = strtol(h, &e, 16);
					if (*e)
						return NULL;
					*w++ = (char)b;
					s += 2;
				} else {
					*w++ = *s == '+' ? ' ' : *s;
				}
			}
			*w = 0;
			return o;
		}
		p = amp ? amp + 1 : NULL;
	}
	return NULL;
}

static struct db_stmt q_verify_reg = DB_STMT(
    "cert_verify_reg",
    "SELECT c.cert_no, c.holder_name, c.category, c.level, occ.name AS occupation,"
    " c.issued_on::text AS issued_on, o.name AS org_name FROM certificates c"
    " JOIN orgs o ON o.id = c.org_id JOIN occupations occ ON occ.id = c.occupation_id"
    " WHERE c.cert_no = $1 AND c.holder_name = $2 AND occ.name = $3 AND c.level = $4::smallint"
    " AND c.issued_on = $5::date");

int certificate_verify(struct kw_ctx *c, const char *data, json_object **out)
{
	int err;
	if (!data || !*data || strlen(data) > 2000) {
		kw_field_error(c, "data", 0, "required", "请提供证书二维码中的内容");
		return KW_EVALIDATION;
	}
	const char *q = strchr(data, '?');
	q = q ? q + 1 : data;
	const char *no = query_value(c, q, "no"), *name = query_value(c, q, "name");
	const char *occ = query_value(c, q, "occ"), *lvl = query_value(c, q, "lvl");
	const char *date = query_value(c, q, "date"), *kid = query_value(c, q, "kid");
	const char *sig = query_value(c, q, "sig");
	json_object *o = kwj_own(c, json_object_new_object());
	bool complete = no && name && occ && lvl && date && kid && sig && strlen(lvl) == 1 &&
			lvl[0] >= '1' && lvl[0] <= '5' && is_date(date) && strlen(kid) <= 32;
	bool sig_ok = false, registered = false;
	PGresult *reg = NULL;
	if (complete) {
		PGresult *k = db_query(c, &q_key_pub, &err, kid);
		if (!k)
			return err;
		unsigned char pk[crypto_sign_PUBLICKEYBYTES], s[crypto_sign_BYTES];
		size_t pl = 0, sl = 0;
		const char *pk_hex = PQntuples(k) ? db_val(k, 0, "public_key") : NULL;
		if (pk_hex &&
		    !sodium_hex2bin(pk, sizeof(pk), pk_hex, strlen(pk_hex), NULL, &pl, NULL) &&
		    pl == sizeof(pk) &&
		    !sodium_base642bin(s, sizeof(s), sig, strlen(sig), NULL, &sl, NULL,
				       sodium_base64_VARIANT_URLSAFE_NO_PADDING) &&
		    sl == sizeof(s)) {
			const char *text =
			    certificate_canonical(c, no, name, occ, lvl[0] - '0', date, kid);
			sig_ok = !crypto_sign_verify_detached(s, (const unsigned char *)text,
							      strlen(text), pk);
		}
		reg = db_query(c, &q_verify_reg, &err, no, name, occ, lvl, date);
		if (!reg)
			return err;
		registered = PQntuples(reg) > 0;
	}
	kwj_add_bool(o, "valid", sig_ok && registered);
	kwj_add_bool(o, "signature_valid", sig_ok);
	kwj_add_bool(o, "registered", registered);
	kwj_add_str(o, "kid", kid);
	if (sig_ok || registered) {
		json_object *cert = json_object_new_object();
		int level = lvl[0] - '0';
		kwj_add_str(cert, "cert_no", no);
		kwj_add_str(cert, "name", certificate_mask_name(c, name));
		kwj_add_str(cert, "occupation", occ);
		kwj_add_int(cert, "level", level);
		kwj_add_str(cert, "level_text", level_text(level));
		kwj_add_str(cert, "issued_on", date);
		kwj_add_str(cert, "org", registered ? db_val(reg, 0, "org_name") : NULL);
		kwj_add_str(cert, "category_text",
			    registered ? category_text(db_val(reg, 0, "category")) : NULL);
		kwj_put(o, "certificate", cert);
	} else {
		kwj_put(o, "certificate", NULL);
	}
	kwj_add_str(o, "message",
		    sig_ok && registered ? "证书真实有效：签名正确，且与证书登记信息一致"
		    : sig_ok ? "签名正确，但证书登记中查无此证书，请联系发证机构"
		    : registered ? "证书登记中有此证书，但二维码签名无效，请谨慎核对"
				 : "验证失败：二维码内容被篡改或不是本系统签发的证书");
	*out = o;
	return KW_OK;
}

/* ------------------------------------------------------------------ rate limit */

/* The public queries per client address and minute (lib/core/ratelimit, real time): the
 * queries and QR verifications share one count, the public keys have their own. */
static const struct rl_rule rl_public = {"public_certificates", "KAOWU_LIMIT_PUBLIC", 30, 60,
					 "证书查询"};
static const struct rl_rule rl_keys = {"certificate_keys", "KAOWU_LIMIT_PUBLIC", 30, 60,
				       "公钥查询"};

int certificate_public_hit(struct kw_ctx *c, bool keys)
{
	return ratelimit_hit(c, keys ? &rl_keys : &rl_public, "ip", c->ip);
}
