/* SPDX-License-Identifier: BSD-3-Clause */
#include "plan_wire.h"

#include <errno.h>
#include <string.h>
#include <sys/mount.h>

#define RULE_ALL (RULE_CREATE | RULE_NOINIT | RULE_ISCRIPT | RULE_SHARED | RULE_MNTOPTS | \
		  RULE_EXCLUSIVE)
#define MOUNT_FLAGS_ALL (MS_NOSUID | MS_NODEV | MS_NOEXEC) /* what mntopts= sets */

void plan_wire_put_job(struct wire_buf *b, const struct plan_job *j)
{
	wire_put_u64(b, j->rule_index);
	wire_put_str(b, j->file);
	wire_put_u32(b, j->line);
	wire_put_u32(b, (uint32_t)j->method);
	wire_put_u32(b, j->rule_flags);
	wire_put_u32(b, (uint32_t)j->home_polydir | (uint32_t)j->name_later << 1 |
			(uint32_t)j->setup << 2 | (uint32_t)j->unmount_first << 3);
	wire_put_str(b, j->dir);
	/* The requester's polydir matters only to unmnt_*: else not sent. */
	wire_put_str(b, j->unmount_first ? j->rdir : "");
	wire_put_str(b, j->prefix);
	wire_put_str(b, j->name);
	wire_put_u32(b, (uint32_t)j->create_mode);
	wire_put_u32(b, (uint32_t)j->create_uid);
	wire_put_u32(b, (uint32_t)j->create_gid);
	wire_put_str(b, j->iscript);
	wire_put_u64(b, j->mount_flags);
	wire_put_str(b, j->mount_data);
}

void plan_wire_begin(struct wire_buf *b, enum wire_status status, size_t n_jobs)
{
	wire_begin(b, MSG_PLAN);
	wire_put_u32(b, (uint32_t)status);
	wire_put_u32(b, n_jobs > PLAN_MAX_JOBS ? UINT32_MAX : (uint32_t)n_jobs);
}

/*
 * A string of the job, in the message: it must fit a path, and be absolute
 * when asked.  A refused one is "", as wire_get_str() gives.
 */
static const char *get_path(struct wire_reader *rd, bool may_be_empty, bool absolute)
{
	const char *s = wire_get_str(rd, may_be_empty);
	size_t n = strlen(s);

	if (n < CONF_PATH_MAX && !(absolute && n > 0 && s[0] != '/'))
		return s;
	rd->bad = true;
	return "";
}

int plan_wire_get_job(struct wire_reader *rd, struct plan_job *j)
{
	uint32_t bools;

	j->rule_index = (size_t)wire_get_u64(rd);
	j->file = get_path(rd, false, false);
	j->line = wire_get_u32(rd);
	j->method = (enum conf_method)wire_get_u32(rd);
	j->rule_flags = wire_get_u32(rd);
	bools = wire_get_u32(rd);
	j->home_polydir = bools & 1;
	j->name_later = bools & 2;
	j->setup = bools & 4;
	j->unmount_first = bools & 8;
	j->dir = get_path(rd, false, true);
	j->rdir = get_path(rd, true, true);
	/* tmpfs ignores the instance prefix, as pam_namespace does: any text */
	j->prefix = get_path(rd, true, j->method != METHOD_TMPFS);
	j->name = get_path(rd, true, false);
	j->create_mode = (mode_t)wire_get_u32(rd);
	j->create_uid = (uid_t)wire_get_u32(rd);
	j->create_gid = (gid_t)wire_get_u32(rd);
	j->iscript = get_path(rd, true, true);
	j->mount_flags = (unsigned long)wire_get_u64(rd);
	j->mount_data = get_path(rd, true, false);
	if (j->method < METHOD_USER || j->method > METHOD_TMPFS || (j->rule_flags & ~RULE_ALL) ||
	    bools > 15 || (j->create_mode & ~07777U) || (j->mount_flags & ~MOUNT_FLAGS_ALL) ||
	    strchr(j->name, '/') || (j->name_later && j->name[0]) ||
	    !(j->setup || j->unmount_first) ||
	    (!j->unmount_first && j->rdir[0]))
		rd->bad = true;
	return rd->bad ? -EBADMSG : 0;
}

int plan_wire_open(struct wire_reader *rd, enum wire_status *status, size_t *n_jobs)
{
	uint32_t s = wire_get_u32(rd), count = wire_get_u32(rd);

	if (rd->bad || s > STATUS_SYSTEM_ERR || count > PLAN_MAX_JOBS)
		return -EBADMSG;
	*status = (enum wire_status)s;
	*n_jobs = count;
	return 0;
}

int plan_wire_encode(struct wire_buf *b, enum wire_status status, const struct plan *p,
		     const char *user, struct diag_list *diags)
{
	size_t n = status == STATUS_OK ? p->n_jobs : 0;

	plan_wire_begin(b, status, n);
	for (size_t i = 0; i < n; i++) {
		plan_wire_put_job(b, &p->jobs[i]);
		if (b->overflow) {
			diag_add(diags, DIAG_ERROR, p->jobs[i].file, p->jobs[i].line,
				 "with this entry the plan of a session of %s is longer "
				 "than one message (%u bytes): its paths are too long", user,
				 WIRE_MAX_MSG);
			return -EMSGSIZE;
		}
	}
	return wire_finish(b);
}
