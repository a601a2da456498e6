/* workflow.c - the workflow engine: lookups over a definition's tables and the one-transaction run.
 */
#include "workflow.h"

#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "core/clock.h"
#include "core/json.h"
#include "db/db.h"
#include "message.h"

#define WF_COMMENT_MAX 500

/* ------------------------------------------------------------------ pure lookups */

const struct wf_status *wf_status_find(const struct wf_def *d, const char *code)
{
	for (size_t i = 0; code && i < d->nstatuses; i++)
		if (!strcmp(d->statuses[i].code, code))
			return &d->statuses[i];
	return NULL;
}

const char *wf_status_text(struct kw_ctx *c, const struct wf_def *d, const char *code,
			   const char *param)
{
	const struct wf_status *s = wf_status_find(d, code);
	if (!s)
		return NULL;
	return wf_fill(c, s->text, "{org}", param && *param ? param : "上级机构");
}

int wf_action_of(const struct wf_def *d, const char *code)
{
	for (size_t a = 0; code && a < d->nactions; a++)
		if (!strcmp(d->actions[a].code, code))
			return (int)a;
	return -1;
}

unsigned wf_rel_of(const struct kw_ctx *c, const struct wf_subject *s)
{
	unsigned rel = WF_SCOPE;
	if ((c->user.role & R_ORG) && c->user.org_id == s->org_id)
		rel |= WF_OWNER;
	if ((c->user.role & R_LEVEL2) && s->l2_id && c->user.org_id == s->l2_id)
		rel |= WF_LEVEL2;
	if (c->user.role & R_CENTER)
		rel |= WF_CENTER;
	return rel;
}

bool wf_may(const struct wf_def *d, int action, unsigned role, unsigned rel)
{
	for (size_t i = 0; i < d->nrows; i++)
		if (d->rows[i].action == action && (d->rows[i].roles & role) &&
		    (d->rows[i].rel & rel))
			return true;
	return false;
}

/* A row's `when` against the owner's parent. */
static bool when_holds(enum wf_when w, bool has_l2)
{
	return w == WF_ALWAYS || (w == WF_HAS_L2) == has_l2;
}

const struct wf_row *wf_find(const struct wf_def *d, const char *status, int action, unsigned role,
			     unsigned rel, bool has_l2)
{
	for (size_t i = 0; i < d->nrows; i++) {
		const struct wf_row *r = &d->rows[i];
		if (r->action == action && (r->roles & role) && (r->rel & rel) &&
		    !strcmp(r->from, status) && when_holds(r->when, has_l2))
			return r;
	}
	return NULL;
}

const char *wf_fill(struct kw_ctx *c, const char *pattern, const char *key, const char *value)
{
	if (!pattern || !strstr(pattern, key))
		return pattern;
	const char *out = "", *p = pattern, *at;
	size_t klen = strlen(key);
	while ((at = strstr(p, key))) {
		out = arena_printf(c->a, "%s%.*s%s", out, (int)(at - p), p, value ? value : "");
		p = at + klen;
	}
	return arena_printf(c->a, "%s%s", out, p);
}

const char *wf_actor_label(struct kw_ctx *c, const struct wf_subject *s)
{
	if (c->user.role & R_CENTER_STAFF)
		return "中心工作人员";
	if (c->user.role & R_CENTER_DIRECTOR)
		return "中心主任";
	if ((c->user.role & R_LEVEL2) && s->l2_name && s->l2_id == c->user.org_id)
		return s->l2_name;
	if ((c->user.role & R_ORG) && s->org_id == c->user.org_id && s->org_name)
		return s->org_name;
	return c->user.name;
}

json_object *wf_table_json(struct kw_ctx *c, const struct wf_def *d)
{
	static const char *const whens[] = {"always", "has_level2", "no_level2"};
	json_object *a = kwj_own(c, json_object_new_array());
	for (size_t i = 0; i < d->nrows; i++) {
		const struct wf_row *r = &d->rows[i];
		json_object *o = json_object_new_object(), *roles = json_object_new_array();
		kwj_add_str(o, "from", r->from);
		kwj_add_str(o, "action", d->actions[r->action].code);
		for (unsigned bit = 1; bit <= R_STATION; bit <<= 1)
			if (r->roles & bit)
				json_object_array_add(roles,
						      json_object_new_string(kw_role_code(bit)));
		json_object_object_add(o, "roles", roles);
		kwj_add_str(o, "to", r->to ? r->to : r->from);
		kwj_add_str(o, "when", whens[r->when]);
		kwj_add_bool(o, "implemented", r->pending == NULL);
		json_object_array_add(a, o);
	}
	return a;
}

json_object *wf_statuses_json(struct kw_ctx *c, const struct wf_def *d)
{
	json_object *a = kwj_own(c, json_object_new_array());
	for (size_t i = 0; i < d->nstatuses; i++) {
		json_object *o = json_object_new_object();
		kwj_add_str(o, "code", d->statuses[i].code);
		kwj_add_int(o, "phase", d->statuses[i].phase);
		kwj_add_str(o, "text", d->statuses[i].text);
		kwj_add_str(o, "label", d->statuses[i].label);
		json_object_array_add(a, o);
	}
	return a;
}

json_object *wf_actions_json(struct kw_ctx *c, const struct wf_def *d, const struct wf_subject *s)
{
	json_object *a = json_object_new_array();
	unsigned rel = wf_rel_of(c, s);
	for (size_t k = 0; k < d->nactions; k++) {
		const struct wf_row *r =
		    wf_find(d, s->status, (int)k, c->user.role, rel, s->has_l2);
		if (r && !r->pending)
			json_object_array_add(a, json_object_new_string(d->actions[k].code));
	}
	return a;
}

/* ------------------------------------------------------------------ the run */

int wf_begin(struct kw_ctx *c, const struct wf_def *d, long id, const char *action,
	     struct wf_subject *s, const struct wf_row **row)
{
	int err;
	int a = wf_action_of(d, action);
	*row = NULL;
	if (a < 0)
		return kw_fail(c, KW_ENOTFOUND, "没有这个操作");
	const struct wf_action *act = &d->actions[a];
	const char *forbidden =
	    act->forbidden ? act->forbidden
			   : arena_printf(c->a, "您的角色不能对%s执行“%s”", d->noun, act->verb);
	/* Permission first: a role that no row lets do this never may (403). */
	if (!wf_may(d, a, c->user.role, ~0u))
		return kw_fail(c, KW_EFORBIDDEN, forbidden);
	memset(s, 0, sizeof(*s));
	if ((err = db_begin(c)) || (err = d->load(c, id, true, s)))
		return err;
	unsigned rel = wf_rel_of(c, s);
	if (!wf_may(d, a, c->user.role, rel))
		return kw_fail(c, KW_EFORBIDDEN, forbidden);
	const struct wf_row *r = wf_find(d, s->status, a, c->user.role, rel, s->has_l2);
	if (r && r->pending)
		return kw_fail(c, KW_ECONFLICT,
			       arena_printf(c->a, "“%s”将随%s功能开放", act->verb, r->pending));
	if (!r) {
		if (act->conflict)
			return kw_fail(c, KW_ECONFLICT, act->conflict);
		return kw_fail(c, KW_ECONFLICT,
			       arena_printf(c->a, "%s当前状态为“%s”，不能%s", d->noun,
					    wf_status_text(c, d, s->status, s->status_param),
					    act->verb));
	}
	*row = r;
	return KW_OK;
}

/* Fill a template's fields: the subject's, the move's, then strings of the request body. */
static const char *render(struct kw_ctx *c, const struct wf_subject *s, const struct wf_move *m,
			  const char *t)
{
	if (!t)
		return NULL;
	t = wf_fill(c, t, "{actor}", m->actor);
	t = wf_fill(c, t, "{comment}", m->comment);
	t = wf_fill(c, t, "{name}", s->name);
	t = wf_fill(c, t, "{org}", s->org_name);
	t = wf_fill(c, t, "{l2}", s->l2_name);
	/* Anything else in braces is a string of the subject's vars, else of the request body
	 * ({tracking_no}). */
	const char *out = "", *p = t, *open, *close;
	while ((open = strchr(p, '{')) && (close = strchr(open, '}'))) {
		const char *key = arena_strndup(c->a, open + 1, (size_t)(close - open - 1));
		json_object *v = NULL;
		const char *value = "";
		if (!(s->vars && json_object_object_get_ex(s->vars, key, &v)))
			v = NULL;
		if (!v && m->body)
			json_object_object_get_ex(m->body, key, &v);
		if (v && json_object_is_type(v, json_type_string))
			value = json_object_get_string(v);
		out = arena_printf(c->a, "%s%.*s%s", out, (int)(open - p), p, value);
		p = close + 1;
	}
	t = arena_printf(c->a, "%s%s", out, p);
	return t;
}

/* Send one message of a row. */
static int send(struct kw_ctx *c, const struct wf_def *d, const struct wf_subject *s,
		const struct wf_move *m, const struct wf_msg *msg)
{
	const char *text = render(c, s, m, msg->text);
	const char *link = arena_printf(c->a, d->link, s->id);
	if (msg->to == WF_TO_OWNER)
		return message_send(c, s->org_id, NULL, 0, text, link);
	if (msg->to == WF_TO_LEVEL2)
		return s->l2_id ? message_send(c, s->l2_id, NULL, 0, text, link) : KW_OK;
	if (msg->to == WF_TO_CENTER)
		return s->center_id ? message_send(c, s->center_id, NULL, 0, text, link) : KW_OK;
	if (msg->to == WF_TO_ACCOUNT)
		return s->account_id ? message_send(c, 0, NULL, s->account_id, text, link) : KW_OK;
	const struct wf_status *st = wf_status_find(d, m->to);
	unsigned w = st ? st->waits_for : 0;
	if (w == R_LEVEL2)
		return s->l2_id ? message_send(c, s->l2_id, NULL, 0, text, link) : KW_OK;
	if (w & R_ORG)
		return message_send(c, s->org_id, NULL, 0, text, link);
	if (!s->center_id)
		return KW_OK;
	if (w == R_CENTER_STAFF)
		return message_send(c, s->center_id, "center_staff", 0, text, link);
	if (w == R_CENTER_DIRECTOR)
		return message_send(c, s->center_id, "center_director", 0, text, link);
	if (w & R_CENTER)
		return message_send(c, s->center_id, NULL, 0, text, link);
	return KW_OK;
}

int wf_run(struct kw_ctx *c, const struct wf_def *d, long id, const char *action, json_object *body)
{
	int err;
	int a = wf_action_of(d, action);
	if (a < 0 || !d->actions[a].endpoint)
		return kw_fail(c, KW_ENOTFOUND, "没有这个操作");
	if (body && !json_object_is_type(body, json_type_object))
		return kw_fail(c, KW_EBADREQ, "请求内容应为 JSON 对象");
	struct wf_subject s;
	const struct wf_row *r;
	if ((err = wf_begin(c, d, id, action, &s, &r)))
		return err;
	struct wf_move m = {.row = r, .from = s.status, .body = body};
	/* The comment of any action is bounded text (trimmed; "" reads as none). */
	if (body &&
	    !kwj_get_string(c, body, "comment", NULL, KWJ_OPTIONAL, WF_COMMENT_MAX, &m.comment))
		return KW_EVALIDATION;
	if (m.comment && !*m.comment)
		m.comment = NULL;
	if (r->guard && (err = r->guard(c, &s, r, body)))
		return err;
	char *now = arena_alloc(c->a, 32);
	kw_format_time(c->now, now, 32);
	m.now = now;
	m.to = r->to ? r->to : s.status;
	m.actor = wf_actor_label(c, &s);
	const struct wf_status *st = wf_status_find(d, m.to);
	if (st && st->param == WF_PARAM_L2)
		m.param = s.has_l2 ? s.l2_name : NULL;
	else if (st && st->param == WF_PARAM_ACTOR)
		m.param = m.actor;
	bool moved = false;
	if ((err = d->move(c, &s, &m, &moved)))
		return err;
	if (!moved)
		return kw_fail(c, KW_ECONFLICT,
			       arena_printf(c->a, "%s的状态已改变，请刷新后重试", d->noun));
	m.trail = render(c, &s, &m, r->trail);
	if ((err = d->trail(c, &s, &m)))
		return err;
	json_object *detail = kwj_own(c, json_object_new_object());
	if (d->audit_code)
		kwj_add_str(detail, "code", s.code);
	kwj_add_str(detail, "from", m.from);
	kwj_add_str(detail, "to", m.to);
	kwj_add_str(detail, "comment", m.comment);
	const char *code = r->audit ? r->audit : arena_printf(c->a, "%s.%s", d->entity, action);
	if ((err = audit_write(c, code, d->entity, id, detail)))
		return err;
	for (size_t i = 0; i < sizeof(r->msgs) / sizeof(r->msgs[0]); i++)
		if (r->msgs[i].text && (err = send(c, d, &s, &m, &r->msgs[i])))
			return err;
	return db_commit(c);
}

bool wf_status_todo(const struct wf_def *d, const char *code, unsigned role)
{
	if (!code || !strcmp(code, d->statuses[0].code))
		return false;
	for (size_t i = 0; i < d->nrows; i++) {
		const struct wf_row *r = &d->rows[i];
		if (!r->pending && (r->roles & role) && d->actions[r->action].endpoint &&
		    !strcmp(r->from, code))
			return true;
	}
	return false;
}

const char *wf_review_step(const struct kw_ctx *c)
{
	if (c->user.role & R_LEVEL2)
		return "level2";
	if (c->user.role & R_CENTER_STAFF)
		return "center";
	return "none";
}
