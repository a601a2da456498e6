/* clock.c - business clock and ISO-8601 parsing in China Standard Time. */
#include "clock.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CST_OFFSET (8 * 3600)

static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
static long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

bool kw_parse_time(const char *s, time_t *out)
{
	if (!s)
		return false;
	while (isspace((unsigned char)*s))
		s++;
	size_t len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (len < 10 || s[4] != '-' || s[7] != '-')
		return false;
	int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
	if (y < 1900 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo))
		return false;
	int h = 0, mi = 0, sec = 0;
	long offset = CST_OFFSET;
	const char *p = s + 10, *end = s + len;
	if (p < end) {
		if ((*p != 'T' && *p != ' ') || end - p < 6 || p[3] != ':')
			return false;
		h = digits(p + 1, 2);
		mi = digits(p + 4, 2);
		p += 6;
		if (p < end && *p == ':') {
			if (end - p < 3)
				return false;
			sec = digits(p + 1, 2);
			p += 3;
			if (p < end && *p == '.') {
				p++;
				while (p < end && isdigit((unsigned char)*p))
					p++;
			}
		}
		if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60)
			return false;
		if (p < end) {
			if (*p == 'Z' && p + 1 == end) {
				offset = 0;
				p++;
			} else if ((*p == '+' || *p == '-') && end - p == 6 && p[3] == ':') {
				int oh = digits(p + 1, 2), om = digits(p + 4, 2);
				if (oh < 0 || oh > 14 || om < 0 || om > 59)
					return false;
				offset = (oh * 3600L + om * 60L) * (*p == '-' ? -1 : 1);
				p = end;
			} else {
				return false;
			}
		}
	}
	if (p != end)
		return false;
	long days = days_from_civil(y, mo, d);
	*out = (time_t)(days * 86400L + h * 3600L + mi * 60L + sec - offset);
	return true;
}

time_t kw_now(void)
{
	const char *path = getenv("KAOWU_CLOCK_FILE");
	if (path && *path) {
		FILE *f = fopen(path, "r");
		if (f) {
			char buf[64] = {0};
			size_t n = fread(buf, 1, sizeof(buf) - 1, f);
			fclose(f);
			buf[n] = '\0';
			time_t t;
			if (kw_parse_time(buf, &t))
				return t;
		}
	}
	return time(NULL);
}

void kw_format_time(time_t t, char *buf, size_t len)
{
	time_t local = t + CST_OFFSET;
	struct tm tm;
	gmtime_r(&local, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void kw_format_date(time_t t, char *buf, size_t len)
{
	time_t local = t + CST_OFFSET;
	struct tm tm;
	gmtime_r(&local, &tm);
	snprintf(buf, len, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}
