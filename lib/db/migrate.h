/* migrate.h - apply numbered SQL files in order, each once, each in a transaction. */
#ifndef KW_MIGRATE_H
#define KW_MIGRATE_H

#include <stddef.h>

struct db;

enum migrate_kind {
	MIGRATE_SCHEMA, /* migrations/NNNN_name.sql, recorded in schema_migrations */
	MIGRATE_DEMO	/* demo/NNNN_name.sql, recorded in demo_scripts */
};

/*
 * Apply every file NNNN_*.sql of dir not yet recorded, in numeric order. Each
 * file runs in its own transaction together with its record row, under an
 * advisory lock so two starters never race. A recorded file whose content
 * has changed since it ran is an error: migrations are immutable.
 * Returns 0 and the number applied, or a negative code with errbuf set.
 */
int db_migrate(struct db *db, enum migrate_kind kind, const char *dir, int *applied, char *errbuf,
	       size_t errlen);

#endif
