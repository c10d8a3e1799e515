/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The requests the module sends the helper, from its arguments and the
 * session's users: what the helper's wire_decode_request() must accept for
 * every argument list polyns_options_parse() accepts.  No system calls.
 */
#ifndef POLYNS_REQUEST_H
#define POLYNS_REQUEST_H

#include <pwd.h>
#include <sys/types.h>

#include "options.h"
#include "wire.h"

/*
 * Open a session for user, requested by ruser (their passwd entries: name,
 * uid, gid, home).  caller_umask is the caller's; polydirs made for root
 * never get a looser one than 022.  service (PAM_SERVICE, the application's
 * choice) is sent only if it fits a wire string.  The strings point into o,
 * the entries and service.
 */
void request_open(const struct polyns_options *o, const struct passwd *user,
		  const struct passwd *ruser, const char *service, mode_t caller_umask,
		  struct wire_request *req);

/*
 * Close user's session (NULL or "": "?", as PAM_USER may be by then): the
 * arguments only, every list empty; the caller adds the instances, polydirs
 * and shared set the session kept.
 */
void request_close(const struct polyns_options *o, const char *user,
		   struct wire_request *req);

#endif
