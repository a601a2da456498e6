/* log.c - timestamped log lines on stderr, one write per record. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static enum kw_log_level min_level = KW_LOG_INFO;
static const char *names[] = {"debug", "info", "warn", "error"};

void kw_log_set_level(enum kw_log_level lvl)
{
	min_level = lvl;
}

static int is_alnum(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

int kw_log_mask_ids(char *s, size_t n)
{
	int masked = 0;
	for (size_t i = 0; i + 18 <= n; i++) {
		if (i > 0 && is_alnum(s[i - 1]))
			continue;
		size_t k = 0;
		while (k < 17 && s[i + k] >= '0' && s[i + k] <= '9')
			k++;
		char last = s[i + 17];
		if (k < 17 || !((last >= '0' && last <= '9') || last == 'X' || last == 'x'))
			continue;
		if (i + 18 < n && is_alnum(s[i + 18]))
			continue;
		for (size_t j = 4; j < 14; j++)
			s[i + j] = '*';
		masked++;
		i += 17;
	}
	return masked;
}

void kw_log(enum kw_log_level lvl, const char *fmt, ...)
{
	if (lvl < min_level)
		return;
	char line[2048];
	struct timeval tv;
	struct tm tm;
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	int n = snprintf(line, sizeof(line), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ [%d] %s ",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			 tm.tm_sec, (long)(tv.tv_usec / 1000), (int)getpid(), names[lvl]);
	va_list ap;
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof(line))
		n += vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line) - 1)
		n = sizeof(line) - 2;
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == ' '))
		n--;
	kw_log_mask_ids(line, (size_t)n); /* no ID number in a log file (issue 14 item 6) */
	for (int i = 0; i < n; i++) /* one record, one line: fold libpq's multi-line messages */
		if (line[i] == '\n' || line[i] == '\t')
			line[i] = ' ';
	line[n++] = '\n';
	/* One write(2) keeps lines from several workers whole in the shared log. */
	ssize_t w = write(STDERR_FILENO, line, (size_t)n);
	(void)w;
}
