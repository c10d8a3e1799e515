/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "util.h"

static char *format_text(enum diag_level level, const char *file,
			 unsigned int line, const char *msg)
{
	const char *tag = level == DIAG_WARNING ? "warning: " : "";
	char *text = NULL;
	int r;

	if (line > 0)
		r = asprintf(&text, "%s:%u: %s%s", file, line, tag, msg);
	else
		r = asprintf(&text, "%s: %s%s", file, tag, msg);
	return r < 0 ? NULL : text;
}

void diag_add(struct diag_list *dl, enum diag_level level, const char *file,
	      unsigned int line, const char *fmt, ...)
{
	_cleanup_free_ char *msg = NULL;
	va_list ap;
	int r;

	if (level == DIAG_ERROR)
		dl->n_errors++;
	if (dl->n >= DIAG_MAX) {
		dl->n_dropped++;
		return;
	}
	va_start(ap, fmt);
	r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (r < 0) {
		msg = NULL;
		dl->n_dropped++;
		return;
	}
	struct diag *v = reallocarray(dl->v, dl->n + 1, sizeof(*v));
	if (!v) {
		dl->n_dropped++;
		return;
	}
	dl->v = v;
	char *text = format_text(level, file, line, msg);
	if (!text) {
		dl->n_dropped++;
		return;
	}
	dl->v[dl->n++] = (struct diag){ .level = level, .text = text };
}

void diag_list_free(struct diag_list *dl)
{
	for (size_t i = 0; i < dl->n; i++)
		free(dl->v[i].text);
	free(dl->v);
	*dl = (struct diag_list){ 0 };
}
