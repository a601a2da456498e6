/* workflow.h - the one table-driven workflow engine: every review chain (plans, batch phases, and
 * the chains still to come) is a definition of statuses, actions and rows run by wf_run(). */
#ifndef KW_WORKFLOW_H
#define KW_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "core/ctx.h"

/*
 * Adding a chain (see docs/development.md, "The workflow engine"):
 *   1. a status table   (struct wf_status[]: code, text with {org}, filter label, phase,
 *                        who acts next, what status_param holds);
 *   2. an action table  (struct wf_action[]: code, the verb of the 409 message, endpoint?);
 *   3. a row table      (struct wf_row[]: from x action x roles x relation x when -> to,
 *                        guard, trail line, messages, audit code; pending rows name what
 *                        opens them);
 *   4. a struct wf_def  tying them to the entity: load (+ lock) a subject in the caller's
 *                        scope, move it (the UPDATE ... WHERE status = $from), add a trail line.
 * The handler then calls wf_run(); edits that keep the status call wf_begin() first.
 */

/* The caller's relation to the subject a row asks for (bits; a row names one or more). */
enum wf_rel {
	WF_OWNER = 1u << 0,  /* an account of the org that owns the subject */
	WF_LEVEL2 = 1u << 1, /* an account of the owner's level-2 reviewer */
	WF_CENTER = 1u << 2, /* center staff or director */
	WF_SCOPE = 1u << 3,  /* anyone whose scope holds the subject (the loader checked it) */
};

/* Whether a row applies to an owner with a level-2 parent (reviewing first) or without one. */
enum wf_when { WF_ALWAYS, WF_HAS_L2, WF_NO_L2 };

/* What a status's {org} (the subject's status_param) is set to when a move reaches it. */
enum wf_param { WF_PARAM_NONE, WF_PARAM_L2, WF_PARAM_ACTOR };

/* Who gets a message of a row. */
enum wf_to {
	WF_TO_OWNER,   /* the owner org */
	WF_TO_NEXT,    /* whoever the new status waits for (its waits_for role) */
	WF_TO_LEVEL2,  /* the owner's level-2 reviewer, when there is one */
	WF_TO_CENTER,  /* the center (all its accounts) */
	WF_TO_ACCOUNT, /* the subject's own account (a candidate's enrollment: account_id) */
};

struct wf_status {
	const char *code;
	int phase;
	const char *text; /* what users read; {org} is the status_param ("上级机构" when none) */
	const char *label;  /* the text without {org}, for filters */
	unsigned waits_for; /* enum kw_role bits of who acts next; 0: nobody */
	enum wf_param param;
};

struct wf_action {
	const char *code; /* "submit" */
	const char *verb; /* the verb phrase of "…，不能{verb}": "提交", "寄出证书" */
	bool endpoint;	  /* runs through POST …/actions/{code} (else a PUT of its own) */
	const char *conflict;  /* optional whole 409 message replacing the generic one */
	const char *forbidden; /* optional whole 403 message replacing the generic one */
};

struct wf_msg {
	enum wf_to to;
	const char *text; /* template: {actor} {comment} {name} {org} {l2} or a body string {key} */
};

struct wf_subject;
struct wf_row;

/*
 * A guard runs inside the transaction after the row matched: it may refuse
 * (KW_EVALIDATION with field errors, KW_ECONFLICT) or prepare the change.
 */
typedef int (*wf_guard)(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
			json_object *body);

struct wf_row {
	const char *from;
	int action;	/* index into the definition's actions */
	unsigned roles; /* enum kw_role bits */
	unsigned rel;	/* enum wf_rel bits */
	enum wf_when when;
	const char *to; /* NULL: the status stays (edits, 调配) */
	wf_guard guard;
	const char *trail; /* the trail line template; NULL for rows that stay */
	struct wf_msg msgs[3];
	const char *audit;   /* audit code; NULL: "<entity>.<action code>" */
	const char *pending; /* non-NULL: designed but not open yet (the feature that opens it) */
};

/* A subject (plan, batch …) as the engine sees it; the loader fills it. */
struct wf_subject {
	long id, org_id, l2_id, center_id; /* l2_id: the owner's level-2 reviewer, 0 none */
	bool has_l2;			   /* the owner hangs under a level-2 org */
	const char *status, *status_param;
	const char *name, *code, *org_name, *l2_name;
	long account_id;   /* the account the subject belongs to (WF_TO_ACCOUNT), 0 none */
	json_object *vars; /* more {key} strings for templates (before the body's), or NULL */
	void *ext;	   /* whatever else the definition's callbacks need */
};

/* Everything a move hands to the definition's callbacks. */
struct wf_move {
	const struct wf_row *row;
	const char *from, *to, *param, *actor, *comment, *trail, *now;
	json_object *body;
};

struct wf_def {
	const char *entity; /* "batch": audit object type and prefix */
	const char *noun;   /* "批次": in messages */
	const char *link;   /* SPA link of a subject, printf with %ld: "/app/batches/%ld" */
	const struct wf_status *statuses;
	size_t nstatuses;
	const struct wf_action *actions;
	size_t nactions;
	const struct wf_row *rows;
	size_t nrows;
	/* Load subject id as the caller may see it (FOR UPDATE when lock); KW_ENOTFOUND outside. */
	int (*load)(struct kw_ctx *c, long id, bool lock, struct wf_subject *s);
	/* UPDATE … SET status = m->to WHERE id = s->id AND status = m->from; *moved: rows hit. */
	int (*move)(struct kw_ctx *c, struct wf_subject *s, const struct wf_move *m, bool *moved);
	/* Add the trail line of a move. */
	int (*trail)(struct kw_ctx *c, const struct wf_subject *s, const struct wf_move *m);
	bool audit_code; /* the audit detail carries the subject's code */
};

/* ------------------------------------------------------------------ pure (no database) */

/* The status named code in def, or NULL. */
const struct wf_status *wf_status_find(const struct wf_def *d, const char *code);

/* A status's text with {org} replaced by param ("上级机构" when none); NULL for unknown codes. */
const char *wf_status_text(struct kw_ctx *c, const struct wf_def *d, const char *code,
			   const char *param);

/* The index of action code in def, or -1. */
int wf_action_of(const struct wf_def *d, const char *code);

/* The caller's relation bits to s (enum wf_rel). */
unsigned wf_rel_of(const struct kw_ctx *c, const struct wf_subject *s);

/* True when some row lets role (with relations rel) run action in some status. */
bool wf_may(const struct wf_def *d, int action, unsigned role, unsigned rel);

/* True when role may run an endpoint action of d (no pending row) on a subject in status code:
 * the 待审核 / ?todo=1 test. The first status (the owner's draft) is never a to-do. */
bool wf_status_todo(const struct wf_def *d, const char *code, unsigned role);

/* The review step the caller takes in a two-step chain (level-2, then center staff), for list
 * queries that select "waiting for me": "level2", "center" or "none". */
const char *wf_review_step(const struct kw_ctx *c);

/* The first row for status x action x role x relation x has_l2 (pending rows included), or NULL. */
const struct wf_row *wf_find(const struct wf_def *d, const char *status, int action, unsigned role,
			     unsigned rel, bool has_l2);

/* Replace every {key} in pattern by value (NULL: ""); NULL pattern gives NULL. */
const char *wf_fill(struct kw_ctx *c, const char *pattern, const char *key, const char *value);

/* How trail lines and messages name the caller: 中心工作人员, 中心主任, the level-2 org, the
 * owner org, else the account's name. */
const char *wf_actor_label(struct kw_ctx *c, const struct wf_subject *s);

/* The rows as JSON [{"from", "action", "roles", "to", "when", "implemented"}]. */
json_object *wf_table_json(struct kw_ctx *c, const struct wf_def *d);

/* The statuses as JSON [{"code", "phase", "text", "label"}]. */
json_object *wf_statuses_json(struct kw_ctx *c, const struct wf_def *d);

/* The action codes the caller may run on s now (buttons; pending rows left out). */
json_object *wf_actions_json(struct kw_ctx *c, const struct wf_def *d, const struct wf_subject *s);

/* ------------------------------------------------------------------ in a transaction */

/*
 * Start a change of subject id by action: 403 when no row ever lets the role do it,
 * begin, load + lock (404 outside scope), 403 when no row lets the caller's relation,
 * find the row (409 naming the status and the action; 409 for pending rows). The
 * transaction stays open: the caller does its change and commits.
 */
int wf_begin(struct kw_ctx *c, const struct wf_def *d, long id, const char *action,
	     struct wf_subject *s, const struct wf_row **row);

/*
 * Run action on subject id in one transaction: wf_begin, the comment (body "comment",
 * at most 500 characters, "" reads as none), the guard, the move (0 rows: 409), the
 * trail line, the audit row, the messages of the row, commit. 404 for an action that
 * is not an endpoint action. body may be NULL.
 */
int wf_run(struct kw_ctx *c, const struct wf_def *d, long id, const char *action,
	   json_object *body);

#endif
