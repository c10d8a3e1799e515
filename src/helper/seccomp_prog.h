/* SPDX-License-Identifier: BSD-3-Clause */
/* The helper's seccomp programs, generated at build time by seccomp_gen.c. */
#ifndef POLYNS_SECCOMP_PROG_H
#define POLYNS_SECCOMP_PROG_H

#include <linux/filter.h>
#include <stddef.h>

extern const struct sock_filter polyns_seccomp_plain[];
extern const size_t polyns_seccomp_plain_len;
extern const struct sock_filter polyns_seccomp_selinux[];
extern const size_t polyns_seccomp_selinux_len;

#endif
