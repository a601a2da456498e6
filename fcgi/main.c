/* main.c - kaowu-fcgi: configuration from the environment, then master, worker or CGI mode. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <sodium.h>

#include "core/log.h"
#include "dispatch.h"
#include "openapi.h"
#include "router.h"
#include "server.h"
#include "version.h"

static void usage(void)
{
	fputs(
	    "usage: kaowu-fcgi [--socket PATH|HOST:PORT [--workers N] [--pidfile PATH]]\n"
	    "  With --socket: a master that pre-forks N FastCGI workers (default 2 x cores),\n"
	    "  listening on a unix socket PATH or on TCP HOST:PORT (\":PORT\" for every address).\n"
	    "  Without: FastCGI on fd 0 when a web server spawned it, else one CGI request.\n"
	    "Environment: KAOWU_DB (libpq conninfo), KAOWU_DB_REPLICA (optional, for reads),\n"
	    "  KAOWU_MAX_BODY (bytes, default 20 MiB),\n"
	    "  KAOWU_WORKERS, KAOWU_CLOCK_FILE, KAOWU_LOG_LEVEL (debug|info|warn|error).\n",
	    stderr);
}

static size_t env_size(const char *name, size_t def)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return def;
	char *end;
	unsigned long long n = strtoull(v, &end, 10);
	return *end || n == 0 ? def : (size_t)n;
}

int main(int argc, char **argv)
{
	const char *socket_path = NULL, *pidfile = NULL;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int workers = (int)env_size("KAOWU_WORKERS", (size_t)(cores > 0 ? cores : 1) * 2);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--socket") && i + 1 < argc)
			socket_path = argv[++i];
		else if (!strcmp(argv[i], "--workers") && i + 1 < argc)
			workers = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--pidfile") && i + 1 < argc)
			pidfile = argv[++i];
		else if (!strcmp(argv[i], "--version")) {
			printf("kaowu-fcgi %s (schema %d)\n", KW_VERSION, KW_SCHEMA_VERSION);
			return 0;
		} else {
			usage();
			return 2;
		}
	}
	const char *lvl = getenv("KAOWU_LOG_LEVEL");
	if (lvl && !strcmp(lvl, "debug"))
		kw_log_set_level(KW_LOG_DEBUG);
	else if (lvl && !strcmp(lvl, "warn"))
		kw_log_set_level(KW_LOG_WARN);
	else if (lvl && !strcmp(lvl, "error"))
		kw_log_set_level(KW_LOG_ERROR);

	if (sodium_init() < 0) {
		log_error("libsodium failed to initialise");
		return 1;
	}
	const char *problem = route_table_problem(routes, routes_count);
	if (!problem)
		problem = openapi_problem(routes, routes_count, api_spec());
	if (problem) {
		log_error("route table: %s", problem);
		return 1;
	}
	static struct server_cfg cfg;
	cfg.conninfo = getenv("KAOWU_DB") ? getenv("KAOWU_DB") : "";
	cfg.max_body = env_size("KAOWU_MAX_BODY", 20u * 1024 * 1024);
	cfg.expected_schema = KW_SCHEMA_VERSION;
	server_cfg = &cfg;

	if (socket_path)
		return server_run_master(socket_path, workers, pidfile);
	if (!FCGX_IsCGI())
		return server_run_worker(0);
	return server_run_cgi();
}
