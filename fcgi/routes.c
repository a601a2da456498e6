/* routes.c - the one route table: every endpoint, who may call it, and what it does. */
#include "handlers.h"

#define HEALTH_SCHEMA                                                                      \
	"{\"type\":\"object\",\"properties\":{\"db\":{\"type\":\"string\",\"enum\":[\"ok\","   \
	"\"down\"]},\"schema\":{\"type\":\"integer\",\"nullable\":true},\"expected_schema\":"  \
	"{\"type\":\"integer\"},\"version\":{\"type\":\"string\"}}}"

const struct route routes[] = {
	ROUTE("GET", "/api/health", h_health, R_PUBLIC, ROUTE_NO_DB, "system",
	      "服务健康检查：数据库连接与数据库结构版本（版本不符时 503）", NULL, HEALTH_SCHEMA),
	ROUTE("GET", "/api/openapi.json", h_openapi, R_PUBLIC, ROUTE_NO_DB, "system",
	      "本接口的 OpenAPI 3.0 描述，由路由表生成", NULL, "{\"type\":\"object\"}"),
};

const size_t routes_count = sizeof(routes) / sizeof(routes[0]);
