/* migrate.c - ordered, recorded, checksummed SQL migrations (see migrate.h). */
#include "db/migrate.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/err.h"
#include "core/log.h"
#include "db/db.h"

struct sql_set {
	const char *create, *lock, *lookup, *record;
};

static const struct sql_set sets[] = {
    [MIGRATE_SCHEMA] =
	{
	    "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    " version integer PRIMARY KEY, name text NOT NULL, sha256 text NOT NULL,"
	    " applied_at timestamptz NOT NULL DEFAULT now())",
	    "SELECT pg_advisory_xact_lock(72001)",
	    "SELECT sha256 FROM schema_migrations WHERE version = $1",
	    "INSERT INTO schema_migrations (version, name, sha256) VALUES ($1, $2, $3)",
	},
    [MIGRATE_DEMO] =
	{
	    "CREATE TABLE IF NOT EXISTS demo_scripts ("
	    " version integer PRIMARY KEY, name text NOT NULL, sha256 text NOT NULL,"
	    " applied_at timestamptz NOT NULL DEFAULT now())",
	    "SELECT pg_advisory_xact_lock(72002)",
	    "SELECT sha256 FROM demo_scripts WHERE version = $1",
	    "INSERT INTO demo_scripts (version, name, sha256) VALUES ($1, $2, $3)",
	},
};

static int is_migration(const char *name)
{
	size_t n = strlen(name);
	if (n < 10 || strcmp(name + n - 4, ".sql") != 0 || name[4] != '_')
		return 0;
	for (int i = 0; i < 4; i++)
		if (name[i] < '0' || name[i] > '9')
			return 0;
	return 1;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0, n = 0;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 16384;
			char *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		size_t r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
		if (r == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int run(PGconn *conn, const char *sql, int n, const char *const *params, PGresult **out,
	       char *errbuf, size_t errlen)
{
	PGresult *r = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
	ExecStatusType s = PQresultStatus(r);
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
		snprintf(errbuf, errlen, "%s", PQresultErrorMessage(r));
		PQclear(r);
		return KW_EINTERNAL;
	}
	if (out)
		*out = r;
	else
		PQclear(r);
	return KW_OK;
}

/* Apply one file inside one transaction; *done is 1 when it ran now. */
static int apply_one(struct db *db, const struct sql_set *q, const char *dir, const char *name,
		     int *done, char *errbuf, size_t errlen)
{
	PGconn *conn = db_conn(db);
	char path[4096], version[16], hex[crypto_hash_sha256_BYTES * 2 + 1];
	unsigned char hash[crypto_hash_sha256_BYTES];
	size_t len;
	int err;
	*done = 0;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	char *sql = read_file(path, &len);
	if (!sql) {
		snprintf(errbuf, errlen, "cannot read %s", path);
		return KW_EINTERNAL;
	}
	crypto_hash_sha256(hash, (const unsigned char *)sql, len);
	sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
	snprintf(version, sizeof(version), "%d", atoi(name));

	PGresult *r = NULL;
	if ((err = run(conn, "BEGIN", 0, NULL, NULL, errbuf, errlen)))
		goto out;
	if ((err = run(conn, q->lock, 0, NULL, NULL, errbuf, errlen)))
		goto out;
	if ((err = run(conn, q->lookup, 1, (const char *const[]){version}, &r, errbuf, errlen)))
		goto out;
	if (PQntuples(r) == 1) {
		if (strcmp(PQgetvalue(r, 0, 0), hex) != 0) {
			snprintf(errbuf, errlen,
				 "%s was changed after it was applied; add a new file instead",
				 name);
			err = KW_EINTERNAL;
		}
		goto out;
	}
	if ((err = db_exec_script(db, sql, errbuf, errlen))) {
		char detail[1024];
		snprintf(detail, sizeof(detail), "%s: %s", name, errbuf);
		snprintf(errbuf, errlen, "%s", detail);
		goto out;
	}
	if ((err = run(conn, q->record, 3, (const char *const[]){version, name, hex}, NULL, errbuf,
		       errlen)))
		goto out;
	if ((err = run(conn, "COMMIT", 0, NULL, NULL, errbuf, errlen)))
		goto out;
	*done = 1;
out:
	if (err || !*done) {
		PGresult *rb = PQexec(conn, "ROLLBACK");
		PQclear(rb);
	}
	PQclear(r);
	free(sql);
	return err;
}

int db_migrate(struct db *db, enum migrate_kind kind, const char *dir, int *applied, char *errbuf,
	       size_t errlen)
{
	const struct sql_set *q = &sets[kind];
	*applied = 0;
	int err = db_ensure(db);
	if (err) {
		snprintf(errbuf, errlen, "cannot connect to the database");
		return err;
	}
	if (sodium_init() < 0) {
		snprintf(errbuf, errlen, "libsodium failed to initialise");
		return KW_EINTERNAL;
	}
	if ((err = run(db_conn(db), "SET client_min_messages TO warning", 0, NULL, NULL, errbuf,
		       errlen)))
		return err;
	if ((err = run(db_conn(db), q->create, 0, NULL, NULL, errbuf, errlen)))
		return err;

	DIR *d = opendir(dir);
	if (!d) {
		snprintf(errbuf, errlen, "cannot open %s", dir);
		return KW_EINTERNAL;
	}
	char **names = NULL;
	size_t count = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!is_migration(e->d_name))
			continue;
		if (count == cap) {
			cap = cap ? cap * 2 : 32;
			char **nn = realloc(names, cap * sizeof(*names));
			if (!nn)
				abort();
			names = nn;
		}
		names[count] = strdup(e->d_name);
		if (!names[count])
			abort();
		count++;
	}
	closedir(d);
	qsort(names, count, sizeof(*names), cmp_names);
	for (size_t i = 0; i < count; i++) {
		if (i > 0 && atoi(names[i]) == atoi(names[i - 1])) {
			snprintf(errbuf, errlen, "two files share number %d: %s, %s",
				 atoi(names[i]), names[i - 1], names[i]);
			err = KW_EINTERNAL;
			break;
		}
		int done;
		if ((err = apply_one(db, q, dir, names[i], &done, errbuf, errlen)))
			break;
		if (done) {
			log_info("migrate: applied %s", names[i]);
			(*applied)++;
		}
	}
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
	return err;
}
