/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzz target: module arguments.  The input is split on NUL or newline into
 * at most 64 words, as pam.d would hand them to the module.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_WORDS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *argv[MAX_WORDS];
	struct polyns_options opts;
	char err[256];
	char *buf;
	int argc = 0;

	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (size_t i = 0, start = 0; i <= size && argc < MAX_WORDS; i++) {
		if (i == size || buf[i] == '\n' || buf[i] == '\0') {
			buf[i] = '\0';
			argv[argc++] = buf + start;
			start = i + 1;
		}
	}
	(void)polyns_options_parse(argc, argv, &opts, err, sizeof(err));
	free(buf);
	return 0;
}
