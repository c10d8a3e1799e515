/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "report.h"

#include <errno.h>
#include <grp.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "options.h"

/* Whose set a key names: shared.c's make_key() spells them so. */
struct key_owner {
	const char *kind; /* "user", "group", "session"; NULL if the key is none of them */
	unsigned long long id; /* uid or gid (a session set's key is random: none) */
	char name[256];	       /* user or group name; "" if unknown */
};

static void key_owner(const char *key, struct key_owner *o)
{
	static const char *const kinds[] = { "user", "group", "session" };
	const char *rest = NULL;
	char *end;

	*o = (struct key_owner){ 0 };
	for (size_t i = 0; i < 3 && !rest; i++) {
		size_t len = strlen(kinds[i]);

		if (strncmp(key, kinds[i], len) == 0 && key[len] == '-') {
			o->kind = kinds[i];
			rest = key + len + 1;
		}
	}
	if (rest && strcmp(o->kind, "session") == 0)
		return; /* "session-" and 64 random bits in hex: no owner in the key */
	if (!rest || *rest < '0' || *rest > '9') {
		o->kind = NULL;
		return;
	}
	errno = 0;
	o->id = strtoull(rest, &end, 10);
	if (errno || *end != '-') {
		o->kind = NULL;
		return;
	}
	if (strcmp(o->kind, "user") == 0) {
		const struct passwd *pw = getpwuid((uid_t)o->id);

		if (pw)
			(void)snprintf(o->name, sizeof(o->name), "%s", pw->pw_name);
	} else if (strcmp(o->kind, "group") == 0) {
		const struct group *gr = getgrgid((gid_t)o->id);

		if (gr)
			(void)snprintf(o->name, sizeof(o->name), "%s", gr->gr_name);
	}
}

/* Seconds since the holder started (its start time is in clock ticks since boot). */
static long long age_seconds(const struct set_view *v)
{
	struct timespec now;
	long ticks = sysconf(_SC_CLK_TCK);
	long long started;

	if (ticks <= 0 || clock_gettime(CLOCK_BOOTTIME, &now) < 0)
		return -1;
	started = (long long)(v->entry.holder.start / (uint64_t)ticks);
	return now.tv_sec >= started ? now.tv_sec - started : 0;
}

static void format_age(long long s, char *buf, size_t len)
{
	if (s < 0)
		(void)snprintf(buf, len, "-");
	else if (s < 60)
		(void)snprintf(buf, len, "%llds", s);
	else if (s < 3600)
		(void)snprintf(buf, len, "%lldm%02llds", s / 60, s % 60);
	else if (s < 86400)
		(void)snprintf(buf, len, "%lldh%02lldm", s / 3600, s % 3600 / 60);
	else
		(void)snprintf(buf, len, "%lldd%02lldh", s / 86400, s % 86400 / 3600);
}

static const char *state(const struct set_view *v)
{
	if (set_in_use(v->holder_alive, &v->sessions))
		return "in-use";
	return v->holder_alive == 0 ? "holder-gone" : "unused";
}

/* The set's namespaces in one order (mnt, ipc, net, pid, ...), whatever the entry's. */
static size_t ns_sorted(const struct reg_entry *e, const struct wire_ns **out)
{
	size_t n = 0;

	for (unsigned int bit = 1; bit & POLYNS_NS_ALL; bit <<= 1)
		for (size_t i = 0; i < e->n_ns; i++)
			if (e->ns[i].ns_bit == bit)
				out[n++] = &e->ns[i];
	return n;
}

/* ---- JSON ---- */

/* Is s valid UTF-8 (so that it can go into JSON as it is)? */
static bool utf8_valid(const unsigned char *s)
{
	while (*s) {
		size_t n = *s < 0x80 ? 0 : (*s & 0xe0) == 0xc0 ? 1 : (*s & 0xf0) == 0xe0 ? 2 :
			   (*s & 0xf8) == 0xf0 ? 3 : 4;

		if (n == 4 || (n == 1 && *s < 0xc2))
			return false;
		s++;
		for (size_t i = 0; i < n; i++, s++)
			if ((*s & 0xc0) != 0x80)
				return false;
	}
	return true;
}

/* A JSON string; bytes of a string that is not UTF-8 are written as \u00XX. */
static void json_str(FILE *out, const char *s)
{
	bool utf8 = utf8_valid((const unsigned char *)s);

	(void)fputc('"', out);
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\')
			(void)fprintf(out, "\\%c", *c);
		else if (*c < 0x20 || *c == 0x7f || (*c >= 0x80 && !utf8))
			(void)fprintf(out, "\\u%04x", *c);
		else
			(void)fputc(*c, out);
	}
	(void)fputc('"', out);
}

static void json_set(struct report *rep, const char *key, const struct set_view *v,
		     int error)
{
	FILE *out = rep->out;
	const struct reg_entry *e;
	const struct reg_sweep *sw;
	const struct wire_ns *ns[WIRE_MAX_FDS];
	struct key_owner o;
	size_t n_ns;

	(void)fprintf(out, "%s\n    {\"key\": ", rep->n ? "," : "");
	json_str(out, key);
	if (!v) {
		(void)fprintf(out, ", \"error\": ");
		json_str(out, error == -EPERM ? "not root's or malformed" :
			      error == -EXDEV ? "made from another pid namespace" : strerror(-error));
		(void)fprintf(out, "}");
		return;
	}
	e = &v->entry;
	sw = &v->sessions;
	key_owner(key, &o);
	(void)fprintf(out, ", \"kind\": ");
	if (o.kind)
		json_str(out, o.kind);
	else
		(void)fprintf(out, "null");
	if (o.kind && strcmp(o.kind, "session") != 0) {
		(void)fprintf(out, ", \"%s\": %llu, \"name\": ",
			      strcmp(o.kind, "user") == 0 ? "uid" : "gid", o.id);
		if (o.name[0])
			json_str(out, o.name);
		else
			(void)fprintf(out, "null");
	}
	(void)fprintf(out, ",\n     \"holder\": {\"pid\": %d, \"start\": %" PRIu64
		      ", \"running\": %s, \"ends_with_entry\": %s},\n     \"namespaces\": [",
		      (int)e->holder.pid, e->holder.start,
		      v->holder_alive == 1 ? "true" : v->holder_alive == 0 ? "false" : "null",
		      e->watched ? "true" : "false");
	n_ns = ns_sorted(e, ns);
	for (size_t i = 0; i < n_ns; i++)
		(void)fprintf(out, "%s{\"type\": \"%s\", \"dev\": %" PRIu64 ", \"ino\": %" PRIu64 "}",
			      i ? ", " : "", polyns_ns_name(ns[i]->ns_bit), ns[i]->dev, ns[i]->ino);
	(void)fprintf(out, "],\n     \"sessions\": {\"open\": %u, \"unchecked\": %u, \"gone\": %u, "
		      "\"callers\": [", sw->live, sw->unknown, sw->gone);
	for (unsigned int i = 0; i < sw->live && i < REG_SWEEP_PIDS; i++)
		(void)fprintf(out, "%s%d", i ? ", " : "", (int)sw->live_pid[i]);
	(void)fprintf(out, "]},\n     \"age_seconds\": %lld, \"state\": \"%s\", \"in_use\": %s, "
		      "\"tmpdirs\": [", age_seconds(v), state(v),
		      set_in_use(v->holder_alive, sw) ? "true" : "false");
	for (size_t i = 0; i < e->n_tmpdirs; i++) {
		(void)fprintf(out, "%s", i ? ", " : "");
		json_str(out, e->tmpdirs[i]);
	}
	(void)fprintf(out, "]}");
}

/* ---- text ---- */

static void text_set(struct report *rep, const char *key, const struct set_view *v)
{
	char owner[300], holder[32], sessions[32], age[32];
	const struct wire_ns *ns[WIRE_MAX_FDS];
	const struct reg_entry *e;
	struct key_owner o;
	size_t n_ns;

	if (!v) {
		(void)fprintf(rep->out, "%-*s %-7s %-16s %-8s %-8s %-7s %-11s %s\n", rep->key_width,
			      key, "-", "-", "-", "-", "-", "refused", "-");
		return;
	}
	e = &v->entry;
	key_owner(key, &o);
	if (!o.kind || strcmp(o.kind, "session") == 0)
		(void)snprintf(owner, sizeof(owner), "-"); /* a session set: see its session */
	else if (o.name[0])
		(void)snprintf(owner, sizeof(owner), "%s", o.name);
	else
		(void)snprintf(owner, sizeof(owner), "%s %llu", strcmp(o.kind, "user") == 0 ?
			       "uid" : "gid", o.id);
	(void)snprintf(holder, sizeof(holder), "%d%s", (int)e->holder.pid,
		       v->holder_alive == 1 ? "" : v->holder_alive == 0 ? "(gone)" : "(?)");
	if (v->sessions.unknown)
		(void)snprintf(sessions, sizeof(sessions), "%u+%u?", v->sessions.live,
			       v->sessions.unknown);
	else
		(void)snprintf(sessions, sizeof(sessions), "%u", v->sessions.live);
	format_age(age_seconds(v), age, sizeof(age));
	(void)fprintf(rep->out, "%-*s %-7s %-16s %-8s %-8s %-7s %-11s ", rep->key_width, key,
		      o.kind ? o.kind : "-", owner, holder, sessions, age, state(v));
	n_ns = ns_sorted(e, ns);
	for (size_t i = 0; i < n_ns; i++)
		(void)fprintf(rep->out, "%s%s:[%" PRIu64 "]", i ? "," : "",
			      polyns_ns_name(ns[i]->ns_bit), ns[i]->ino);
	(void)fprintf(rep->out, "\n");
}

void report_begin(struct report *rep, FILE *out, bool json, const char *runtime_dir,
		  size_t longest_key)
{
	*rep = (struct report){ out, json, 0, longest_key > 26 ? (int)longest_key : 26 };
	if (json) {
		(void)fprintf(out, "{\"runtime_dir\": ");
		json_str(out, runtime_dir);
		(void)fprintf(out, ",\n \"sets\": [");
	} else {
		(void)fprintf(out, "%-*s %-7s %-16s %-8s %-8s %-7s %-11s %s\n", rep->key_width,
			      "KEY", "KIND", "OWNER", "HOLDER", "SESSIONS", "AGE", "STATE",
			      "NAMESPACES");
	}
}

void report_set(struct report *rep, const char *key, const struct set_view *v, int error)
{
	if (rep->json)
		json_set(rep, key, v, error);
	else
		text_set(rep, key, v);
	rep->n++;
}

void report_end(struct report *rep)
{
	if (rep->json)
		(void)fprintf(rep->out, "%s]}\n", rep->n ? "\n " : "");
	(void)fflush(rep->out);
}
