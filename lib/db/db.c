/* db.c - libpq connection management and statement execution (see db.h). */
#include "db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>

#include "core/log.h"

struct db {
	PGconn *conn;
	char *conninfo;
	unsigned gen;	 /* bumped at each new connection; statements re-prepare */
	double next_try; /* monotonic seconds before which we do not reconnect */
	int backoff_ms;
	bool in_tx;
	struct db *replica;	 /* optional read-only connection, NULL without one */
	unsigned long ro_served; /* statements the replica answered */
	unsigned long ro_fallbacks;
};

#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 5000

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct db *db_new(const char *conninfo)
{
	struct db *db = calloc(1, sizeof(*db));
	if (!db)
		abort();
	db->conninfo = strdup(conninfo ? conninfo : "");
	if (!db->conninfo)
		abort();
	db->backoff_ms = BACKOFF_MIN_MS;
	return db;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	if (db->conn)
		PQfinish(db->conn);
	db_close(db->replica);
	free(db->conninfo);
	free(db);
}

void db_set_replica(struct db *db, const char *conninfo)
{
	db_close(db->replica);
	db->replica = conninfo && *conninfo ? db_new(conninfo) : NULL;
}

void db_replica_counts(const struct db *db, unsigned long *served, unsigned long *fallbacks)
{
	*served = db->ro_served;
	*fallbacks = db->ro_fallbacks;
}

PGconn *db_conn(struct db *db)
{
	return db->conn;
}

bool db_connected(const struct db *db)
{
	return db->conn && PQstatus(db->conn) == CONNECTION_OK;
}

bool db_in_tx(const struct db *db)
{
	return db->in_tx;
}

static void drop_connection(struct db *db)
{
	if (db->conn)
		PQfinish(db->conn);
	db->conn = NULL;
	db->in_tx = false;
}

static int connect_now(struct db *db)
{
	drop_connection(db);
	db->conn = PQconnectdb(db->conninfo);
	const char *failed = NULL;
	if (PQstatus(db->conn) != CONNECTION_OK) {
		failed = "connect";
	} else {
		/* Business time is China Standard Time; timestamps go out with their offset. A
		 * connection in another zone would shift every date: refuse it. */
		PGresult *r = PQexec(db->conn, "SET TIME ZONE 'Asia/Shanghai'");
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			failed = "SET TIME ZONE";
		PQclear(r);
	}
	if (failed) {
		log_warn("db: %s failed (retry in %d ms): %s", failed, db->backoff_ms,
			 PQerrorMessage(db->conn));
		drop_connection(db);
		db->next_try = mono() + db->backoff_ms / 1000.0;
		db->backoff_ms =
		    db->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : db->backoff_ms * 2;
		return KW_EUNAVAILABLE;
	}
	db->gen++;
	db->backoff_ms = BACKOFF_MIN_MS;
	db->next_try = 0;
	log_info("db: connected (generation %u)", db->gen);
	return KW_OK;
}

int db_ensure(struct db *db)
{
	if (db_connected(db))
		return KW_OK;
	if (db->conn)
		drop_connection(db);
	if (mono() < db->next_try)
		return KW_EUNAVAILABLE;
	return connect_now(db);
}

int db_schema_version(struct db *db)
{
	if (!db_connected(db))
		return -1;
	PGresult *r = PQexec(db->conn, "SELECT coalesce(max(version), 0) FROM schema_migrations");
	int v = -1;
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		v = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	if (PQstatus(db->conn) != CONNECTION_OK)
		drop_connection(db);
	return v;
}

static void clear_result(void *p)
{
	PQclear(p);
}

int db_error(struct kw_ctx *c, const PGresult *r, const char *what)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = r ? PQresultErrorMessage(r) : "";
	if (!r || (c->db && c->db->conn && PQstatus(c->db->conn) != CONNECTION_OK)) {
		log_warn("db: %s: connection lost: %s", what,
			 c->db && c->db->conn ? PQerrorMessage(c->db->conn) : "");
		if (c->db)
			drop_connection(c->db);
		return KW_EUNAVAILABLE;
	}
	log_warn("db: %s failed, SQLSTATE %s: %s", what, state ? state : "?", msg);
	if (!state)
		return KW_EINTERNAL;
	if (!strcmp(state, "23505"))
		return kw_fail(c, KW_ECONFLICT, "该记录已存在");
	if (!strcmp(state, "23503"))
		return kw_fail(c, KW_ECONFLICT, "引用的记录不存在或仍被使用");
	if (!strcmp(state, "23514") || !strcmp(state, "23502") || !strncmp(state, "22", 2))
		return kw_fail(c, KW_EBADREQ, "提交的数据不符合要求");
	if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03"))
		return kw_fail(c, KW_ECONFLICT, "数据正被他人修改，请重试");
	if (!strncmp(state, "08", 2) || !strcmp(state, "57P01") || !strcmp(state, "57P02") ||
	    !strcmp(state, "57P03"))
		return KW_EUNAVAILABLE;
	return KW_EINTERNAL;
}

static bool connection_lost(struct db *db, const PGresult *r)
{
	if (PQstatus(db->conn) != CONNECTION_OK)
		return true;
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	return !r || (state && (!strncmp(state, "08", 2) || !strcmp(state, "57P01")));
}

/*
 * Prepare st on this connection unless it was prepared on its current generation (gen is the
 * statement's record of it). Returns NULL when ready, else the failed result (caller clears).
 */
static PGresult *prepare_once(struct db *db, struct db_stmt *st, unsigned *gen, int n)
{
	if (*gen == db->gen)
		return NULL;
	PGresult *p = PQprepare(db->conn, st->name, st->sql, n, NULL);
	if (PQresultStatus(p) != PGRES_COMMAND_OK)
		return p;
	PQclear(p);
	*gen = db->gen;
	return NULL;
}

/*
 * One attempt: prepare if needed, execute. Returns the raw result (caller clears).
 * gen is the statement's record of the connection generation it was prepared on.
 */
static PGresult *exec_gen(struct db *db, struct db_stmt *st, unsigned *gen, int n,
			  const char *const *params)
{
	PGresult *p = prepare_once(db, st, gen, n);
	if (p)
		return p;
	return PQexecPrepared(db->conn, st->name, n, params, NULL, NULL, 0);
}

static PGresult *exec_once(struct db *db, struct db_stmt *st, int n, const char *const *params)
{
	return exec_gen(db, st, &st->prepared_gen, n, params);
}

PGresult *db_exec(struct kw_ctx *c, struct db_stmt *st, int n, const char *const *params, int *err)
{
	struct db *db = c->db;
	*err = db_ensure(db);
	if (*err)
		return NULL;
	bool was_in_tx = db->in_tx;
	PGresult *r = exec_once(db, st, n, params);
	ExecStatusType s = PQresultStatus(r);
	if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK && !was_in_tx && connection_lost(db, r)) {
		/* The server went away between requests: one retry on a new connection. */
		PQclear(r);
		log_info("db: connection lost before %s; reconnecting", st->name);
		db->next_try = 0;
		drop_connection(db);
		*err = db_ensure(db);
		if (*err)
			return NULL;
		r = exec_once(db, st, n, params);
		s = PQresultStatus(r);
	}
	if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
		*err = db_error(c, r, st->name);
		PQclear(r);
		return NULL;
	}
	arena_defer(c->a, clear_result, r);
	return r;
}

PGresult *db_exec_ro(struct kw_ctx *c, struct db_stmt *st, int n, const char *const *params,
		     int *err)
{
	struct db *db = c->db;
	struct db *ro = db->replica;
	if (!ro || db->in_tx)
		return db_exec(c, st, n, params, err);
	/* A replica that is down answers at once (backoff) and the primary takes the read. */
	if (db_ensure(ro) == KW_OK) {
		PGresult *r = exec_gen(ro, st, &st->prepared_ro_gen, n, params);
		if (PQresultStatus(r) == PGRES_TUPLES_OK) {
			ro->backoff_ms = BACKOFF_MIN_MS;
			db->ro_served++;
			arena_defer(c->a, clear_result, r);
			*err = KW_OK;
			return r;
		}
		log_warn("db: replica failed %s, reading from the primary: %s", st->name,
			 PQresultErrorMessage(r));
		PQclear(r);
		if (PQstatus(ro->conn) != CONNECTION_OK) {
			drop_connection(ro);
			ro->next_try = mono() + ro->backoff_ms / 1000.0;
		}
	}
	db->ro_fallbacks++;
	return db_exec(c, st, n, params, err);
}

/* ------------------------------------------------------------------ pipelines */

/*
 * One attempt at a pipeline on db: prepare what is not prepared yet, send
 * every statement and one sync, read everything back. Returns KW_OK, or the
 * failing result in *bad (or *bad NULL when the connection broke).
 */
static int pipeline_once(struct db *db, struct db_call *calls, int ncalls, PGresult **bad)
{
	PGconn *conn = db->conn;
	*bad = NULL;
	for (int i = 0; i < ncalls; i++) {
		struct db_stmt *st = calls[i].st;
		if (st->prepared_gen == db->gen)
			continue;
		PGresult *p = PQprepare(conn, st->name, st->sql, calls[i].n, NULL);
		if (PQresultStatus(p) != PGRES_COMMAND_OK) {
			*bad = p;
			return KW_EINTERNAL;
		}
		PQclear(p);
		st->prepared_gen = db->gen;
	}
	if (!PQenterPipelineMode(conn))
		return KW_EUNAVAILABLE;
	bool sent = true;
	for (int i = 0; i < ncalls && sent; i++)
		sent = PQsendQueryPrepared(conn, calls[i].st->name, calls[i].n, calls[i].params,
					   NULL, NULL, 0);
	if (!sent || !PQpipelineSync(conn)) {
		drop_connection(db);
		return KW_EUNAVAILABLE;
	}
	int err = KW_OK;
	for (int i = 0; i < ncalls; i++) {
		PGresult *r = PQgetResult(conn);
		ExecStatusType s = PQresultStatus(r);
		if (!r) {
			drop_connection(db);
			return KW_EUNAVAILABLE;
		}
		if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK) {
			calls[i].res = r;
		} else if (!*bad && s != PGRES_PIPELINE_ABORTED) {
			*bad = r;
			err = KW_EINTERNAL;
		} else {
			PQclear(r);
		}
		PQclear(PQgetResult(conn)); /* NULL: the end of this statement's results */
	}
	PGresult *sync = PQgetResult(conn);
	bool synced = PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
	PQclear(sync);
	if (!synced || !PQexitPipelineMode(conn)) {
		drop_connection(db);
		return KW_EUNAVAILABLE;
	}
	return err;
}

/* KAOWU_PIPELINE=0 runs pipelines one statement at a time (for an A/B measurement). */
static bool pipeline_off(void)
{
	static int off = -1;
	if (off < 0) {
		const char *v = getenv("KAOWU_PIPELINE");
		off = v && !strcmp(v, "0");
	}
	return off;
}

int db_exec_pipeline(struct kw_ctx *c, struct db_call *calls, int ncalls)
{
	struct db *db = c->db;
	int err;
	if (pipeline_off()) {
		for (int i = 0; i < ncalls; i++) {
			calls[i].res = db_exec(c, calls[i].st, calls[i].n, calls[i].params, &err);
			if (!calls[i].res)
				return err;
		}
		return KW_OK;
	}
	if ((err = db_ensure(db)))
		return err;
	bool was_in_tx = db->in_tx;
	PGresult *bad;
	for (int attempt = 0;; attempt++) {
		for (int i = 0; i < ncalls; i++)
			calls[i].res = NULL;
		err = pipeline_once(db, calls, ncalls, &bad);
		if (!err)
			break;
		for (int i = 0; i < ncalls; i++) {
			PQclear(calls[i].res);
			calls[i].res = NULL;
		}
		bool lost = !db->conn || connection_lost(db, bad);
		if (attempt || was_in_tx || !lost) {
			err = db_error(c, bad, calls[0].st->name);
			PQclear(bad);
			return err;
		}
		/* The server went away between requests: one retry on a new connection. */
		PQclear(bad);
		log_info("db: connection lost before a pipeline; reconnecting");
		db->next_try = 0;
		drop_connection(db);
		if ((err = db_ensure(db)))
			return err;
	}
	for (int i = 0; i < ncalls; i++)
		arena_defer(c->a, clear_result, calls[i].res);
	return KW_OK;
}

/* ------------------------------------------------------------------ rows one at a time */

struct db_rows {
	struct kw_ctx *c;
	struct db *db;	  /* the connection the statement runs on: the primary or the replica */
	const char *name; /* the statement's, for the log */
	PGresult *cur;	  /* the row handed out last, or the first one not yet handed out */
	int nfields;
	long count;
	bool first_pending; /* cur is the first row and db_rows_next has not returned it */
	bool done;	    /* every result of the statement has been read */
};

static bool rows_ok(const PGresult *r)
{
	ExecStatusType s = PQresultStatus(r);
	return r && (s == PGRES_SINGLE_TUPLE || s == PGRES_TUPLES_OK);
}

/* Read and drop what the connection still has to say about the last statement. */
static void rows_drain(struct db *db)
{
	PGresult *r;
	if (!db->conn)
		return;
	if (PQstatus(db->conn) != CONNECTION_OK) {
		drop_connection(db);
		return;
	}
	while ((r = PQgetResult(db->conn)))
		PQclear(r);
}

/*
 * Prepare st on db if needed, send it in single-row mode and read the first
 * result: a row, the empty end, an error, or NULL when it could not be sent.
 */
static PGresult *rows_send(struct db *db, struct db_stmt *st, unsigned *gen, int n,
			   const char *const *params)
{
	PGresult *p = prepare_once(db, st, gen, n);
	if (p)
		return p;
	if (!PQsendQueryPrepared(db->conn, st->name, n, params, NULL, NULL, 0))
		return NULL;
	PQsetSingleRowMode(db->conn);
	return PQgetResult(db->conn);
}

/* At the end of the request: stop a statement whose rows were not all read, free the row. */
static void rows_close(void *p)
{
	struct db_rows *rows = p;
	if (!rows->done && rows->db->conn && PQstatus(rows->db->conn) == CONNECTION_OK) {
		PGcancel *cancel = PQgetCancel(rows->db->conn);
		char buf[256];
		if (cancel) {
			PQcancel(cancel, buf, sizeof(buf));
			PQfreeCancel(cancel);
		}
		log_info("db: %s stopped after %ld rows", rows->name, rows->count);
	}
	if (!rows->done)
		rows_drain(rows->db);
	rows->done = true;
	PQclear(rows->cur);
	rows->cur = NULL;
}

int db_rows_open(struct kw_ctx *c, struct db_stmt *st, int n, const char *const *params,
		 struct db_rows **out)
{
	struct db *db = c->db, *ro = db->replica, *on = NULL;
	PGresult *r = NULL;
	int err;
	*out = NULL;
	if (ro && !db->in_tx) {
		if (db_ensure(ro) == KW_OK) {
			r = rows_send(ro, st, &st->prepared_ro_gen, n, params);
			if (rows_ok(r)) {
				on = ro;
				ro->backoff_ms = BACKOFF_MIN_MS;
				db->ro_served++;
			} else {
				log_warn("db: replica failed %s, reading from the primary: %s",
					 st->name, r ? PQresultErrorMessage(r) : "not sent");
				PQclear(r);
				rows_drain(ro);
				if (!ro->conn)
					ro->next_try = mono() + ro->backoff_ms / 1000.0;
			}
		}
		if (!on)
			db->ro_fallbacks++;
	}
	if (!on) {
		if ((err = db_ensure(db)))
			return err;
		bool was_in_tx = db->in_tx;
		r = rows_send(db, st, &st->prepared_gen, n, params);
		if (!rows_ok(r) && !was_in_tx && connection_lost(db, r)) {
			/* The server went away between requests: one retry on a new connection. */
			PQclear(r);
			log_info("db: connection lost before %s; reconnecting", st->name);
			db->next_try = 0;
			drop_connection(db);
			if ((err = db_ensure(db)))
				return err;
			r = rows_send(db, st, &st->prepared_gen, n, params);
		}
		if (!rows_ok(r)) {
			err = db_error(c, r, st->name);
			PQclear(r);
			rows_drain(db);
			return err;
		}
		on = db;
	}
	struct db_rows *rows = arena_zalloc(c->a, sizeof(*rows));
	rows->c = c;
	rows->db = on;
	rows->name = st->name;
	rows->cur = r;
	rows->nfields = PQnfields(r);
	rows->first_pending = PQresultStatus(r) == PGRES_SINGLE_TUPLE;
	if (!rows->first_pending) { /* no rows at all */
		rows_drain(on);
		rows->done = true;
	}
	arena_defer(c->a, rows_close, rows);
	*out = rows;
	return KW_OK;
}

int db_rows_nfields(const struct db_rows *rows)
{
	return rows->nfields;
}

long db_rows_count(const struct db_rows *rows)
{
	return rows->count;
}

const PGresult *db_rows_next(struct db_rows *rows, int *err)
{
	*err = KW_OK;
	if (rows->first_pending) {
		rows->first_pending = false;
		rows->count++;
		return rows->cur;
	}
	if (rows->done)
		return NULL;
	PQclear(rows->cur);
	rows->cur = PQgetResult(rows->db->conn);
	ExecStatusType s = PQresultStatus(rows->cur);
	if (s == PGRES_SINGLE_TUPLE) {
		rows->count++;
		return rows->cur;
	}
	if (s != PGRES_TUPLES_OK) {
		log_warn("db: %s failed after %ld rows", rows->name, rows->count);
		*err = db_error(rows->c, rows->cur, rows->name);
	}
	rows_drain(rows->db);
	rows->done = true;
	return NULL;
}

static int simple(struct kw_ctx *c, const char *sql)
{
	struct db *db = c->db;
	int err = db_ensure(db);
	if (err)
		return err;
	PGresult *r = PQexec(db->conn, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		err = db_error(c, r, sql);
		PQclear(r);
		return err;
	}
	PQclear(r);
	return KW_OK;
}

int db_begin(struct kw_ctx *c)
{
	int err = simple(c, "BEGIN");
	if (!err)
		c->db->in_tx = true;
	return err;
}

int db_commit(struct kw_ctx *c)
{
	int err = simple(c, "COMMIT");
	c->db->in_tx = false;
	return err;
}

void db_rollback(struct kw_ctx *c)
{
	struct db *db = c->db;
	if (!db->in_tx)
		return;
	db->in_tx = false;
	if (!db_connected(db))
		return;
	PGresult *r = PQexec(db->conn, "ROLLBACK");
	PQclear(r);
}

int db_exec_script(struct db *db, const char *sql, char *errbuf, size_t errlen)
{
	int err = db_ensure(db);
	if (err) {
		snprintf(errbuf, errlen, "database unavailable");
		return err;
	}
	PGresult *r = PQexec(db->conn, sql);
	ExecStatusType s = PQresultStatus(r);
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_EMPTY_QUERY) {
		snprintf(errbuf, errlen, "%s", PQresultErrorMessage(r));
		PQclear(r);
		return KW_EINTERNAL;
	}
	PQclear(r);
	return KW_OK;
}

int db_listen(struct db *db, const char *channel)
{
	int err = db_ensure(db);
	if (err)
		return err;
	char *sql = PQescapeIdentifier(db->conn, channel, strlen(channel));
	if (!sql)
		return KW_EINTERNAL;
	char buf[256];
	snprintf(buf, sizeof(buf), "LISTEN %s", sql);
	PQfreemem(sql);
	PGresult *r = PQexec(db->conn, buf);
	err = PQresultStatus(r) == PGRES_COMMAND_OK ? KW_OK : KW_EUNAVAILABLE;
	PQclear(r);
	return err;
}

int db_wait_notify(struct db *db, int timeout_ms)
{
	if (!db_connected(db))
		return KW_EUNAVAILABLE;
	int got = 0;
	PGnotify *n;
	PQconsumeInput(db->conn);
	while ((n = PQnotifies(db->conn))) {
		got = 1;
		PQfreemem(n);
	}
	if (got)
		return 1;
	int fd = PQsocket(db->conn);
	fd_set set;
	FD_ZERO(&set);
	FD_SET(fd, &set);
	struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
	if (select(fd + 1, &set, NULL, NULL, &tv) < 0)
		return 0;
	if (!PQconsumeInput(db->conn) || PQstatus(db->conn) != CONNECTION_OK) {
		drop_connection(db);
		return KW_EUNAVAILABLE;
	}
	while ((n = PQnotifies(db->conn))) {
		got = 1;
		PQfreemem(n);
	}
	return got;
}

int db_drain_notifies(struct db *db, db_notify_fn fn, void *arg)
{
	if (!db_connected(db))
		return KW_EUNAVAILABLE;
	if (!PQconsumeInput(db->conn) || PQstatus(db->conn) != CONNECTION_OK) {
		drop_connection(db);
		return KW_EUNAVAILABLE;
	}
	int got = 0;
	PGnotify *n;
	while ((n = PQnotifies(db->conn))) {
		got++;
		fn(n->relname, n->extra, arg);
		PQfreemem(n);
	}
	return got;
}

unsigned db_generation(const struct db *db)
{
	return db->gen;
}

const char *db_val(const PGresult *r, int row, const char *col)
{
	int f = PQfnumber(r, col);
	return f < 0 || row >= PQntuples(r) || PQgetisnull(r, row, f) ? NULL
								      : PQgetvalue(r, row, f);
}

long db_long(const PGresult *r, int row, const char *col)
{
	const char *v = db_val(r, row, col);
	return v ? strtol(v, NULL, 10) : 0;
}

bool db_bool(const PGresult *r, int row, const char *col)
{
	const char *v = db_val(r, row, col);
	return v && v[0] == 't';
}

const char *db_ltoa(struct kw_ctx *c, long v)
{
	return arena_printf(c->a, "%ld", v);
}

const char *db_id_array(struct kw_ctx *c, const long *ids, size_t n)
{
	size_t cap = 3 + n * 21;
	char *s = arena_alloc(c->a, cap), *p = s;
	*p++ = '{';
	for (size_t i = 0; i < n; i++)
		p += snprintf(p, cap - (size_t)(p - s), i ? ",%ld" : "%ld", ids[i]);
	*p++ = '}';
	*p = '\0';
	return s;
}
