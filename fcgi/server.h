/* server.h - pre-forking FastCGI master, its workers, and the CGI fallback. */
#ifndef KW_SERVER_H
#define KW_SERVER_H

/*
 * Listen on the unix socket path (or TCP "host:port" / ":port"), fork `workers` single-threaded
 * workers, respawn any that dies, and on SIGTERM/SIGINT stop them all and return 0.
 */
int server_run_master(const char *socket_path, int workers, const char *pidfile);

/* Serve FastCGI on an already listening fd (fd 0 when spawned by a web server). */
int server_run_worker(int listen_fd);

/* Serve exactly one CGI request from the environment and stdin to stdout. */
int server_run_cgi(void);

#endif
