/* SPDX-License-Identifier: BSD-3-Clause */
/* What one session gets: the plan from the config and the request, carried out. */
#ifndef POLYNS_SESSION_H
#define POLYNS_SESSION_H

#include "nsmake.h"
#include "wire.h"

/*
 * Read the configuration, ask the module about names, decide which
 * namespaces the session gets, and make them.  Returns the wire status; on
 * STATUS_OK, made holds one fd per namespace.  Every problem is logged.
 */
enum wire_status session_open(int sock, const struct wire_request *req,
			      struct made_ns *made);

#endif
