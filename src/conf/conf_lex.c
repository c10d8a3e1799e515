/* SPDX-License-Identifier: BSD-3-Clause */
#include "conf_lex.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static char unescape(char c)
{
	switch (c) {
	case 'n':
		return '\n';
	case 't':
		return '\t';
	case 'b':
		return '\b';
	default:
		return c;
	}
}

int conf_split_fields(const char *line, size_t len, struct conf_fields *f)
{
	const char *hash = memchr(line, '#', len);
	bool in_field = false, quoted = false;
	char *out;

	*f = (struct conf_fields){ 0 };
	if (hash)
		len = (size_t)(hash - line);
	f->storage = malloc(len + 1);
	if (!f->storage)
		return -ENOMEM;
	out = f->storage;

	for (size_t i = 0; i < len; i++) {
		char c = line[i];

		if (quoted) {
			if (c == '"')
				quoted = false;
			else
				*out++ = c;
			continue;
		}
		if (conf_is_blank(c)) {
			if (in_field) {
				*out++ = '\0';
				in_field = false;
			}
			continue;
		}
		if (!in_field) {
			if (f->n == CONF_MAX_FIELDS) {
				conf_fields_free(f);
				return -E2BIG;
			}
			f->v[f->n++] = out;
			in_field = true;
		}
		if (c == '"') {
			quoted = true;
		} else if (c == '\\' && i + 1 < len) {
			*out++ = unescape(line[++i]);
		} else {
			*out++ = c; /* includes a trailing lone backslash */
		}
	}
	/* An unterminated quote runs to the end of the line. */
	*out = '\0';
	return 0;
}

void conf_fields_free(struct conf_fields *f)
{
	free(f->storage);
	*f = (struct conf_fields){ 0 };
}
