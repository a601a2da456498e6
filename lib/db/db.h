/* db.h - the worker's PostgreSQL connection: prepared statements, transactions, reconnects. */
#ifndef KW_DB_H
#define KW_DB_H

#include <stdbool.h>
#include <libpq-fe.h>

#include "core/ctx.h"

/*
 * A statement a module runs. Declare it static and non-const next to the code
 * that uses it; it is prepared on the connection the first time it runs
 * (and again after a reconnect). Parameters are always $1..$n, text format.
 *
 *   static struct db_stmt q_org = DB_STMT("org_get", "SELECT … WHERE id = $1");
 */
struct db_stmt {
	const char *name;
	const char *sql;
	unsigned prepared_gen;	  /* connection generation it was prepared on */
	unsigned prepared_ro_gen; /* the same on the read replica's connection */
};
#define DB_STMT(name, sql)                                                                         \
	{                                                                                          \
		name, sql, 0, 0                                                                    \
	}

struct db;

/* Create a handle for conninfo; nothing connects until db_ensure(). */
struct db *db_new(const char *conninfo);
void db_close(struct db *db);

/*
 * Make sure the connection is up. When it is down, try to connect at most
 * once per backoff interval (100 ms doubling to 5 s) and answer
 * KW_EUNAVAILABLE meanwhile, so a request never waits on a dead server.
 */
int db_ensure(struct db *db);
bool db_connected(const struct db *db);

/* The schema version recorded in the database (max of schema_migrations), -1 if unknown. */
int db_schema_version(struct db *db);

/*
 * Run a prepared statement with n text parameters (NULL means SQL NULL).
 * Returns the result, owned by the request arena, or NULL with the error
 * mapped from SQLSTATE (unique violation -> conflict, lost connection ->
 * unavailable, ...). Outside a transaction a statement that fails because
 * the connection was lost is retried once on a fresh connection.
 */
PGresult *db_exec(struct kw_ctx *c, struct db_stmt *st, int n, const char *const *params, int *err);

#define DB_NARGS(...) (int)(sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *))
/* db_query(c, &stmt, &err, "a", "b") */
#define db_query(c, st, errp, ...)                                                                 \
	db_exec((c), (st), DB_NARGS(__VA_ARGS__), (const char *const[]){__VA_ARGS__}, (errp))
#define db_query0(c, st, errp) db_exec((c), (st), 0, NULL, (errp))

/*
 * A second, read-only connection (a streaming replica, KAOWU_DB_REPLICA) for
 * heavy reads that may lag the primary by a moment: lists, exports, reference
 * data. Never for a read that must see the request's own write.
 */
void db_set_replica(struct db *db, const char *conninfo);

/*
 * Like db_exec, on the replica when one is configured, up and the connection
 * is not inside a transaction; otherwise (and whenever the replica fails) on
 * the primary. Only for SELECTs.
 */
PGresult *db_exec_ro(struct kw_ctx *c, struct db_stmt *st, int n, const char *const *params,
		     int *err);
#define db_query_ro(c, st, errp, ...)                                                              \
	db_exec_ro((c), (st), DB_NARGS(__VA_ARGS__), (const char *const[]){__VA_ARGS__}, (errp))
#define db_query0_ro(c, st, errp) db_exec_ro((c), (st), 0, NULL, (errp))

/*
 * Rows read one at a time, for exports of any size: the statement runs in
 * libpq's single-row mode, so the worker holds one row however many the
 * statement returns. db_rows_open sends it and reads the first row before it
 * returns, so a failing statement still answers as an error, not as a broken
 * download. Like db_exec_ro it runs on the replica when one is up and no
 * transaction is open. The rows belong to the request arena: what is left
 * unread when the request ends is cancelled and drained, and until then the
 * connection runs nothing else.
 */
struct db_rows;
int db_rows_open(struct kw_ctx *c, struct db_stmt *st, int n, const char *const *params,
		 struct db_rows **out);
#define db_rows_query(c, st, outp, ...)                                                            \
	db_rows_open((c), (st), DB_NARGS(__VA_ARGS__), (const char *const[]){__VA_ARGS__}, (outp))

/* The number of columns of the statement's result. */
int db_rows_nfields(const struct db_rows *rows);

/*
 * The next row, as a result of one row (row 0), valid until the next call.
 * NULL after the last row (*err KW_OK) or when the statement failed on the
 * way (*err the mapped error; the rows already read are all there is).
 */
const PGresult *db_rows_next(struct db_rows *rows, int *err);

/* How many rows db_rows_next has handed out. */
long db_rows_count(const struct db_rows *rows);

/*
 * Several independent statements in one round trip (libpq pipeline mode): all
 * are sent, then every result is read; calls[i].res is owned by the arena.
 * They run in one implicit transaction (or the open one), so a failing
 * statement skips the ones after it and its error is returned. For reads
 * whose parameters do not depend on each other's results.
 */
struct db_call {
	struct db_stmt *st;
	int n;
	const char *const *params;
	PGresult *res; /* out */
};
int db_exec_pipeline(struct kw_ctx *c, struct db_call *calls, int ncalls);

/* Statements served by the replica and reads that fell back to the primary, per worker. */
void db_replica_counts(const struct db *db, unsigned long *served, unsigned long *fallbacks);

/* Transactions: one per state change. The dispatcher rolls back what a failed handler left open. */
int db_begin(struct kw_ctx *c);
int db_commit(struct kw_ctx *c);
void db_rollback(struct kw_ctx *c);
bool db_in_tx(const struct db *db);

/* Run a whole SQL script (migrations only; never data). */
int db_exec_script(struct db *db, const char *sql, char *errbuf, size_t errlen);

/*
 * Reading a result by column name: the text of row `row`, column `col`, or
 * NULL when it is SQL NULL or the result has no such column (PQfnumber).
 */
const char *db_val(const PGresult *r, int row, const char *col);
long db_long(const PGresult *r, int row, const char *col); /* 0 when NULL */
bool db_bool(const PGresult *r, int row, const char *col); /* false when NULL */

/* A number as a text parameter, in the request arena. */
const char *db_ltoa(struct kw_ctx *c, long v);
/* A PostgreSQL array literal "{1,2,3}" of n ids (a bigint[] statement parameter). */
const char *db_id_array(struct kw_ctx *c, const long *ids, size_t n);

/* Map a failed result to an application error, logging the detail. */
int db_error(struct kw_ctx *c, const PGresult *r, const char *what);

PGconn *db_conn(struct db *db);

/* LISTEN on a channel (a constant name, never data); 0 or an error. */
int db_listen(struct db *db, const char *channel);

/*
 * Wait up to timeout_ms for a notification on the connection; returns 1 when
 * one (or more) arrived, 0 on timeout, KW_EUNAVAILABLE when the connection is lost.
 */
int db_wait_notify(struct db *db, int timeout_ms);

/*
 * Read what the server has sent without waiting (PQconsumeInput) and hand
 * every pending notification to fn. Returns how many, or KW_EUNAVAILABLE
 * when the connection is down or lost.
 */
typedef void (*db_notify_fn)(const char *channel, const char *payload, void *arg);
int db_drain_notifies(struct db *db, db_notify_fn fn, void *arg);

/* The connection generation: it changes with every new connection (LISTENs are lost). */
unsigned db_generation(const struct db *db);

#endif
