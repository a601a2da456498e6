/* file.c - uploads: recognising a file by its bytes, storing it in PostgreSQL, scoped reads. */
#include "file.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>
#include <zip.h>

#include "core/clock.h"
#include "core/json.h"
#include "db/db.h"
#include "enroll.h"
#include "org.h"

/* ------------------------------------------------------------------ kinds */

static const struct kind_def {
	enum file_kind kind;
	const char *code;
	const char *mime;
	const char *label; /* for messages */
} kinds[] = {
    {FILE_DOC, "doc", "application/msword", "Word 文档（doc）"},
    {FILE_DOCX, "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     "Word 文档（docx）"},
    {FILE_XLSX, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
     "Excel 工作簿（xlsx）"},
    {FILE_JPG, "jpg", "image/jpeg", "JPG 图片"},
    {FILE_PNG, "png", "image/png", "PNG 图片"},
    {FILE_PDF, "pdf", "application/pdf", "PDF 文档"},
    {FILE_XLS, "xls", "application/vnd.ms-excel", "Excel 工作簿（xls）"},
    {FILE_PPT, "ppt", "application/vnd.ms-powerpoint", "PowerPoint 演示文稿（ppt）"},
    {FILE_PPTX, "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
     "PowerPoint 演示文稿（pptx）"},
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

static const struct kind_def *kind_def(enum file_kind k)
{
	for (size_t i = 0; i < NKINDS; i++)
		if (kinds[i].kind == k)
			return &kinds[i];
	return NULL;
}

const char *file_kind_code(enum file_kind k)
{
	const struct kind_def *d = kind_def(k);
	return d ? d->code : NULL;
}

const char *file_kind_mime(enum file_kind k)
{
	const struct kind_def *d = kind_def(k);
	return d ? d->mime : NULL;
}

size_t file_kind_max(enum file_kind k)
{
	return (k & FILE_IMAGE) ? FILE_MAX_IMAGE : FILE_MAX_DOCUMENT;
}

enum file_kind file_kind_of_mime(const char *mime)
{
	if (!mime)
		return FILE_UNKNOWN;
	while (*mime == ' ')
		mime++;
	size_t n = strcspn(mime, "; \t");
	for (size_t i = 0; i < NKINDS; i++)
		if (strlen(kinds[i].mime) == n && strncasecmp(kinds[i].mime, mime, n) == 0)
			return kinds[i].kind;
	/* Older or sloppier spellings browsers and tools send. */
	static const struct {
		const char *mime;
		enum file_kind kind;
	} alias[] = {{"image/jpg", FILE_JPG}, {"image/pjpeg", FILE_JPG}, {"image/x-png", FILE_PNG}};
	for (size_t i = 0; i < sizeof(alias) / sizeof(alias[0]); i++)
		if (strlen(alias[i].mime) == n && strncasecmp(alias[i].mime, mime, n) == 0)
			return alias[i].kind;
	return FILE_UNKNOWN;
}

enum file_kind file_kind_of_name(const char *name)
{
	const char *dot = name ? strrchr(name, '.') : NULL;
	if (!dot)
		return FILE_UNKNOWN;
	dot++;
	if (!strcasecmp(dot, "jpeg"))
		return FILE_JPG;
	for (size_t i = 0; i < NKINDS; i++)
		if (!strcasecmp(dot, kinds[i].code))
			return kinds[i].kind;
	return FILE_UNKNOWN;
}

/* ------------------------------------------------------------------ sniffing */

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

#define CFB_ENDOFCHAIN 0xFFFFFFFEu
#define CFB_MAX_STEPS 65536 /* sectors followed in any chain: a loop cannot run forever */

struct cfb {
	const unsigned char *b;
	size_t len;
	size_t ss; /* sector size */
};

/* The bytes of sector s, or NULL when it lies outside the file. */
static const unsigned char *cfb_sector(const struct cfb *f, uint32_t s)
{
	uint64_t off = ((uint64_t)s + 1) * f->ss;
	if (s >= 0xFFFFFFFAu || off + f->ss > f->len)
		return NULL;
	return f->b + off;
}

/* The sector number of the k-th FAT sector (from the header's DIFAT, then the DIFAT chain). */
static bool cfb_fat_sector(const struct cfb *f, uint32_t k, uint32_t *out)
{
	if (k < 109) {
		*out = le32(f->b + 0x4C + 4 * k);
		return true;
	}
	k -= 109;
	uint32_t per = (uint32_t)(f->ss / 4) - 1, d = le32(f->b + 0x44);
	for (int steps = 0; steps < CFB_MAX_STEPS; steps++) {
		const unsigned char *sec = cfb_sector(f, d);
		if (!sec)
			return false;
		if (k < per) {
			*out = le32(sec + 4 * k);
			return true;
		}
		k -= per;
		d = le32(sec + 4 * per);
	}
	return false;
}

/* The FAT's successor of sector s. */
static bool cfb_next(const struct cfb *f, uint32_t s, uint32_t *next)
{
	uint32_t per = (uint32_t)(f->ss / 4), fs;
	if (!cfb_fat_sector(f, s / per, &fs))
		return false;
	const unsigned char *sec = cfb_sector(f, fs);
	if (!sec)
		return false;
	*next = le32(sec + 4 * (s % per));
	return true;
}

/* Does directory entry d name the stream want (ASCII, stored as UTF-16LE with its NUL)? */
static bool cfb_entry_is(const unsigned char *d, const char *want)
{
	size_t n = strlen(want);
	if (d[0x42] != 2 || le16(d + 0x40) != 2 * (n + 1)) /* a stream; bytes with the NUL */
		return false;
	for (size_t i = 0; i < n; i++)
		if (d[2 * i] != (unsigned char)want[i] || d[2 * i + 1] != 0)
			return false;
	return true;
}

/*
 * An OLE2 compound file's kind by the streams of its directory: a Word 97-2003 document holds a
 * WordDocument stream, an Excel 97-2003 workbook a Workbook (or, older, Book) stream, a
 * PowerPoint 97-2003 presentation a "PowerPoint Document" stream. FILE_UNKNOWN otherwise.
 */
static enum file_kind cfb_kind(const unsigned char *b, size_t len)
{
	static const unsigned char magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
	static const struct {
		const char *stream;
		enum file_kind kind;
	} streams[] = {{"WordDocument", FILE_DOC},
		       {"Workbook", FILE_XLS},
		       {"Book", FILE_XLS},
		       {"PowerPoint Document", FILE_PPT}};
	if (len < 1024 || memcmp(b, magic, 8) != 0)
		return FILE_UNKNOWN;
	uint16_t shift = le16(b + 0x1E);
	if (shift != 9 && shift != 12)
		return FILE_UNKNOWN;
	struct cfb f = {b, len, (size_t)1 << shift};
	uint32_t s = le32(b + 0x30);
	for (int steps = 0; steps < CFB_MAX_STEPS && s != CFB_ENDOFCHAIN; steps++) {
		const unsigned char *sec = cfb_sector(&f, s);
		if (!sec)
			return FILE_UNKNOWN;
		for (size_t e = 0; e + 128 <= f.ss; e += 128)
			for (size_t k = 0; k < sizeof(streams) / sizeof(streams[0]); k++)
				if (cfb_entry_is(sec + e, streams[k].stream))
					return streams[k].kind;
		if (!cfb_next(&f, s, &s))
			return FILE_UNKNOWN;
	}
	return FILE_UNKNOWN;
}

enum sniff_note { SNIFF_OK, SNIFF_ZIP_LIMIT };

/* The first bytes of a zip entry look like XML (an optional BOM, white space, '<'). */
static bool zip_entry_is_xml(zip_t *z, zip_int64_t i)
{
	unsigned char head[64];
	zip_file_t *zf = zip_fopen_index(z, (zip_uint64_t)i, 0);
	if (!zf)
		return false;
	zip_int64_t n = zip_fread(zf, head, sizeof(head));
	zip_fclose(zf);
	if (n <= 0)
		return false;
	size_t k = 0;
	if (n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
		k = 3;
	while (k < (size_t)n && isspace(head[k]))
		k++;
	return k < (size_t)n && head[k] == '<';
}

/* docx, xlsx or pptx by the entries of an OOXML package (exactly one main part); bounded by entry
 * count and declared sizes. */
static enum file_kind sniff_zip(const void *buf, size_t len, enum sniff_note *note)
{
	enum file_kind kind = FILE_UNKNOWN;
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(buf, len, 0, &ze);
	zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
	zip_error_fini(&ze);
	if (!z) {
		if (src)
			zip_source_free(src);
		return FILE_UNKNOWN;
	}
	zip_int64_t n = zip_get_num_entries(z, 0);
	if (n <= 0 || n > FILE_ZIP_MAX_ENTRIES) {
		if (n > FILE_ZIP_MAX_ENTRIES)
			*note = SNIFF_ZIP_LIMIT;
		goto out;
	}
	uint64_t total = 0;
	for (zip_int64_t i = 0; i < n; i++) {
		zip_stat_t st;
		zip_stat_init(&st);
		if (zip_stat_index(z, (zip_uint64_t)i, 0, &st) < 0)
			goto out;
		if (st.valid & ZIP_STAT_SIZE)
			total += st.size;
		if (total > FILE_ZIP_MAX_INFLATED) {
			*note = SNIFF_ZIP_LIMIT;
			goto out;
		}
	}
	if (zip_name_locate(z, "[Content_Types].xml", 0) < 0)
		goto out;
	zip_int64_t word = zip_name_locate(z, "word/document.xml", 0);
	zip_int64_t book = zip_name_locate(z, "xl/workbook.xml", 0);
	zip_int64_t show = zip_name_locate(z, "ppt/presentation.xml", 0);
	int parts = (word >= 0) + (book >= 0) + (show >= 0);
	if (parts == 1 && word >= 0 && zip_entry_is_xml(z, word))
		kind = FILE_DOCX;
	else if (parts == 1 && book >= 0 && zip_entry_is_xml(z, book))
		kind = FILE_XLSX;
	else if (parts == 1 && show >= 0 && zip_entry_is_xml(z, show))
		kind = FILE_PPTX;
out:
	zip_discard(z); /* frees the source too */
	return kind;
}

/* A big-endian 16/32-bit number at p. */
static unsigned be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static unsigned long be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 |
	       p[3];
}

/* Walk the JPEG markers up to the first start-of-frame (bounds-checked): its size. */
static bool jpeg_size(const unsigned char *b, size_t len, int *w, int *h)
{
	size_t i = 2;
	while (i + 4 <= len) {
		if (b[i] != 0xFF)
			return false;
		unsigned char m = b[i + 1];
		if (m == 0xFF) { /* fill byte */
			i++;
			continue;
		}
		if (m == 0x01 || (m >= 0xD0 && m <= 0xD8)) {
			i += 2;
			continue;
		}
		if (m == 0xD9 || m == 0xDA) /* end of image or scan data before any frame header */
			return false;
		size_t seg = be16(b + i + 2);
		if (seg < 2 || i + 2 + seg > len)
			return false;
		bool sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
		if (sof) {
			if (seg < 8)
				return false;
			*h = (int)be16(b + i + 5);
			*w = (int)be16(b + i + 7);
			return true;
		}
		i += 2 + seg;
	}
	return false;
}

enum file_kind file_image_size(const void *buf, size_t len, int *w, int *h)
{
	const unsigned char *b = buf;
	*w = *h = 0;
	static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
	enum file_kind k = FILE_UNKNOWN;
	if (!b || len < 8)
		return FILE_UNKNOWN;
	if (b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) {
		if (jpeg_size(b, len, w, h))
			k = FILE_JPG;
	} else if (len >= 33 && memcmp(b, png, 8) == 0 && be32(b + 8) == 13 &&
		   memcmp(b + 12, "IHDR", 4) == 0) {
		unsigned long pw = be32(b + 16), ph = be32(b + 20);
		unsigned depth = b[24], color = b[25];
		bool depth_ok = depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
		bool color_ok = color == 0 || color == 2 || color == 3 || color == 4 || color == 6;
		if (depth_ok && color_ok && pw <= FILE_IMAGE_MAX_SIDE &&
		    ph <= FILE_IMAGE_MAX_SIDE) {
			*w = (int)pw;
			*h = (int)ph;
			k = FILE_PNG;
		}
	}
	if (k == FILE_UNKNOWN || *w < 1 || *h < 1 || *w > FILE_IMAGE_MAX_SIDE ||
	    *h > FILE_IMAGE_MAX_SIDE) {
		*w = *h = 0;
		return FILE_UNKNOWN;
	}
	return k;
}

static enum file_kind sniff(const void *buf, size_t len, enum sniff_note *note)
{
	const unsigned char *b = buf;
	*note = SNIFF_OK;
	if (!b || len < 8)
		return FILE_UNKNOWN;
	int w, h;
	if (b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
		return file_image_size(buf, len, &w, &h) == FILE_JPG ? FILE_JPG : FILE_UNKNOWN;
	static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
	if (memcmp(b, png, 8) == 0)
		return file_image_size(buf, len, &w, &h) == FILE_PNG ? FILE_PNG : FILE_UNKNOWN;
	enum file_kind ole = cfb_kind(b, len);
	if (ole != FILE_UNKNOWN)
		return ole;
	if (b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4)
		return sniff_zip(buf, len, note);
	if (memcmp(b, "%PDF-1.", 7) == 0 || memcmp(b, "%PDF-2.", 7) == 0) {
		size_t tail = len > 1024 ? 1024 : len;
		for (size_t i = len - tail; i + 5 <= len; i++)
			if (memcmp(b + i, "%%EOF", 5) == 0)
				return FILE_PDF;
	}
	return FILE_UNKNOWN;
}

enum file_kind file_sniff(const void *buf, size_t len)
{
	enum sniff_note note;
	return sniff(buf, len, &note);
}

/* ------------------------------------------------------------------ storing */

/* The last part of a path, trimmed; NULL (field error recorded) when it is not a usable name. */
static const char *clean_name(struct kw_ctx *c, const char *name)
{
	if (!name || !*name) {
		kw_field_error(c, "name", 0, "required", "请在 X-File-Name 中给出文件名");
		return NULL;
	}
	const char *p = name, *slash;
	while ((slash = strpbrk(p, "/\\")))
		p = slash + 1;
	while (*p == ' ')
		p++;
	size_t n = strlen(p);
	while (n && p[n - 1] == ' ')
		n--;
	long chars = kw_utf8_len(p, n);
	bool ctl = false;
	for (size_t i = 0; i < n; i++)
		ctl |= (unsigned char)p[i] < 0x20 || p[i] == 0x7F;
	if (n == 0 || chars < 0 || chars > 255 || ctl) {
		kw_field_error(c, "name", 0, "format",
			       "文件名应为 1–255 个字符的 UTF-8 文本（百分号编码），不含控制字符");
		return NULL;
	}
	return arena_strndup(c->a, p, n);
}

static struct db_stmt q_insert = DB_STMT(
    "file_insert",
    "INSERT INTO files (name, mime, size, sha256, bytes, created_by, created_at, org_id, kind)"
    " VALUES ($1, $2, $3::integer, $4, $5::bytea, $6::bigint, $7::timestamptz, $8::bigint, $9)"
    " RETURNING id");

int file_store(struct kw_ctx *c, const char *name, const char *mime, const void *buf, size_t len,
	       json_object **out)
{
	int err;
	*out = NULL;
	name = clean_name(c, name);
	if (!buf || len == 0) {
		kw_field_error(c, "file", 0, "required", "文件内容为空");
		return KW_EVALIDATION;
	}
	if (!name)
		return KW_EVALIDATION;
	enum sniff_note note;
	enum file_kind kind = sniff(buf, len, &note);
	if (note == SNIFF_ZIP_LIMIT)
		return kw_fail(c, KW_ETOOLARGE, "文件解压后过大或条目过多，请检查文件");
	if (kind == FILE_UNKNOWN) {
		kw_field_error(c, "file", 0, "file_type",
			       "只能上传 doc、docx、xlsx、jpg、png 文件（按文件内容判断）");
		return KW_EVALIDATION;
	}
	const struct kind_def *d = kind_def(kind);
	enum file_kind declared = file_kind_of_mime(mime);
	bool generic = !mime || !*mime || !strncasecmp(mime, "application/octet-stream", 24);
	if (!generic && declared != kind)
		kw_field_error(
		    c, "file", 0, "mime",
		    arena_printf(c->a, "文件内容是%s，与声明的类型 %s 不符", d->label, mime));
	enum file_kind by_name = file_kind_of_name(name);
	if (by_name != kind)
		kw_field_error(
		    c, "name", 0, "extension",
		    arena_printf(c->a, "文件内容是%s，文件名应以 .%s 结尾", d->label, d->code));
	if ((err = kw_validation_result(c)))
		return err;
	if (len > file_kind_max(kind))
		return kw_fail(c, KW_ETOOLARGE,
			       (kind & FILE_IMAGE) ? "图片不能超过 1 MB" : "文件不能超过 20 MB");

	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(digest, buf, len);
	char sha[2 * crypto_hash_sha256_BYTES + 1];
	sodium_bin2hex(sha, sizeof(sha), digest, sizeof(digest));
	char *hex = arena_alloc(c->a, 2 * len + 3);
	hex[0] = '\\';
	hex[1] = 'x';
	sodium_bin2hex(hex + 2, 2 * len + 1, buf, len);
	const char *now = kw_now_text(c);
	PGresult *res = db_query(c, &q_insert, &err, name, d->mime, db_ltoa(c, (long)len), sha, hex,
				 db_ltoa(c, c->user.id), now,
				 c->user.org_id > 0 ? db_ltoa(c, c->user.org_id) : NULL, d->code);
	if (!res)
		return err;
	json_object *o = kwj_own(c, json_object_new_object());
	kwj_add_int(o, "id", strtol(PQgetvalue(res, 0, 0), NULL, 10));
	kwj_add_str(o, "name", name);
	kwj_add_int(o, "size", (long)len);
	kwj_add_str(o, "mime", d->mime);
	kwj_add_str(o, "kind", d->code);
	kwj_add_str(o, "sha256", sha);
	*out = o;
	return KW_OK;
}

/* ------------------------------------------------------------------ reading */

static struct db_stmt q_fetch = DB_STMT(
    "file_fetch",
    "SELECT f.id, f.name, f.mime, f.kind, f.sha256, f.size, f.bytes FROM files f"
    " WHERE f.id = $1 AND (f.created_by = $2::bigint OR (f.org_id IS NOT NULL AND " ORG_SCOPE_SQL(
	"f.org_id", "$3", "$4") "))");

static struct db_stmt q_fetch_id =
    DB_STMT("file_fetch_id", "SELECT f.id, f.name, f.mime, f.kind, f.sha256, f.size, f.bytes"
			     " FROM files f WHERE f.id = $1");

static int blob_of(struct kw_ctx *c, long id, PGresult *res, struct file_blob *out);

int file_fetch_attached(struct kw_ctx *c, long id, struct file_blob *out)
{
	int err;
	memset(out, 0, sizeof(*out));
	PGresult *res = db_query(c, &q_fetch_id, &err, db_ltoa(c, id));
	if (!res)
		return err;
	if (!PQntuples(res))
		return kw_fail(c, KW_ENOTFOUND, "文件不存在");
	return blob_of(c, id, res, out);
}

int file_fetch(struct kw_ctx *c, long id, struct file_blob *out)
{
	int err;
	memset(out, 0, sizeof(*out));
	struct org_scope s;
	org_scope_of(c, &s);
	/* Only institutions' accounts see by org; experts and candidates their own uploads. */
	const char *kind = s.kind_param, *root = s.root_param;
	if (!c->user.kind || strcmp(c->user.kind, "org") != 0) {
		kind = "none";
		root = "0";
	}
	PGresult *res =
	    db_query(c, &q_fetch, &err, db_ltoa(c, id), db_ltoa(c, c->user.id), kind, root);
	if (!res)
		return err;
	if (!PQntuples(res)) {
		/* a candidate's upload of an enrollment in the caller's scope (lib/enroll) */
		bool ok = false;
		if ((err = enroll_file_visible(c, id, &ok)))
			return err;
		if (ok)
			res = db_query(c, &q_fetch_id, &err, db_ltoa(c, id));
		if (!res)
			return err;
		if (!ok || !PQntuples(res))
			return kw_fail(c, KW_ENOTFOUND, "文件不存在");
	}
	return blob_of(c, id, res, out);
}

/* The first row of a file query (hex bytea) as a blob in the arena. */
static int blob_of(struct kw_ctx *c, long id, PGresult *res, struct file_blob *out)
{
	const char *hex = PQgetvalue(res, 0, PQfnumber(res, "bytes"));
	size_t hexlen = strlen(hex), n = 0;
	if (hexlen < 2 || hex[0] != '\\' || hex[1] != 'x')
		return KW_EINTERNAL;
	unsigned char *bin = arena_alloc(c->a, hexlen / 2 + 1);
	if (sodium_hex2bin(bin, hexlen / 2 + 1, hex + 2, hexlen - 2, NULL, &n, NULL) != 0)
		return KW_EINTERNAL;
	out->id = id;
	out->name = PQgetvalue(res, 0, PQfnumber(res, "name"));
	out->mime = PQgetvalue(res, 0, PQfnumber(res, "mime"));
	out->kind = PQgetisnull(res, 0, PQfnumber(res, "kind"))
			? NULL
			: PQgetvalue(res, 0, PQfnumber(res, "kind"));
	out->sha256 = PQgetvalue(res, 0, PQfnumber(res, "sha256"));
	out->data = bin;
	out->len = n;
	return KW_OK;
}

static struct db_stmt q_usable =
    DB_STMT("file_usable", "SELECT name, kind, org_id FROM files WHERE id = $1");

int file_usable(struct kw_ctx *c, long id, unsigned kinds_mask, long org_id, bool *ok,
		const char **name)
{
	int err;
	*ok = false;
	if (name)
		*name = NULL;
	if (id <= 0)
		return KW_OK;
	PGresult *res = db_query(c, &q_usable, &err, db_ltoa(c, id));
	if (!res)
		return err;
	if (!PQntuples(res))
		return KW_OK;
	if (name)
		*name = PQgetvalue(res, 0, 0);
	const char *code = PQgetisnull(res, 0, 1) ? NULL : PQgetvalue(res, 0, 1);
	long owner = PQgetisnull(res, 0, 2) ? 0 : strtol(PQgetvalue(res, 0, 2), NULL, 10);
	enum file_kind k = FILE_UNKNOWN;
	for (size_t i = 0; code && i < NKINDS; i++)
		if (!strcmp(kinds[i].code, code))
			k = kinds[i].kind;
	*ok = (k & kinds_mask) && owner == org_id;
	return KW_OK;
}
