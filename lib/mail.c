/* mail.c - formatting and delivering outbox mail over SMTP (libcurl) or as .eml files. */
#include "mail.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "core/clock.h"
#include "core/log.h"
#include "db/db.h"

static const char *b64(struct kw_ctx *c, const char *s)
{
	size_t n = strlen(s), len = sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL);
	char *out = arena_alloc(c->a, len);
	sodium_bin2base64(out, len, (const unsigned char *)s, n, sodium_base64_VARIANT_ORIGINAL);
	return out;
}

const char *mail_format(struct kw_ctx *c, const char *from, const char *to, const char *subject,
			const char *body, long id)
{
	char date[64];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	/* Base64 body in lines of 76 characters (RFC 2045). */
	const char *enc = b64(c, body);
	size_t n = strlen(enc);
	char *wrapped = arena_alloc(c->a, n + n / 76 * 2 + 3), *w = wrapped;
	for (size_t i = 0; i < n; i += 76) {
		size_t k = n - i < 76 ? n - i : 76;
		memcpy(w, enc + i, k);
		w += k;
		*w++ = '\r';
		*w++ = '\n';
	}
	*w = '\0';
	return arena_printf(c->a,
			    "From: =?UTF-8?B?%s?= <%s>\r\n"
			    "To: <%s>\r\n"
			    "Subject: =?UTF-8?B?%s?=\r\n"
			    "Date: %s\r\n"
			    "Message-ID: <kaowu-%ld-%ld@%s>\r\n"
			    "MIME-Version: 1.0\r\n"
			    "Content-Type: text/plain; charset=UTF-8\r\n"
			    "Content-Transfer-Encoding: base64\r\n"
			    "\r\n%s",
			    b64(c, "机械工业人才评价管理服务平台"), from, to, b64(c, subject), date,
			    id, (long)now,
			    strchr(from, '@') ? strchr(from, '@') + 1 : "kaowu.local", wrapped);
}

struct upload {
	const char *p;
	size_t left;
};

static size_t read_cb(char *buf, size_t size, size_t nmemb, void *ud)
{
	struct upload *u = ud;
	size_t n = size * nmemb < u->left ? size * nmemb : u->left;
	memcpy(buf, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

static const char *send_smtp(const struct mail_transport *t, const char *to, const char *msg)
{
	static char errbuf[CURL_ERROR_SIZE];
	CURL *curl = curl_easy_init();
	if (!curl)
		return "curl_easy_init failed";
	struct curl_slist *rcpt = curl_slist_append(NULL, to);
	struct upload u = {msg, strlen(msg)};
	errbuf[0] = '\0';
	curl_easy_setopt(curl, CURLOPT_URL, t->smtp_url);
	curl_easy_setopt(curl, CURLOPT_MAIL_FROM, t->from);
	curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(curl, CURLOPT_READDATA, &u);
	curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	if (t->smtp_user) {
		curl_easy_setopt(curl, CURLOPT_USERNAME, t->smtp_user);
		curl_easy_setopt(curl, CURLOPT_PASSWORD, t->smtp_password ? t->smtp_password : "");
	}
	CURLcode rc = curl_easy_perform(curl);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(curl);
	if (rc == CURLE_OK)
		return NULL;
	return errbuf[0] ? errbuf : curl_easy_strerror(rc);
}

/* Write the message as DIR/<time>-<id>.eml, atomically (temp file + rename). */
static const char *write_eml(struct kw_ctx *c, const char *dir, long id, const char *msg)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	const char *path = arena_printf(c->a, "%s/%s-%06ld.eml", dir, stamp, id);
	const char *tmp = arena_printf(c->a, "%s/.%06ld.tmp", dir, id);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0640);
	if (fd < 0)
		return "cannot create the .eml file";
	size_t n = strlen(msg);
	ssize_t w = write(fd, msg, n);
	int ok = w == (ssize_t)n && fsync(fd) == 0;
	close(fd);
	if (!ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return "cannot write the .eml file";
	}
	return NULL;
}

static struct db_stmt q_pending = DB_STMT(
    "mail_pending",
    "SELECT id, to_addr, subject, body FROM mail_outbox WHERE sent_at IS NULL AND attempts < 10"
    " ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED");
static struct db_stmt q_sent =
    DB_STMT("mail_sent", "UPDATE mail_outbox SET sent_at = now(), attempts = attempts + 1,"
			 " last_error = NULL WHERE id = $1");
static struct db_stmt q_failed =
    DB_STMT("mail_failed", "UPDATE mail_outbox SET attempts = attempts + 1, last_error = $2"
			   " WHERE id = $1");

int mail_deliver_pending(struct kw_ctx *c, const struct mail_transport *t, int limit, int *sent,
			 int *failed)
{
	int err;
	*sent = *failed = 0;
	if ((err = db_begin(c)))
		return err;
	PGresult *r = db_query(c, &q_pending, &err, arena_printf(c->a, "%d", limit));
	if (!r) {
		db_rollback(c);
		return err;
	}
	for (int i = 0; i < PQntuples(r); i++) {
		long id = strtol(PQgetvalue(r, i, 0), NULL, 10);
		const char *to = PQgetvalue(r, i, 1);
		const char *problem = NULL;
		if (strpbrk(to, "\r\n<>,") || !strchr(to, '@')) {
			problem = "invalid recipient address";
		} else {
			const char *msg = mail_format(c, t->from, to, PQgetvalue(r, i, 2),
						      PQgetvalue(r, i, 3), id);
			problem =
			    t->smtp_url ? send_smtp(t, to, msg) : write_eml(c, t->dir, id, msg);
		}
		const char *idtxt = arena_printf(c->a, "%ld", id);
		if (problem) {
			log_warn("mail %ld to %s failed: %s", id, to, problem);
			db_query(c, &q_failed, &err, idtxt, problem);
			(*failed)++;
		} else {
			log_info("mail %ld delivered to %s", id, to);
			db_query(c, &q_sent, &err, idtxt);
			(*sent)++;
		}
		if (err) {
			db_rollback(c);
			return err;
		}
	}
	return db_commit(c);
}
