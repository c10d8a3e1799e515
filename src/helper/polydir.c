/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "polydir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hlog.h"
#include "instance_name.h"
#include "selinux_label.h"
#include "mounts.h"
#include "pending.h"
#include "util.h"
#include "walk.h"

#define TMPDIR_TRIES 100

/*
 * Polydirs, instance parents and rdirs may lie below users' directories:
 * symlinks are followed only while no one but root could have planted them.
 */
#define WALK_POLY (WALK_FOLLOW_SAFE | WALK_DIRECTORY)

/* out = a + sep + b, or -ENAMETOOLONG. */
static int concat(char *out, size_t len, const char *a, const char *sep, const char *b)
{
	int n = snprintf(out, len, "%s%s%s", a, sep, b);

	return (n < 0 || (size_t)n >= len) ? -ENAMETOOLONG : 0;
}

/*
 * A polydir named after $HOME must be the user's own (or root's): another
 * user's directory there would get the session's instance parent and an
 * instance owned by that other user.
 */
static int check_home_owner(const struct polydir_job *job, const struct polydir_env *env,
			    int fd)
{
	struct stat st;

	if (!job->plan.home_polydir)
		return 0;
	if (fstat(fd, &st) < 0) {
		int ret = -errno;

		hlog(LOG_ERR, "polydir %s: %s", job->plan.dir, strerror(-ret));
		return ret;
	}
	if (st.st_uid != 0 && st.st_uid != env->uid) {
		hlog(LOG_ERR, "polydir %s belongs to uid %u, neither the user nor root",
		     job->plan.dir, (unsigned int)st.st_uid);
		return -EPERM;
	}
	return 0;
}

/*
 * A mode without its set-user-ID bit, said if it had it: the polydirs step
 * may never set it (its filter refuses: fchmod of a root program is all a
 * compromised step would need to make a set-user-ID root program).  On a
 * directory the bit means nothing to Linux, so an instance or a created
 * polydir loses nothing by it.  The set-group-ID bit, which makes new files
 * take the directory's group, is kept, as pam_namespace keeps it.
 */
static mode_t without_setuid(const char *path, mode_t mode)
{
	if (mode & S_ISUID)
		hlog(LOG_NOTICE, "%s: mode %04o without its set-user-ID bit", path,
		     (unsigned int)(mode & 07777));
	return mode & 03777;
}

/*
 * The mode (less the set-user-ID bit) on a directory still ours, read back
 * into st.  fchmod keeps a set-group-ID bit only for a member of the
 * directory's group (no step holds CAP_FSETID): a directory made in a
 * set-group-ID parent of another group loses it, which is said.
 */
static int set_mode(const char *path, int fd, mode_t mode, struct stat *st)
{
	if (fchmod(fd, without_setuid(path, mode)) < 0 || fstat(fd, st) < 0)
		return -errno;
	if ((mode & S_ISGID) && !(st->st_mode & S_ISGID))
		hlog(LOG_WARNING, "%s: made without its set-group-ID bit (its first group, %u, "
		     "is not root's)", path, (unsigned int)st->st_gid);
	return 0;
}

/* The polydir, created (with create=) only when missing; an fd to mount on. */
static int open_polydir(const struct polydir_job *job, const struct polydir_env *env,
			struct walk *w)
{
	const struct plan_job *p = &job->plan;
	struct stat st;
	int ret = walk_open(p->dir, WALK_POLY, 0, w);

	/* Made with mode 0 and opened for reading: fchmod and fchown set it up. */
	if (ret == -ENOENT && (p->rule_flags & RULE_CREATE))
		ret = walk_open(p->dir, WALK_POLY | WALK_MKDIR | WALK_READ, 0, w);
	if (ret < 0) {
		char msg[512];

		hlog(LOG_ERR, "polydir %s", walk_describe(msg, sizeof(msg), p->dir, w, ret));
		return ret;
	}
	if (!w->created)
		return check_home_owner(job, env, w->fd);
	ret = set_mode(p->dir, w->fd, p->create_mode, &st);
	if (ret == 0 && fchown(w->fd, p->create_uid, p->create_gid) < 0)
		ret = -errno;
	if (ret < 0) {
		hlog(LOG_ERR, "polydir %s: setting up the new directory failed: %s", p->dir,
		     strerror(-ret));
		return ret;
	}
	hlog_debug("created polydir %s", p->dir);
	return 0;
}

static int open_parent(const char *parent, const struct polydir_env *env,
		       struct walk *w)
{
	struct stat st;
	int ret = walk_open(parent, WALK_POLY | WALK_MKDIR, 0, w);

	if (ret < 0) {
		char msg[512];

		hlog(LOG_ERR, "instance parent %s",
		     walk_describe(msg, sizeof(msg), parent, w, ret));
		return ret;
	}
	if (fstat(w->fd, &st) < 0) {
		ret = -errno;
		hlog(LOG_ERR, "instance parent %s: %s", parent, strerror(-ret));
		return ret;
	}
	if (!env->ignore_parent_mode && !root_sealed_dir(&st)) {
		hlog(LOG_ERR, "mode of instance parent %s is not 000 or its owner is not "
		     "root", parent);
		return -EPERM;
	}
	return 0;
}

/*
 * A tmpdir instance's pending record, made before the instance: whatever
 * happens to this helper, its caller or the close, a later close finds it.
 * A path too long for a record is made without one (removed at close only).
 */
static int record_tmpdir(struct polydir_job *job, const struct polydir_env *env,
			 const char *parent, const char *name)
{
	char path[CONF_PATH_MAX];
	int r = concat(path, sizeof(path), strcmp(parent, "/") ? parent : "", "/", name);

	job->record[0] = '\0';
	if (r == 0)
		r = pending_record_name(env->mntns, path, job->record, sizeof(job->record));
	if (r == 0)
		r = pending_ahead(env->pending_fd, env->mntns, path, env->caller);
	if (r == -ENAMETOOLONG)
		hlog_debug("%s is too long for a pending record", path);
	else if (r < 0)
		hlog(LOG_ERR, "cannot record tmpdir instance %s: %s", path, strerror(-r));
	if (r < 0)
		job->record[0] = '\0';
	return r == -ENAMETOOLONG ? 0 : r;
}

static void forget_tmpdir(struct polydir_job *job, const struct polydir_env *env)
{
	if (job->record[0] && pending_forget(env->pending_fd, job->record, env->caller) < 0)
		hlog(LOG_ERR, "cannot drop the pending record of %s", job->instance);
	job->record[0] = '\0';
}

/* mkdtemp() on an fd: the template's trailing XXXXXX become random. */
static int make_tmpdir(struct polydir_job *job, const struct polydir_env *env, int parent_fd,
		       const char *parent, char *name)
{
	static const char chars[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	size_t len = strlen(name);
	unsigned char rnd[6];

	if (len < 6)
		return -EINVAL;
	for (int i = 0; i < TMPDIR_TRIES; i++) {
		int r;

		if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
			return -EIO;
		for (size_t k = 0; k < 6; k++)
			name[len - 6 + k] = chars[rnd[k] % (sizeof(chars) - 1)];
		r = record_tmpdir(job, env, parent, name);
		if (r < 0)
			return r;
		if (mkdirat(parent_fd, name, 0700) == 0)
			return 0;
		r = -errno;
		forget_tmpdir(job, env);
		if (r != -EEXIST)
			return r;
	}
	return -EEXIST;
}

/*
 * New instances copy the polydir's owner, group and mode (less the
 * set-user-ID bit): the mode first, while the directory is still ours
 * (set_mode()); chown keeps a set-group-ID bit on a directory.
 */
static int shape_new_instance(const char *path, int fd, const struct stat *poly)
{
	struct stat st = { 0 };
	int r = set_mode(path, fd, poly->st_mode, &st);

	if (r < 0)
		return r;
	if ((st.st_uid != poly->st_uid || st.st_gid != poly->st_gid) &&
	    fchown(fd, poly->st_uid, poly->st_gid) < 0)
		return -errno;
	return 0;
}

/* An instance that existed already is reused only if it is sound. */
static int check_old_instance(int fd, const struct stat *poly, uid_t user)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (st.st_uid != 0 && st.st_uid != poly->st_uid && st.st_uid != user)
		return -EPERM;
	return 0;
}

static int make_instance(struct polydir_job *job, int parent_fd, const char *parent,
			 char *base, const struct stat *poly, const struct polydir_env *env,
			 int *inst_fd)
{
	int ret;

	if (job->plan.method == METHOD_TMPDIR) {
		ret = make_tmpdir(job, env, parent_fd, parent, base);
		job->newdir = ret == 0;
		job->made_tmpdir = ret == 0;
	} else if (mkdirat(parent_fd, base, 0400) == 0) {
		job->newdir = true;
		ret = 0;
	} else {
		ret = errno == EEXIST ? 0 : -errno;
	}
	if (ret < 0) {
		hlog(LOG_ERR, "creating instance %s failed: %s", job->instance, strerror(-ret));
		return ret;
	}
	*inst_fd = openat(parent_fd, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (*inst_fd < 0) {
		ret = -errno;
		hlog(LOG_ERR, "instance %s is not a directory we can use: %m", job->instance);
	} else if (job->newdir) {
		ret = shape_new_instance(job->instance, *inst_fd, poly);
		if (ret == 0 && job->label)
			ret = se_get_ops()->set_file_context(*inst_fd, job->label);
		if (ret < 0)
			hlog(LOG_ERR, "setting owner, mode or label of instance %s failed: %s",
			     job->instance, strerror(-ret));
	} else {
		ret = check_old_instance(*inst_fd, poly, env->uid);
		if (ret < 0)
			hlog(LOG_ERR, "existing instance %s belongs to someone else",
			     job->instance);
	}
	if (ret < 0 && job->newdir)
		(void)unlinkat(parent_fd, base, AT_REMOVEDIR);
	if (ret < 0 && job->made_tmpdir)
		forget_tmpdir(job, env);
	if (ret < 0)
		job->made_tmpdir = false;
	return ret;
}

static int setup_tmpfs(struct polydir_job *job, int poly_fd)
{
	const char *bad = NULL;
	const struct plan_job *p = &job->plan;
	int ret = mount_tmpfs_fd(poly_fd, p->mount_flags,
				 p->mount_data[0] ? p->mount_data : NULL, &bad);

	if (ret < 0) {
		hlog(LOG_ERR, "mounting tmpfs on %s failed: %s%s%s", p->dir,
		     strerror(-ret), bad ? "; options " : "", bad ? bad : "");
		return ret;
	}
	(void)snprintf(job->instance, sizeof(job->instance), "tmpfs");
	job->newdir = true;
	return 0;
}

/*
 * With SELinux: the instance's label, and for context/level its name, from
 * the polydir's label (pam_namespace's form_context and poly_name).
 */
static int label_instance(struct polydir_job *job, const struct polydir_env *env,
			  int poly_fd)
{
	const struct se_ops *se = se_get_ops();
	struct plan_job *p = &job->plan;
	bool level = p->method == METHOD_LEVEL;
	_cleanup_close_ int fd = -1;
	char *pcon = NULL;
	int ret;

	if (!p->name_later && !se->enabled())
		return 0;
	fd = openat(poly_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ret = fd < 0 ? -errno : se->file_context(fd, &pcon);
	if (ret < 0) {
		hlog(LOG_ERR, "cannot read the SELinux context of %s: %s", p->dir,
		     strerror(-ret));
		return ret;
	}
	if (!p->name_later) {
		job->label = pcon; /* user, tmpdir: the polydir's own context */
		return 0;
	}
	ret = se_instance_context(level, env->scon, pcon, &job->label);
	free(pcon);
	if (ret == 0)
		ret = instance_name(p->method, p->rule_flags & RULE_SHARED, env->user_name,
				    job->label, env->gen_hash, job->label_name,
				    sizeof(job->label_name));
	if (ret == 0)
		p->name = job->label_name;
	if (ret < 0)
		hlog(LOG_ERR, "no SELinux instance context for %s: %s", p->dir,
		     strerror(-ret));
	return ret;
}

/*
 * The init script's 6th argument, by pam_namespace's rule (1.7.1, and so
 * 1.5.2-6+deb12u3): its check_safe_path() lstat()s the instance path's
 * ancestors (the parent up to "/") by path, in the new namespace, after
 * this polydir's mount, and wants each a root-owned directory not writable
 * by group or others unless sticky.  So walk the parent again now instead
 * of using the walk made before the mount: with the parent inside the
 * polydir, as in Debian's "/var/tmp  /var/tmp/tmp-inst/", the path now
 * names a directory inside the instance, usually missing: 0.  Our walk
 * also judges "/" and follows no symbolic link below a directory others
 * can write to, where pam_namespace follows root's; neither matters on a
 * real system.  Advisory, like pam_namespace's: nothing acts on it here.
 */
static bool instance_path_safe(const char *parent)
{
	struct walk w;
	struct stat st;
	bool safe;

	if (walk_open(parent, WALK_POLY, 0, &w) < 0)
		return false;
	safe = w.safe_path && fstat(w.fd, &st) == 0 && root_safe_dir(&st, true);
	(void)close(w.fd);
	return safe;
}

static int setup_instance(struct polydir_job *job, const struct polydir_env *env,
			  const struct walk *poly)
{
	char parent[CONF_PATH_MAX], base[CONF_PATH_MAX];
	struct walk pw = { .fd = -1 };
	struct stat st;
	int inst_fd = -1, ret;

	if (fstat(poly->fd, &st) < 0) {
		ret = -errno;
		hlog(LOG_ERR, "polydir %s: %s", job->plan.dir, strerror(-ret));
		return ret;
	}
	ret = label_instance(job, env, poly->fd);
	if (ret < 0)
		return ret;
	ret = instance_path_split(job->plan.prefix, job->plan.name, parent, sizeof(parent),
				  base, sizeof(base));
	if (ret < 0) {
		hlog(LOG_ERR, "no valid instance path for %s: %s", job->plan.dir,
		     strerror(-ret));
		return ret;
	}
	ret = open_parent(parent, env, &pw);
	if (ret == 0) {
		ret = make_instance(job, pw.fd, parent, base, &st, env, &inst_fd);
		/* base now holds the real name (tmpdir) */
		if (concat(job->instance, sizeof(job->instance),
			   strcmp(parent, "/") ? parent : "", "/", base) < 0 && ret == 0) {
			hlog(LOG_ERR, "instance path for %s is too long", job->plan.dir);
			ret = -ENAMETOOLONG;
		}
	}
	if (ret == 0) {
		ret = mount_bind_fd(inst_fd, poly->fd);
		if (ret < 0) {
			hlog(LOG_ERR, "mounting %s on %s failed: %s", job->instance, job->plan.dir,
			     strerror(-ret));
			if (job->made_tmpdir) {
				(void)unlinkat(pw.fd, base, AT_REMOVEDIR);
				forget_tmpdir(job, env);
			}
			job->made_tmpdir = false;
		}
	}
	/* Only an init script is told (and never for tmpfs): no walk for nobody. */
	if (ret == 0 && !(job->plan.rule_flags & RULE_NOINIT) && job->plan.method != METHOD_TMPFS)
		job->safe_instance = instance_path_safe(parent);
	if (inst_fd >= 0)
		(void)close(inst_fd);
	if (job->made_tmpdir)
		job->parent_fd = pw.fd; /* kept: a later failure removes it through this fd */
	else if (pw.fd >= 0)
		(void)close(pw.fd);
	return ret;
}

int polydir_setup(struct polydir_job *job, const struct polydir_env *env)
{
	struct walk poly;
	int ret = open_polydir(job, env, &poly);

	if (ret < 0)
		return ret;
	job->safe_polydir = poly.safe_path;
	/* For messages until the real instance path is known. */
	if (concat(job->instance, sizeof(job->instance), job->plan.prefix, "",
		   job->plan.name) < 0) {
		(void)close(poly.fd);
		hlog(LOG_ERR, "instance path for %s is too long", job->plan.dir);
		return -ENAMETOOLONG;
	}
	if (job->plan.method == METHOD_TMPFS)
		ret = setup_tmpfs(job, poly.fd);
	else
		ret = setup_instance(job, env, &poly);
	(void)close(poly.fd);
	if (ret == 0)
		hlog_debug("polyinstantiated %s with %s%s", job->plan.dir, job->instance,
			   job->newdir ? " (new)" : "");
	return ret;
}

int polydir_unmount_rdir(const struct polydir_job *job)
{
	return polydir_detach(job->plan.rdir);
}

int polydir_detach(const char *path)
{
	char link[64];
	struct walk w;
	int ret = walk_open(path, WALK_POLY, 0, &w);

	if (ret < 0) {
		char msg[512];

		hlog(LOG_ERR, "unmounting %s", walk_describe(msg, sizeof(msg), path, &w, ret));
		return ret;
	}
	/* The checked fd, through its magic link: nothing is resolved again. */
	(void)snprintf(link, sizeof(link), "/proc/self/fd/%d", w.fd);
	ret = umount2(link, MNT_DETACH) < 0 ? -errno : 0;
	(void)close(w.fd);
	if (ret == -EINVAL) {
		hlog_debug("%s was not a mount point", path);
		return 0;
	}
	if (ret < 0)
		hlog(LOG_ERR, "unmounting %s failed: %s", path, strerror(-ret));
	return ret;
}

void polydir_undo_tmpdir(struct polydir_job *job, const struct polydir_env *env)
{
	const char *slash = strrchr(job->instance, '/');

	if (!job->made_tmpdir || !slash)
		return;
	/* Only ever empty here: nothing ran in it yet. */
	if (unlinkat(job->parent_fd, slash + 1, AT_REMOVEDIR) == 0 || errno == ENOENT)
		forget_tmpdir(job, env);
	polydir_job_release(job);
}

void polydir_job_release(struct polydir_job *job)
{
	if (job->made_tmpdir)
		(void)close(job->parent_fd);
	job->made_tmpdir = false;
}
