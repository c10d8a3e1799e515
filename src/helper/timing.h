/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Where the helper's time goes: named moments, logged as one debug line
 * (the module's debug option) so that an admin, and `make bench`, can see
 * it.  docs/benchmarks.md reads these lines.
 */
#ifndef POLYNS_TIMING_H
#define POLYNS_TIMING_H

/* Note that name (a string literal) happened now; the first is main's start. */
void timing_mark(const char *name);

/* "timing of OP (us after main): NAME T, ..." at debug level, if debug is on. */
void timing_log(const char *op);

#endif
