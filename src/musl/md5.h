/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libmd's <md5.h>, the part the helper uses, over md5_rfc1321.c: on the
 * include path of the musl build of the helper only (Makefile, HELPER_CC),
 * where libmd cannot be linked.  Everything else includes libmd's own.
 */
#ifndef POLYNS_MUSL_MD5_H
#define POLYNS_MUSL_MD5_H

#include "md5_rfc1321.h"

#define MD5_DIGEST_LENGTH MD5_RFC1321_DIGEST
#define MD5_DIGEST_STRING_LENGTH MD5_RFC1321_HEX

typedef struct md5_rfc1321 MD5_CTX;

static inline void MD5Init(MD5_CTX *ctx)
{
	md5_rfc1321_init(ctx);
}

static inline void MD5Update(MD5_CTX *ctx, const uint8_t *data, size_t len)
{
	md5_rfc1321_update(ctx, data, len);
}

/* Unlike libmd's, buf is required (the helper never asks for a malloc'ed one). */
static inline char *MD5End(MD5_CTX *ctx, char *buf)
{
	md5_rfc1321_hex(ctx, buf);
	return buf;
}

static inline char *MD5Data(const uint8_t *data, size_t len, char *buf)
{
	MD5_CTX ctx;

	md5_rfc1321_init(&ctx);
	md5_rfc1321_update(&ctx, data, len);
	return MD5End(&ctx, buf);
}

#endif
