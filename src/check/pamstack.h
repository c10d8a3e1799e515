/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * polyns-check's look at the PAM stacks: a set kept in the registry
 * (share=user, share=group, ns=pid or ns=time: polyns_uses_registry) has a
 * holder that stays in the cgroup of the session that made it, so
 * pam_polyns.so must come before pam_systemd.so, which moves the session
 * into a scope that ends with it.  Every service file of a PAM directory is
 * read with its includes (@include, include, substack) the way Linux-PAM
 * reads them, and each pam_polyns.so line with such options that comes
 * after a pam_systemd.so line in a session stack is reported once, as a
 * warning at the pam_polyns.so line.  pam_polyns.so arguments that the
 * module would refuse are reported too.
 *
 * Backups are not services: names with a '.' (sshd.before-polyns,
 * common-session.dpkg-old) or ending in '~' are skipped.
 */
#ifndef POLYNS_PAMSTACK_H
#define POLYNS_PAMSTACK_H

#include <stdbool.h>

#include "diag.h"

/*
 * Read the services in dir.  A directory that does not exist is nothing to
 * check (explicit: a warning that it could not be read).  Warnings go to
 * diags; 0 or -errno when dir could not be listed.
 */
int pamstack_check(const char *dir, bool explicit, struct diag_list *diags);

#endif
