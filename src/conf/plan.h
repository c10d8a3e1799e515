/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The session plan: which polydirs one session gets and how, from the
 * configuration, the session's users and options, and the answers to one
 * names query.  Pure (no system calls, no logging: problems come back as
 * diagnostics), so the helper, polyns-check --user, the fuzzers and the unit
 * tests all run the same decisions.
 *
 * Order of use:
 *   plan_query()  the names the configuration needs resolved (one query);
 *                 over the limits of a query it fails, for every caller alike;
 *   (the caller answers the query: the module over the socket, NSS in the checker)
 *   plan_make()   the jobs, whose strings belong to the plan: the
 *                 configuration and the name table may be freed right after it.
 */
#ifndef POLYNS_PLAN_H
#define POLYNS_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "conf.h"
#include "conf_expand.h"
#include "conf_resolve.h"
#include "diag.h"
#include "wire.h"

/* What one session can carry: one names query, one reply. */
#define PLAN_MAX_NAMES WIRE_MAX_NAMES    /* users, and groups, in the query */
#define PLAN_MAX_JOBS WIRE_MAX_POLYDIRS  /* polydirs set up or unmounted */
/* context-method instance contexts: one selinuxfs "member" fd each (the helper's pool) */
#define PLAN_MAX_CONTEXT_JOBS 8

/*
 * One polydir of the session: everything the steps that touch files need.
 * Its strings are never NULL, each shorter than CONF_PATH_MAX, and owned
 * elsewhere: by the plan's arena (plan_make()) or by the message a job was
 * decoded from (plan_wire_get_job()).  So a job is about 100 bytes, not a
 * 4 KiB buffer a path, and a copy of it shares its strings.
 */
struct plan_job {
	size_t rule_index; /* the rule's position in the configuration */
	unsigned int line;
	enum conf_method method;
	unsigned int rule_flags; /* RULE_* */
	bool home_polydir;       /* the polydir was written with $HOME */
	bool name_later;
	bool setup;         /* polyinstantiate (false: unmount only) */
	bool unmount_first; /* unmnt_remnt/unmnt_only: detach the requester's rdir */
	/* A missing polydir is made (RULE_CREATE) with these, as resolved. */
	mode_t create_mode;
	uid_t create_uid;
	gid_t create_gid;
	unsigned long mount_flags; /* tmpfs: MS_NOSUID, MS_NODEV, MS_NOEXEC */
	const char *file;   /* the rule's file and line, for messages */
	const char *dir;    /* the polydir, expanded for the session's user */
	const char *rdir;   /* with unmount_first: the requester's polydir; else "" */
	const char *prefix; /* the instance prefix, expanded */
	/* Instance name ("" for tmpfs, the mkdtemp template for tmpdir); with
	   name_later "", the helper names the instance from the polydir's label. */
	const char *name;
	const char *iscript;    /* the init script to run ("" with noinit) */
	const char *mount_data; /* tmpfs: other mount options, or "" */
};

struct plan_chunk; /* plan.c: where a plan's strings live */

/* What became of each rule of the configuration. */
enum plan_verdict {
	PLAN_RULE_JOB = 1,   /* a job of the plan */
	PLAN_RULE_NOT_LISTED, /* the user list leaves this user (and ruser) out */
	PLAN_RULE_SKIPPED,   /* shared context/level instance without SELinux */
	PLAN_RULE_ERROR,     /* a diagnostic says why (a warning with ignore_config_error) */
};

struct plan_input {
	struct session_user user;  /* the session's user */
	struct session_user ruser; /* the requesting user (unmnt_remnt, unmnt_only) */
	unsigned int flags;        /* POLYNS_OPT_*: gen_hash, ignore_config_error */
	unsigned int unmnt;        /* POLYNS_UNMNT_* */
	const char *context;       /* the session's SELinux context, or NULL */
	mode_t umask;              /* the caller's: polydirs made without a create mode */
	const char *init;          /* the default init script */
};

struct plan {
	struct plan_job *jobs;
	size_t n_jobs;
	enum plan_verdict *verdicts; /* one per rule, in configuration order */
	size_t n_rules;
	struct plan_chunk *strings; /* the jobs' strings */
};

/*
 * The distinct user and group names in conf (create= owners and groups, user
 * lists), into q; strings point into conf.  Returns 0, or -E2BIG with an
 * error diagnostic naming the rule where a session's query overflows.
 */
int plan_query(const struct conf *conf, struct wire_names *q, struct diag_list *diags);

/*
 * The plan for one session.  res answers the names of plan_query().  Every
 * rule is looked at, so that every problem becomes a diagnostic.  Returns 0,
 * -EINVAL when a rule has an error (never with ignore_config_error), -E2BIG
 * when more than PLAN_MAX_JOBS polydirs apply (with a diagnostic),
 * -ENOMEM, or another -errno from the resolver.  On failure p holds what was
 * planned so far; plan_free() it in every case.
 */
int plan_make(const struct conf *conf, const struct plan_input *in,
	      const struct name_resolver *res, struct plan *p, struct diag_list *diags);

void plan_free(struct plan *p);

#endif
