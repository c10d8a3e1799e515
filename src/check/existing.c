/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "existing.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"
#include "walk.h"

struct shape {
	uid_t uid;
	gid_t gid;
	mode_t mode; /* permission and set-id bits */
};

static const char *user_name(uid_t uid, char *buf, size_t len)
{
	const struct passwd *pw = getpwuid(uid);

	if (pw)
		(void)snprintf(buf, len, "%s", pw->pw_name);
	else
		(void)snprintf(buf, len, "uid %u", (unsigned int)uid);
	return buf;
}

/* Can u make files in a directory of this shape (by its primary group)? */
static bool writable_by(const struct shape *s, const struct session_user *u)
{
	if (u->uid == 0)
		return true;
	if (s->uid == u->uid)
		return (s->mode & 0300) == 0300;
	if (s->gid == u->gid)
		return (s->mode & 0030) == 0030;
	return (s->mode & 0003) == 0003;
}

/* What a new instance would be: a copy of the polydir (or of what create= makes). */
static int new_instance_shape(const struct plan_job *job, struct shape *s)
{
	struct stat st;

	if (lstat(job->dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return -ENOTDIR;
		*s = (struct shape){ st.st_uid, st.st_gid, st.st_mode & 07777 };
		return 0;
	}
	if (errno != ENOENT || !(job->rule_flags & RULE_CREATE))
		return -errno;
	*s = (struct shape){ job->create_uid, job->create_gid, job->create_mode & 07777 };
	return 0;
}

void existing_instance_report(const struct plan_job *job, const struct session_user *u,
			      const char *parent, const char *base, struct diag_list *diags)
{
	_cleanup_close_ int dfd = open(parent, O_PATH | O_DIRECTORY | O_CLOEXEC);
	char path[2 * CONF_PATH_MAX + 2], now_owner[64], new_owner[64];
	struct shape now, want = { 0 };
	struct stat st;

	(void)snprintf(path, sizeof(path), "%s/%s", strcmp(parent, "/") ? parent : "", base);
	if (dfd < 0 || fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return; /* no instance yet: the first session makes one */
	if (!S_ISDIR(st.st_mode)) {
		(void)printf("  existing instance: not a directory\n");
		diag_add(diags, DIAG_ERROR, job->file, job->line, "existing instance %s is not "
			 "a directory: a session of %s fails", path, u->name);
		return;
	}
	now = (struct shape){ st.st_uid, st.st_gid, st.st_mode & 07777 };
	(void)printf("  existing instance: owner %s, group %u, mode %04o\n",
		     user_name(now.uid, now_owner, sizeof(now_owner)), (unsigned int)now.gid,
		     (unsigned int)now.mode);
	if (new_instance_shape(job, &want) < 0)
		return; /* no polydir to compare with: the session reports that itself */
	if (now.uid != 0 && now.uid != want.uid && now.uid != u->uid) {
		diag_add(diags, DIAG_ERROR, job->file, job->line, "existing instance %s "
			 "belongs to %s, neither root, the polydir's owner nor %s: a session "
			 "of %s is refused", path, now_owner, u->name, u->name);
		return;
	}
	if (now.uid == want.uid && now.gid == want.gid && now.mode == want.mode)
		return;
	diag_add(diags, DIAG_WARNING, job->file, job->line, "existing instance %s is "
		 "owned by %s, group %u, mode %04o, and is used as it is; a new one would be "
		 "owned by %s, group %u, mode %04o like %s%s%s%s", path, now_owner,
		 (unsigned int)now.gid, (unsigned int)now.mode,
		 user_name(want.uid, new_owner, sizeof(new_owner)), (unsigned int)want.gid,
		 (unsigned int)want.mode, job->dir,
		 writable_by(&want, u) && !writable_by(&now, u) ? ": " : "",
		 writable_by(&want, u) && !writable_by(&now, u) ? u->name : "",
		 writable_by(&want, u) && !writable_by(&now, u) ? " cannot write to it" : "");
}

void existing_parent_report(const char *file, unsigned int line, const char *parent,
			    struct parents_seen *seen, struct diag_list *diags)
{
	char owner[64];
	struct walk w;
	struct stat st;
	int r;

	for (size_t i = 0; i < seen->n; i++)
		if (strcmp(seen->v[i], parent) == 0)
			return;
	if (seen->n < ARRAY_SIZE(seen->v))
		(void)snprintf(seen->v[seen->n++], sizeof(seen->v[0]), "%s", parent);
	r = walk_open(parent, WALK_FOLLOW_SAFE | WALK_DIRECTORY, 0, &w);
	if (r == -ENOENT)
		return; /* the session makes it (root's, mode 000), or says what is missing above */
	if (r < 0) {
		char msg[512];

		diag_add(diags, DIAG_WARNING, file, line, "instance parent %s: a session "
			 "refuses it", walk_describe(msg, sizeof(msg), parent, &w, r));
		return;
	}
	r = fstat(w.fd, &st);
	(void)close(w.fd);
	if (r < 0 || root_sealed_dir(&st))
		return;
	diag_add(diags, DIAG_WARNING, file, line, "instance parent %s is owned by %s, group %u, "
		 "mode %04o: a session refuses it unless the module has "
		 "ignore_instance_parent_mode (it must be root's, mode 000; polyns-check "
		 "--tmpfiles makes it so at boot)", parent,
		 user_name(st.st_uid, owner, sizeof(owner)), (unsigned int)st.st_gid,
		 (unsigned int)(st.st_mode & 07777));
}
