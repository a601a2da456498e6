/* idcard.h - Chinese resident ID numbers (GB 11643-1999), rule R29. */
#ifndef KW_IDCARD_H
#define KW_IDCARD_H

#include <stdbool.h>
#include <time.h>

struct idcard_info {
	char normalized[19]; /* 18 characters, a final x upper-cased */
	int year, month, day;
	char sex;	     /* 'M' or 'F' (17th digit odd: male) */
	char birth_date[11]; /* "YYYY-MM-DD" */
};

/*
 * R29: check an 18-character ID number: 17 digits, a checksum character
 * (0-9 or X, ISO 7064 MOD 11-2), a real birth date not in the future of
 * `now` and not before 1900. On success fills *out (may be NULL) and returns
 * true.
 */
bool idcard_check(const char *id, time_t now, struct idcard_info *out);

/* Age in whole years on the date of `at` (China Standard Time). */
int idcard_age(const struct idcard_info *info, time_t at);

#endif
