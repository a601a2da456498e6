/* mail.h - the outbox: mail written by transactions, delivered by kaowu-mailer. */
#ifndef KW_MAIL_H
#define KW_MAIL_H

#include "core/ctx.h"

struct mail_transport {
	const char *smtp_url;  /* smtp://host:25 or smtps://host:465; NULL: write .eml files */
	const char *smtp_user; /* optional */
	const char *smtp_password;
	const char *from; /* envelope and header sender address */
	const char *dir;  /* where .eml files go when there is no SMTP relay */
};

/*
 * Deliver up to `limit` pending mails (oldest first, rows locked with SKIP
 * LOCKED so several mailers can run), marking each sent or counting its
 * failure. *sent and *failed tell what happened. Returns 0 or an error.
 */
int mail_deliver_pending(struct kw_ctx *c, const struct mail_transport *t, int limit, int *sent,
			 int *failed);

/* Format one message (RFC 5322, UTF-8, base64 body) into the arena. */
const char *mail_format(struct kw_ctx *c, const char *from, const char *to, const char *subject,
			const char *body, long id);

#endif
