/* session_cache.c - per-worker session cache invalidated by LISTEN/NOTIFY (see session_cache.h). */
#include "session_cache.h"

#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/log.h"
#include "db/db.h"

#define CHANNEL "kaowu_session"
#define SLOTS 1024 /* direct-mapped: a colliding session replaces the older one */

static struct session_entry slots[SLOTS];
static bool listening;
static unsigned listen_gen;
static unsigned long hits, misses;

/*
 * The same-host revocation counter. A NOTIFY reaches the other workers asynchronously (the
 * listening backend forwards it when the scheduler lets it), so under load a victim's very next
 * request could still hit a cache that has not heard yet. The worker that revoked gets its own
 * notification with its COMMIT; before it answers, it bumps this counter in shared memory
 * (POSIX shm named after the database's conninfo: every worker of one database on this host),
 * and every worker drops its cache at the start of a request when the counter moved. The NOTIFY
 * stays for workers on other hosts.
 */
static _Atomic unsigned long *shared_gen;
static unsigned long seen_gen;

/* Map the counter once per worker; without it (no /dev/shm) the NOTIFY alone is used. */
static void shared_open(void)
{
	static bool tried;
	if (tried)
		return;
	tried = true;
	const char *db = getenv("KAOWU_DB");
	unsigned h = 2166136261u;
	for (const char *p = db ? db : ""; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	char name[64];
	snprintf(name, sizeof name, "/kaowu-sessions-%u-%08x", (unsigned)getuid(), h);
	int fd = shm_open(name, O_RDWR | O_CREAT, 0600);
	if (fd < 0)
		return;
	void *m = MAP_FAILED;
	if (ftruncate(fd, sizeof(*shared_gen)) == 0)
		m = mmap(NULL, sizeof(*shared_gen), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (m == MAP_FAILED) {
		log_error("session cache: no shared revocation counter (%s)", name);
		return;
	}
	shared_gen = m;
	seen_gen = atomic_load(shared_gen);
}

/* Monotonic seconds. */
static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The slot of a key: FNV-1a over its hex digits (already uniformly random). */
static struct session_entry *slot_of(const char *key)
{
	unsigned h = 2166136261u;
	for (const char *p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return &slots[h % SLOTS];
}

/* Forget every entry. */
static void drop_all(void)
{
	for (size_t i = 0; i < SLOTS; i++)
		slots[i].used = false;
}

void session_cache_drop_account(long account)
{
	for (size_t i = 0; i < SLOTS; i++)
		if (slots[i].used && (account < 0 || slots[i].account_id == account))
			slots[i].used = false;
}

void session_cache_drop(const char *key)
{
	struct session_entry *e = slot_of(key);
	if (e->used && !strcmp(e->key, key))
		e->used = false;
}

/* One notification: "a<id>" drops that account, anything else drops all. */
static void on_notify(const char *channel, const char *payload, void *arg)
{
	(void)arg;
	if (strcmp(channel, CHANNEL))
		return;
	char *end = NULL;
	long id = payload && payload[0] == 'a' ? strtol(payload + 1, &end, 10) : 0;
	if (id > 0 && end && !*end)
		session_cache_drop_account(id);
	else
		drop_all();
}

/* KAOWU_SESSION_CACHE=0 turns the cache off (for comparisons); read once per worker. */
static bool disabled(void)
{
	static int off = -1;
	if (off < 0) {
		const char *v = getenv("KAOWU_SESSION_CACHE");
		off = v && !strcmp(v, "0");
	}
	return off;
}

void session_cache_sync(struct kw_ctx *c)
{
	if (disabled() || db_ensure(c->db)) {
		listening = false;
		drop_all();
		return;
	}
	if (!listening || listen_gen != db_generation(c->db)) {
		/* A new connection: whatever was notified while we were away is lost. */
		drop_all();
		listening = db_listen(c->db, CHANNEL) == KW_OK;
		listen_gen = db_generation(c->db);
		if (!listening)
			return;
	}
	if (db_drain_notifies(c->db, on_notify, NULL) < 0) {
		listening = false;
		drop_all();
	}
	shared_open();
	if (shared_gen) {
		unsigned long g = atomic_load(shared_gen);
		if (g != seen_gen) {
			drop_all();
			seen_gen = g;
		}
	}
}

void session_cache_publish(struct kw_ctx *c)
{
	if (!listening || disabled())
		return;
	int got = db_drain_notifies(c->db, on_notify, NULL);
	if (got < 0) {
		listening = false;
		drop_all();
		return;
	}
	shared_open();
	if (got > 0 && shared_gen)
		seen_gen = atomic_fetch_add(shared_gen, 1) + 1;
}

struct session_entry *session_cache_get(const char *key)
{
	struct session_entry *e = slot_of(key);
	if (!listening || !e->used || strcmp(e->key, key) ||
	    mono() - e->loaded > SESSION_CACHE_TTL) {
		misses++;
		return NULL;
	}
	hits++;
	return e;
}

bool session_cache_put(const struct session_entry *e)
{
	if (!listening)
		return false;
	struct session_entry *s = slot_of(e->key);
	*s = *e;
	s->loaded = mono();
	s->used = true;
	return true;
}

void session_cache_counts(unsigned long *h, unsigned long *m)
{
	*h = hits;
	*m = misses;
}
