/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * polyns-helper: started by pam_polyns.so, never by hand.
 */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	(void)fprintf(stderr, "polyns-helper: the session protocol is not "
			      "implemented in this build\n");
	return 2;
}
