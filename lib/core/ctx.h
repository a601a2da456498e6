/* ctx.h - the per-request context every libkaowu function receives. */
#ifndef KW_CTX_H
#define KW_CTX_H

#include <stdbool.h>
#include <time.h>

#include <json-c/json.h>

#include "arena.h"
#include "err.h"

struct db;

/* Roles (DESIGN.md section 2), one bit each so a route can allow several. */
enum kw_role {
	R_CENTER_STAFF = 1u << 0,
	R_CENTER_DIRECTOR = 1u << 1,
	R_LEVEL2 = 1u << 2,  /* level-2 org (二级机构); wire role code "org2" */
	R_STATION = 1u << 3, /* level-3 org: testing station */
	R_ASSESSOR = 1u << 4,
	R_SUPERVISOR = 1u << 5,
	R_CANDIDATE = 1u << 6,
};
#define R_PUBLIC 0u
#define R_CENTER (R_CENTER_STAFF | R_CENTER_DIRECTOR)
#define R_ORG (R_LEVEL2 | R_STATION)
#define R_EXPERT (R_ASSESSOR | R_SUPERVISOR)
#define R_ANY (R_CENTER | R_ORG | R_EXPERT | R_CANDIDATE)

struct kw_user {
	long id;	       /* account id; 0: nobody is logged in */
	unsigned role;	       /* one enum kw_role bit */
	const char *role_code; /* "center_staff", "org2" (level 2), "station", "assessor", ... */
	long org_id;	       /* the org of an org account or an expert, else 0 */
	long expert_id;	       /* assessors and supervisors, else 0 */
	long candidate_id;     /* candidates, else 0 */
	const char *name;      /* display name */
	const char *kind;      /* login portal: "org", "assessor", "supervisor", "candidate" */
	bool must_change_password;
};

struct kw_ctx {
	arena *a;
	struct db *db;
	time_t now;	/* kw_now() at the start of the request */
	const char *ip; /* client address as nginx saw it */
	struct kw_user user;

	/* Error detail for the response; set through kw_fail()/kw_field_error(). */
	const char *err_message;
	json_object *err_fields; /* array of {field|row, rule, message}, owned by the arena */
	int retry_after;	 /* seconds, for 429 */
	const char *err_reason;	 /* a finer machine code beside the error code, e.g.
				    "password_change_required" for that 403 */
};

/* The role bit for a role code of the accounts table; 0 if unknown. */
unsigned kw_role_bit(const char *code);

/* Set the user-facing message for err and return err: `return kw_fail(c, KW_ECONFLICT, "…");` */
int kw_fail(struct kw_ctx *c, int err, const char *message);

/* t as "YYYY-MM-DDTHH:MM:SS+08:00" in the request arena (a timestamptz statement parameter). */
const char *kw_time_text(struct kw_ctx *c, time_t t);

/* The business clock's now (c->now) as kw_time_text gives it. */
const char *kw_now_text(struct kw_ctx *c);

/* The role code ("center_staff", "org2", ...) of one R_* bit; NULL for none or several. */
const char *kw_role_code(unsigned bit);

/*
 * Record one broken rule. field may be NULL when row is given (file imports);
 * row <= 0 means no row. rule is an R-number or a short rule name.
 */
void kw_field_error(struct kw_ctx *c, const char *field, int row, const char *rule,
		    const char *message);

/* KW_EVALIDATION if any field error was recorded, else KW_OK. */
int kw_validation_result(struct kw_ctx *c);

#endif
