/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Benchmark driver: opens and closes real PAM sessions, each in a child
 * process as sshd does, and prints one line per session:
 *   open_us close_us helper_maxrss_kib
 *
 *   bench_driver CONFDIR SERVICE USER COUNT [PARALLEL]
 *   bench_driver --loop CONFDIR SERVICE USER COUNT
 *     (--loop: all sessions in this one process; prints fds and VmRSS
 *      before and after, to show what the caller keeps)
 *
 * BENCH_BALLAST_MIB=N in the environment: each session's process first maps
 * and touches N MiB, as an sshd session process has its own mapped, so that
 * the cost of starting a child from a large caller shows.
 */
#define _GNU_SOURCE
#include <security/pam_appl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proc_status.h"
#include "util.h"

static int no_conv(int n, const struct pam_message **m, struct pam_response **r, void *d)
{
	(void)n, (void)m, (void)r, (void)d;
	return PAM_CONV_ERR;
}

/* One session: returns 0 and the two durations, or -1. */
static int one_session(const char *confdir, const char *service, const char *user,
		       long long *open_us, long long *close_us)
{
	struct pam_conv conv = { no_conv, NULL };
	pam_handle_t *pamh = NULL;
	long long t0, t1, t2;
	int r;

	if (pam_start_confdir(service, user, &conv, confdir, &pamh) != PAM_SUCCESS)
		return -1;
	t0 = (long long)monotonic_us();
	r = pam_open_session(pamh, 0);
	t1 = (long long)monotonic_us();
	if (r == PAM_SUCCESS)
		r = pam_close_session(pamh, 0);
	t2 = (long long)monotonic_us();
	pam_end(pamh, r);
	*open_us = t1 - t0;
	*close_us = t2 - t1;
	return r == PAM_SUCCESS ? 0 : -1;
}

/* The BENCH_BALLAST_MIB pages, mapped and touched; 0 or -1. */
static int take_ballast(void)
{
	const char *v = getenv("BENCH_BALLAST_MIB");
	size_t len = v ? (size_t)strtoul(v, NULL, 10) << 20 : 0;
	char *p;

	if (len == 0)
		return 0;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	memset(p, 0x5a, len);
	return 0;
}

static int loop_mode(char **argv)
{
	int n = atoi(argv[5]), fails = 0;
	int fds0, fds1;
	long rss0, rss1;
	long long o, c;

	/* Warm up once so that libraries and caches are loaded. */
	(void)one_session(argv[2], argv[3], argv[4], &o, &c);
	fds0 = self_fd_count();
	rss0 = proc_status_kib(0, "VmRSS");
	for (int i = 0; i < n; i++)
		fails += one_session(argv[2], argv[3], argv[4], &o, &c) < 0;
	fds1 = self_fd_count();
	rss1 = proc_status_kib(0, "VmRSS");
	printf("fds %d %d rss %ld %ld failures %d\n", fds0, fds1, rss0, rss1, fails);
	return 0;
}

int main(int argc, char **argv)
{
	int n, parallel = 1, failures = 0;

	if (argc >= 6 && strcmp(argv[1], "--loop") == 0)
		return loop_mode(argv);
	if (argc < 5) {
		fprintf(stderr, "usage: bench_driver CONFDIR SERVICE USER COUNT [PARALLEL]\n");
		return 2;
	}
	n = atoi(argv[4]);
	if (argc > 5)
		parallel = atoi(argv[5]);
	for (int done = 0; done < n; done += parallel) {
		int batch = n - done < parallel ? n - done : parallel;
		int pipes[64][2];

		for (int i = 0; i < batch && i < 64; i++) {
			if (pipe(pipes[i]) < 0)
				return 1;
			if (fork() == 0) {
				struct rusage ru;
				long long o = 0, c = 0;
				char buf[128];
				int r = take_ballast() < 0 ? -1 :
					one_session(argv[1], argv[2], argv[3], &o, &c);
				int len;

				getrusage(RUSAGE_CHILDREN, &ru);
				len = snprintf(buf, sizeof(buf), "%lld %lld %ld %d\n", o, c,
					       ru.ru_maxrss, r);
				_exit(write(pipes[i][1], buf, (size_t)len) == len ? 0 : 1);
			}
			close(pipes[i][1]);
		}
		for (int i = 0; i < batch && i < 64; i++) {
			char buf[128] = { 0 };
			long long o, c;
			long rss;
			int r;

			ssize_t got = read(pipes[i][0], buf, sizeof(buf) - 1);

			close(pipes[i][0]);
			if (got > 0 && sscanf(buf, "%lld %lld %ld %d", &o, &c, &rss, &r) == 4 && r == 0)
				printf("%lld %lld %ld\n", o, c, rss);
			else
				failures++;
		}
		while (wait(NULL) > 0)
			;
	}
	if (failures)
		printf("failures %d\n", failures);
	return 0;
}
