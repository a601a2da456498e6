/* clock.h - the one clock the business rules use (DESIGN.md section 1). */
#ifndef KW_CLOCK_H
#define KW_CLOCK_H

#include <stdbool.h>
#include <time.h>

/*
 * "Now" for business rules. When KAOWU_CLOCK_FILE names a readable file holding
 * an ISO-8601 timestamp, that timestamp is now (read at each call); otherwise
 * the system clock. Production never sets the variable.
 */
time_t kw_now(void);

/*
 * Parse "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS][.fff][Z|+HH:MM|-HH:MM]" (a space may
 * stand for T). A value without an offset is China Standard Time (+08:00),
 * the time zone of every date the platform's users enter. Returns false on
 * anything else, including impossible dates.
 */
bool kw_parse_time(const char *s, time_t *out);

/* Format t as "YYYY-MM-DDTHH:MM:SS+08:00" into buf (at least 26 bytes). */
void kw_format_time(time_t t, char *buf, size_t len);

/* The calendar date of t in China Standard Time, "YYYY-MM-DD" (buf >= 11). */
void kw_format_date(time_t t, char *buf, size_t len);

#endif
