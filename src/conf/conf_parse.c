/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * namespace.conf text to rules.  Pure: no syscalls, no NSS, no PAM.
 *
 * Accepts what pam_namespace accepts with the same meaning.  Where
 * pam_namespace silently ignores something (unknown method flags, extra
 * fields, mntopts= on a non-tmpfs line) this parser accepts it too but adds a
 * warning; where pam_namespace crashes (an empty method field) or quietly
 * uses a garbage value (create=rwx as mode 0) it reports an error.
 */
#define _GNU_SOURCE
#include "conf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "conf_lex.h"
#include "util.h"

struct line_ctx {
	const char *file;
	unsigned int line;
	struct diag_list *diags;
	enum diag_level error_level; /* DIAG_WARNING under ignore_errors */
	const char *iscript_dir;
};

#define LINE_ERROR(ctx, ...)                                                   \
	(diag_add((ctx)->diags, (ctx)->error_level, (ctx)->file, (ctx)->line,  \
		  __VA_ARGS__),                                                \
	 -EINVAL)
#define LINE_WARN(ctx, ...)                                                    \
	diag_add((ctx)->diags, DIAG_WARNING, (ctx)->file, (ctx)->line,         \
		 __VA_ARGS__)

static const char *const method_names[] = {
	[METHOD_USER] = "user",	    [METHOD_CONTEXT] = "context",
	[METHOD_LEVEL] = "level",   [METHOD_TMPDIR] = "tmpdir",
	[METHOD_TMPFS] = "tmpfs",
};

const char *conf_method_name(enum conf_method m)
{
	if ((size_t)m >= ARRAY_SIZE(method_names))
		return NULL;
	return method_names[m];
}

static void rule_free(struct conf_rule *r)
{
	free(r->polydir);
	free(r->instance_prefix);
	free(r->create_owner);
	free(r->create_group);
	free(r->iscript);
	free(r->mount_data);
	for (size_t i = 0; i < r->n_users; i++)
		free(r->users[i]);
	free(r->users);
	*r = (struct conf_rule){ 0 };
}

void conf_free(struct conf *conf)
{
	for (size_t i = 0; i < conf->n_rules; i++)
		rule_free(&conf->rules[i]);
	free(conf->rules);
	for (size_t i = 0; i < conf->n_files; i++)
		free(conf->files[i]);
	free(conf->files);
	*conf = (struct conf){ 0 };
}

/* strtoul(s, 0)-style number: 0x.. hex, 0.. octal, else decimal; whole string. */
static int parse_mode(const char *s, size_t len, mode_t *out)
{
	unsigned int base = 10, v = 0;
	size_t i = 0;

	if (len == 0)
		return -EINVAL;
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	} else if (s[0] == '0') {
		base = 8;
	}
	for (; i < len; i++) {
		unsigned int d;
		char c = s[i];

		if (c >= '0' && c <= '9')
			d = (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned int)(c - 'A' + 10);
		else
			return -EINVAL;
		if (d >= base)
			return -EINVAL;
		v = v * base + d;
		if (v > 07777)
			return -ERANGE;
	}
	*out = (mode_t)v;
	return 0;
}

static int dup_part(const char *s, size_t len, char **out)
{
	free(*out);
	*out = len ? strndup(s, len) : NULL;
	return (len && !*out) ? -ENOMEM : 0;
}

/* "create" flag; rest is what follows the word "create". */
static int parse_create(struct line_ctx *ctx, struct conf_rule *r,
			const char *word, const char *rest)
{
	const char *part[3];
	size_t plen[3], n = 0;

	/* Each create flag starts from the defaults, as in pam_namespace. */
	r->flags |= RULE_CREATE;
	r->create_mode_set = false;
	free(r->create_owner);
	free(r->create_group);
	r->create_owner = r->create_group = NULL;
	if (*rest != '=') {
		if (*rest)
			LINE_WARN(ctx, "method flag '%s' read as 'create'", word);
		return 0;
	}
	for (const char *p = rest + 1;; p += plen[n++] + 1) {
		if (n == 3)
			return LINE_ERROR(ctx, "'%s': create= takes at most mode,owner,group",
					  word);
		part[n] = p;
		plen[n] = strcspn(p, ",");
		if (p[plen[n]] == '\0') {
			n++;
			break;
		}
	}
	if (plen[0]) {
		int ret = parse_mode(part[0], plen[0], &r->create_mode);
		if (ret == -ERANGE)
			return LINE_ERROR(ctx, "'%s': create mode is above 07777", word);
		if (ret < 0)
			return LINE_ERROR(ctx, "'%s': create mode '%.*s' is not a number",
					  word, (int)plen[0], part[0]);
		r->create_mode_set = true;
		if (plen[0] >= 3 && part[0][0] != '0' &&
		    strspn(part[0], "01234567") >= plen[0])
			LINE_WARN(ctx, "create mode '%.*s' is decimal (octal %#o); "
				  "write it with a leading 0 for octal",
				  (int)plen[0], part[0], (unsigned int)r->create_mode);
	}
	if (n > 1 && dup_part(part[1], plen[1], &r->create_owner) < 0)
		return -ENOMEM;
	if (n > 2 && dup_part(part[2], plen[2], &r->create_group) < 0)
		return -ENOMEM;
	return 0;
}

static int parse_iscript(struct line_ctx *ctx, struct conf_rule *r,
			 const char *word, const char *rest)
{
	char *path = NULL;

	r->flags |= RULE_ISCRIPT;
	if (*rest != '=') {
		if (*rest)
			LINE_WARN(ctx, "method flag '%s' read as 'iscript'", word);
		return 0;
	}
	rest++;
	if (*rest == '\0')
		return 0; /* no path: the default script */
	if (*rest == '/')
		path = strdup(rest);
	else if (asprintf(&path, "%s/%s", ctx->iscript_dir, rest) < 0)
		path = NULL;
	if (!path)
		return -ENOMEM;
	if (strlen(path) >= CONF_PATH_MAX) {
		free(path);
		return LINE_ERROR(ctx, "iscript path is longer than %d bytes",
				  CONF_PATH_MAX - 1);
	}
	free(r->iscript);
	r->iscript = path;
	return 0;
}

static int append_data(char **data, const char *opt, size_t len)
{
	char *joined = NULL;
	int r;

	if (*data)
		r = asprintf(&joined, "%s,%.*s", *data, (int)len, opt);
	else
		r = asprintf(&joined, "%.*s", (int)len, opt);
	if (r < 0)
		return -ENOMEM;
	free(*data);
	*data = joined;
	return 0;
}

static int parse_mntopts(struct line_ctx *ctx, struct conf_rule *r,
			 const char *word, const char *rest)
{
	static const struct {
		const char *name;
		unsigned long flag;
	} flag_opts[] = {
		{ "nosuid", MS_NOSUID },
		{ "nodev", MS_NODEV },
		{ "noexec", MS_NOEXEC },
	};

	r->flags |= RULE_MNTOPTS;
	if (*rest != '=') {
		LINE_WARN(ctx, "method flag '%s' has no '=value': ignored", word);
		return 0;
	}
	if (r->method != METHOD_TMPFS) {
		LINE_WARN(ctx, "mntopts= applies only to the tmpfs method: ignored");
		return 0;
	}
	/* A repeated mntopts= replaces the earlier one. */
	free(r->mount_data);
	r->mount_data = NULL;
	r->mount_flags = 0;
	for (const char *p = rest + 1; *p;) {
		size_t len = strcspn(p, ",");
		bool is_flag = false;

		for (size_t i = 0; i < ARRAY_SIZE(flag_opts); i++) {
			if (strlen(flag_opts[i].name) == len &&
			    memcmp(flag_opts[i].name, p, len) == 0) {
				r->mount_flags |= flag_opts[i].flag;
				is_flag = true;
			}
		}
		if (!is_flag && len > 0 && append_data(&r->mount_data, p, len) < 0)
			return -ENOMEM;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* pam_namespace matches flags by prefix: "createX" is "create". */
static int parse_flag(struct line_ctx *ctx, struct conf_rule *r,
		      const char *word)
{
	static const char *const simple[] = { "noinit", "shared" };
	static const unsigned int simple_bits[] = { RULE_NOINIT, RULE_SHARED };

	if (strncmp(word, "create", 6) == 0)
		return parse_create(ctx, r, word, word + 6);
	if (strncmp(word, "iscript", 7) == 0)
		return parse_iscript(ctx, r, word, word + 7);
	if (strncmp(word, "mntopts", 7) == 0)
		return parse_mntopts(ctx, r, word, word + 7);
	for (size_t i = 0; i < ARRAY_SIZE(simple); i++) {
		size_t len = strlen(simple[i]);

		if (strncmp(word, simple[i], len) == 0) {
			if (word[len])
				LINE_WARN(ctx, "method flag '%s' read as '%s'", word,
					  simple[i]);
			r->flags |= simple_bits[i];
			return 0;
		}
	}
	LINE_WARN(ctx, "unknown method flag '%s': ignored", word);
	return 0;
}

static int parse_method_field(struct line_ctx *ctx, struct conf_rule *r,
			      char *field)
{
	char *save = NULL;
	char *word = strtok_r(field, ":", &save);

	if (!word)
		return LINE_ERROR(ctx, "empty method field");
	for (size_t i = 1; i < ARRAY_SIZE(method_names); i++)
		if (strcmp(word, method_names[i]) == 0)
			r->method = (enum conf_method)i;
	if (r->method == 0)
		return LINE_ERROR(ctx, "unknown method '%s' (want user, context, level, "
				  "tmpdir or tmpfs)", word);
	while ((word = strtok_r(NULL, ":", &save))) {
		int ret = parse_flag(ctx, r, word);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int parse_user_list(struct line_ctx *ctx, struct conf_rule *r,
			   const char *field)
{
	size_t n = 1;

	if (*field == '~') {
		r->flags |= RULE_EXCLUSIVE;
		field++;
	}
	for (const char *p = field; *p; p++)
		n += *p == ',';
	if (n > CONF_MAX_USERS)
		return LINE_ERROR(ctx, "more than %d names in the user list", CONF_MAX_USERS);
	r->users = calloc(n, sizeof(*r->users));
	if (!r->users)
		return -ENOMEM;
	for (const char *p = field;; p++) {
		size_t len = strcspn(p, ",");

		r->users[r->n_users] = strndup(p, len);
		if (!r->users[r->n_users])
			return -ENOMEM;
		r->n_users++;
		if (len == 0)
			LINE_WARN(ctx, "empty name in the user list matches nobody");
		p += len;
		if (*p == '\0')
			break;
	}
	return 0;
}

static int check_path_field(struct line_ctx *ctx, const char *what,
			    const char *value)
{
	if (strlen(value) >= CONF_PATH_MAX)
		return LINE_ERROR(ctx, "%s is longer than %d bytes", what,
				  CONF_PATH_MAX - 1);
	return 0;
}

static int parse_fields(struct line_ctx *ctx, struct conf_fields *f,
			struct conf_rule *r)
{
	int ret;

	if (f->n < 2)
		return LINE_ERROR(ctx, "missing instance_prefix and method fields");
	if (f->n < 3)
		return LINE_ERROR(ctx, "missing method field");
	if (f->n > 4)
		LINE_WARN(ctx, "%zu extra fields after list_of_uids ignored", f->n - 4);
	ret = check_path_field(ctx, "polydir", f->v[0]);
	if (ret == 0)
		ret = check_path_field(ctx, "instance_prefix", f->v[1]);
	if (ret == 0)
		ret = parse_method_field(ctx, r, f->v[2]);
	if (ret == 0 && f->n > 3)
		ret = parse_user_list(ctx, r, f->v[3]);
	if (ret < 0)
		return ret;
	r->polydir = strdup(f->v[0]);
	r->instance_prefix = strdup(f->v[1]);
	if (!r->polydir || !r->instance_prefix)
		return -ENOMEM;
	return 0;
}

/* Returns 1 with *r filled, 0 for a blank or comment line, or -errno. */
static int parse_line(struct line_ctx *ctx, const char *line, size_t len,
		      struct conf_rule *r)
{
	struct conf_fields f;
	int ret;

	if (memchr(line, '\0', len))
		return LINE_ERROR(ctx, "line contains a NUL byte");
	if (len > CONF_MAX_LINE)
		return LINE_ERROR(ctx, "line is longer than %d bytes", CONF_MAX_LINE);
	ret = conf_split_fields(line, len, &f);
	if (ret == -E2BIG)
		return LINE_ERROR(ctx, "more than %d fields", CONF_MAX_FIELDS);
	if (ret < 0)
		return ret;
	if (f.n == 0) {
		conf_fields_free(&f);
		return 0;
	}
	ret = parse_fields(ctx, &f, r);
	conf_fields_free(&f);
	if (ret < 0) {
		rule_free(r);
		return ret;
	}
	return 1;
}

static int add_file(struct conf *conf, const char *file, const char **stored)
{
	char **files = reallocarray(conf->files, conf->n_files + 1, sizeof(*files));

	if (!files)
		return -ENOMEM;
	conf->files = files;
	files[conf->n_files] = strdup(file);
	if (!files[conf->n_files])
		return -ENOMEM;
	*stored = files[conf->n_files++];
	return 0;
}

static int add_rule(struct conf *conf, const struct conf_rule *r)
{
	struct conf_rule *rules;

	if (conf->n_rules >= CONF_MAX_RULES)
		return -E2BIG;
	/* Doubling: a configuration near the limit costs no quadratic copying. */
	if (conf->n_rules == conf->rules_cap) {
		size_t cap = conf->rules_cap ? 2 * conf->rules_cap : 16;

		rules = reallocarray(conf->rules, cap, sizeof(*rules));
		if (!rules)
			return -ENOMEM;
		conf->rules = rules;
		conf->rules_cap = cap;
	}
	conf->rules[conf->n_rules++] = *r;
	return 0;
}

int conf_parse_buffer(struct conf *conf, const char *file, const char *buf,
		      size_t len, const char *iscript_dir, bool ignore_errors,
		      struct diag_list *diags)
{
	struct line_ctx ctx = {
		.diags = diags,
		.error_level = ignore_errors ? DIAG_WARNING : DIAG_ERROR,
		.iscript_dir = iscript_dir,
	};
	bool had_error = false;
	int ret = add_file(conf, file, &ctx.file);

	if (ret < 0)
		return ret;
	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t line_len = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		struct conf_rule r = { 0 };

		ctx.line++;
		ret = parse_line(&ctx, buf + pos, line_len, &r);
		pos += line_len + 1;
		if (ret == -EINVAL) {
			had_error = true;
			continue;
		}
		if (ret <= 0) {
			if (ret < 0)
				return ret;
			continue;
		}
		r.file = ctx.file;
		r.line = ctx.line;
		ret = add_rule(conf, &r);
		if (ret < 0) {
			rule_free(&r);
			if (ret == -E2BIG)
				diag_add(diags, DIAG_ERROR, ctx.file, ctx.line,
					 "more than %d polydir entries in all files",
					 CONF_MAX_RULES);
			return ret == -E2BIG ? -EINVAL : ret;
		}
	}
	return had_error && !ignore_errors ? -EINVAL : 0;
}
