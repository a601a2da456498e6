/* err.h - the one table of application errors: code -> HTTP status, code string, message. */
#ifndef KW_ERR_H
#define KW_ERR_H

/*
 * Functions return KW_OK (0) or one of these negative codes and pass them up
 * unchanged (libgit2 style). Only the dispatcher turns a code into HTTP.
 */
enum kw_err {
	KW_OK = 0,
	KW_EBADREQ = -1,      /* 400 bad_request */
	KW_EUNAUTH = -2,      /* 401 unauthorized */
	KW_EFORBIDDEN = -3,   /* 403 forbidden */
	KW_ECSRF = -4,	      /* 403 csrf */
	KW_ENOTFOUND = -5,    /* 404 not_found */
	KW_EMETHOD = -6,      /* 405 method_not_allowed */
	KW_ECONFLICT = -7,    /* 409 conflict */
	KW_ETOOLARGE = -8,    /* 413 too_large */
	KW_EVALIDATION = -9,  /* 422 validation */
	KW_ERATELIMIT = -10,  /* 429 rate_limited */
	KW_EINTERNAL = -11,   /* 500 internal */
	KW_EUNAVAILABLE = -12 /* 503 unavailable */
};

struct kw_errinfo {
	int http_status;
	const char *code;    /* stable machine code of API.md */
	const char *message; /* default Chinese message a user may read */
};

/* Never NULL: unknown codes map to the internal error. */
const struct kw_errinfo *kw_errinfo(int err);

#endif
