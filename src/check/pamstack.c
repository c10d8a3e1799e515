/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "pamstack.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "options.h"
#include "util.h"

#define PAM_FILE_MAX 65536   /* bytes read of one file */
#define INCLUDE_DEPTH 8      /* Linux-PAM's own limit is about as deep */
#define STACK_MAX 256        /* session lines of one service, includes expanded */
#define ARGS_MAX 64          /* module arguments on one line */
#define REPORTED_MAX 256

/* One session line of a service's stack, includes expanded. */
struct stack_line {
	char *file; /* where the line is (owned) */
	unsigned int line;
	char *via;  /* "@include common-session at /etc/pam.d/sshd:12", or NULL (owned) */
	char *module; /* the module path as written (owned) */
	char *args[ARGS_MAX]; /* (owned) */
	int n_args;
};

struct stack {
	struct stack_line v[STACK_MAX];
	size_t n;
};

struct reported {
	char *v[REPORTED_MAX];
	size_t n;
};

static void stack_free(struct stack *st)
{
	for (size_t i = 0; i < st->n; i++) {
		free(st->v[i].file);
		free(st->v[i].via);
		free(st->v[i].module);
		for (int a = 0; a < st->v[i].n_args; a++)
			free(st->v[i].args[a]);
	}
	st->n = 0;
}

/* A file's text, or NULL; never blocks on a FIFO (opened O_NONBLOCK, must be regular). */
static char *read_text(const char *path)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	char *buf;
	struct stat st;
	ssize_t n;
	size_t len = 0;

	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return NULL;
	buf = malloc(PAM_FILE_MAX + 1);
	if (!buf)
		return NULL;
	while (len < PAM_FILE_MAX && (n = read(fd, buf + len, PAM_FILE_MAX - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	return buf;
}

/*
 * The next logical line from *pos, as Linux-PAM assembles it: a backslash
 * before a newline joins the next line, '#' starts a comment.  Counts
 * physical lines in *lineno (the logical line's first is returned in
 * *first).  NULL at the end.  Edits text in place.
 */
static char *next_line(char **pos, unsigned int *lineno, unsigned int *first)
{
	char *start = *pos, *w, *r;

	if (!*start)
		return NULL;
	*first = ++*lineno;
	for (r = w = start; *r && *r != '\n'; r++) {
		if (r[0] == '\\' && r[1] == '\n') {
			r++;
			++*lineno;
			*w++ = ' ';
			continue;
		}
		*w++ = *r;
	}
	*pos = *r ? r + 1 : r;
	*w = '\0';
	w = strchr(start, '#');
	if (w)
		*w = '\0';
	return start;
}

/* Words of a line; "[...]" is one word, without its brackets.  Count, at most max. */
static int split_words(char *s, char **words, int max)
{
	int n = 0;

	while (n < max) {
		while (*s == ' ' || *s == '\t' || *s == '\r')
			s++;
		if (!*s)
			break;
		if (*s == '[') {
			char *end = strchr(s, ']');

			words[n++] = s + 1;
			if (!end)
				break;
			*end = '\0';
			s = end + 1;
			continue;
		}
		words[n++] = s;
		s += strcspn(s, " \t\r");
		if (*s)
			*s++ = '\0';
	}
	return n;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static int add_line(struct stack *st, const char *file, unsigned int line, const char *via,
		    char **words, int n)
{
	struct stack_line *l;

	if (st->n == STACK_MAX)
		return 0; /* a stack that long: the rest is not looked at */
	l = &st->v[st->n];
	*l = (struct stack_line){ .line = line, .file = strdup(file),
				  .via = via ? strdup(via) : NULL, .module = strdup(words[0]) };
	st->n++;
	if (!l->file || (via && !l->via) || !l->module)
		return -ENOMEM;
	for (int i = 1; i < n && l->n_args < ARGS_MAX; i++) {
		l->args[l->n_args] = strdup(words[i]);
		if (!l->args[l->n_args])
			return -ENOMEM;
		l->n_args++;
	}
	return 0;
}

/* A file being read, and where: a service, or a file it includes. */
struct frame {
	char *text, *pos, *path;
	char *via; /* how the service reached this file; NULL for the service itself */
	unsigned int lineno;
};

static void frame_free(struct frame *f)
{
	free(f->text);
	free(f->path);
	free(f->via);
}

/*
 * Open the file name (as PAM names an included file: relative to the PAM
 * directory) as frame f (the caller sets its via).  0, 1 when there is nothing to read (PAM fails
 * such a stack itself: not ours to judge), or -errno.
 */
static int frame_open(struct frame *f, const char *dir, const char *name)
{
	*f = (struct frame){ 0 };
	if (asprintf(&f->path, "%s%s%s", name[0] == '/' ? "" : dir, name[0] == '/' ? "" : "/",
		     name) < 0) {
		f->path = NULL;
		frame_free(f);
		return -ENOMEM;
	}
	f->text = read_text(f->path);
	if (!f->text) {
		frame_free(f);
		return 1;
	}
	f->pos = f->text;
	return 0;
}

/*
 * The session lines of the service name, includes expanded in place (at
 * most INCLUDE_DEPTH deep, which also ends a loop), appended to st.
 */
static int read_stack(const char *dir, const char *name, struct stack *st)
{
	struct frame f[INCLUDE_DEPTH + 1];
	int depth = 0, r = frame_open(&f[0], dir, name);

	if (r != 0)
		return r < 0 ? r : 0;
	depth = 1;
	while (r == 0 && depth > 0) {
		struct frame *top = &f[depth - 1];
		char *words[ARGS_MAX + 3], *s, *via = NULL;
		const char *type, *inc = NULL, *how = NULL;
		unsigned int first = 0;
		int n;

		s = next_line(&top->pos, &top->lineno, &first);
		if (!s) {
			frame_free(top);
			depth--;
			continue;
		}
		n = split_words(s, words, (int)ARRAY_SIZE(words));
		type = n > 0 ? words[0] : "";
		if (type[0] == '-')
			type++;
		if (strcmp(type, "@include") == 0 && n >= 2) {
			inc = words[1];
			how = "@include";
		} else if (strcasecmp(type, "session") != 0 || n < 3) {
			continue;
		} else if (strcmp(words[1], "include") == 0 || strcmp(words[1], "substack") == 0) {
			inc = words[2];
			how = words[1];
		} else {
			r = add_line(st, top->path, first, top->via, words + 2, n - 2);
			continue;
		}
		if (depth > INCLUDE_DEPTH)
			continue;
		if (top->via)
			via = strdup(top->via);
		else if (asprintf(&via, "%s %s at %s:%u", how, inc, top->path, first) < 0)
			via = NULL;
		if (!via) {
			r = -ENOMEM;
			continue;
		}
		r = frame_open(&f[depth], dir, inc);
		if (r == 0) {
			f[depth++].via = via;
		} else {
			free(via);
			r = r == 1 ? 0 : r;
		}
	}
	while (depth > 0)
		frame_free(&f[--depth]);
	return r;
}

/* Report once: the same lines are met again through every service that includes them. */
static bool first_report(struct reported *rep, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static bool first_report(struct reported *rep, const char *fmt, ...)
{
	char *id = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&id, fmt, ap);
	va_end(ap);
	if (n < 0)
		return true;
	for (size_t i = 0; i < rep->n; i++)
		if (strcmp(rep->v[i], id) == 0) {
			free(id);
			return false;
		}
	if (rep->n < REPORTED_MAX)
		rep->v[rep->n++] = id;
	else
		free(id);
	return true;
}

/* What makes these options keep a set in the registry, as the option is spelled. */
static const char *registry_reason(const struct polyns_options *o)
{
	if (o->share == POLYNS_SHARE_USER)
		return "share=user";
	if (o->share == POLYNS_SHARE_GROUP)
		return "share=group";
	if (o->ns_mask & POLYNS_NS_PID)
		return "ns=pid";
	if (o->ns_mask & POLYNS_NS_TIME)
		return "ns=time";
	return "ns=user";
}

static void check_service(const char *service, const struct stack *st, struct reported *rep,
			  struct diag_list *diags)
{
	const struct stack_line *systemd = NULL;

	for (size_t i = 0; i < st->n; i++) {
		const struct stack_line *l = &st->v[i];
		struct polyns_options o;
		char err[256];

		if (strcmp(base_name(l->module), "pam_systemd.so") == 0 && !systemd)
			systemd = l;
		if (strcmp(base_name(l->module), "pam_polyns.so") != 0)
			continue;
		if (polyns_options_parse(l->n_args, (const char *const *)l->args, &o, err,
					 sizeof(err)) < 0) {
			if (first_report(rep, "args %s:%u", l->file, l->line))
				diag_add(diags, DIAG_WARNING, l->file, l->line, "pam_polyns.so "
					 "arguments: %s: every session through this line fails", err);
			continue;
		}
		if (!systemd || !polyns_uses_registry(o.share, o.ns_mask) ||
		    !first_report(rep, "order %s:%u %s:%u", l->file, l->line, systemd->file,
				  systemd->line))
			continue;
		diag_add(diags, DIAG_WARNING, l->file, l->line, "pam_polyns.so with %s comes "
			 "after pam_systemd.so (%s:%u%s%s) in the session stack of %s: the set's "
			 "holder would stay in the scope pam_systemd.so makes for the first "
			 "session, and end with it; put pam_polyns.so before pam_systemd.so",
			 registry_reason(&o), systemd->file, systemd->line,
			 systemd->via ? ", through " : "", systemd->via ? systemd->via : "",
			 service);
	}
}

/* A service file, not a backup of one. */
static int is_service(const struct dirent *de)
{
	size_t len = strlen(de->d_name);

	return de->d_name[0] != '.' && !strchr(de->d_name, '.') && len > 0 &&
	       de->d_name[len - 1] != '~';
}

int pamstack_check(const char *dir, bool explicit, struct diag_list *diags)
{
	static struct stack st;
	struct reported rep = { { NULL }, 0 };
	struct dirent **names = NULL;
	int n = scandir(dir, &names, is_service, alphasort), r = 0;

	if (n < 0) {
		r = -errno;
		if (explicit || r != -ENOENT)
			diag_add(diags, DIAG_WARNING, dir, 0, "cannot read the PAM stacks: %s",
				 strerror(-r));
		return r;
	}
	for (int i = 0; i < n; i++) {
		if (r == 0)
			r = read_stack(dir, names[i]->d_name, &st);
		if (r == 0)
			check_service(names[i]->d_name, &st, &rep, diags);
		stack_free(&st);
		free(names[i]);
	}
	free(names);
	for (size_t i = 0; i < rep.n; i++)
		free(rep.v[i]);
	return r;
}
