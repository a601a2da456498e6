/* idempotency.h - Idempotency-Key of creating POSTs: the first answer kept 24 h and replayed. */
#ifndef KW_IDEMPOTENCY_H
#define KW_IDEMPOTENCY_H

#include "core/ctx.h"

#define IDEM_KEY_MAX 200
#define IDEM_HOURS 24

/*
 * Claim key for the caller's account and request ("POST /api/plans") whose query and body hash
 * to hash (32 bytes, SHA-256). In autocommit, before the handler:
 *   KW_OK, *status 0: the key is new and now held: run the request, then idem_finish();
 *   KW_OK, *status > 0: the first request with this key answered *status with *body: replay it;
 *   KW_EVALIDATION: the key is malformed, or was used with another request or body (422);
 *   KW_ECONFLICT: the first request with this key has not answered (still running, or its
 *     worker died: whether it created anything is unknown, so it is never run twice).
 */
int idem_begin(struct kw_ctx *c, const char *key, const char *request, const unsigned char *hash,
	       int *status, const char **body);

/* Keep the answer of a held key (a 2xx), or release the key (status 0: nothing was created). */
int idem_finish(struct kw_ctx *c, const char *key, int status, const char *body);

#endif
