/* batch_int.h - what the batch files share inside libkaowu (batch.c: statuses, the state table and
 * the actions; batch_form.c: the form R4-R10, R12; batch_people.c: 调配 and 督导; batch_read.c:
 * the detail and the list). Not for other modules: they use batch.h. */
#ifndef KW_BATCH_INT_H
#define KW_BATCH_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "batch.h"
#include "workflow.h"

#define BATCH_MAX_ITEMS 50
#define BATCH_MAX_PEOPLE 30
#define R5_LEAD_DAYS 30	   /* exam date >= submission day + 30 */
#define R5_CLOSED_DAYS 20  /* the last 20 days before the exam take no enrollment */
#define MAX_AHEAD_DAYS 730 /* an exam date more than two years ahead is a typing error */

/* Load batch id as the caller may see it (locked when lock); KW_ENOTFOUND otherwise. */
int batch_load(struct kw_ctx *c, long id, bool lock, struct wf_subject *s);

/* The same, and the row itself with the detail's columns (dates, closes_on) in *row. */
int batch_load_row(struct kw_ctx *c, long id, bool lock, struct wf_subject *s, PGresult **row);

/* Add a trail line of batch s (item_id 0: the batch itself). */
int batch_trail_add(struct kw_ctx *c, const struct wf_subject *s, long item_id, const char *actor,
		    const char *action, const char *from, const char *to, const char *comment,
		    const char *text, json_object *detail);

/* Set updated_at of batch id to now. */
int batch_touch(struct kw_ctx *c, long id);

/* Check the stored form of batch s again (R4-R10 against today): KW_EVALIDATION on a break. */
int batch_check_stored(struct kw_ctx *c, const struct wf_subject *s);

/* Replace the people of one role ("assessor" | "supervisor") of an item, in the order given. */
int batch_item_people_save(struct kw_ctx *c, long item_id, const char *role, const long *ids,
			   size_t n);

/* Tell every assessor and supervisor of batch b (站内信) that they serve it: on its approval. */
int batch_people_notify(struct kw_ctx *c, const struct wf_subject *b);

/*
 * Never a double booking (issue 11): lock the people changes (until the transaction ends), then
 * record a field error (rule "double_booking", naming the other batch and the date) for each of
 * chief and ids who already serves an item of another batch than batch_id (drafts do not count)
 * on exam date date; fields prefix+chief_key and prefix+ids_key[i]. KW_EVALIDATION if any.
 */
int batch_people_check_free(struct kw_ctx *c, long batch_id, const char *date, const char *prefix,
			    const char *chief_key, long chief, const char *ids_key, const long *ids,
			    size_t n);

/* Read a list of positive ids (no repeats) at key; records errors under path[i]. */
bool batch_read_ids(struct kw_ctx *c, json_object *o, const char *key, const char *path,
		    const char *rule, const char *what, long **ids, size_t *n);

/* Phase 6 (batch_ship.c): the ship guard (carrier, tracking_no), what a ship / receipt move
 * stores besides the status, and the detail's shipping block. */
int batch_guard_ship(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
		     json_object *body);
int batch_ship_move(struct kw_ctx *c, struct wf_subject *s, const struct wf_move *m);
int batch_shipping_json(struct kw_ctx *c, long id, json_object **out);

/* Small helpers. */
bool batch_present(json_object *o, const char *key);
int batch_need_object(struct kw_ctx *c, json_object *body);
bool batch_parse_day(const char *s, long *day);
const char *batch_format_day(struct kw_ctx *c, long day);
long batch_today(const struct kw_ctx *c);

/* Paper sets an item needs for its enrolled candidates (R15): <= 10 -> 1, 11-50 -> 2, > 50 -> 3. */
int batch_r15_sets(long enrolled);

/* The guard of 提交报名 (R18, batch_papers.c). */
int batch_guard_registration(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
			     json_object *body);

/* The status text of a batch whose registration closes_on ("YYYY-MM-DD" or NULL): 报名中 reads
 * as closed after that day. */
const char *batch_status_text_on(struct kw_ctx *c, const char *code, const char *param,
				 const char *closes_on);

/* Does the caller's role have an action (an open endpoint row) in status code? (待审核, ?todo=1) */
bool batch_status_todo(const char *code, unsigned role);

#endif
