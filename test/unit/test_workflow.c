/* test_workflow.c - the pure tables of the workflow engine (plans, batches) and its lookups, no
 * database: reachability, unambiguous rows, texts, pending rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "batch.h"
#include "enroll.h"
#include "notice.h"
#include "finance.h"
#include "plan.h"
#include "training.h"
#include "workflow.h"

static const struct wf_def *const defs[] = {&plan_wf,	  &batch_wf, &notice_wf,
					    &training_wf, &fee_wf,   &enroll_wf};
#define NDEFS (sizeof(defs) / sizeof(defs[0]))

/* Index of status code in d, or -1. */
static int status_index(const struct wf_def *d, const char *code)
{
	for (size_t i = 0; code && i < d->nstatuses; i++)
		if (!strcmp(d->statuses[i].code, code))
			return (int)i;
	return -1;
}

/* Every status is reached from the first one (draft; an enrollment's: submitted, as it is created)
 * through the rows, pending rows included. */
static void test_every_status_reachable_from_draft(void **state)
{
	(void)state;
	for (size_t k = 0; k < NDEFS; k++) {
		const struct wf_def *d = defs[k];
		bool seen[64] = {false};
		assert_true(d->nstatuses <= 64);
		if (d != &enroll_wf)
			assert_string_equal(d->statuses[0].code, "draft");
		seen[0] = true;
		for (bool grew = true; grew;) {
			grew = false;
			for (size_t i = 0; i < d->nrows; i++) {
				int from = status_index(d, d->rows[i].from);
				int to = status_index(d, d->rows[i].to ? d->rows[i].to
								       : d->rows[i].from);
				assert_true(from >= 0);
				assert_true(to >= 0);
				if (seen[from] && !seen[to])
					seen[to] = grew = true;
			}
		}
		for (size_t s = 0; s < d->nstatuses; s++) {
			if (!seen[s])
				fail_msg("%s: status %s is not reachable", d->entity,
					 d->statuses[s].code);
		}
	}
}

/* Two `when`s both hold for some owner. */
static bool whens_overlap(enum wf_when a, enum wf_when b)
{
	return a == WF_ALWAYS || b == WF_ALWAYS || a == b;
}

/* No two rows for the same status x action can both apply to one caller (role, relation, when). */
static void test_no_two_rows_ambiguous(void **state)
{
	(void)state;
	for (size_t k = 0; k < NDEFS; k++) {
		const struct wf_def *d = defs[k];
		for (size_t i = 0; i < d->nrows; i++)
			for (size_t j = i + 1; j < d->nrows; j++) {
				const struct wf_row *a = &d->rows[i], *b = &d->rows[j];
				if (!strcmp(a->from, b->from) && a->action == b->action &&
				    (a->roles & b->roles) && (a->rel & b->rel) &&
				    whens_overlap(a->when, b->when))
					fail_msg("%s: rows %zu and %zu both match %s x %s",
						 d->entity, i, j, a->from,
						 d->actions[a->action].code);
			}
	}
}

/* A row that moves the status has its trail line and at least one message; one that stays does
 * not pretend to (stays are edits and 调配, written by their own functions). */
static void test_moving_rows_have_trail_and_message(void **state)
{
	(void)state;
	for (size_t k = 0; k < NDEFS; k++) {
		const struct wf_def *d = defs[k];
		for (size_t i = 0; i < d->nrows; i++) {
			const struct wf_row *r = &d->rows[i];
			if (!r->to || !strcmp(r->to, r->from)) {
				assert_null(r->trail);
				assert_false(d->actions[r->action].endpoint);
				continue;
			}
			if (!r->trail || !*r->trail)
				fail_msg("%s: row %zu (%s x %s) has no trail line", d->entity, i,
					 r->from, d->actions[r->action].code);
			if (!r->msgs[0].text)
				fail_msg("%s: row %zu (%s x %s) sends no message", d->entity, i,
					 r->from, d->actions[r->action].code);
			assert_true(r->roles != 0);
			assert_true(r->rel != 0);
		}
	}
}

/* Every status has a text, a label without {org}, and a phase. */
static void test_every_status_has_text(void **state)
{
	(void)state;
	for (size_t k = 0; k < NDEFS; k++) {
		const struct wf_def *d = defs[k];
		for (size_t i = 0; i < d->nstatuses; i++) {
			const struct wf_status *s = &d->statuses[i];
			assert_non_null(s->text);
			assert_true(*s->text);
			assert_non_null(s->label);
			assert_null(strstr(s->label, "{org}"));
			assert_true(s->phase >= 1);
			/* {org} in a text only when a move says what it is */
			if (strstr(s->text, "{org}"))
				assert_true(s->param != WF_PARAM_NONE);
		}
	}
}

/* Every action the tables can offer is implemented (an endpoint row, or an edit / 调配 with its
 * own function) or explicitly pending; user words name no rule ids. Prints the pending count. */
static void test_actions_implemented_or_pending(void **state)
{
	(void)state;
	for (size_t k = 0; k < NDEFS; k++) {
		const struct wf_def *d = defs[k];
		size_t pending = 0;
		for (size_t a = 0; a < d->nactions; a++) {
			bool used = false;
			for (size_t i = 0; i < d->nrows; i++)
				used |= d->rows[i].action == (int)a;
			if (!used)
				fail_msg("%s: action %s has no row", d->entity, d->actions[a].code);
			assert_non_null(d->actions[a].verb);
		}
		for (size_t i = 0; i < d->nrows; i++) {
			const struct wf_row *r = &d->rows[i];
			assert_true(r->action >= 0 && (size_t)r->action < d->nactions);
			if (r->pending) {
				pending++;
				assert_null(strchr(r->pending, 'R'));
			}
		}
		print_message("%s: %zu of %zu rows pending\n", d->entity, pending, d->nrows);
		if (d == &plan_wf)
			assert_int_equal(pending, 0);
	}
}

/* The lookups: the level-2 route, the relation, pending rows. */
static void test_find_routes_and_relations(void **state)
{
	(void)state;
	int submit = wf_action_of(&plan_wf, "submit");
	int approve = wf_action_of(&plan_wf, "approve");
	assert_true(submit >= 0 && approve >= 0);
	assert_int_equal(wf_action_of(&plan_wf, "publish"), -1);
	const struct wf_row *r = wf_find(&plan_wf, "draft", submit, R_STATION, WF_OWNER, true);
	assert_non_null(r);
	assert_string_equal(r->to, "level2_review");
	r = wf_find(&plan_wf, "draft", submit, R_STATION, WF_OWNER, false);
	assert_non_null(r);
	assert_string_equal(r->to, "center_review");
	/* a level-2 org that is not the plan's reviewer may not approve it */
	assert_null(wf_find(&plan_wf, "level2_review", approve, R_LEVEL2, WF_SCOPE, true));
	assert_non_null(wf_find(&plan_wf, "level2_review", approve, R_LEVEL2, WF_LEVEL2, true));
	assert_false(wf_may(&plan_wf, approve, R_STATION, ~0u));
	/* phase 2 is open (提交报名 with its guard, R18); the later phases are designed but pending
	 */
	r = wf_find(&batch_wf, "registering", BA_SUBMIT_REGISTRATION, R_STATION, WF_SCOPE, true);
	assert_non_null(r);
	assert_null(r->pending);
	assert_non_null(r->guard);
	assert_string_equal(r->to, "reg_org2");
	r = wf_find(&batch_wf, "app_org2", BA_APPROVE, R_LEVEL2, WF_SCOPE, true);
	assert_non_null(r);
	assert_string_equal(r->to, "app_staff");
	assert_null(r->pending);
}

/* Status texts and templates. */
static void test_texts(void **state)
{
	(void)state;
	struct kw_ctx c = {.a = arena_new(4096)};
	assert_string_equal(wf_status_text(&c, &batch_wf, "app_org2", "北汽"), "等待北汽审核资质");
	assert_string_equal(wf_status_text(&c, &batch_wf, "app_org2", NULL),
			    "等待上级机构审核资质");
	assert_string_equal(wf_status_text(&c, &plan_wf, "rejected", "中心工作人员"),
			    "被中心工作人员拒绝");
	assert_null(wf_status_text(&c, &plan_wf, "nope", NULL));
	assert_string_equal(wf_fill(&c, "{a}-{a}", "{a}", "{a}x"), "{a}x-{a}x");
	assert_string_equal(wf_fill(&c, "{a}", "{a}", NULL), "");
	assert_string_equal(wf_fill(&c, "none", "{a}", "v"), "none");
	arena_free(c.a);
}

/* The to-do test reads the rows: who acts in a status has it to do, nobody has a draft. */
static void test_status_todo_from_the_rows(void **state)
{
	(void)state;
	assert_false(wf_status_todo(&batch_wf, "draft", R_STATION));
	assert_true(wf_status_todo(&batch_wf, "registering", R_STATION));
	assert_false(wf_status_todo(&batch_wf, "registering", R_LEVEL2));
	assert_true(wf_status_todo(&batch_wf, "reg_org2", R_LEVEL2));
	assert_false(wf_status_todo(&batch_wf, "reg_org2", R_CENTER_STAFF));
	assert_true(wf_status_todo(&batch_wf, "reg_director", R_CENTER_DIRECTOR));
	assert_true(wf_status_todo(&batch_wf, "examining", R_STATION)); /* 提交成绩 */
	assert_false(wf_status_todo(&batch_wf, "received", R_STATION | R_CENTER | R_LEVEL2));
	assert_false(wf_status_todo(&plan_wf, "approved", R_CENTER_STAFF));
	assert_true(wf_status_todo(&plan_wf, "center_review", R_CENTER_STAFF));
}

/* R14 on the engine: only the owning station rejects a submitted enrollment; level-2 and the
 * center have no row (their 403 names why), and a rejected one cannot be rejected again. */
static void test_r14_enrollment_reject_rows(void **state)
{
	(void)state;
	int reject = wf_action_of(&enroll_wf, "reject");
	assert_true(reject >= 0);
	const struct wf_row *r =
	    wf_find(&enroll_wf, "submitted", reject, R_STATION, WF_OWNER, true);
	assert_non_null(r);
	assert_string_equal(r->to, "rejected");
	assert_non_null(r->guard);
	assert_int_equal(r->msgs[0].to, WF_TO_ACCOUNT);
	assert_null(wf_find(&enroll_wf, "submitted", reject, R_STATION, WF_SCOPE, false));
	assert_false(wf_may(&enroll_wf, reject, R_LEVEL2 | R_CENTER, ~0u));
	assert_non_null(enroll_wf.actions[reject].forbidden);
	assert_null(wf_find(&enroll_wf, "rejected", reject, R_STATION, WF_OWNER, true));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_status_reachable_from_draft),
	    cmocka_unit_test(test_no_two_rows_ambiguous),
	    cmocka_unit_test(test_moving_rows_have_trail_and_message),
	    cmocka_unit_test(test_every_status_has_text),
	    cmocka_unit_test(test_actions_implemented_or_pending),
	    cmocka_unit_test(test_find_routes_and_relations),
	    cmocka_unit_test(test_texts),
	    cmocka_unit_test(test_status_todo_from_the_rows),
	    cmocka_unit_test(test_r14_enrollment_reject_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
