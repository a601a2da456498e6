/* test_audit_text.c - every action code and object type that can reach the audit log has its
 * Chinese words (操作日志 shows no raw codes): the codes written by the sources and by the
 * workflow tables are walked, no database. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "audit.h"
#include "batch.h"
#include "finance.h"
#include "notice.h"
#include "plan.h"
#include "training.h"
#include "workflow.h"

static const struct wf_def *const defs[] = {&plan_wf, &batch_wf, &notice_wf, &training_wf, &fee_wf};

static int sites, literals, missing;

/* Read a whole file; NULL when it cannot. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		s = NULL;
	}
	if (s)
		s[n] = '\0';
	fclose(f);
	return s;
}

/* Check one string literal of an audit_write call: a dotted one is an action code, any other
 * an object type; literals with a format directive are built at run time (checked below). */
static void check_literal(const char *file, const char *lit, size_t n)
{
	char code[128];
	if (n >= sizeof(code) || memchr(lit, '%', n))
		return;
	memcpy(code, lit, n);
	code[n] = '\0';
	literals++;
	const char *text = strchr(code, '.') ? audit_action_text(code) : audit_object_text(code);
	if (!text) {
		fprintf(stderr, "%s: audit code \"%s\" has no words in lib/audit.c\n", file, code);
		missing++;
	}
}

/* Every audit_write( call of one source file: the string literals up to its closing ')'. */
static void scan_file(const char *path)
{
	char *s = slurp(path);
	if (!s)
		return;
	for (char *p = strstr(s, "audit_write("); p; p = strstr(p + 1, "audit_write(")) {
		sites++;
		int depth = 0;
		for (char *q = p + strlen("audit_write"); *q; q++) {
			if (*q == '"') {
				char *close = strchr(q + 1, '"');
				if (!close)
					break;
				check_literal(path, q + 1, (size_t)(close - q - 1));
				q = close;
			} else if (*q == '(') {
				depth++;
			} else if (*q == ')' && --depth == 0) {
				break;
			}
		}
	}
	free(s);
}

/* All .c files of one source directory (lib/audit.c itself is the table, not a caller). */
static void scan_dir(const char *dir)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", KW_SOURCE_DIR, dir);
	DIR *d = opendir(path);
	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d));) {
		size_t n = strlen(e->d_name);
		if (n < 3 || strcmp(e->d_name + n - 2, ".c") || !strcmp(e->d_name, "audit.c"))
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s", KW_SOURCE_DIR, dir, e->d_name);
		scan_file(path);
	}
	closedir(d);
}

/* The literal codes of every audit_write call in lib/ and fcgi/. */
static void test_every_written_code_has_words(void **state)
{
	(void)state;
	sites = literals = missing = 0;
	scan_dir("lib");
	scan_dir("fcgi");
	assert_true(sites >= 30);
	assert_true(literals >= 40);
	assert_int_equal(missing, 0);
}

/* Codes the workflow engine writes: a row's own audit code, else entity.action (edits are
 * logged by the forms as entity.update, 调配 as batch.reassign / batch.supervise). */
static void test_every_workflow_code_has_words(void **state)
{
	(void)state;
	int bad = 0;
	for (size_t k = 0; k < sizeof(defs) / sizeof(defs[0]); k++) {
		const struct wf_def *d = defs[k];
		assert_non_null(audit_object_text(d->entity));
		for (size_t i = 0; i < d->nrows; i++) {
			const struct wf_row *r = &d->rows[i];
			const char *act = d->actions[r->action].code;
			char code[128];
			if (r->audit)
				snprintf(code, sizeof(code), "%s", r->audit);
			else if (!strcmp(act, "edit"))
				continue;
			else
				snprintf(code, sizeof(code), "%s.%s", d->entity, act);
			if (!audit_action_text(code)) {
				fprintf(stderr, "workflow %s: audit code \"%s\" has no words\n",
					d->entity, code);
				bad++;
			}
		}
	}
	assert_int_equal(bad, 0);
}

/* Unknown codes have no words (so audit_write refuses them). */
static void test_unknown_code_has_no_words(void **state)
{
	(void)state;
	assert_null(audit_action_text("batch.no_such_action"));
	assert_null(audit_object_text("no_such_object"));
	assert_null(audit_action_text(NULL));
	assert_string_equal(audit_action_text("batch.approve"), "审核通过批次");
	assert_string_equal(audit_object_text("plan"), "年度计划");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_written_code_has_words),
	    cmocka_unit_test(test_every_workflow_code_has_words),
	    cmocka_unit_test(test_unknown_code_has_no_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
