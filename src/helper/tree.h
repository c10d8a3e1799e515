/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Emptying users' tmpdir instances, in a child of their own (the tree
 * step): the trees are the user's, so the code that walks them runs with
 * only CAP_DAC_OVERRIDE (to reach entries other users left in them), inside
 * a Landlock domain that allows reading and removing beneath the instances
 * it was handed and nothing else, under a filter without chmod, chown,
 * rename, mkdir, mounts, sockets or signals.  It never removes an instance
 * itself: that rmdir, in the root-only parent, stays with the helper.
 */
#ifndef POLYNS_TREE_H
#define POLYNS_TREE_H

#include <stddef.h>

#include "child.h"

/* In setup: fork the tree child.  0 or -errno. */
int tree_start(struct child *c);

/*
 * Have the tree child empty the directories open at fds[0..n) (n at most
 * WIRE_MAX_POLYDIRS; each stays within its filesystem).  results[i] is 0
 * or -errno.  The child ends after one batch.  0, or -errno when it gave no
 * results: then it has been reaped and why (len bytes) says what happened,
 * or is "" when the child said why itself.
 */
int tree_empty(struct child *c, const int *fds, size_t n, int *results, char *why,
	       size_t len);

#endif
