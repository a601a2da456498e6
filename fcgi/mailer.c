/* mailer.c - kaowu-mailer: delivers the mail outbox, woken by NOTIFY kaowu_mail. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "core/clock.h"
#include "core/log.h"
#include "db/db.h"
#include "mail.h"

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static const char *env(const char *name, const char *def)
{
	const char *v = getenv(name);
	return v && *v ? v : def;
}

int main(int argc, char **argv)
{
	int once = argc > 1 && !strcmp(argv[1], "--once");
	if (argc > 1 && !once) {
		fputs("usage: kaowu-mailer [--once]\n"
		      "Environment: KAOWU_DB, KAOWU_MAIL_DIR (.eml files when no relay),\n"
		      "  KAOWU_SMTP_URL (smtp://host:25), KAOWU_SMTP_USER, KAOWU_SMTP_PASSWORD,\n"
		      "  KAOWU_MAIL_FROM.\n",
		      stderr);
		return 2;
	}
	struct sigaction sa = {.sa_handler = on_term};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return 1;
	struct mail_transport t = {
	    .smtp_url = getenv("KAOWU_SMTP_URL") && *getenv("KAOWU_SMTP_URL")
			    ? getenv("KAOWU_SMTP_URL")
			    : NULL,
	    .smtp_user = getenv("KAOWU_SMTP_USER"),
	    .smtp_password = getenv("KAOWU_SMTP_PASSWORD"),
	    .from = env("KAOWU_MAIL_FROM", "noreply@kaowu.local"),
	    .dir = env("KAOWU_MAIL_DIR", "var/mail"),
	};
	struct db *db = db_new(env("KAOWU_DB", ""));
	arena *a = arena_new(64 * 1024);
	int listening = 0;
	log_info("mailer: delivering %s", t.smtp_url ? t.smtp_url : t.dir);
	while (!stop) {
		if (!listening && db_ensure(db) == KW_OK && db_listen(db, "kaowu_mail") == KW_OK)
			listening = 1;
		int sent = 0, failed = 0;
		struct kw_ctx c = {.a = a, .db = db, .now = kw_now()};
		int err = mail_deliver_pending(&c, &t, 50, &sent, &failed);
		arena_reset(a);
		if (err == KW_EUNAVAILABLE)
			listening = 0;
		if (once)
			break;
		if (sent + failed == 50)
			continue; /* more may be waiting */
		if (!listening || db_wait_notify(db, 5000) < 0) {
			listening = 0;
			sleep(1);
		}
	}
	arena_free(a);
	db_close(db);
	curl_global_cleanup();
	return 0;
}
