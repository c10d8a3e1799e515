/* SPDX-License-Identifier: BSD-3-Clause */
#include "request.h"

#include <string.h>

void request_open(const struct polyns_options *o, const struct passwd *user,
		  const struct passwd *ruser, const char *service, mode_t caller_umask,
		  struct wire_request *req)
{
	/* The helper only carries the service: one it could not carry is left out. */
	if (!service || strlen(service) > WIRE_MAX_STRING)
		service = "";
	*req = (struct wire_request){
		.op = OP_OPEN, .flags = o->flags, .unmnt = o->unmnt,
		.share = o->share, .ns_mask = o->ns_mask, .config = o->config,
		.config_dir = o->config_dir, .init = o->init,
		.runtime_dir = o->runtime_dir, .service = service,
		.registry = "", .context = "",
		/* Behind su the umask is the user's: never looser than 022 for root's dirs. */
		.umask = (caller_umask | 022) & 0777,
		.user = { user->pw_name, user->pw_uid, user->pw_gid, user->pw_dir },
		.ruser = { ruser->pw_name, ruser->pw_uid, ruser->pw_gid, ruser->pw_dir },
	};
}

void request_close(const struct polyns_options *o, const char *user,
		   struct wire_request *req)
{
	/* The helper wants a name, never an empty one; at close it only names. */
	const char *name = user && user[0] ? user : "?";

	*req = (struct wire_request){
		.op = OP_CLOSE, .flags = o->flags, .config = o->config,
		.config_dir = o->config_dir, .init = o->init,
		.runtime_dir = o->runtime_dir, .service = "", .context = "",
		.user = { name, 0, 0, "" }, .ruser = { name, 0, 0, "" }, .registry = "",
	};
}
