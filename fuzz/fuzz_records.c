/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzz target: the helper's parsers of names and records it finds on disk
 * or in /proc, which someone other than the helper may have written: the
 * registry's fact names (registry.h), session facts, pending records and
 * the callers they name (pending_name.h), hex-named paths (hexname.h), process identities and
 * /proc/PID/stat, whose process name the process chose (procid.h), and the
 * mntopts= options as they are split for the kernel (mounts.h).
 *
 * Input: one byte picks the parser, the rest is its text; names are one per
 * line.  Each parser is held to a round trip: what parses must format back
 * to something that parses to the same value.  The last mode writes the
 * fact names as directories and has reg_load() read them from disk: the
 * disk and the names alone must give the same verdict.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hexname.h"
#include "mounts.h"
#include "pending_name.h"
#include "procid.h"
#include "registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum mode {
	MODE_FACTS,
	MODE_SESSION,
	MODE_PENDING,
	MODE_STAT,
	MODE_MNTOPTS,
	MODE_HEXNAME,
	MODE_PROCID,
	MODE_FACTS_ON_DISK,
	MODE_COUNT,
};

#define MAX_NAMES 128
#define OWN_PIDNS 4026531836ULL

static struct reg_entry entry;

static bool complete(const struct reg_entry *e)
{
	return e->holder.pid > 0 && e->plan[0] && e->n_ns > 0;
}

/* The names of an entry, as reg_load() takes them: 0, or -EPERM as it would say. */
static int parse_entry(char *const *names, size_t n, struct reg_entry *e)
{
	memset(e, 0, sizeof(*e));
	for (size_t i = 0; i < n; i++)
		if (reg_parse_fact(names[i], e) < 0)
			return -EPERM;
	return complete(e) ? 0 : -EPERM;
}

static void check_entry(const struct reg_entry *e)
{
	char buf[64], hex[256];
	struct procid back;

	if (procid_format(&e->holder, buf, sizeof(buf)) < 0 || procid_parse(buf, &back) < 0 ||
	    back.pid != e->holder.pid || back.start != e->holder.start)
		__builtin_trap();
	/* A path read from a tmpdir fact writes back as the same name. */
	for (size_t i = 0; i < e->n_tmpdirs; i++)
		if (hexname_encode(e->tmpdirs[i], hex, sizeof(hex)) < 0)
			__builtin_trap();
}

static void facts(char *const *names, size_t n)
{
	if (parse_entry(names, n, &entry) == 0)
		check_entry(&entry);
}

static void session(const char *name)
{
	struct procid caller, back;
	char id[48], again[96];

	if (reg_parse_session(name, &caller) < 0)
		return;
	if (procid_format(&caller, id, sizeof(id)) < 0 ||
	    snprintf(again, sizeof(again), "session.%s.1", id) >= (int)sizeof(again) ||
	    reg_parse_session(again, &back) < 0 || back.pid != caller.pid ||
	    back.start != caller.start)
		__builtin_trap();
}

/* A name inside a record: a caller fact writes back as itself. */
static void pending_caller(const char *name)
{
	struct procid caller, back;
	char again[96];

	if (pending_caller_parse(name, &caller) != 1)
		return;
	if (pending_caller_name(&caller, again, sizeof(again)) < 0 ||
	    pending_caller_parse(again, &back) != 1 || back.pid != caller.pid ||
	    back.start != caller.start)
		__builtin_trap();
}

static void pending(const char *name)
{
	char path[4096], name2[256], path2[4096];
	uint64_t pidns, ino, pidns2, ino2;

	pending_caller(name);
	if (pending_name_parse(name, OWN_PIDNS, &pidns, &ino, path, sizeof(path)) < 0)
		return;
	if (path[0] != '/')
		__builtin_trap();
	/* Too long for a record name is fine (pending_defer refuses it); else the same. */
	if (pending_name(pidns, ino, path, name2, sizeof(name2)) < 0)
		return;
	if (pending_name_parse(name2, 7, &pidns2, &ino2, path2, sizeof(path2)) < 0 ||
	    pidns2 != pidns || ino2 != ino || strcmp(path, path2) != 0)
		__builtin_trap();
}

struct split {
	char joined[4096];
	size_t len;
};

static int collect(const char *key, const char *value, void *ctx)
{
	struct split *s = ctx;
	int n = snprintf(s->joined + s->len, sizeof(s->joined) - s->len, "%s%s%s%s",
			 s->len ? "," : "", key, value ? "=" : "", value ? value : "");

	if (!key[0] && !value)
		__builtin_trap(); /* empty options are skipped */
	if (n < 0 || (size_t)n >= sizeof(s->joined) - s->len)
		__builtin_trap();
	s->len += (size_t)n;
	return 0;
}

/* The options handed to the kernel are the list's non-empty items, in order. */
static void mntopts(const char *options)
{
	static char buf[4096], expect[4096];
	struct split s = { .len = 0 };
	size_t e = 0;

	if (mount_options_each(options, buf, sizeof(buf), collect, &s) < 0)
		return;
	for (const char *p = options; *p;) {
		size_t len = strcspn(p, ",");

		if (len) {
			if (e)
				expect[e++] = ',';
			memcpy(expect + e, p, len);
			e += len;
		}
		p += len + (p[len] == ',');
	}
	expect[e] = '\0';
	if (strcmp(expect, s.joined) != 0)
		__builtin_trap();
}

static void hexname(const char *s)
{
	char out[512], hex[1024];

	if (hexname_decode(s, out, sizeof(out)) == 0 &&
	    (hexname_encode(out, hex, sizeof(hex)) < 0 || strcmp(hex, s) != 0))
		__builtin_trap();
	if (hexname_encode(s, hex, sizeof(hex)) == 0 &&
	    (hexname_decode(hex, out, sizeof(out)) < 0 || strcmp(out, s) != 0))
		__builtin_trap();
}

static void procid(const char *s)
{
	struct procid id, back;
	char buf[64];

	if (procid_parse(s, &id) < 0)
		return;
	/* The parser takes only the canonical form: it formats back to itself. */
	if (procid_format(&id, buf, sizeof(buf)) < 0 || strcmp(buf, s) != 0 ||
	    procid_parse(buf, &back) < 0 || back.pid != id.pid || back.start != id.start)
		__builtin_trap();
}

static char shared_dir[64];
static int shared_fd = -1;

static void remove_shared(void)
{
	(void)rmdir(shared_dir);
}

/* The facts as directories of shared/key, read back by reg_load(). */
static void facts_on_disk(char *const *names, size_t n)
{
	static struct reg_entry from_disk;
	bool made[MAX_NAMES] = { false };
	size_t kept = 0;
	char *usable[MAX_NAMES];
	int key_fd, r;

	if (shared_fd < 0) {
		const char *tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";

		(void)snprintf(shared_dir, sizeof(shared_dir), "%s/polyns-fuzz-reg-XXXXXX", tmp);
		if (!mkdtemp(shared_dir))
			abort();
		shared_fd = open(shared_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (shared_fd < 0)
			abort();
		(void)atexit(remove_shared);
	}
	if (mkdirat(shared_fd, "key", 0700) < 0)
		abort();
	key_fd = openat(shared_fd, "key", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (key_fd < 0)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (strchr(names[i], '/') || strlen(names[i]) > 255)
			continue;
		made[i] = mkdirat(key_fd, names[i], 0700) == 0;
		if (made[i])
			usable[kept++] = names[i];
	}
	r = reg_load(shared_fd, "key", &from_disk);
	if (r != parse_entry(usable, kept, &entry))
		__builtin_trap();
	for (size_t i = 0; i < n; i++)
		if (made[i])
			(void)unlinkat(key_fd, names[i], AT_REMOVEDIR);
	(void)close(key_fd);
	(void)unlinkat(shared_fd, "key", AT_REMOVEDIR);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *names[MAX_NAMES];
	size_t n = 0;
	enum mode mode;
	char *text;

	if (size < 1)
		return 0;
	mode = (enum mode)(data[0] % MODE_COUNT);
	text = strndup((const char *)data + 1, size - 1);
	if (!text)
		return 0;
	switch (mode) {
	case MODE_STAT:
		/* As read_start() reads it: at most 1023 bytes, then a NUL. */
		if (strlen(text) < 1024) {
			uint64_t start;

			(void)procid_parse_stat(text, &start);
		}
		break;
	case MODE_MNTOPTS:
		mntopts(text);
		break;
	default:
		for (char *p = text; p && n < MAX_NAMES;) {
			char *nl = strchr(p, '\n');

			if (nl)
				*nl++ = '\0';
			if (*p && strcmp(p, ".") != 0 && strcmp(p, "..") != 0)
				names[n++] = p;
			p = nl;
		}
		for (size_t i = 0; i < n; i++) {
			if (mode == MODE_SESSION)
				session(names[i]);
			else if (mode == MODE_PENDING)
				pending(names[i]);
			else if (mode == MODE_HEXNAME)
				hexname(names[i]);
			else if (mode == MODE_PROCID)
				procid(names[i]);
		}
		if (mode == MODE_FACTS)
			facts(names, n);
		else if (mode == MODE_FACTS_ON_DISK)
			facts_on_disk(names, n);
		break;
	}
	free(text);
	return 0;
}
