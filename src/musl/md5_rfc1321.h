/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MD5 as RFC 1321 describes it, for the musl build of the helper only
 * (src/musl/md5.h gives it libmd's names there).  Everything built against
 * glibc uses libmd; tests/unit/test_md5.c checks this one against the RFC's
 * vectors and against libmd.
 */
#ifndef POLYNS_MD5_RFC1321_H
#define POLYNS_MD5_RFC1321_H

#include <stddef.h>
#include <stdint.h>

#define MD5_RFC1321_DIGEST 16
#define MD5_RFC1321_HEX (2 * MD5_RFC1321_DIGEST + 1) /* lowercase, NUL-terminated */

struct md5_rfc1321 {
	uint32_t state[4];  /* A, B, C, D */
	uint64_t length;    /* bytes taken so far */
	uint8_t block[64];  /* the partial block, length % 64 bytes of it */
};

void md5_rfc1321_init(struct md5_rfc1321 *m);
void md5_rfc1321_update(struct md5_rfc1321 *m, const void *data, size_t len);
/* Pads, writes the digest and leaves m to be initialised again. */
void md5_rfc1321_final(struct md5_rfc1321 *m, uint8_t digest[MD5_RFC1321_DIGEST]);
/* md5_rfc1321_final() as lowercase hex, as libmd's MD5End() writes it. */
void md5_rfc1321_hex(struct md5_rfc1321 *m, char hex[MD5_RFC1321_HEX]);

#endif
