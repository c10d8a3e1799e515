/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "hlog.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include "channel.h"
#include "wire.h"

static int log_sock = -1;
static bool log_debug;
static const char *log_prog;

void hlog_init(int sock, bool debug)
{
	log_sock = sock;
	log_debug = debug;
}

void hlog_to_stderr(const char *prog, bool debug)
{
	log_prog = prog;
	log_debug = debug;
}

bool hlog_debug_enabled(void)
{
	return log_debug;
}

void hlog(int priority, const char *fmt, ...)
{
	static struct wire_buf b;
	char text[1024];
	va_list ap;

	if ((log_sock < 0 && !log_prog) || (priority == LOG_DEBUG && !log_debug))
		return;
	va_start(ap, fmt);
	(void)vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (log_prog) {
		(void)fprintf(stderr, "%s: %s%s\n", log_prog,
			      priority == LOG_WARNING ? "warning: " : "", text);
		return;
	}
	if (wire_encode_log(&b, &(struct wire_log){ (uint32_t)priority, text }) < 0 ||
	    channel_send(log_sock, &b, NULL, 0) < 0)
		_exit(4); /* the module is gone or broken: nothing left to do */
}
