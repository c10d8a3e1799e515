/* SPDX-License-Identifier: BSD-3-Clause */
/* The helper's seccomp programs, one per step, generated at build time by seccomp_gen.c. */
#ifndef POLYNS_SECCOMP_PROG_H
#define POLYNS_SECCOMP_PROG_H

#include <linux/filter.h>

#include "steps.h"

extern const struct sock_fprog polyns_seccomp[STEP_COUNT];

#endif
