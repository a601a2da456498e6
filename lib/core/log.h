/* log.h - one-line log records on stderr (the start script sends them to var/log). */
#ifndef KW_LOG_H
#define KW_LOG_H

#include <stddef.h>

enum kw_log_level { KW_LOG_DEBUG, KW_LOG_INFO, KW_LOG_WARN, KW_LOG_ERROR };

void kw_log_set_level(enum kw_log_level lvl);

/*
 * Mask every ID number (17 digits and a digit or X, not part of a longer run of letters or
 * digits) in s[0..n) in place: the first four and last four stay, "1101**********1235".
 * Returns how many were masked. kw_log applies it to every record (issue 14 item 6).
 */
int kw_log_mask_ids(char *s, size_t n);
void kw_log(enum kw_log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_debug(...) kw_log(KW_LOG_DEBUG, __VA_ARGS__)
#define log_info(...) kw_log(KW_LOG_INFO, __VA_ARGS__)
#define log_warn(...) kw_log(KW_LOG_WARN, __VA_ARGS__)
#define log_error(...) kw_log(KW_LOG_ERROR, __VA_ARGS__)

#endif
