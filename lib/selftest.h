/* selftest.h - 自评自测 (R28): a candidate takes a practice paper drawn from the bank by the
 * center's paper scheme for an occupation and level, timed by a deadline the server keeps,
 * scored on the server with the right answers shown. */
#ifndef KW_SELFTEST_H
#define KW_SELFTEST_H

#include <json-c/json.h>

#include "core/ctx.h"

/*
 * Scoring: a single-choice or true/false question is worth SELFTEST_POINTS_ONE,
 * a multiple-choice question SELFTEST_POINTS_MULTI and counts only when exactly
 * the right letters are given (none missing, none extra). The score is the
 * points out of 100 (one decimal); SELFTEST_PASS and above is 合格. A submission
 * later than the deadline plus SELFTEST_GRACE seconds is scored with what was
 * sent and marked 超时.
 */
#define SELFTEST_POINTS_ONE 1
#define SELFTEST_POINTS_MULTI 2
#define SELFTEST_PASS 60
#define SELFTEST_GRACE 60

/* Self-tests one candidate may start in 24 hours (each draws and stores a whole paper). */
#define SELFTEST_PER_DAY 20

/*
 * JSON shapes (owned by the request arena):
 *   self-test: {"id", "occupation": {"id", "name"}, "level", "level_text", "minutes",
 *     "started_at", "deadline", "remaining_seconds", "submitted_at"|null,
 *     "status": "open"|"submitted", "status_text", "overtime", "question_count",
 *     "points"|null, "max_points", "score"|null, "correct"|null, "passed"|null,
 *     "questions": [question] (get, start and submit only)}
 *   question: {"no", "type", "type_text", "stem", "options": [...], "points",
 *     and once submitted: "answer", "given"|null, "right"}
 * An open self-test never carries answers.
 */

/* The occupation x level pairs a candidate can practise: the center has a scheme for them and
 * the bank holds enough questions not in use. {"items": [{"occupation", "level", "level_text",
 * "minutes", "question_count", "max_points"}]} */
int selftest_options(struct kw_ctx *c, json_object **out);

/*
 * Start a self-test (candidates): body {"occupation_id", "level"}. The
 * newest center scheme for the pair decides the counts per type and kind and
 * the minutes; questions are drawn at random from every bank of the pair
 * (one per distinct question text), never one that is in a batch's paper.
 * No scheme, or a short bank, is KW_EVALIDATION; SELFTEST_PER_DAY starts in the
 * last 24 hours already is KW_ECONFLICT. Audit "selftest.start".
 */
int selftest_start(struct kw_ctx *c, json_object *body, long *id);

/* One of the caller's self-tests (KW_ENOTFOUND for anyone else's). */
int selftest_get(struct kw_ctx *c, long id, json_object **out);

/*
 * Submit answers {"answers": {"1": "A", "2": "A,C", "3": "对"}} keyed by question
 * number; a missing or empty answer scores nothing. A malformed answer is
 * KW_EVALIDATION ("answers.2"); a second submission KW_ECONFLICT. Audit
 * "selftest.submit".
 */
int selftest_submit(struct kw_ctx *c, long id, json_object *body);

/* The caller's self-tests, newest first (at most 200). {"items": [self-test without questions]} */
int selftest_mine(struct kw_ctx *c, json_object **out);

#endif
