/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzz target: module arguments, and the requests the module builds from
 * them (src/module/request.c).  The input is split on NUL or newline into
 * words, as pam.d would hand them to the module.  Words after a word
 * "--session" describe the session instead: user, user's home, requesting
 * user, their home, service, then paths the close request carries (each
 * word's first byte says which list: 'c' cleanup, 'u' unmount, 'd' defer,
 * 'r' the shared set's token).
 *
 * Whatever the parser accepts must make an open request that the helper's
 * decoder accepts and that encodes back to the same bytes; so must a close
 * request, unless its lists do not fit one message.
 */
#define _GNU_SOURCE
#include <pwd.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "request.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_WORDS 512
#define USER_BUF 4096 /* pam_polyns.c's copy of a passwd entry's name and home */

struct session_words {
	const char *part[5]; /* user, home, ruser, rhome, service */
	size_t n_part;
	const char *const *extra; /* the close request's paths */
	size_t n_extra;
};

static struct wire_buf out, again;

/* Decode b; it must decode, and encode back to the same bytes. */
static void same_request(const struct wire_buf *b)
{
	static struct wire_request back;
	struct wire_reader rd;
	uint32_t type;

	if (wire_open(b->data, b->len, &type, &rd) < 0 || type != MSG_REQUEST ||
	    wire_decode_request(&rd, &back) < 0 || wire_encode_request(&again, &back) < 0 ||
	    again.len != b->len || memcmp(again.data, b->data, b->len) != 0)
		__builtin_trap();
}

/* As pam_polyns.c's lookup_users() lets a user through (copy_passwd's limits). */
static bool usable_user(const char *name, const char *home, bool session_user)
{
	if (strlen(name) + strlen(home) + 2 > USER_BUF || !name[0])
		return false;
	return !session_user || (!strchr(name, '/') && strcmp(name, ".") != 0 &&
				 strcmp(name, "..") != 0 && strlen(name) <= 255);
}

static void open_request(const struct polyns_options *o, const struct session_words *s)
{
	static struct wire_request req;
	struct passwd user = { .pw_name = (char *)"alice", .pw_uid = 1000, .pw_gid = 1000,
			       .pw_dir = (char *)"/home/alice" };
	struct passwd ruser = { .pw_name = (char *)"root", .pw_dir = (char *)"/root" };
	char **fields[] = { &user.pw_name, &user.pw_dir, &ruser.pw_name, &ruser.pw_dir };
	const char *service = s->n_part > 4 ? s->part[4] : "sshd";

	for (size_t i = 0; i < 4 && i < s->n_part; i++)
		*fields[i] = (char *)s->part[i];
	if (!usable_user(user.pw_name, user.pw_dir, true) ||
	    !usable_user(ruser.pw_name, ruser.pw_dir, false))
		return;
	request_open(o, &user, &ruser, service, (mode_t)(s->n_extra * 0111), &req);
	if (wire_encode_request(&out, &req) < 0)
		__builtin_trap(); /* every accepted argument list must fit */
	same_request(&out);
}

static void close_request(const struct polyns_options *o, const struct session_words *s)
{
	static struct wire_request req;

	request_close(o, s->n_part > 0 ? s->part[0] : NULL, &req);
	for (size_t i = 0; i < s->n_extra; i++) {
		const char *w = s->extra[i], *path = w + 1;
		const char **list = NULL;
		uint32_t *n = NULL;

		/* What close_data.c adds comes from a reply that decoded: absolute paths. */
		if (!w[0])
			continue;
		if (w[0] == 'r') {
			req.registry = path;
			continue;
		}
		if (path[0] != '/' || strlen(path) > WIRE_MAX_STRING)
			continue;
		if (w[0] == 'c')
			list = req.cleanup, n = &req.n_cleanup;
		else if (w[0] == 'u')
			list = req.unmount, n = &req.n_unmount;
		else if (w[0] == 'd')
			list = req.defer, n = &req.n_defer;
		if (list && *n < WIRE_MAX_POLYDIRS)
			list[(*n)++] = path;
	}
	req.sweep_pending = s->n_extra & 1;
	/* A reply's lists plus the arguments may exceed one message (a known limit). */
	if (wire_encode_request(&out, &req) < 0)
		return;
	/* A token the module never got from a reply is refused by the helper; fine. */
	if (req.registry[0]) {
		static struct wire_request back;
		struct wire_reader rd;
		uint32_t type;

		if (wire_open(out.data, out.len, &type, &rd) == 0 &&
		    wire_decode_request(&rd, &back) < 0)
			return;
	}
	same_request(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *words[MAX_WORDS];
	struct polyns_options opts;
	struct session_words s = { .n_part = 0 };
	char err[256];
	char *buf;
	int argc = 0, n = 0;

	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (size_t i = 0, start = 0; i <= size && n < MAX_WORDS; i++) {
		if (i == size || buf[i] == '\n' || buf[i] == '\0') {
			buf[i] = '\0';
			words[n++] = buf + start;
			start = i + 1;
		}
	}
	while (argc < n && strcmp(words[argc], "--session") != 0)
		argc++;
	for (int i = argc + 1; i < n && s.n_part < 5; i++)
		s.part[s.n_part++] = words[i];
	if (argc + 1 + (int)s.n_part < n) {
		s.extra = words + argc + 1 + s.n_part;
		s.n_extra = (size_t)(n - argc - 1) - s.n_part;
	}
	if (polyns_options_parse(argc, words, &opts, err, sizeof(err)) == 0) {
		open_request(&opts, &s);
		close_request(&opts, &s);
	} else if (strnlen(err, sizeof(err)) == sizeof(err) || !err[0]) {
		__builtin_trap(); /* a refusal always says why, in one line */
	}
	free(buf);
	return 0;
}
