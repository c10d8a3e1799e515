/* SPDX-License-Identifier: BSD-3-Clause */
/* Splitting one namespace.conf line into fields, exactly as pam_namespace does. */
#ifndef POLYNS_CONF_LEX_H
#define POLYNS_CONF_LEX_H

#include <stddef.h>

#include "conf.h"

struct conf_fields {
	char *storage; /* all fields, NUL-separated */
	char *v[CONF_MAX_FIELDS];
	size_t n;
};

/*
 * line/len: one line without its newline.  Drops everything from the first
 * '#' (quoted or not), then splits on blanks honouring "..." and backslash
 * escapes (\n \t \b; any other escaped byte stands for itself).
 * Returns 0 (f->n may be 0 for a blank or comment line), -E2BIG for more than
 * CONF_MAX_FIELDS fields, -ENOMEM.
 */
int conf_split_fields(const char *line, size_t len, struct conf_fields *f);

void conf_fields_free(struct conf_fields *f);

/* The blanks of pam_namespace's isspace() in the C locale. */
static inline int conf_is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	       c == '\r';
}

#endif
