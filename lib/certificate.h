/* certificate.h - the certificate register: issuing a batch's certificates (R22, R23) with their
 * Ed25519 signatures, the printable PDF with its signed QR code, 证书数据管理 (R26), the
 * candidates' own certificates and the public verification with its rate limit. */
#ifndef KW_CERTIFICATE_H
#define KW_CERTIFICATE_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "core/ctx.h"
#include "office/xlsx_writer.h"

/*
 * Issue the certificates of batch batch_id (the caller's transaction holds the batch locked in
 * 证书制作中): one per enrollment graded pass/good/excellent, plus an industry certificate for a
 * dual-certificate national item when the candidate asked for it (R22); numbers per R23 from
 * the locked (year, category, org) counter; 颁证日期 = the business date; each signed; a 站内信
 * to each holder. *issued (may be NULL) gets the count. Errors leave the transaction to roll back.
 */
int certificate_issue_batch(struct kw_ctx *c, long batch_id, long org_id, int *issued);

/*
 * R23: the 19-digit number of a certificate: 2-digit year + the org code with its 4th-5th
 * digits "03" (national) or "09" (industry) + the level digit + the 8-digit serial. Writes 20
 * bytes into out; false when an input is out of range.
 */
bool certificate_number(char out[20], int year, const char *org_code, bool national, int level,
			long serial);

/* The name partly masked for the public: 张* / 张*霞 / 欧阳** (first character kept, and the
 * last of names with three or more). Arena memory. */
const char *certificate_mask_name(struct kw_ctx *c, const char *name);

/* The canonical text a certificate's signature covers:
 * "cert_no|holder_name|occupation|level|issued_on|kid" (arena memory). */
const char *certificate_canonical(struct kw_ctx *c, const char *no, const char *name,
				  const char *occupation, int level, const char *issued_on,
				  const char *kid);

/* Filters of 证书数据管理 (NULL / 0: not given). */
struct cert_filter {
	const char *name, *id_number, *cert_no, *from, *to, *category;
	long occupation_id, org_id, batch_id;
	int level;
};

/*
 * Read and check the list's query values (already decoded; NULL when absent) into f;
 * records field errors (422) for malformed values.
 */
int certificate_filter_check(struct kw_ctx *c, struct cert_filter *f);

/*
 * 证书数据管理 (R26): the certificates in the caller's scope matching f, newest first, one page;
 * *by_level: [{"level", "level_text", "count"}] of all matches (levels 1-5), *text: the
 * manual's totals line "高级技师：0人，技师0人，高级11人，中级9人，初级1人".
 */
int certificate_list(struct kw_ctx *c, const struct cert_filter *f, long page, long per_page,
		     json_object **items, long *total, json_object **by_level, const char **text);

/* The same rows for an export, one column per certificate_export_cols. */
extern const struct xlsx_col certificate_export_cols[];
extern const size_t certificate_export_ncols;
struct db_rows;
int certificate_export_rows(struct kw_ctx *c, const struct cert_filter *f, struct db_rows **rows);

/* Counts per year | level | occupation in the caller's scope: {"by", "items": [{"key", "label",
 * "count"}]}. */
int certificate_stats(struct kw_ctx *c, const char *by, json_object **out);

/* The caller's (a candidate's) certificates, newest first. */
int certificate_mine(struct kw_ctx *c, json_object **items);

/*
 * The certificate as a printable PDF (A4 landscape) with its signed QR code pointing at
 * base_url + "/verify?…". The holder, and orgs whose scope holds the certificate's org; else
 * KW_ENOTFOUND. Bytes in the arena.
 */
int certificate_pdf(struct kw_ctx *c, long id, const char *base_url, const unsigned char **pdf,
		    size_t *len);

/* One certificate as the list shows it plus "batch_name", "kid" and "verify_url" (the QR
 * payload: base_url + "/verify?…" with the signed fields); holder or org scope, else 404. */
int certificate_get(struct kw_ctx *c, long id, const char *base_url, json_object **out);

/*
 * Public query (no login): name + cert_no, or name + id_number (+ category); exact matches
 * only, never a listing. items: [{"cert_no", "name" (masked), "category", "category_text",
 * "occupation", "level", "level_text", "issued_on", "org", "valid"}].
 */
int certificate_public_query(struct kw_ctx *c, const char *cert_no, const char *id_number,
			     const char *name, const char *category, json_object **items);

/* The same for assessors' and supervisors' certificates (expert_certificates). */
int certificate_public_expert_query(struct kw_ctx *c, const char *cert_no, const char *id_number,
				    const char *name, json_object **items);

/* Every signing key's public half: {"algorithm": "Ed25519", "keys": [{"kid", "public_key",
 * "created_at", "current"}]} (hex keys). */
int certificate_public_keys(struct kw_ctx *c, json_object **out);

/*
 * Verify a scanned QR payload (the URL or its query string): the signature against the
 * published key of its kid, and whether the register holds the same certificate.
 * {"valid", "signature_valid", "registered", "kid", "certificate": {…}|null, "message"}.
 */
int certificate_verify(struct kw_ctx *c, const char *data, json_object **out);

/* Create a new signing key now (rotation; kaowu-admin keygen): *kid gets its id. */
int certificate_keygen(struct kw_ctx *c, const char **kid);

/*
 * Count one public query (keys: a fetch of the public keys, counted apart) from c->ip with the
 * shared rate limiter (lib/core/ratelimit.h): at most KAOWU_LIMIT_PUBLIC (default 30) per
 * minute of real time. KW_OK, or KW_ERATELIMIT with c->retry_after set. Call it outside a
 * transaction.
 */
int certificate_public_hit(struct kw_ctx *c, bool keys);

#endif
