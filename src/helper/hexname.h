/* SPDX-License-Identifier: BSD-3-Clause */
/* A path kept as a file name: lowercase hex of its bytes (no '/', no NUL). */
#ifndef POLYNS_HEXNAME_H
#define POLYNS_HEXNAME_H

#include <stddef.h>

/* 0, or -ENAMETOOLONG when out (len bytes, NUL included) is too small. */
int hexname_encode(const char *s, char *out, size_t len);

/* 0, or -EINVAL on an odd length, a non-hex digit, a NUL byte or no room. */
int hexname_decode(const char *hex, char *out, size_t len);

#endif
