/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzz target: the module's side of a conversation, fed a stream of
 * datagrams with fds over a real socketpair: channel_recv() with 0 to 16
 * SCM_RIGHTS fds (as the module reads, up to WIRE_MAX_FDS, and as the helper
 * reads, none), converse.c's dispatch (log lines, the names query and its
 * answer, the close's live query, the reply and its fd count), join.c's
 * checks of the namespace fds (never the setns), what close_data.c keeps of
 * a reply and how it answers a live query, and inits.c's refusal of the
 * scripts a reply names (stubs of spawn.c and vspawn.c see to it that
 * nothing is ever executed).  After each input every fd received must be closed or handed
 * over, and every message the module sent back must decode.
 *
 * converse.c, join.c and close_data.c are included, not linked: their
 * dispatch and checks are static, and this reaches them without widening
 * the module's interface.  PAM is stubbed: pam_syslog formats into a buffer.
 *
 * Input: want mask byte, flags byte (1: mnt allowed beyond the mask, 2: a
 * close is under way (live queries answered from a fake /proc), 4: reply
 * namespace ids rewritten to those of the fds sent, 8: the first datagram
 * read as the helper reads its request), then datagrams: u16 length (little
 * endian), a byte of fds (count mod 17 in the low 5 bits, which fds in the
 * top 3), the bytes.  A header's length field is set to the datagram's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <selinux/selinux.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "converse.c"
#include "join.c"
#include "close_data.c"

#include "inits.h"
#include "vspawn.h"
#include "walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- PAM, stubbed ---- */

static struct pam_handle *const fake_pamh = (struct pam_handle *)&fake_pamh;
static unsigned long log_count;

void pam_syslog(const pam_handle_t *pamh, int priority, const char *fmt, ...)
{
	char line[4096];
	va_list ap;

	(void)pamh;
	(void)priority;
	va_start(ap, fmt);
	(void)vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_count += line[0] != '\0';
}

struct pam_slot {
	const char *name;
	void *data;
	void (*cleanup)(pam_handle_t *pamh, void *data, int error_status);
};
static struct pam_slot slots[4];

int pam_set_data(pam_handle_t *pamh, const char *name, void *data,
		 void (*cleanup)(pam_handle_t *pamh, void *data, int error_status))
{
	struct pam_slot *free_slot = NULL;

	for (size_t i = 0; i < ARRAY_SIZE(slots); i++) {
		if (slots[i].name && strcmp(slots[i].name, name) == 0) {
			if (slots[i].cleanup)
				slots[i].cleanup(pamh, slots[i].data, 0);
			slots[i] = (struct pam_slot){ name, data, cleanup };
			return PAM_SUCCESS;
		}
		if (!slots[i].name && !free_slot)
			free_slot = &slots[i];
	}
	if (!free_slot)
		return PAM_BUF_ERR;
	*free_slot = (struct pam_slot){ name, data, cleanup };
	return PAM_SUCCESS;
}

int pam_get_data(const pam_handle_t *pamh, const char *name, const void **data)
{
	(void)pamh;
	for (size_t i = 0; i < ARRAY_SIZE(slots); i++) {
		if (slots[i].name && strcmp(slots[i].name, name) == 0) {
			*data = slots[i].data;
			return PAM_SUCCESS;
		}
	}
	return PAM_NO_MODULE_DATA;
}

int pam_get_item(const pam_handle_t *pamh, int item_type, const void **item)
{
	(void)pamh;
	*item = item_type == PAM_USER ? "fuzz-user" : item_type == PAM_SERVICE ? "fuzz" : NULL;
	return PAM_SUCCESS;
}

/* A tiny user database: names starting with 'r' exist, groups with 'g'. */
struct passwd *pam_modutil_getpwnam(pam_handle_t *pamh, const char *user)
{
	static struct passwd pw;

	(void)pamh;
	if (user[0] != 'r')
		return NULL;
	pw = (struct passwd){ .pw_name = (char *)user, .pw_uid = (uid_t)strlen(user),
			      .pw_gid = 100, .pw_dir = (char *)"/" };
	return &pw;
}

struct group *pam_modutil_getgrnam(pam_handle_t *pamh, const char *group)
{
	static struct group gr;

	(void)pamh;
	if (group[0] != 'g')
		return NULL;
	gr = (struct group){ .gr_name = (char *)group, .gr_gid = (gid_t)strlen(group) };
	return &gr;
}

/* ---- spawn.c, stubbed: nothing here ever starts a process ---- */

int helper_reap(struct helper_proc *h, int kill_first)
{
	(void)kill_first;
	h->pid = -1;
	return 0;
}

int helper_spawn_in(const char *path, int mntns_fd, struct helper_proc *h,
		    struct spawn_fail *f)
{
	(void)path;
	(void)mntns_fd;
	(void)h;
	*f = (struct spawn_fail){ "fork", 0 };
	return -ENOSYS;
}

const char *spawn_describe(char *buf, size_t len, const char *path, int r,
			   const struct spawn_fail *f)
{
	(void)snprintf(buf, len, "%s: %s: %s", path, f->call ? f->call : "walk", strerror(-r));
	return buf;
}

/* The real walk of the script's path, but never a program to run. */
int trusted_exec_open(const char *path, size_t *failed_len)
{
	struct walk w;
	int r = walk_open(path, WALK_NO_SYMLINKS | WALK_ROOT_OWNED | WALK_REGULAR, 0, &w);

	*failed_len = w.failed_len;
	if (r < 0)
		return r;
	(void)close(w.fd);
	*failed_len = strlen(path);
	return -ENOEXEC;
}

int child_reset_process(bool selinux)
{
	(void)selinux;
	abort();
}

int child_reset_environment(mode_t mask)
{
	(void)mask;
	abort();
}

/* vspawn.c and libselinux, likewise: trusted_exec_open() above refuses every script. */
pid_t vspawn(int (*fn)(void *arg), void *arg, int *pidfd, const char **call)
{
	(void)fn;
	(void)arg;
	(void)pidfd;
	(void)call;
	abort();
}

int is_selinux_enabled(void)
{
	return 0;
}

/* ---- the fds the datagrams carry ---- */

#define MAX_POOL 8
#define MAX_SEND_FDS 16
#define MAX_DATAGRAMS 32

static int pool[MAX_POOL];
static size_t pool_n;
static int fake_proc = -1;
static char fake_proc_path[64];

/* Namespaces we are not in, of our own user namespace: what a helper sends. */
static void add_foreign_namespaces(void)
{
	static const char *const names[] = { "uts", "ipc", "net", "cgroup" };
	int ready[2], hold[2];
	pid_t pid;
	char c;

	if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(hold, O_CLOEXEC) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		(void)close(ready[0]);
		(void)close(hold[1]);
		c = unshare(CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWCGROUP) == 0;
		(void)!write(ready[1], &c, 1);
		(void)!read(hold[0], &c, 1);
		_exit(0);
	}
	if (pid > 0 && read(ready[0], &c, 1) == 1 && c) {
		for (size_t i = 0; i < ARRAY_SIZE(names) && pool_n < MAX_POOL; i++) {
			char path[64];
			int fd;

			(void)snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, names[i]);
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd >= 0)
				pool[pool_n++] = fd;
		}
	}
	(void)close(hold[1]); /* the child's read ends: it exits */
	if (pid > 0)
		(void)waitpid(pid, NULL, 0);
	(void)close(ready[0]);
	(void)close(ready[1]);
	(void)close(hold[0]);
}

static void remove_fake_proc(void)
{
	static const struct {
		const char *path;
		int flags;
	} made[] = {
		{ "1/ns/mnt", 0 }, { "2/ns/mnt", 0 }, { "1/ns", AT_REMOVEDIR }, { "2/ns", AT_REMOVEDIR },
		{ "1", AT_REMOVEDIR }, { "2", AT_REMOVEDIR }, { "3", AT_REMOVEDIR }, { "x", AT_REMOVEDIR },
	};

	for (size_t i = 0; i < ARRAY_SIZE(made); i++)
		(void)unlinkat(fake_proc, made[i].path, made[i].flags);
	(void)rmdir(fake_proc_path);
}

/* A /proc of four entries for the live query: two with a mount namespace. */
static void make_fake_proc(void)
{
	const char *tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";

	(void)snprintf(fake_proc_path, sizeof(fake_proc_path), "%s/polyns-fuzz-proc-XXXXXX", tmp);
	if (!mkdtemp(fake_proc_path))
		abort();
	fake_proc = open(fake_proc_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fake_proc < 0 || mkdirat(fake_proc, "1", 0755) < 0 ||
	    mkdirat(fake_proc, "1/ns", 0755) < 0 || mkdirat(fake_proc, "2", 0755) < 0 ||
	    mkdirat(fake_proc, "2/ns", 0755) < 0 || mkdirat(fake_proc, "3", 0755) < 0 ||
	    mkdirat(fake_proc, "x", 0755) < 0)
		abort();
	(void)close(openat(fake_proc, "1/ns/mnt", O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
	(void)close(openat(fake_proc, "2/ns/mnt", O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
	(void)atexit(remove_fake_proc);
}

static void setup(void)
{
	pool[pool_n++] = open("/dev/null", O_RDWR | O_CLOEXEC);
	pool[pool_n++] = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (pool[0] < 0 || pool[1] < 0)
		abort();
	add_foreign_namespaces();
	make_fake_proc();
}

/* The lowest free fd: an fd received and neither closed nor handed over moves it. */
static int lowest_free_fd(void)
{
	int fd = fcntl(pool[0], F_DUPFD_CLOEXEC, 0);

	if (fd >= 0)
		(void)close(fd);
	return fd;
}

/* ---- sending ---- */

static int send_with_fds(int sock, const uint8_t *msg, size_t len, const int *fds, size_t n)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * MAX_SEND_FDS)];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = (void *)msg, .iov_len = len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (n > 0) {
		struct cmsghdr *c;

		memset(&ctl, 0, sizeof(ctl));
		m.msg_control = ctl.buf;
		m.msg_controllen = CMSG_SPACE(sizeof(int) * n);
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * n);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
	}
	return sendmsg(sock, &m, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 ? -errno : 0;
}

/* The POLYNS_NS_* bit of an nsfs fd, or 0. */
static unsigned int ns_bit_of(int fd)
{
	int type = ioctl(fd, NS_GET_NSTYPE);

	for (unsigned int bit = 1; bit & POLYNS_NS_ALL; bit <<= 1)
		if (type > 0 && polyns_ns_clone_flag(bit) == type)
			return bit;
	return 0;
}

/* A reply whose namespace entries name the fds it carries (flag 4). */
static size_t fix_reply_ids(uint8_t *msg, size_t len, const int *fds, size_t n_fds)
{
	static struct wire_reply r;
	static struct wire_buf b;
	struct wire_reader rd;
	uint32_t type;

	if (wire_open(msg, len, &type, &rd) < 0 || type != MSG_REPLY ||
	    wire_decode_reply(&rd, &r) < 0)
		return len;
	for (uint32_t i = 0; i < r.n_ns && i < n_fds; i++) {
		struct stat st;
		unsigned int bit = ns_bit_of(fds[i]);

		if (fstat(fds[i], &st) < 0)
			continue;
		r.ns[i] = (struct wire_ns){ bit ? bit : r.ns[i].ns_bit, st.st_dev, st.st_ino };
	}
	if (wire_encode_reply(&b, &r) < 0 || b.len > WIRE_MAX_MSG)
		return len;
	memcpy(msg, b.data, b.len);
	return b.len;
}

/* Send the input's datagrams; 0, or -1 when the input is too short to say anything. */
static int send_all(int sock, const uint8_t *p, size_t left, bool fix_ids)
{
	static uint8_t msg[WIRE_MAX_MSG];

	for (int i = 0; i < MAX_DATAGRAMS && left >= 3; i++) {
		size_t len = (size_t)p[0] | (size_t)p[1] << 8, n_fds = (p[2] & 0x1f) % 17;
		size_t kind = p[2] >> 5;
		int fds[MAX_SEND_FDS];

		p += 3;
		left -= 3;
		if (len > left)
			len = left;
		memcpy(msg, p, len);
		p += len;
		left -= len;
		if (len >= 12) {
			uint32_t payload = (uint32_t)(len - 12);

			memcpy(msg + 8, &payload, sizeof(payload));
		}
		for (size_t j = 0; j < n_fds; j++)
			fds[j] = pool[(kind + j) % pool_n];
		if (fix_ids)
			len = fix_reply_ids(msg, len, fds, n_fds);
		if (send_with_fds(sock, msg, len, fds, n_fds) < 0)
			break;
	}
	return 0;
}

/* What the module sent back (names answers, live answers) must be well-formed. */
static void check_answers(int sock)
{
	static uint8_t msg[WIRE_MAX_MSG];
	static struct wire_answer a;
	static struct wire_live_answer la;
	ssize_t n;

	while ((n = recv(sock, msg, sizeof(msg), MSG_DONTWAIT)) > 0) {
		struct wire_reader rd;
		uint32_t type;

		if (wire_open(msg, (size_t)n, &type, &rd) < 0)
			__builtin_trap();
		if (type == MSG_NAMES_ANSWER ? wire_decode_answer(&rd, &a) < 0
		    : type == MSG_LIVE_ANSWER ? wire_decode_live_answer(&rd, &la) < 0
		    : true)
			__builtin_trap();
	}
}

/* ---- the module's side ---- */

/* A close under way: close data with a /proc to answer a live query from. */
static void begin_close(void)
{
	static const struct wire_reply none = { .registry = "" };
	const void *data = NULL;
	struct close_data *cd;

	if (close_data_store(fake_pamh, &none, -1, -1, -1) != PAM_SUCCESS ||
	    pam_get_data(fake_pamh, DATA_KEY, &data) != PAM_SUCCESS)
		abort();
	cd = (struct close_data *)data;
	cd->scan_fd = fake_proc;
	cd->answered = false;
}

static void after_reply(struct helper_result *res, unsigned int want, unsigned int extra)
{
	for (uint32_t i = 0; i < res->reply.n_ns; i++)
		if (fcntl(res->fds[i], F_GETFD) < 0)
			__builtin_trap(); /* the reply's fds are ours */
	if (verify(fake_pamh, res, want, extra) == 0 && res->reply.n_inits > 0)
		(void)run_inits(fake_pamh, &res->reply, "fuzz-user", 1);
	if (res->reply.n_tmpdirs || res->reply.n_polydirs || res->reply.registry[0]) {
		const void *data = NULL;
		const struct close_data *cd;

		if (close_data_store(fake_pamh, &res->reply, -1, -1, -1) != PAM_SUCCESS ||
		    pam_get_data(fake_pamh, DATA_KEY, &data) != PAM_SUCCESS)
			__builtin_trap();
		cd = data;
		if (cd->n_tmpdirs != res->reply.n_tmpdirs ||
		    cd->n_polydirs != res->reply.n_polydirs ||
		    (res->reply.registry[0] && strcmp(cd->registry, res->reply.registry) != 0))
			__builtin_trap();
	}
	helper_result_close(res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct conv_state *st;
	static struct helper_result res;
	struct helper_proc h = { .pid = -1, .pidfd = -1, .report = -1 };
	unsigned int want, flags;
	int sock[2], before, r;

	if (!st) {
		setup();
		st = calloc(1, sizeof(*st));
		if (!st)
			abort();
	}
	if (size < 2)
		return 0;
	want = data[0];
	flags = data[1];
	before = lowest_free_fd();
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sock) < 0)
		abort();
	(void)send_all(sock[1], data + 2, size - 2, flags & 4);
	(void)shutdown(sock[1], SHUT_WR);
	if (flags & 8) {
		size_t n_fds = 1;
		ssize_t len = channel_recv(sock[0], st->msg, NULL, 0, &n_fds);

		if (n_fds != 0 || (len >= 0 && (size_t)len > WIRE_MAX_MSG))
			__builtin_trap();
	}
	if (flags & 2)
		begin_close();

	h.sock = sock[0];
	{
		struct conv c = { .pamh = fake_pamh, .st = st, .h = &h, .timeout_sec = 5 };

		(void)clock_gettime(CLOCK_MONOTONIC, &c.deadline);
		c.deadline.tv_sec += c.timeout_sec;
		memset(&res, 0, sizeof(res));
		r = read_until_reply(&c, &res);
	}
	if (r == 0) {
		if (res.reply.n_ns > WIRE_MAX_FDS)
			__builtin_trap();
		after_reply(&res, want, flags & 1 ? POLYNS_NS_MNT : 0);
	}
	check_answers(sock[1]);
	(void)pam_set_data(fake_pamh, DATA_KEY, NULL, NULL);
	(void)close(sock[0]);
	(void)close(sock[1]);
	if (lowest_free_fd() != before)
		__builtin_trap(); /* an fd received and never closed */
	return 0;
}
