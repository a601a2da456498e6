/* server.c - process model: master + pre-forked workers, one arena and one db connection each. */
#include "server.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "core/log.h"
#include "db/db.h"
#include "dispatch.h"

extern char **environ;

#define ARENA_BLOCK (64 * 1024)
#define MAX_WORKERS 256

/* ---- one worker ---- */

static volatile sig_atomic_t worker_stop;

static void on_worker_term(int sig)
{
	(void)sig;
	worker_stop = 1;
	FCGX_ShutdownPending();
}

static size_t fcgx_read(void *h, char *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		int chunk = n - got > (1 << 20) ? (1 << 20) : (int)(n - got);
		int k = FCGX_GetStr(buf + got, chunk, ((FCGX_Request *)h)->in);
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	return got;
}

static void fcgx_write(void *h, const char *p, size_t n)
{
	while (n) {
		int chunk = n > (1 << 20) ? (1 << 20) : (int)n;
		if (FCGX_PutStr(p, chunk, ((FCGX_Request *)h)->out) < 0)
			return;
		p += chunk;
		n -= (size_t)chunk;
	}
}

int server_run_worker(int listen_fd)
{
	struct sigaction sa = {.sa_handler = on_worker_term}; /* no SA_RESTART: accept returns */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (FCGX_Init() != 0) {
		log_error("FCGX_Init failed");
		return 1;
	}
	FCGX_Request req;
	if (FCGX_InitRequest(&req, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
		log_error("FCGX_InitRequest failed");
		return 1;
	}
	struct db *db = db_new(server_cfg->conninfo);
	db_ensure(db); /* connect early; failures are retried per request with backoff */
	const char *replica = getenv("KAOWU_DB_REPLICA");
	db_set_replica(db, replica);
	arena *a = arena_new(ARENA_BLOCK);
	struct http_io io = {.h = &req, .read = fcgx_read, .write = fcgx_write};

	while (!worker_stop) {
		if (FCGX_Accept_r(&req) < 0) {
			if (worker_stop)
				break;
			if (errno == EINTR)
				continue;
			log_error("accept failed: %s", strerror(errno));
			break;
		}
		http_handle(&io, req.envp, a, db);
		FCGX_Finish_r(&req);
		arena_reset(a);
	}
	if (replica && *replica) {
		unsigned long served, fallbacks;
		db_replica_counts(db, &served, &fallbacks);
		log_info("worker: the replica served %lu reads, %lu went to the primary", served,
			 fallbacks);
	}
	arena_free(a);
	db_close(db);
	return 0;
}

/* ---- CGI, for tests that run the binary directly ---- */

struct stdio_pair {
	FILE *in, *out;
};

static size_t stdio_read(void *h, char *buf, size_t n)
{
	return fread(buf, 1, n, ((struct stdio_pair *)h)->in);
}

static void stdio_write(void *h, const char *p, size_t n)
{
	fwrite(p, 1, n, ((struct stdio_pair *)h)->out);
}

int server_run_cgi(void)
{
	struct db *db = db_new(server_cfg->conninfo);
	arena *a = arena_new(ARENA_BLOCK);
	struct stdio_pair pair = {stdin, stdout};
	struct http_io io = {.h = &pair, .read = stdio_read, .write = stdio_write};
	http_handle(&io, environ, a, db);
	fflush(stdout);
	arena_free(a);
	db_close(db);
	return 0;
}

/* ---- master ---- */

static pid_t children[MAX_WORKERS];

static pid_t spawn(int listen_fd, const sigset_t *oldmask)
{
	pid_t pid = fork();
	if (pid < 0) {
		log_error("fork failed: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		signal(SIGCHLD, SIG_DFL);
		sigprocmask(SIG_SETMASK, oldmask, NULL);
		prctl(PR_SET_PDEATHSIG, SIGTERM); /* never outlive the master */
		if (getppid() == 1)
			_exit(0);
		_exit(server_run_worker(listen_fd));
	}
	return pid;
}

static void write_pidfile(const char *path)
{
	if (!path)
		return;
	FILE *f = fopen(path, "w");
	if (!f) {
		log_warn("cannot write pidfile %s: %s", path, strerror(errno));
		return;
	}
	fprintf(f, "%d\n", (int)getpid());
	fclose(f);
}

/* A listen address is TCP ("host:port" or ":port") when it has a colon and no slash. */
static int is_tcp_address(const char *addr)
{
	return strchr(addr, ':') && !strchr(addr, '/');
}

int server_run_master(const char *socket_path, int workers, const char *pidfile)
{
	if (workers < 1)
		workers = 1;
	if (workers > MAX_WORKERS)
		workers = MAX_WORKERS;
	if (FCGX_Init() != 0)
		return 1;
	int tcp = is_tcp_address(socket_path);
	/* A socket file left by a master that was killed would make bind fail. */
	if (!tcp)
		unlink(socket_path);
	int fd = FCGX_OpenSocket(socket_path, 1024);
	if (fd < 0) {
		log_error("cannot listen on %s: %s", socket_path, strerror(errno));
		return 1;
	}
	if (!tcp)
		chmod(socket_path, 0660);
	write_pidfile(pidfile);

	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, &old);

	for (int i = 0; i < workers; i++)
		children[i] = spawn(fd, &old);
	log_info("master: %d workers on %s", workers, socket_path);

	time_t window = time(NULL);
	int deaths = 0;
	int stopping = 0;
	while (!stopping) {
		siginfo_t si;
		struct timespec tick = {1, 0};
		int sig = sigtimedwait(&set, &si, &tick);
		if (sig == SIGTERM || sig == SIGINT) {
			stopping = 1;
			break;
		}
		/* Reap every dead child (SIGCHLD may coalesce), then refill the pool. */
		pid_t pid;
		int status;
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			for (int i = 0; i < workers; i++) {
				if (children[i] != pid)
					continue;
				children[i] = 0;
				if (WIFSIGNALED(status))
					log_warn("master: worker %d killed by signal %d", (int)pid,
						 WTERMSIG(status));
				else
					log_warn("master: worker %d exited with %d", (int)pid,
						 WEXITSTATUS(status));
				deaths++;
			}
		}
		if (time(NULL) - window >= 10) {
			window = time(NULL);
			deaths = 0;
		}
		if (deaths > 20) {
			/* A crash loop: slow down rather than fork as fast as we can. */
			struct timespec pause = {1, 0};
			nanosleep(&pause, NULL);
		}
		for (int i = 0; i < workers; i++)
			if (children[i] <= 0)
				children[i] = spawn(fd, &old);
	}

	log_info("master: stopping");
	for (int i = 0; i < workers; i++)
		if (children[i] > 0)
			kill(children[i], SIGTERM);
	/* Give requests in flight ten seconds, then insist. */
	for (int waited = 0; waited < 100; waited++) {
		int left = 0;
		for (int i = 0; i < workers; i++) {
			if (children[i] > 0 && waitpid(children[i], NULL, WNOHANG) == children[i])
				children[i] = 0;
			left += children[i] > 0;
		}
		if (!left)
			break;
		struct timespec pause = {0, 100 * 1000 * 1000};
		nanosleep(&pause, NULL);
	}
	for (int i = 0; i < workers; i++) {
		if (children[i] > 0) {
			kill(children[i], SIGKILL);
			waitpid(children[i], NULL, 0);
		}
	}
	close(fd);
	if (!tcp)
		unlink(socket_path);
	if (pidfile)
		unlink(pidfile);
	return 0;
}
