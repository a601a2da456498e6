/* session_cache.h - a per-worker cache of resolved sessions, dropped on NOTIFY kaowu_session. */
#ifndef KW_SESSION_CACHE_H
#define KW_SESSION_CACHE_H

#include <stdbool.h>
#include <time.h>

#include "core/ctx.h"

/* What a cached session resolves to; times are seconds since the epoch. */
struct session_entry {
	char key[72]; /* the token hash as the statement parameter "\x…" */
	char csrf[72];
	char kind[16];
	char role[24];
	char name[160];
	long account_id, org_id, expert_id, candidate_id;
	bool must_change_password;
	time_t created_at, last_seen;
	double loaded; /* monotonic seconds when read from the database */
	bool used;
};

/* Entries are never trusted longer than this (seconds), even without a notification. */
#define SESSION_CACHE_TTL 60.0

/*
 * Before looking anything up on a request: LISTEN on a new connection (and
 * forget everything cached across the gap), then apply every notification
 * the server sent. When it fails the cache is emptied and not used.
 */
void session_cache_sync(struct kw_ctx *c);

/* The live entry for key, or NULL (a miss, or an entry older than the TTL). */
/* After a write request, before its answer: a session notification this worker received (its
 * own, delivered with its COMMIT, or another's) is applied here and published to the other
 * workers of this host through the shared revocation counter, so none serves a revoked session
 * on the very next request. */
void session_cache_publish(struct kw_ctx *c);

struct session_entry *session_cache_get(const char *key);

/* Remember e (copied) under e->key; false when the cache is not in use. */
bool session_cache_put(const struct session_entry *e);

/* Forget one session; one account's sessions (account > 0) or all (account < 0). */
void session_cache_drop(const char *key);
void session_cache_drop_account(long account);

/* Hits and misses since the worker started (for the logs and tests). */
void session_cache_counts(unsigned long *hits, unsigned long *misses);

#endif
