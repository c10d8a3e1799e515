/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "close_data.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <security/pam_ext.h>
#include <security/pam_modutil.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "converse.h"
#include "spawn.h"
#include "util.h"

#define DATA_KEY "pam_polyns:close_data"

struct close_data {
	int mntns_fd;
	uint32_t n;
	char *paths[WIRE_MAX_POLYDIRS];
};

static void free_data(pam_handle_t *pamh, void *data, int error_status)
{
	struct close_data *cd = data;

	(void)pamh;
	(void)error_status;
	if (cd->mntns_fd >= 0)
		(void)close(cd->mntns_fd);
	for (uint32_t i = 0; i < cd->n; i++)
		free(cd->paths[i]);
	free(cd);
}

int close_data_store(pam_handle_t *pamh, const struct wire_reply *reply, int orig_mnt_fd)
{
	struct close_data *cd = calloc(1, sizeof(*cd));

	if (!cd)
		return PAM_BUF_ERR;
	cd->mntns_fd = orig_mnt_fd >= 0 ? fcntl(orig_mnt_fd, F_DUPFD_CLOEXEC, 3) : -1;
	for (uint32_t i = 0; i < reply->n_tmpdirs; i++) {
		cd->paths[i] = strdup(reply->tmpdirs[i]);
		if (!cd->paths[i])
			break;
		cd->n++;
	}
	if (cd->mntns_fd < 0 || cd->n != reply->n_tmpdirs ||
	    pam_set_data(pamh, DATA_KEY, cd, free_data) != PAM_SUCCESS) {
		pam_syslog(pamh, LOG_ERR, "cannot keep the data close_session needs");
		free_data(pamh, cd, 0);
		return PAM_SYSTEM_ERR;
	}
	return PAM_SUCCESS;
}

/* Processes other than us in our mount namespace (read-only /proc liveness count). */
static int others_in_my_mntns(void)
{
	struct stat self, st;
	DIR *d;
	struct dirent *de;
	int n = 0;
	pid_t me = getpid();

	if (stat("/proc/self/ns/mnt", &self) < 0 || !(d = opendir("/proc")))
		return -errno;
	while ((de = readdir(d))) {
		char path[64];
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (*end || pid <= 0 || pid == me)
			continue;
		(void)snprintf(path, sizeof(path), "/proc/%ld/ns/mnt", pid);
		if (stat(path, &st) == 0 && st.st_dev == self.st_dev && st.st_ino == self.st_ino)
			n++;
	}
	(void)closedir(d);
	return n;
}

static void remove_tmpdirs(pam_handle_t *pamh, const struct polyns_options *o,
			   const struct close_data *cd)
{
	static struct wire_request req;
	const void *user = NULL;
	struct helper_proc h;
	struct helper_result res;
	char why[512];

	(void)pam_get_item(pamh, PAM_USER, &user);
	req = (struct wire_request){
		.op = OP_CLOSE, .flags = o->flags, .config = o->config,
		.config_dir = o->config_dir, .init = o->init, .runtime_dir = o->runtime_dir,
		.service = "", .context = "",
		.user = { user ? user : "?", 0, 0, "" },
		.ruser = { user ? user : "?", 0, 0, "" },
		.n_cleanup = cd->n,
	};
	for (uint32_t i = 0; i < cd->n; i++)
		req.cleanup[i] = cd->paths[i];
	if (helper_spawn_in(o->helper, cd->mntns_fd, &h, why, sizeof(why)) < 0) {
		pam_syslog(pamh, LOG_ERR, "cannot start the helper to remove tmpdir "
			   "instances: %s", why);
		return;
	}
	if (converse(pamh, &h, &req, o->timeout_sec, &res) < 0)
		return;
	if (res.reply.status != STATUS_OK)
		pam_syslog(pamh, LOG_ERR, "some tmpdir instances could not be removed");
	helper_result_close(&res);
}

void close_data_cleanup(pam_handle_t *pamh, const struct polyns_options *opts)
{
	const void *data = NULL;
	const struct close_data *cd;
	int others;

	if (pam_get_data(pamh, DATA_KEY, &data) != PAM_SUCCESS || !data)
		return;
	cd = data;
	others = others_in_my_mntns();
	if (others != 0)
		pam_syslog(pamh, LOG_NOTICE, "keeping %u tmpdir instance(s): %s", cd->n,
			   others > 0 ? "other processes of the session still run"
				      : "cannot tell whether the session is still in use");
	else
		remove_tmpdirs(pamh, opts, cd);
	(void)pam_set_data(pamh, DATA_KEY, NULL, NULL);
}
