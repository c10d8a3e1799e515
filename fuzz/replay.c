/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A main() for the fuzz targets without libFuzzer: runs each file named on
 * the command line once (crash reproduction with gdb, valgrind, gcc builds).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rbe");
		uint8_t *buf = malloc(1024 * 1024 + 1);
		size_t n;

		if (!f || !buf) {
			perror(argv[i]);
			return 1;
		}
		n = fread(buf, 1, 1024 * 1024 + 1, f);
		(void)fclose(f);
		(void)LLVMFuzzerTestOneInput(buf, n);
		free(buf);
	}
	return 0;
}
