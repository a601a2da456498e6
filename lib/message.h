/* message.h - 站内信: site messages with deep links, sent inside the deciding transaction. */
#ifndef KW_MESSAGE_H
#define KW_MESSAGE_H

#include <stdbool.h>

#include <json-c/json.h>

#include "core/ctx.h"

/*
 * Queue a message in the caller's transaction. Address it to an org (to_org,
 * optionally narrowed to one role code such as "center_director"), or to one
 * account (to_account); 0/NULL for the parts not used. link is an SPA path
 * starting with /app/ (the 点击进入 target) or NULL.
 */
int message_send(struct kw_ctx *c, long to_org, const char *to_role, long to_account,
		 const char *text, const char *link);

/* The caller's messages, newest first; unread_only limits to unread ones. */
int message_list(struct kw_ctx *c, bool unread_only, long page, long per_page, json_object **items,
		 long *total);

/* How many of the caller's messages are unread. */
int message_unread_count(struct kw_ctx *c, long *count);

/* Mark one of the caller's messages read (404 when it is not the caller's), or all (id 0). */
int message_mark_read(struct kw_ctx *c, long id);

#endif
