/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What close_session needs from open: the tmpdir instances this session made
 * and an fd to the mount namespace the session was opened from (where the
 * instance paths are not shadowed by the session's mounts).  Kept with
 * pam_set_data; never paths from the user.
 */
#ifndef POLYNS_CLOSE_DATA_H
#define POLYNS_CLOSE_DATA_H

#include <security/pam_modules.h>

#include <stdbool.h>

#include "converse.h"
#include "options.h"
#include "wire.h"

/*
 * Keep reply->tmpdirs, its shared-set session, and duplicates of the mount
 * and pid namespace fds we came from (-1: not left) and, with a pid
 * namespace, of /proc as it was before joining.  A PAM status.
 */
int close_data_store(pam_handle_t *pamh, const struct wire_reply *reply, int orig_mnt_fd,
		     int orig_pid_fd, int proc_fd);

/*
 * At close: remove the tmpdir instances through the helper, unless another
 * process still lives in the session's mount namespace (a background job
 * that outlived the shell keeps its files; the instances stay and are logged).
 */
void close_data_cleanup(pam_handle_t *pamh, struct conv_state *st,
			const struct polyns_options *opts);

/*
 * Did open keep anything for close?  If so, *proc_fd is the /proc kept from
 * before joining a pid namespace (still owned by the data), or -1.
 */
bool close_data_kept(pam_handle_t *pamh, int *proc_fd);

/*
 * During close_data_cleanup's conversation: answer the helper's one
 * MSG_LIVE_QUERY (which of the mount namespaces of its pending records have
 * a process) from the /proc that close looked at, on sock, built in out.
 * 0 or -errno; -EBADMSG for a query that was not expected (not at close, or
 * a second).
 */
int close_data_answer_live(pam_handle_t *pamh, int sock, struct wire_reader *rd,
			   struct wire_buf *out);

/*
 * A session that failed after the helper made tmpdirs or counted it in a
 * set: remove them now, and end its session there.  mnt_fd is the session's
 * mount namespace (its instances' records name it), or -1.
 */
void close_data_discard(pam_handle_t *pamh, struct conv_state *st,
			const struct polyns_options *opts, const struct wire_reply *reply,
			int mnt_fd);

#endif
