/* test_json.c - request JSON: strict parsing, UTF-8, depth, validated getters and field errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/json.h"

static struct kw_ctx ctx_new(void)
{
	struct kw_ctx c = {.a = arena_new(4096)};
	return c;
}

static void ctx_free(struct kw_ctx *c)
{
	arena_free(c->a);
}

/* The field errors recorded so far as compact JSON text. */
static const char *fields(struct kw_ctx *c)
{
	return c->err_fields ? kwj_string(c->err_fields, NULL) : "[]";
}

static void parses_objects_and_rejects_garbage(void **state)
{
	(void)state;
	struct kw_ctx c = ctx_new();
	int err;
	const char *ok = "{\"name\": \"机械行业职业技能鉴定汽车北京奔驰站\", \"n\": 3}  \n";
	json_object *o = kwj_parse(&c, ok, strlen(ok), &err);
	assert_int_equal(err, 0);
	assert_non_null(o);

	const char *bad[] = {"{", "{\"a\":1} x", "[1,]", "", "{\"a\":01}", "nul"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c.err_message = NULL;
		assert_null(kwj_parse(&c, bad[i], strlen(bad[i]), &err));
		assert_int_equal(err, KW_EBADREQ);
		assert_non_null(c.err_message);
	}
	ctx_free(&c);
}

static void refuses_invalid_utf8_and_deep_nesting(void **state)
{
	(void)state;
	struct kw_ctx c = ctx_new();
	int err;
	const char bad_utf8[] = "{\"a\":\"\xC3\x28\"}";
	assert_null(kwj_parse(&c, bad_utf8, sizeof(bad_utf8) - 1, &err));
	assert_int_equal(err, KW_EBADREQ);

	char deep[200];
	size_t n = 0;
	for (int i = 0; i < KWJ_MAX_DEPTH + 5; i++)
		deep[n++] = '[';
	for (int i = 0; i < KWJ_MAX_DEPTH + 5; i++)
		deep[n++] = ']';
	assert_null(kwj_parse(&c, deep, n, &err));
	assert_int_equal(err, KW_EBADREQ);
	ctx_free(&c);
}

static void utf8_length_counts_characters(void **state)
{
	(void)state;
	assert_int_equal(kw_utf8_len("abc", 3), 3);
	assert_int_equal(kw_utf8_len("考务", strlen("考务")), 2);
	assert_int_equal(kw_utf8_len("\xF0\x9F\x98\x80", 4), 1);
	assert_int_equal(kw_utf8_len("\xC0\xAF", 2), -1);	  /* overlong '/' */
	assert_int_equal(kw_utf8_len("\xED\xA0\x80", 3), -1);	  /* surrogate */
	assert_int_equal(kw_utf8_len("\xE8\x80", 2), -1);	  /* truncated */
	assert_int_equal(kw_utf8_len("\xF4\x90\x80\x80", 4), -1); /* > U+10FFFF */
}

static void getters_validate_and_name_the_field(void **state)
{
	(void)state;
	struct kw_ctx c = ctx_new();
	int err;
	const char *body = "{\"name\":\"  申通  \",\"count\":101,\"ok\":true,\"bad\":\"x\","
			   "\"long\":\"一二三四五六\",\"nul\":null}";
	json_object *o = kwj_parse(&c, body, strlen(body), &err);
	const char *s = NULL;
	long n = 0;
	bool b = false;

	assert_true(kwj_get_string(&c, o, "name", NULL, KWJ_REQUIRED, 20, &s));
	assert_string_equal(s, "申通"); /* trimmed */
	assert_true(kwj_get_bool(&c, o, "ok", NULL, KWJ_REQUIRED, &b));
	assert_true(b);
	assert_int_equal(kw_validation_result(&c), KW_OK);

	/* Optional and absent (or null) leaves the output alone. */
	s = "unchanged";
	assert_true(kwj_get_string(&c, o, "missing", NULL, KWJ_OPTIONAL, 20, &s));
	assert_true(kwj_get_string(&c, o, "nul", NULL, KWJ_OPTIONAL, 20, &s));
	assert_string_equal(s, "unchanged");
	assert_int_equal(kw_validation_result(&c), KW_OK);

	assert_false(kwj_get_int(&c, o, "count", "items[0].count", KWJ_REQUIRED, 1, 100, &n));
	assert_false(kwj_get_int(&c, o, "bad", NULL, KWJ_REQUIRED, 1, 100, &n));
	assert_false(kwj_get_string(&c, o, "missing", NULL, KWJ_REQUIRED, 20, &s));
	assert_false(kwj_get_string(&c, o, "long", NULL, KWJ_REQUIRED, 5, &s));
	assert_false(kwj_get_bool(&c, o, "count", NULL, KWJ_REQUIRED, &b));
	assert_int_equal(kw_validation_result(&c), KW_EVALIDATION);
	const char *f = fields(&c);
	assert_non_null(strstr(f, "\"field\":\"items[0].count\",\"rule\":\"range\""));
	assert_non_null(strstr(f, "\"field\":\"bad\",\"rule\":\"type\""));
	assert_non_null(strstr(f, "\"field\":\"missing\",\"rule\":\"required\""));
	assert_non_null(strstr(f, "\"field\":\"long\",\"rule\":\"length\""));
	assert_int_equal(json_object_array_length(c.err_fields), 5);
	ctx_free(&c);
}

static void row_errors_carry_the_row(void **state)
{
	(void)state;
	struct kw_ctx c = ctx_new();
	kw_field_error(&c, NULL, 7, "R17", "题型应为单选题、多选题或判断题");
	assert_string_equal(
	    fields(&c),
	    "[{\"row\":7,\"rule\":\"R17\",\"message\":\"题型应为单选题、多选题或判断题\"}]");
	ctx_free(&c);
}

static void output_keeps_chinese_and_slashes(void **state)
{
	(void)state;
	json_object *o = json_object_new_object();
	kwj_add_str(o, "path", "/api/批次");
	kwj_add_str(o, "none", NULL);
	kwj_add_int(o, "n", 5);
	kwj_add_bool(o, "b", false);
	assert_string_equal(kwj_string(o, NULL),
			    "{\"path\":\"/api/批次\",\"none\":null,\"n\":5,\"b\":false}");
	json_object_put(o);
}

/* Ownership rule (core/json.h): an arena-owned child put into two containers stays alive
 * until the arena goes; ASan reports a leak or a double free otherwise. */
static void ownership_put_takes_a_reference_of_an_arena_owned_child(void **state)
{
	(void)state;
	struct kw_ctx c = ctx_new();
	json_object *child = kwj_own(&c, json_object_new_string("共享"));
	assert_true(kwj_arena_owned(child));
	json_object *a = json_object_new_object(), *b = kwj_own(&c, json_object_new_array());
	kwj_put(a, "x", child);
	kwj_push(b, child);
	kwj_push(b, child);
	json_object_put(a); /* the container goes first: child must survive */
	assert_string_equal(json_object_get_string(child), "共享");
	assert_string_equal(kwj_string(b, NULL), "[\"共享\",\"共享\"]");
	ctx_free(&c); /* the arena drops b and child: no leak, no double free */
}

/* A fresh child (json_object_new_*) is handed over: the container is its only owner. */
static void ownership_put_takes_over_a_fresh_child(void **state)
{
	(void)state;
	struct kw_ctx c = ctx_new();
	json_object *root = kwj_own(&c, json_object_new_object());
	json_object *fresh = json_object_new_array();
	assert_false(kwj_arena_owned(fresh));
	kwj_push(fresh, json_object_new_int(1));
	kwj_put(root, "items", fresh);
	kwj_put(root, "none", NULL);
	assert_string_equal(kwj_string(root, NULL), "{\"items\":[1],\"none\":null}");
	ctx_free(&c); /* freeing root frees fresh exactly once */
}

/* A borrowed object nested in an arena-owned tree, put into the response, outlives neither. */
static void ownership_borrowed_tree_into_response(void **state)
{
	(void)state;
	struct kw_ctx c = ctx_new();
	int err;
	json_object *body = kwj_parse(&c, "{\"a\":[1,2]}", 11, &err);
	assert_int_equal(err, KW_OK);
	json_object *items = kwj_own(&c, json_object_new_array());
	kwj_push(items, kwj_id_name(7, "北京"));
	kwj_push(items, kwj_id_name(0, "无"));
	json_object *resp = kwj_own(&c, json_object_new_object());
	kwj_put(resp, "items", items);
	kwj_put(resp, "body", body);
	assert_string_equal(
	    kwj_string(resp, NULL),
	    "{\"items\":[{\"id\":7,\"name\":\"北京\"},null],\"body\":{\"a\":[1,2]}}");
	ctx_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parses_objects_and_rejects_garbage),
	    cmocka_unit_test(refuses_invalid_utf8_and_deep_nesting),
	    cmocka_unit_test(utf8_length_counts_characters),
	    cmocka_unit_test(getters_validate_and_name_the_field),
	    cmocka_unit_test(row_errors_carry_the_row),
	    cmocka_unit_test(output_keeps_chinese_and_slashes),
	    cmocka_unit_test(ownership_put_takes_a_reference_of_an_arena_owned_child),
	    cmocka_unit_test(ownership_put_takes_over_a_fresh_child),
	    cmocka_unit_test(ownership_borrowed_tree_into_response),
	};
	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
