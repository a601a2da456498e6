/* password_list.h - the bundled list of common passwords, sorted for binary search. */
#ifndef KW_PASSWORD_LIST_H
#define KW_PASSWORD_LIST_H

/* Lower-cased, byte-sorted (strcmp order), unique; source in data/common-passwords.txt. */
extern const char *const password_list[];
extern const unsigned password_list_count;

#endif
