/* admin.c - kaowu-admin: database chores for the start scripts (migrations, demo data). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "certificate.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/log.h"
#include "db/db.h"
#include "db/migrate.h"
#include "version.h"

static int usage(void)
{
	fputs("usage: kaowu-admin migrate DIR | demo DIR | schema\n"
	      "  migrate DIR  apply DIR/NNNN_*.sql not yet applied (each once, in a transaction)\n"
	      "  demo DIR     load the demo data scripts of DIR the same way\n"
	      "  schema       print the schema version this build expects and the database's\n"
	      "  hash-password  read a password on stdin, print its argon2id hash\n"
	      "  keygen       make a new certificate signing key (rotation): the private half in\n"
	      "               $KAOWU_HOME/keys/cert-<kid>.key (0600), the public half published\n"
	      "Environment: KAOWU_DB (libpq conninfo), KAOWU_HOME.\n",
	      stderr);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	kw_log_set_level(KW_LOG_WARN);
	struct db *db = db_new(getenv("KAOWU_DB") ? getenv("KAOWU_DB") : "");
	int rc = 0;
	if ((!strcmp(argv[1], "migrate") || !strcmp(argv[1], "demo")) && argc == 3) {
		char err[2048] = "";
		int applied = 0;
		enum migrate_kind kind = !strcmp(argv[1], "demo") ? MIGRATE_DEMO : MIGRATE_SCHEMA;
		if (db_migrate(db, kind, argv[2], &applied, err, sizeof(err))) {
			fprintf(stderr, "kaowu-admin %s: %s\n", argv[1], err);
			rc = 1;
		} else {
			printf("%s: %d applied\n", argv[1], applied);
		}
	} else if (!strcmp(argv[1], "hash-password") && argc == 2) {
		char pw[1024];
		char hash[crypto_pwhash_STRBYTES];
		if (!fgets(pw, sizeof(pw), stdin) || sodium_init() < 0)
			return 1;
		pw[strcspn(pw, "\r\n")] = '\0';
		if (crypto_pwhash_str(hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
			return 1;
		puts(hash);
	} else if (!strcmp(argv[1], "keygen") && argc == 2) {
		arena *a = arena_new(16384);
		struct kw_ctx ctx = {.a = a, .db = db, .now = kw_now(), .ip = ""};
		const char *kid = NULL;
		if (sodium_init() < 0 || db_ensure(db) || certificate_keygen(&ctx, &kid)) {
			fprintf(stderr, "kaowu-admin keygen: %s\n",
				ctx.err_message ? ctx.err_message : "failed (see the log)");
			rc = 1;
		} else {
			printf("keygen: new signing key %s\n", kid);
		}
		arena_free(a);
	} else if (!strcmp(argv[1], "schema") && argc == 2) {
		int have = db_ensure(db) == 0 ? db_schema_version(db) : -1;
		printf("expected %d, database %d\n", KW_SCHEMA_VERSION, have);
		rc = have == KW_SCHEMA_VERSION ? 0 : 1;
	} else {
		rc = usage();
	}
	db_close(db);
	return rc;
}
