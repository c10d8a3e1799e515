/* SPDX-License-Identifier: BSD-3-Clause */
#include "hexname.h"

#include <errno.h>

static const char digits[] = "0123456789abcdef";

int hexname_encode(const char *s, char *out, size_t len)
{
	size_t o = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (o + 3 > len)
			return -ENAMETOOLONG;
		out[o++] = digits[*p >> 4];
		out[o++] = digits[*p & 0xf];
	}
	if (o >= len)
		return -ENAMETOOLONG;
	out[o] = '\0';
	return 0;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int hexname_decode(const char *hex, char *out, size_t len)
{
	size_t o = 0;

	for (const char *p = hex; *p; p += 2) {
		int hi = hex_value(p[0]), lo = p[1] ? hex_value(p[1]) : -1;

		if (hi < 0 || lo < 0 || o + 1 >= len || (hi | lo) == 0)
			return -EINVAL;
		out[o++] = (char)(hi << 4 | lo);
	}
	if (len == 0)
		return -EINVAL;
	out[o] = '\0';
	return 0;
}
