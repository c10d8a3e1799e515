/* SPDX-License-Identifier: BSD-3-Clause */
/* Prints the helper's seccomp allowlist and capability table from the source tables. */
#include <stdio.h>
#include <string.h>

#include "steps.h"
#include "sandbox_rules.h"

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "seccomp") == 0)
		sandbox_rules_write_policy(stdout);
	else if (argc == 2 && strcmp(argv[1], "capabilities") == 0)
		steps_write_policy(stdout);
	else {
		(void)fprintf(stderr, "usage: print_policy seccomp|capabilities\n");
		return 2;
	}
	return 0;
}
