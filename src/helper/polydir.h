/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One polyinstantiated directory, as pam_namespace sets it up: the polydir
 * (made with create= if missing), the mode-000 instance parent, the instance
 * (a copy of the polydir's owner and mode when new), and the mount.  Runs in
 * the session's new mount namespace, with fds only.
 */
#ifndef POLYNS_POLYDIR_H
#define POLYNS_POLYDIR_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "plan.h"
#include "procid.h"

struct polydir_job {
	char *label; /* SELinux context for a new instance, or NULL */
	/* filled by polydir_setup */
	bool newdir;
	bool safe_polydir, safe_instance;
	bool made_tmpdir; /* a tmpdir instance to remove on failure or close */
	int parent_fd;    /* with made_tmpdir: its parent, to undo without a new walk */
	struct plan_job plan; /* what to do (with name_later, plan.name becomes label_name) */
	char instance[CONF_PATH_MAX]; /* absolute instance path, or "tmpfs" */
	char record[NAME_MAX + 1]; /* a tmpdir's pending record (pending.h), or "" */
	char label_name[CONF_PATH_MAX]; /* name_later: the name made from the label */
};

struct polydir_env {
	uid_t uid; /* the session user */
	gid_t gid;
	bool ignore_parent_mode;
	bool gen_hash;
	const char *user_name;
	const char *scon; /* the session's SELinux context, or NULL */
	/* tmpdir instances are recorded before they are made (pending.h) */
	int pending_fd;
	uint64_t mntns;		     /* the session's mount namespace */
	const struct procid *caller; /* the session's caller */
};

/*
 * 0, or -errno after logging what failed, once: this polydir's setup is
 * where its path and the reason are known, so its callers do not log again.
 */
int polydir_setup(struct polydir_job *job, const struct polydir_env *env);

/*
 * unmnt_remnt/unmnt_only: lazily unmount what is mounted on the requesting
 * user's polydir (rdir) in this namespace.  "Not a mount point" is fine.
 */
int polydir_unmount_rdir(const struct polydir_job *job);

/* Lazily unmount what is mounted on path (walked as above).  0 or -errno (logged). */
int polydir_detach(const char *path);

/* Remove an empty tmpdir instance this helper made (after a later failure), and its record. */
void polydir_undo_tmpdir(struct polydir_job *job, const struct polydir_env *env);

/* Close what a job still holds. */
void polydir_job_release(struct polydir_job *job);

#endif
