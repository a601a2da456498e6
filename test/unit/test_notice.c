/* test_notice.c - the rich-text sanitiser of 通知公告 (no database): the allow-list, dropped
 * content, safe links, text for search, broken and hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "notice.h"

/* Sanitise html in a fresh context; the results live in the arena *a (freed by the caller). */
static void clean(arena **a, const char *html, const char **out, const char **text)
{
	struct kw_ctx c = {.a = arena_new(4096)};
	*a = c.a;
	assert_true(notice_sanitize(&c, html, out, text));
}

/* Script, style and iframe go with their content; event handlers and styles go. */
static void drops_scripts_and_attributes(void **state)
{
	(void)state;
	arena *a;
	const char *out, *text;
	clean(&a,
	      "<p onclick=\"x()\" style=\"color:red\">通知<script>alert(1)</script>正文</p>"
	      "<style>p{}</style><iframe src=\"https://x\">内</iframe><img src=x onerror=y()>",
	      &out, &text);
	assert_string_equal(out, "<p>通知正文</p>");
	assert_string_equal(text, "通知正文");
	arena_free(a);
}

/* Allowed tags stay; unknown ones are replaced by their content. */
static void keeps_allow_list_and_unwraps_the_rest(void **state)
{
	(void)state;
	arena *a;
	const char *out, *text;
	clean(&a, "<h3>标题</h3><font color=red><b>加粗</b></font><ul><li>一</li><li>二</li></ul>",
	      &out, &text);
	assert_string_equal(out, "<h3>标题</h3><b>加粗</b><ul><li>一</li><li>二</li></ul>");
	assert_string_equal(text, "标题\n加粗\n一\n二");
	arena_free(a);
}

/* Links keep http(s), mailto and site paths only, and open in a new tab without the opener. */
static void links_are_filtered(void **state)
{
	(void)state;
	arena *a;
	const char *out, *text;
	clean(&a,
	      "<a href=\"javascript:alert(1)\">坏</a><a href=\"https://a.org/?x=1&amp;y=2\">好</a>"
	      "<a href=\"//evil.org\">外</a><td colspan=\"2x\">",
	      &out, &text);
	assert_non_null(strstr(out, "<a target=\"_blank\" rel=\"noopener noreferrer\">坏</a>"));
	assert_non_null(strstr(out, "href=\"https://a.org/?x=1&amp;y=2\""));
	assert_null(strstr(out, "javascript"));
	assert_null(strstr(out, "evil"));
	arena_free(a);
}

/* Text that looks like markup comes back escaped; empty and plain input work. */
static void escapes_text_and_takes_plain_input(void **state)
{
	(void)state;
	arena *a;
	const char *out, *text;
	clean(&a, "a &lt;script&gt; &amp; \"q\"", &out, &text);
	assert_string_equal(out, "a &lt;script&gt; &amp; &quot;q&quot;");
	assert_string_equal(text, "a <script> & \"q\"");
	arena_free(a);
	clean(&a, "", &out, &text);
	assert_string_equal(out, "");
	arena_free(a);
	clean(&a, "<p><b>未闭合", &out, &text);
	assert_string_equal(out, "<p><b>未闭合</b></p>");
	arena_free(a);
}

/* Random soups of tags, attributes, entities and broken bytes: no crash, no script or handler out.
 */
static void survives_random_markup(void **state)
{
	(void)state;
	static const char *const pieces[] = {"<p>",
					     "</p>",
					     "<script>",
					     "</script>",
					     "<a href=\"javascript:x()\">",
					     "<a href='/x'>",
					     "</a>",
					     "<b>",
					     "<table><tr><td colspan=9999>",
					     "<!--",
					     "-->",
					     "<![CDATA[",
					     "]]>",
					     "&lt;",
					     "&#x3c;script&#x3e;",
					     "&amp",
					     "<img src=x onerror=alert(1)>",
					     "<svg onload=x>",
					     "<style>",
					     "<div style=\"x\">",
					     "\xe4\xb8",
					     "\xff",
					     "文字",
					     " ",
					     "\n",
					     "<br/>",
					     "<iframe>",
					     "<ul><li>",
					     "<<",
					     ">>",
					     "\"",
					     "'",
					     "<math>",
					     "<plaintext>",
					     "<textarea>"};
	unsigned seed = 12345;
	for (int round = 0; round < 1500; round++) {
		char buf[2048];
		size_t n = 0;
		int parts = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 40;
		for (int k = 0; k < parts; k++) {
			seed = seed * 1103515245u + 12345u;
			const char *p = pieces[(seed >> 16) % (sizeof(pieces) / sizeof(pieces[0]))];
			size_t l = strlen(p);
			if (n + l >= sizeof(buf))
				break;
			memcpy(buf + n, p, l);
			n += l;
		}
		buf[n] = '\0';
		struct kw_ctx c = {.a = arena_new(4096)};
		const char *out, *text;
		if (notice_sanitize(&c, buf, &out, &text)) {
			assert_null(strstr(out, "<script"));
			assert_null(strstr(out, "onerror"));
			assert_null(strstr(out, "onload"));
			assert_null(strstr(out, "javascript:"));
			assert_null(strstr(out, "<style"));
		}
		arena_free(c.a);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(drops_scripts_and_attributes),
	    cmocka_unit_test(keeps_allow_list_and_unwraps_the_rest),
	    cmocka_unit_test(links_are_filtered),
	    cmocka_unit_test(escapes_text_and_takes_plain_input),
	    cmocka_unit_test(survives_random_markup),
	};
	return cmocka_run_group_tests_name("notice", tests, NULL, NULL);
}
