/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The helper's only log channel: MSG_LOG on the socket; the module forwards
 * each line to pam_syslog.  The helper has no stderr worth writing to.
 * polyns-admin, which shares the registry code, logs to its standard error.
 */
#ifndef POLYNS_HLOG_H
#define POLYNS_HLOG_H

#include <stdbool.h>
#include <syslog.h>

void hlog_init(int sock, bool debug);

/* polyns-admin: lines go to standard error as "PROG: line". */
void hlog_to_stderr(const char *prog, bool debug);

/* Whether debug lines are sent (the module's debug option). */
bool hlog_debug_enabled(void);

__attribute__((format(printf, 2, 3))) void hlog(int priority, const char *fmt, ...);

/* Debug lines are sent only with the module's debug option. */
#define hlog_debug(...) hlog(LOG_DEBUG, __VA_ARGS__)

#endif
