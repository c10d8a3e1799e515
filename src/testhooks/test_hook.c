/* SPDX-License-Identifier: BSD-3-Clause */
/* Test-only fault injection; see test_hook.h.  Not linked into the release helper. */
#define _GNU_SOURCE
#include "test_hook.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include <fcntl.h>
#include <linux/mount.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <linux/futex.h>
#include <stdint.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "channel.h"
#include "hlog.h"
#include "selinux_label.h"
#include "test_attack.h"
#include "wire.h"

#define HOOK_FILE "/run/polyns-test-hook"

static char hook_step[32];
static int *volatile hook_null;
static char hook_action[256];
static long hook_arg;
static uint32_t hook_futex;

void test_hook_load(void)
{
	char buf[300] = { 0 };
	const char *arg;
	int fd = open(HOOK_FILE, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	(void)close(fd);
	if (n <= 0 || sscanf(buf, "%31s %255s", hook_step, hook_action) != 2) {
		hook_step[0] = '\0';
		return;
	}
	/* "STEP ACTION ARG": the number after the action, for attack= (a uid or pid) */
	arg = strstr(buf, hook_action) + strlen(hook_action);
	hook_arg = strtol(arg, NULL, 10);
}

static void forbidden_syscall(const char *name)
{
	static char arg0[] = "true";
	static char *const argv[] = { arg0, NULL };

	if (strcmp(name, "execve") == 0)
		(void)execve("/bin/true", argv, argv + 1);
	else if (strcmp(name, "ptrace") == 0)
		(void)ptrace(PTRACE_TRACEME, 0, NULL, NULL);
	else if (strcmp(name, "socket") == 0)
		(void)socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	else if (strcmp(name, "open_by_handle_at") == 0)
		(void)syscall(SYS_open_by_handle_at, -1, NULL, O_RDONLY);
	else if (strcmp(name, "unshare_user") == 0)
		(void)unshare(CLONE_NEWUSER);
	else if (strcmp(name, "mount_bind") == 0)
		(void)mount("/", "/mnt", NULL, MS_BIND, NULL);
	else if (strcmp(name, "open_no_cloexec") == 0)
		(void)open("/etc/hostname", O_RDONLY);
	else if (strcmp(name, "open_for_writing") == 0)
		(void)open("/etc/hostname", O_WRONLY | O_CLOEXEC);
}

static void send_garbage(int sock)
{
	static const char junk[] = "not a polyns message";

	(void)send(sock, junk, sizeof(junk), MSG_NOSIGNAL);
}

/* A well-formed reply that attaches more fds than it declares. */
static void send_extra_fds(int sock)
{
	static struct wire_buf b;
	struct wire_reply reply = { .status = STATUS_OK };
	int fds[WIRE_MAX_FDS];
	int fd = openat(AT_FDCWD, "/proc/self/ns/net", O_RDONLY | O_CLOEXEC);

	for (size_t i = 0; i < WIRE_MAX_FDS; i++)
		fds[i] = fd;
	if (wire_encode_reply(&b, &reply) == 0)
		(void)channel_send(sock, &b, fds, WIRE_MAX_FDS);
}

/* Fake SELinux: fixed labels; "setting" one only logs it. */
static bool fake_enabled(void)
{
	return true;
}

static int fake_file_context(int fd, char **con)
{
	(void)fd;
	*con = strdup("system_u:object_r:tmp_t:s0");
	return *con ? 0 : -ENOMEM;
}

static int fake_compute_member(const char *scon, const char *tcon, char **out)
{
	/* "user:role:type:range" -> "user_u:object_r:user_tmp_t:range" */
	struct se_context c;
	bool split = se_context_split(scon, &c) == 0;
	const char *range = split ? c.part[SE_CONTEXT_RANGE] : NULL;
	int r = asprintf(out, "user_u:object_r:user_tmp_t:%s", range ? range : "s0");

	(void)tcon;
	if (split)
		se_context_free(&c);
	return r < 0 ? -ENOMEM : 0;
}

static int fake_set_file_context(int fd, const char *con)
{
	(void)fd;
	hlog(LOG_NOTICE, "test: label %s", con);
	return 0;
}

static const struct se_ops fake_ops = {
	fake_enabled, fake_file_context, fake_compute_member, fake_set_file_context,
};

void test_hook_selinux(const char **context)
{
	if (strcmp(hook_step, "request") != 0 || strncmp(hook_action, "selinux=", 8) != 0)
		return;
	se_set_ops(&fake_ops);
	*context = hook_action + 8;
}

void test_hook(const char *step, int sock)
{
	if (strcmp(step, hook_step) != 0)
		return;
	if (strcmp(hook_action, "kill") == 0)
		(void)raise(SIGKILL);
	else if (strcmp(hook_action, "crash") == 0)
		*(volatile int *)hook_null = 0; /* a real fault: no syscall needed */
	else if (strcmp(hook_action, "hang") == 0)
		for (;;) /* futex: allowed at every step in the test build only, for this */
			(void)syscall(SYS_futex, &hook_futex, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	else if (strcmp(hook_action, "garbage") == 0)
		send_garbage(sock);
	else if (strcmp(hook_action, "extra-fds") == 0)
		send_extra_fds(sock);
	else if (strcmp(hook_action, "exit") == 0)
		_exit(0);
	else if (strncmp(hook_action, "syscall=", 8) == 0)
		forbidden_syscall(hook_action + 8);
	else if (strncmp(hook_action, "attack=", 7) == 0)
		test_attack(hook_action + 7, hook_arg);
	else if (strncmp(hook_action, "log=", 4) == 0)
		for (long i = strtol(hook_action + 4, NULL, 10); i > 0; i--)
			hlog(LOG_NOTICE, "test: line %ld", i);
}
