/* err.c - error code table (see err.h). */
#include "err.h"

static const struct kw_errinfo table[] = {
    [0] = {200, "ok", "成功"},
    [-KW_EBADREQ] = {400, "bad_request", "请求格式有误"},
    [-KW_EUNAUTH] = {401, "unauthorized", "请先登录"},
    [-KW_EFORBIDDEN] = {403, "forbidden", "没有权限执行此操作"},
    [-KW_ECSRF] = {403, "csrf", "页面已过期，请刷新后重试"},
    [-KW_ENOTFOUND] = {404, "not_found", "请求的内容不存在"},
    [-KW_EMETHOD] = {405, "method_not_allowed", "不支持该请求方法"},
    [-KW_ECONFLICT] = {409, "conflict", "当前状态不允许此操作，或操作已执行"},
    [-KW_ETOOLARGE] = {413, "too_large", "提交的内容过大"},
    [-KW_EVALIDATION] = {422, "validation", "提交的信息有误，请检查"},
    [-KW_ERATELIMIT] = {429, "rate_limited", "操作过于频繁，请稍后再试"},
    [-KW_EINTERNAL] = {500, "internal", "系统内部错误，请稍后再试"},
    [-KW_EUNAVAILABLE] = {503, "unavailable", "系统暂时不可用，请稍后再试"},
};

const struct kw_errinfo *kw_errinfo(int err)
{
	int i = -err;
	if (i < 0 || i >= (int)(sizeof(table) / sizeof(table[0])) || !table[i].code)
		return &table[-KW_EINTERNAL];
	return &table[i];
}
