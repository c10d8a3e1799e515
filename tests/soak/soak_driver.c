/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Soak driver (tests/soak/run.sh, `make soak`): many logins through the real
 * module, by several workers at once, while faults are injected.
 *
 *   soak_driver [options] CONFDIR RUNTIME_DIR OUTDIR
 *
 * Every worker is an injector with one caller below it.  A caller is either
 * forked for one login, as sshd forks per connection, or long-lived, running
 * many logins in one process and counting its fds after each.  The caller
 * marks each phase of a login on a pipe (open begins, open ended, close
 * begins, close ended); the injector uses the marks to SIGKILL, at a random
 * point of the phase it aims at, the caller, the helper (the caller's child),
 * a child of the helper (plan, registry or tree child, or a holder not yet
 * handed its entry), or a holder that our registry names.  Processes are
 * found from our own callers and our own registry, never by name, and
 * signalled through pidfds.
 *
 * This process is a child subreaper: orphans (helpers of killed callers,
 * holders, session processes) come to it and it reaps them.  When the
 * workers are done it runs sweep logins until the registry and the pending
 * records are empty (a bounded number), then waits for its last child.
 *
 * OUTDIR gets results.N (one line per login of worker N) and summary.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <sched.h>
#include <security/pam_appl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "proc_status.h"
#include "util.h"

#define MAX_LIST 8
#define MAX_WORKERS 32
#define MAX_KIDS 64
#define HANG_US (60LL * 1000 * 1000) /* a login that takes this long hangs */
#define RETRY_US 150                 /* looking again for a process to kill */
#define MAX_SWEEPS 400
#define LAST_CHILD_WAIT_MS 10000

enum fault {
	F_NONE,
	F_CALLER_OPEN,	  /* the caller, during pam_open_session */
	F_CALLER_SESSION, /* the caller, between open and close: never closed */
	F_CALLER_CLOSE,	  /* the caller, during pam_close_session */
	F_HELPER_OPEN,	  /* the open helper, anywhere in its life */
	F_HELPER_CLOSE,	  /* the close helper */
	F_HELPER_CHILD,	  /* a child of either helper */
	F_HOLDER,	  /* a holder our registry names */
	F_COUNT
};

static const char *const fault_name[F_COUNT] = {
	"none", "caller-open", "caller-session", "caller-close",
	"helper-open", "helper-close", "helper-child", "holder",
};

struct options {
	const char *confdir, *runtime_dir, *outdir;
	const char *services[MAX_LIST], *users[MAX_LIST], *sweep[MAX_LIST];
	int n_services, n_users, n_sweep;
	long logins;
	int workers, long_lived;
	unsigned long long seed;
	int fault_percent, bg_percent;
	long hold_max_us;
};

static struct options opt = {
	.logins = 1000, .workers = 4, .long_lived = 1, .seed = 1,
	.fault_percent = 30, .bg_percent = 10, .hold_max_us = 3000,
};

/* One login, as the worker tells its caller. */
struct cmd {
	uint32_t id;
	uint16_t service, user;
	uint32_t hold_us, bg_ms;
};

/*
 * What a caller says on its marks pipe: 'O' open begins, 'o' open ended
 * (code: PAM result; value: 1 if a failed open left our namespaces changed),
 * 'B' a session process started (value: its pid), 'C' close begins, 'c'
 * close ended (value: 1 if our children's pid namespace was not given back),
 * 'D' done (long-lived: value is our fd count after the login).
 */
struct mark {
	char phase;
	int32_t code, value;
};

static void sleep_us(long long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static uint64_t next_random(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static long below(uint64_t *s, long n)
{
	return n <= 0 ? 0 : (long)(next_random(s) % (uint64_t)n);
}

static int pidfd_open(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

static int pidfd_kill(int pidfd)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
}

/* ---- the caller ---- */

static int no_conv(int n, const struct pam_message **m, struct pam_response **r, void *d)
{
	(void)n;
	(void)m;
	(void)r;
	(void)d;
	return PAM_CONV_ERR;
}

static const char *const ns_names[] = { "mnt", "ipc", "uts", "net", "cgroup",
					"pid", "pid_for_children", "time" };
#define N_NS (sizeof(ns_names) / sizeof(ns_names[0]))
#define PID_FOR_CHILDREN 6

struct ns_view {
	char link[N_NS][64];
};

/*
 * Our namespaces, read through proc_fd: a /proc opened before the login (a
 * session's pid namespace mounts a /proc of its own, in which we are not).
 */
static void ns_read(int proc_fd, struct ns_view *v)
{
	for (size_t i = 0; i < N_NS; i++) {
		char path[64];
		ssize_t n;

		(void)snprintf(path, sizeof(path), "self/ns/%s", ns_names[i]);
		n = readlinkat(proc_fd, path, v->link[i], sizeof(v->link[i]) - 1);
		v->link[i][n < 0 ? 0 : n] = '\0';
	}
}

static bool ns_same(const struct ns_view *a, const struct ns_view *b)
{
	for (size_t i = 0; i < N_NS; i++)
		if (strcmp(a->link[i], b->link[i]) != 0)
			return false;
	return true;
}

static void mark(int fd, char phase, int code, int value)
{
	struct mark m = { phase, code, value };

	if (fd >= 0 && write(fd, &m, sizeof(m)) != (ssize_t)sizeof(m))
		_exit(3);
}

/* A process of the session that outlives it for a while (its tmpdirs are kept). */
static pid_t session_process(unsigned int ms)
{
	pid_t pid = fork();

	if (pid == 0) {
		(void)syscall(SYS_close_range, 0, ~0U, 0);
		sleep_us(ms * 1000LL);
		_exit(0);
	}
	return pid;
}

/* One login: open, a session of hold_us (maybe with a process that outlives it), close. */
static void login(const char *service, const char *user, const struct cmd *c,
		  const char *ident, int marks)
{
	struct pam_conv conv = { no_conv, NULL };
	pam_handle_t *pamh = NULL;
	struct ns_view before, after;
	int proc_fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int r;

	if (proc_fd < 0)
		_exit(6);
	openlog(ident, LOG_PID, LOG_AUTHPRIV);
	ns_read(proc_fd, &before);
	mark(marks, 'O', 0, 0);
	r = pam_start_confdir(service, user, &conv, opt.confdir, &pamh);
	if (r == PAM_SUCCESS)
		r = pam_open_session(pamh, 0);
	if (r != PAM_SUCCESS) {
		ns_read(proc_fd, &after);
		mark(marks, 'o', r, !ns_same(&before, &after));
		if (pamh)
			(void)pam_end(pamh, r);
		(void)close(proc_fd);
		return;
	}
	mark(marks, 'o', r, 0);
	if (c->bg_ms) {
		pid_t bg = session_process(c->bg_ms);

		if (bg > 0)
			mark(marks, 'B', 0, bg);
	}
	if (c->hold_us)
		sleep_us(c->hold_us);
	mark(marks, 'C', 0, 0);
	r = pam_close_session(pamh, 0);
	ns_read(proc_fd, &after);
	mark(marks, 'c', r,
	     strcmp(after.link[PID_FOR_CHILDREN], before.link[PID_FOR_CHILDREN]) != 0);
	(void)pam_end(pamh, r);
	(void)close(proc_fd);
}

/*
 * A long-lived caller: logins as the worker sends them, one after another in
 * this process.  After each it goes back to the namespaces it started in
 * (as a daemon that opens sessions for others must) and reports its fds.
 */
static __attribute__((noreturn)) void long_lived_caller(int cmds, int marks)
{
	static const int types[] = { CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWNET };
	int orig[4];
	struct cmd c;

	for (size_t i = 0; i < 4; i++) {
		char path[64];

		(void)snprintf(path, sizeof(path), "/proc/self/ns/%s", ns_names[i]);
		orig[i] = open(path, O_RDONLY | O_CLOEXEC);
		if (orig[i] < 0)
			_exit(4);
	}
	while (read(cmds, &c, sizeof(c)) == (ssize_t)sizeof(c)) {
		char ident[32];

		(void)snprintf(ident, sizeof(ident), "soak-%u", c.id);
		login(opt.services[c.service], opt.users[c.user], &c, ident, marks);
		closelog();
		for (size_t i = 0; i < 4; i++)
			if (setns(orig[i], types[i]) < 0)
				_exit(5);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		mark(marks, 'D', 0, self_fd_count());
	}
	_exit(0);
}

/* ---- the injector ---- */

/* pids listed in /proc/PID/task/PID/children; their number. */
static int children_of(pid_t pid, pid_t *out, int max)
{
	char path[64], buf[1024], *p, *end;
	int fd, n = 0;
	ssize_t len;

	(void)snprintf(path, sizeof(path), "/proc/%d/task/%d/children", pid, pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	len = read(fd, buf, sizeof(buf) - 1);
	(void)close(fd);
	buf[len < 0 ? 0 : len] = '\0';
	for (p = buf; n < max; p = end) {
		long v = strtol(p, &end, 10);

		if (end == p)
			break;
		out[n++] = (pid_t)v;
	}
	return n;
}

static bool is_child(pid_t parent, pid_t pid)
{
	pid_t kids[MAX_KIDS];
	int n = children_of(parent, kids, MAX_KIDS);

	for (int i = 0; i < n; i++)
		if (kids[i] == pid)
			return true;
	return false;
}

/* SIGKILL pid if it is (still) parent's child, through a pidfd.  true if sent. */
static bool kill_child(pid_t parent, pid_t pid)
{
	int fd = pidfd_open(pid);
	bool sent = false;

	if (fd < 0)
		return false;
	/* The pidfd names one process: if pid is parent's child now, it is that one. */
	if (is_child(parent, pid))
		sent = pidfd_kill(fd) == 0;
	(void)close(fd);
	return sent;
}

/* Field 22 of /proc/PID/stat (the start time), or 0. */
static unsigned long long start_time(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	int fd;
	ssize_t n;

	(void)snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	(void)close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	p = strrchr(buf, ')');
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (p)
		start = strtoull(p + 1, NULL, 10);
	return start;
}

/* The holders our registry names (holder.PID.START facts): their number. */
static int registry_holders(pid_t *pid, unsigned long long *start, int max)
{
	char path[4096];
	struct dirent *de;
	DIR *d;
	int n = 0;

	(void)snprintf(path, sizeof(path), "%s/shared", opt.runtime_dir);
	d = opendir(path);
	if (!d)
		return 0;
	while (n < max && (de = readdir(d))) {
		struct dirent *fe;
		DIR *e;

		if (strchr(de->d_name, '.'))
			continue; /* ".", "..", pidns.*, KEY.lock, KEY.new, KEY.dead */
		(void)snprintf(path, sizeof(path), "%s/shared/%s", opt.runtime_dir, de->d_name);
		e = opendir(path);
		while (e && n < max && (fe = readdir(e)))
			if (sscanf(fe->d_name, "holder.%d.%llu", &pid[n], &start[n]) == 2)
				n++;
		if (e)
			(void)closedir(e);
	}
	(void)closedir(d);
	return n;
}

/* A random holder of our registry, if it is still the process recorded. */
static bool kill_holder(uint64_t *rng)
{
	pid_t pid[MAX_KIDS];
	unsigned long long start[MAX_KIDS];
	int n = registry_holders(pid, start, MAX_KIDS), i, fd;
	bool sent = false;

	if (n == 0)
		return false;
	i = (int)below(rng, n);
	fd = pidfd_open(pid[i]);
	if (fd < 0)
		return false;
	if (start_time(pid[i]) == start[i])
		sent = pidfd_kill(fd) == 0;
	(void)close(fd);
	return sent;
}

struct worker {
	int id;
	bool long_lived;
	uint64_t rng;
	FILE *out;
	pid_t caller; /* long-lived: the caller; forked: this login's */
	int pidfd, marks, cmds;
	int caller_status; /* wait status of the last caller that ended */
	long long avg_open_us, avg_close_us;
};

/* What one login came to, for its line in results.N. */
struct outcome {
	const struct cmd *cmd;
	enum fault fault;
	char target, end;   /* the marks that start and end the phase aimed at */
	bool sent;	    /* the fault's SIGKILL was sent */
	char last;	    /* the last mark seen */
	int open, close;    /* PAM results, -1 if not reached */
	int failopen, pidns_kept, fds;
	pid_t bg;
	long long t_open, t_close; /* when the marks came */
	long long open_us, close_us;
	bool hang, eof;
};

/*
 * The fault, now: true once it is done with (sent, or nothing to aim at),
 * false to look again a moment later (the helper not started yet).
 */
static bool inject(struct worker *w, struct outcome *o)
{
	pid_t kids[MAX_KIDS], helper = 0, grand[MAX_KIDS];
	int n, g;

	switch (o->fault) {
	case F_CALLER_OPEN:
	case F_CALLER_SESSION:
	case F_CALLER_CLOSE:
		o->sent = pidfd_kill(w->pidfd) == 0;
		return true;
	case F_HOLDER:
		o->sent = kill_holder(&w->rng);
		return true;
	default:
		break;
	}
	/* The caller's child that is not the session's own process: the helper. */
	n = children_of(w->caller, kids, MAX_KIDS);
	for (int i = 0; i < n && !helper; i++)
		if (kids[i] != o->bg)
			helper = kids[i];
	if (!helper)
		return false;
	if (o->fault != F_HELPER_CHILD) {
		o->sent = kill_child(w->caller, helper);
		return o->sent;
	}
	g = children_of(helper, grand, MAX_KIDS);
	if (g == 0)
		return false;
	o->sent = kill_child(helper, grand[below(&w->rng, g)]);
	return o->sent;
}

static void start_forked(struct worker *w, const struct cmd *c)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0) {
		perror("pipe2");
		exit(1);
	}
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	if (pid == 0) {
		char ident[32];

		(void)close(p[0]);
		(void)snprintf(ident, sizeof(ident), "soak-%u", c->id);
		login(opt.services[c->service], opt.users[c->user], c, ident, p[1]);
		_exit(0);
	}
	(void)close(p[1]);
	w->caller = pid;
	w->marks = p[0];
	w->pidfd = pidfd_open(pid);
	if (w->pidfd < 0) {
		perror("pidfd_open");
		exit(1);
	}
}

static void start_long_lived(struct worker *w)
{
	int m[2], c[2];
	pid_t pid;

	if (pipe2(m, O_CLOEXEC) < 0 || pipe2(c, O_CLOEXEC) < 0) {
		perror("pipe2");
		exit(1);
	}
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	if (pid == 0) {
		(void)close(m[0]);
		(void)close(c[1]);
		long_lived_caller(c[0], m[1]);
	}
	(void)close(m[1]);
	(void)close(c[0]);
	w->caller = pid;
	w->marks = m[0];
	w->cmds = c[1];
	w->pidfd = pidfd_open(pid);
	if (w->pidfd < 0) {
		perror("pidfd_open");
		exit(1);
	}
}

static void end_caller(struct worker *w)
{
	(void)close(w->marks);
	(void)close(w->pidfd);
	if (w->long_lived)
		(void)close(w->cmds);
	w->caller_status = 0;
	(void)waitpid(w->caller, &w->caller_status, 0);
	w->caller = -1;
}

/* A running average of how long a phase takes, to aim faults inside it. */
static void average(long long *avg, long long us)
{
	*avg = *avg ? (*avg * 7 + us) / 8 : us;
}

static void on_mark(struct worker *w, struct outcome *o, const struct mark *m, long long now)
{
	o->last = m->phase;
	switch (m->phase) {
	case 'O':
		o->t_open = now;
		break;
	case 'o':
		o->open = m->code;
		o->failopen = m->value;
		o->open_us = now - o->t_open;
		if (m->code == PAM_SUCCESS)
			average(&w->avg_open_us, o->open_us);
		break;
	case 'B':
		o->bg = m->value;
		break;
	case 'C':
		o->t_close = now;
		break;
	case 'c':
		o->close = m->code;
		o->pidns_kept = m->value;
		o->close_us = now - o->t_close;
		average(&w->avg_close_us, o->close_us);
		break;
	case 'D':
		o->fds = m->value;
		break;
	default:
		break;
	}
}

/* When to strike: uniform over about the usual length of the phase aimed at. */
static long long aim(struct worker *w, const struct outcome *o)
{
	long long span = o->target == 'o' ? o->cmd->hold_us
			 : o->target == 'C' ? w->avg_close_us * 5 / 4
					    : w->avg_open_us * 5 / 4;

	return (long long)monotonic_us() + below(&w->rng, span + 1);
}

/* The phase each fault aims at: the marks that start and end it. */
static void aim_phase(struct worker *w, struct outcome *o)
{
	static const char start[F_COUNT] = { 0, 'O', 'o', 'C', 'O', 'C', 0, 'O' };
	static const char end[F_COUNT] = { 0, 'o', 'C', 'c', 'o', 'c', 0, 'o' };

	o->target = start[o->fault];
	o->end = end[o->fault];
	if (o->fault == F_HELPER_CHILD) {
		bool at_open = below(&w->rng, 2);

		o->target = at_open ? 'O' : 'C';
		o->end = at_open ? 'o' : 'c';
	}
}

/*
 * Drive one login to its end, injecting o->fault inside the phase it aims
 * at (a phase that ends first means the fault missed).  The login ends with
 * the forked caller (end of file on its marks), or with the long-lived
 * caller's 'D'.
 */
static void drive(struct worker *w, struct outcome *o)
{
	long long deadline = (long long)monotonic_us() + HANG_US, strike = 0;
	bool pending = o->fault != F_NONE;

	aim_phase(w, o);
	for (;;) {
		struct pollfd p = { .fd = w->marks, .events = POLLIN };
		long long now = (long long)monotonic_us(), until = strike ? strike : deadline;
		struct timespec ts = { 0, 0 };
		struct mark m;
		ssize_t n;
		int r;

		if (until > now)
			ts = (struct timespec){ (until - now) / 1000000,
						((until - now) % 1000000) * 1000 };
		r = ppoll(&p, 1, &ts, NULL);
		now = (long long)monotonic_us();
		if (r < 0 && errno != EINTR) {
			perror("ppoll");
			exit(1);
		}
		if (r == 0 && strike) {
			strike = 0;
			if (inject(w, o))
				pending = false;
			else
				strike = now + RETRY_US;
			continue;
		}
		if (r == 0 && now >= deadline) {
			o->hang = true;
			(void)pidfd_kill(w->pidfd);
			deadline = now + HANG_US;
			continue;
		}
		if (r <= 0)
			continue;
		n = read(w->marks, &m, sizeof(m));
		if (n == 0) {
			o->eof = true; /* the caller is gone */
			return;
		}
		if (n != (ssize_t)sizeof(m)) {
			(void)fprintf(stderr, "worker %d: short read on the marks pipe\n", w->id);
			exit(1);
		}
		on_mark(w, o, &m, now);
		if (pending && o->target == 'O' && o->fault == F_HOLDER)
			strike = now; /* a holder: any time */
		else if (pending && m.phase == o->target)
			strike = aim(w, o);
		else if (pending && (m.phase == o->end || (m.phase == 'o' && m.code != PAM_SUCCESS)))
			pending = false, strike = 0; /* the phase is over, or never comes */
		if (m.phase == 'D')
			return;
	}
}

/* Where a killed caller died: the phase of its last mark. */
static const char *phase_name(char last)
{
	switch (last) {
	case 'O': return "open";
	case 'o':
	case 'B': return "session";
	case 'C': return "close";
	case 'c': return "end";
	default: return "start";
	}
}

static void report(const struct worker *w, const struct outcome *o)
{
	bool killed = WIFSIGNALED(w->caller_status) && WTERMSIG(w->caller_status) == SIGKILL;

	(void)fprintf(w->out,
		      "id=%u worker=%d mode=%s service=%s user=%s fault=%s sent=%d "
		      "caller_killed=%d died_in=%s open=%d close=%d failopen=%d pidns_kept=%d "
		      "fds=%d hang=%d open_us=%lld close_us=%lld bg_ms=%u\n",
		      o->cmd->id, w->id, w->long_lived ? "long" : "forked",
		      opt.services[o->cmd->service], opt.users[o->cmd->user],
		      fault_name[o->fault], o->sent, killed, killed ? phase_name(o->last) : "-",
		      o->open, o->close, o->failopen, o->pidns_kept, o->fds, o->hang,
		      o->open_us, o->close_us, o->cmd->bg_ms);
}

static enum fault pick_fault(struct worker *w)
{
	static const enum fault long_lived_faults[] = { F_HELPER_OPEN, F_HELPER_CLOSE,
							F_HELPER_CHILD, F_HOLDER };

	if (below(&w->rng, 100) >= opt.fault_percent)
		return F_NONE;
	if (w->long_lived)
		return long_lived_faults[below(&w->rng, 4)];
	return (enum fault)(1 + below(&w->rng, F_COUNT - 1));
}

/*
 * Sets that still count a session of pid (session.PID.* records): for the
 * long-lived caller after its last login, those its failed sessions left
 * counted (SECURITY.md, known limits).
 */
static int sets_counting(pid_t pid)
{
	char path[4096], prefix[32];
	struct dirent *de;
	DIR *d;
	int n = 0;

	(void)snprintf(prefix, sizeof(prefix), "session.%d.", pid);
	(void)snprintf(path, sizeof(path), "%s/shared", opt.runtime_dir);
	d = opendir(path);
	while (d && (de = readdir(d))) {
		struct dirent *fe;
		DIR *e;

		if (strchr(de->d_name, '.'))
			continue;
		(void)snprintf(path, sizeof(path), "%s/shared/%s", opt.runtime_dir, de->d_name);
		e = opendir(path);
		while (e && (fe = readdir(e)))
			if (strncmp(fe->d_name, prefix, strlen(prefix)) == 0) {
				n++;
				break;
			}
		if (e)
			(void)closedir(e);
	}
	if (d)
		(void)closedir(d);
	return n;
}

static __attribute__((noreturn)) void worker_main(int id)
{
	struct worker w = { .id = id, .long_lived = id < opt.long_lived, .caller = -1 };
	char path[4096];
	sigset_t none;

	(void)sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	w.rng = opt.seed * 0x9E3779B97F4A7C15ULL + (uint64_t)id + 1;
	for (int i = 0; i < 8; i++)
		(void)next_random(&w.rng);
	(void)snprintf(path, sizeof(path), "%s/results.%d", opt.outdir, id);
	w.out = fopen(path, "we");
	if (!w.out) {
		perror(path);
		exit(1);
	}
	for (long i = id; i < opt.logins; i += opt.workers) {
		struct cmd c = {
			.id = (uint32_t)i,
			.service = (uint16_t)below(&w.rng, opt.n_services),
			.user = (uint16_t)below(&w.rng, opt.n_users),
			.hold_us = (uint32_t)below(&w.rng, opt.hold_max_us),
		};
		struct outcome o = { .cmd = &c, .open = -1, .close = -1, .fds = -1 };

		if (!w.long_lived && below(&w.rng, 100) < opt.bg_percent)
			c.bg_ms = (uint32_t)(1 + below(&w.rng, 200));
		o.fault = pick_fault(&w);
		w.caller_status = 0;
		if (w.long_lived) {
			if (w.caller < 0)
				start_long_lived(&w);
			if (write(w.cmds, &c, sizeof(c)) != (ssize_t)sizeof(c))
				o.eof = true;
			else
				drive(&w, &o);
			if (o.eof || o.hang)
				end_caller(&w); /* the next login starts a new one */
		} else {
			start_forked(&w, &c);
			drive(&w, &o);
			end_caller(&w);
		}
		report(&w, &o);
	}
	if (w.caller >= 0) {
		(void)fprintf(w.out, "long_lived_caller=%d sets_left_counted=%d\n", w.caller,
			      sets_counting(w.caller));
		end_caller(&w);
	}
	(void)fclose(w.out);
	exit(0);
}

/* ---- the subreaper ---- */

/* What this process reaped that was not its own child: by name, for the summary. */
struct reaped {
	long holders, helpers, session_processes, others;
};

static void comm_of(pid_t pid, char *buf, size_t len)
{
	char path[64];
	int fd;
	ssize_t n;

	(void)snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, buf, len - 1);
	if (fd >= 0)
		(void)close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

/*
 * Reap every child that has ended.  own[] are the children we started
 * (workers, sweep callers): each one reaped is set to 0 there.
 */
static void reap(struct reaped *r, pid_t *own, int n_own)
{
	for (;;) {
		siginfo_t si = { 0 };
		bool mine = false;
		char comm[32];

		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) < 0 || si.si_pid == 0)
			return;
		comm_of(si.si_pid, comm, sizeof(comm));
		(void)waitpid(si.si_pid, NULL, 0);
		for (int i = 0; i < n_own; i++)
			if (own[i] == si.si_pid)
				own[i] = 0, mine = true;
		if (mine)
			continue;
		if (strcmp(comm, "polyns-holder") == 0)
			r->holders++;
		else if (strcmp(comm, "polyns-helper") == 0)
			r->helpers++;
		else if (strcmp(comm, "soak_driver") == 0)
			r->session_processes++;
		else
			r->others++;
	}
}

/* Wait for SIGCHLD (blocked) for at most ms. */
static void wait_child_event(long ms)
{
	sigset_t chld;
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	(void)sigemptyset(&chld);
	(void)sigaddset(&chld, SIGCHLD);
	(void)sigtimedwait(&chld, NULL, &ts);
}

/* Names in RUNTIME_DIR/NAME but "pidns.*" (the registry's owner), each to out. */
static int leftovers(const char *name, FILE *out)
{
	char path[4096];
	struct dirent *de;
	DIR *d;
	int n = 0;

	(void)snprintf(path, sizeof(path), "%s/%s", opt.runtime_dir, name);
	d = opendir(path);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || strncmp(de->d_name, "pidns.", 6) == 0)
			continue;
		if (out)
			(void)fprintf(out, "left_%s=%s\n", name, de->d_name);
		n++;
	}
	(void)closedir(d);
	return n;
}

/* One login of ours without a fault: it releases stale sets and collects kept instances. */
static void sweep_login(int i, struct reaped *r)
{
	struct cmd c = { .id = (uint32_t)i };
	pid_t pid = fork();

	if (pid == 0) {
		char ident[32];
		sigset_t none;

		(void)sigemptyset(&none);
		(void)sigprocmask(SIG_SETMASK, &none, NULL);
		(void)snprintf(ident, sizeof(ident), "soak-sweep-%d", i);
		login(opt.sweep[i % opt.n_sweep], opt.users[0], &c, ident, -1);
		_exit(0);
	}
	while (pid > 0) {
		reap(r, &pid, 1);
		if (pid > 0)
			wait_child_event(1000);
	}
}

static void split(char *s, const char **list, int *n)
{
	for (char *tok = strtok(s, ","); tok && *n < MAX_LIST; tok = strtok(NULL, ","))
		list[(*n)++] = tok;
}

static void usage(void)
{
	(void)fprintf(stderr,
		      "usage: soak_driver [--logins N] [--workers W] [--long-lived L] [--seed S]\n"
		      "         [--fault-percent P] [--bg-percent P] [--hold-max-us US]\n"
		      "         --services A,B,.. --users A,B,.. --sweep A,B,..\n"
		      "         CONFDIR RUNTIME_DIR OUTDIR\n");
	exit(2);
}

static void parse(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "logins", required_argument, NULL, 'n' },
		{ "workers", required_argument, NULL, 'w' },
		{ "long-lived", required_argument, NULL, 'l' },
		{ "seed", required_argument, NULL, 's' },
		{ "fault-percent", required_argument, NULL, 'f' },
		{ "bg-percent", required_argument, NULL, 'b' },
		{ "hold-max-us", required_argument, NULL, 'h' },
		{ "services", required_argument, NULL, 'S' },
		{ "users", required_argument, NULL, 'U' },
		{ "sweep", required_argument, NULL, 'W' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (c) {
		case 'n': opt.logins = strtol(optarg, NULL, 10); break;
		case 'w': opt.workers = atoi(optarg); break;
		case 'l': opt.long_lived = atoi(optarg); break;
		case 's': opt.seed = strtoull(optarg, NULL, 10); break;
		case 'f': opt.fault_percent = atoi(optarg); break;
		case 'b': opt.bg_percent = atoi(optarg); break;
		case 'h': opt.hold_max_us = strtol(optarg, NULL, 10); break;
		case 'S': split(optarg, opt.services, &opt.n_services); break;
		case 'U': split(optarg, opt.users, &opt.n_users); break;
		case 'W': split(optarg, opt.sweep, &opt.n_sweep); break;
		default: usage();
		}
	}
	if (argc - optind != 3 || opt.n_services == 0 || opt.n_users == 0 ||
	    opt.n_sweep == 0 || opt.workers < 1 || opt.workers > MAX_WORKERS ||
	    opt.long_lived < 0 || opt.long_lived > opt.workers || opt.logins < 0)
		usage();
	opt.confdir = argv[optind];
	opt.runtime_dir = argv[optind + 1];
	opt.outdir = argv[optind + 2];
}

int main(int argc, char **argv)
{
	struct reaped r = { 0 };
	pid_t workers[MAX_WORKERS], kids[MAX_KIDS];
	int left = 0, sweeps = 0, children;
	long long t0 = (long long)monotonic_us(), t_workers;
	sigset_t chld;
	char path[4096];
	FILE *sum;

	parse(argc, argv);
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
		perror("PR_SET_CHILD_SUBREAPER");
		return 1;
	}
	(void)sigemptyset(&chld);
	(void)sigaddset(&chld, SIGCHLD);
	(void)sigprocmask(SIG_BLOCK, &chld, NULL);
	for (int i = 0; i < opt.workers; i++) {
		workers[i] = fork();
		if (workers[i] < 0) {
			perror("fork");
			return 1;
		}
		if (workers[i] == 0)
			worker_main(i);
	}
	do {
		reap(&r, workers, opt.workers);
		left = 0;
		for (int i = 0; i < opt.workers; i++)
			left += workers[i] != 0;
		if (left)
			wait_child_event(1000);
	} while (left);
	t_workers = (long long)monotonic_us();

	/*
	 * Stale sets go at the next login or close that uses the registry
	 * (every key up to 16, a sample beyond), kept instances at a later
	 * close once their mount namespace is empty: sweep until both are
	 * gone, waiting for a child to end when a sweep changed nothing (a
	 * session process still runs).
	 */
	for (int before = -1, now; sweeps < MAX_SWEEPS &&
	     (now = leftovers("shared", NULL) + leftovers("pending", NULL)) > 0; before = now) {
		if (now == before)
			wait_child_event(200);
		sweep_login(sweeps++, &r);
		reap(&r, NULL, 0);
	}
	/* Holders of released sets end with their entries: wait for the last child. */
	for (long long end = (long long)monotonic_us() + LAST_CHILD_WAIT_MS * 1000LL;;) {
		reap(&r, NULL, 0);
		children = children_of(getpid(), kids, MAX_KIDS);
		if (children == 0 || (long long)monotonic_us() >= end)
			break;
		wait_child_event((long)((end - (long long)monotonic_us()) / 1000) + 1);
	}

	(void)snprintf(path, sizeof(path), "%s/summary", opt.outdir);
	sum = fopen(path, "we");
	if (!sum) {
		perror(path);
		return 1;
	}
	(void)fprintf(sum, "logins_seconds=%.1f\nsweep_logins=%d\n",
		      (double)(t_workers - t0) / 1e6, sweeps);
	(void)fprintf(sum, "registry_left=%d\n", leftovers("shared", sum));
	(void)fprintf(sum, "pending_left=%d\n", leftovers("pending", sum));
	(void)fprintf(sum, "children_left=%d\nreaped_holders=%ld\nreaped_helpers=%ld\n"
		      "reaped_session_processes=%ld\nreaped_others=%ld\n",
		      children, r.holders, r.helpers, r.session_processes, r.others);
	for (int i = 0; i < children; i++) {
		char comm[32];

		comm_of(kids[i], comm, sizeof(comm));
		(void)fprintf(sum, "child_left=%d %s\n", kids[i], comm);
	}
	(void)fclose(sum);
	return 0;
}
