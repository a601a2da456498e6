/* file.h - uploads (DESIGN.md section 1): files kept in PostgreSQL, accepted by their content. */
#ifndef KW_FILE_H
#define KW_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "core/ctx.h"

/*
 * The kinds of file the platform accepts. The kind comes from the bytes, never
 * from the name or the declared type: doc / xls / ppt (an OLE2 compound file
 * holding a WordDocument / Workbook or Book / PowerPoint Document stream),
 * docx / xlsx / pptx (a zip whose entries include word/document.xml /
 * xl/workbook.xml / ppt/presentation.xml, read with libzip under an entry-count
 * and size cap), jpg (FF D8 FF and a frame header with sane dimensions), png
 * (the PNG signature and a valid IHDR chunk with sane dimensions), pdf ("%PDF-1." at the
 * start and "%%EOF" in the last kilobyte).
 */
enum file_kind {
	FILE_UNKNOWN = 0,
	FILE_DOC = 1u << 0,
	FILE_DOCX = 1u << 1,
	FILE_XLSX = 1u << 2,
	FILE_JPG = 1u << 3,
	FILE_PNG = 1u << 4,
	FILE_PDF = 1u << 5,
	FILE_XLS = 1u << 6,
	FILE_PPT = 1u << 7,
	FILE_PPTX = 1u << 8,
};
#define FILE_WORD (FILE_DOC | FILE_DOCX) /* 培训大纲 (R10), practical papers */
#define FILE_IMAGE (FILE_JPG | FILE_PNG) /* photos, ID cards (R13) */
/* 通知公告 attachments: any office document or PDF. */
#define FILE_OFFICE (FILE_DOC | FILE_DOCX | FILE_XLS | FILE_XLSX | FILE_PPT | FILE_PPTX | FILE_PDF)

/* Size caps: images 1 MB (R13), documents and workbooks 20 MB. */
#define FILE_MAX_IMAGE (1024u * 1024u)
#define FILE_MAX_DOCUMENT (20u * 1024u * 1024u)

/* Zip caps used while recognising docx/xlsx (zip bombs): entries, summed uncompressed size. */
#define FILE_ZIP_MAX_ENTRIES 2000
#define FILE_ZIP_MAX_INFLATED (256u * 1024u * 1024u)

/* The kind of buf judged by its content (no database, no context); FILE_UNKNOWN otherwise. */
enum file_kind file_sniff(const void *buf, size_t len);

/* The largest width or height of an accepted image, in pixels. */
#define FILE_IMAGE_MAX_SIDE 20000

/* An image's kind and size from its header (R13: a jpg needs a frame header, a png a valid
 * IHDR; 1..FILE_IMAGE_MAX_SIDE pixels each way; bounds-checked, no decoding of pixels).
 * FILE_JPG or FILE_PNG with *w, *h set, else FILE_UNKNOWN and 0 x 0. */
enum file_kind file_image_size(const void *buf, size_t len, int *w, int *h);

/* "doc", "docx", "xlsx", "jpg", "png"; NULL for FILE_UNKNOWN. */
const char *file_kind_code(enum file_kind k);
/* The canonical MIME type of a kind (image/png, application/msword, ...); NULL if unknown. */
const char *file_kind_mime(enum file_kind k);
/* The kind a declared MIME type names (parameters like "; charset" ignored, case-insensitive);
 * FILE_UNKNOWN for anything else, including application/octet-stream. */
enum file_kind file_kind_of_mime(const char *mime);
/* The kind a file name's extension names (.jpeg counts as jpg); FILE_UNKNOWN otherwise. */
enum file_kind file_kind_of_name(const char *name);
/* The size cap of a kind in bytes. */
size_t file_kind_max(enum file_kind k);

/*
 * Store an upload of the caller. name is the decoded X-File-Name (UTF-8,
 * 1..255 characters; a path is cut to its last part), mime the declared
 * Content-Type (NULL or application/octet-stream: not declared).
 * Refused with KW_EVALIDATION (field "file", rules "required", "file_type",
 * "mime", "extension"; field "name" for a bad name) when the content is empty
 * or not one of the accepted kinds, when a declared type or the name's
 * extension names another kind than the content; KW_ETOOLARGE past the
 * kind's cap. The row records the kind, the caller's account and the
 * caller's org (org accounts and experts; NULL for candidates).
 * *out: {"id", "name", "size", "mime", "kind", "sha256"} (arena).
 */
int file_store(struct kw_ctx *c, const char *name, const char *mime, const void *buf, size_t len,
	       json_object **out);

/* A stored file as file_fetch() hands it out (all memory in the request arena). */
struct file_blob {
	long id;
	const char *name;
	const char *mime;
	const char *kind;
	const char *sha256;
	const unsigned char *data;
	size_t len;
};

/*
 * Read file id if the caller may see it: its uploader; org accounts whose
 * scope (org.h) holds the file's org, i.e. the uploading org itself and the
 * reviewers above it (its level-2 parent, the center); and a candidate's upload
 * attached to an enrollment (lib/enroll) for the orgs whose scope holds the
 * enrollment's station. Anyone else gets KW_ENOTFOUND, as for a file that does
 * not exist.
 */
int file_fetch(struct kw_ctx *c, long id, struct file_blob *out);

/*
 * Read file id without the scope check of file_fetch(): only for modules that have checked
 * that the caller may see the object the file is attached to (a notice's attachment).
 * KW_ENOTFOUND when there is no such file.
 */
int file_fetch_attached(struct kw_ctx *c, long id, struct file_blob *out);

/*
 * For other modules that attach a file to their object (e.g. a batch item's
 * 培训大纲): is file id of one of `kinds` and uploaded for org_id (by an
 * account of that org)? Sets *ok, and *name to the file's name when it exists.
 * No field error is recorded: the caller names the field and the rule.
 */
int file_usable(struct kw_ctx *c, long id, unsigned kinds, long org_id, bool *ok,
		const char **name);

#endif
