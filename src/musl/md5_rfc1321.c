/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MD5 (RFC 1321, section 3), written from the RFC's description for the
 * musl build of the helper: Debian's libmd.a is built against glibc (it
 * calls __read_chk) and cannot be linked into a musl program.  The helper
 * hashes names with it (instance names, registry keys, set digests), so it
 * must give libmd's bytes exactly: tests/unit/test_md5.c and fuzz_config
 * compare the two.
 */
#include "md5_rfc1321.h"

#include <string.h>

/* T[i] = floor(abs(sin(i + 1)) * 2^32), the RFC's table. */
static const uint32_t T[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee,
	0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
	0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
	0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
	0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa,
	0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
	0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
	0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
	0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
	0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05,
	0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039,
	0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
	0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

/* Left-rotation amounts: four per round, each used for four operations in turn. */
static const uint8_t SHIFT[4][4] = {
	{ 7, 12, 17, 22 }, { 5, 9, 14, 20 }, { 4, 11, 16, 23 }, { 6, 10, 15, 21 },
};

static uint32_t rotl(uint32_t x, unsigned int n)
{
	return (x << n) | (x >> (32 - n));
}

static uint32_t load_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void store_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* One 16-word block (section 3.4): four rounds of sixteen operations. */
static void transform(uint32_t state[4], const uint8_t block[64])
{
	uint32_t x[16], a = state[0], b = state[1], c = state[2], d = state[3];

	for (size_t i = 0; i < 16; i++)
		x[i] = load_le32(block + 4 * i);
	for (unsigned int i = 0; i < 64; i++) {
		unsigned int round = i / 16, k;
		uint32_t f, next;

		switch (round) {
		case 0: /* F(X,Y,Z) = XY v not(X) Z */
			f = (b & c) | (~b & d);
			k = i;
			break;
		case 1: /* G(X,Y,Z) = XZ v Y not(Z) */
			f = (b & d) | (c & ~d);
			k = (5 * i + 1) % 16;
			break;
		case 2: /* H(X,Y,Z) = X xor Y xor Z */
			f = b ^ c ^ d;
			k = (3 * i + 5) % 16;
			break;
		default: /* I(X,Y,Z) = Y xor (X v not(Z)) */
			f = c ^ (b | ~d);
			k = (7 * i) % 16;
			break;
		}
		next = b + rotl(a + f + x[k] + T[i], SHIFT[round][i % 4]);
		a = d;
		d = c;
		c = b;
		b = next;
	}
	state[0] += a;
	state[1] += b;
	state[2] += c;
	state[3] += d;
}

void md5_rfc1321_init(struct md5_rfc1321 *m)
{
	/* Section 3.3: the words A, B, C, D, low-order bytes first. */
	m->state[0] = 0x67452301;
	m->state[1] = 0xefcdab89;
	m->state[2] = 0x98badcfe;
	m->state[3] = 0x10325476;
	m->length = 0;
}

void md5_rfc1321_update(struct md5_rfc1321 *m, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t used = (size_t)(m->length % 64);

	m->length += len;
	if (used > 0) {
		size_t take = 64 - used < len ? 64 - used : len;

		memcpy(m->block + used, p, take);
		p += take;
		len -= take;
		if (used + take < 64)
			return;
		transform(m->state, m->block);
	}
	for (; len >= 64; p += 64, len -= 64)
		transform(m->state, p);
	if (len > 0)
		memcpy(m->block, p, len);
}

void md5_rfc1321_final(struct md5_rfc1321 *m, uint8_t digest[MD5_RFC1321_DIGEST])
{
	/* Section 3.1-3.2: a 1 bit, zeros to 56 bytes mod 64, the bit length (mod 2^64). */
	static const uint8_t pad[64] = { 0x80 };
	uint64_t bits = m->length * 8;
	size_t used = (size_t)(m->length % 64);
	uint8_t tail[8];

	md5_rfc1321_update(m, pad, used < 56 ? 56 - used : 120 - used);
	for (unsigned int i = 0; i < 8; i++)
		tail[i] = (uint8_t)(bits >> (8 * i));
	md5_rfc1321_update(m, tail, sizeof(tail));
	for (size_t i = 0; i < 4; i++)
		store_le32(digest + 4 * i, m->state[i]);
	memset(m, 0, sizeof(*m));
}

void md5_rfc1321_hex(struct md5_rfc1321 *m, char hex[MD5_RFC1321_HEX])
{
	static const char digits[] = "0123456789abcdef";
	uint8_t digest[MD5_RFC1321_DIGEST];

	md5_rfc1321_final(m, digest);
	for (size_t i = 0; i < MD5_RFC1321_DIGEST; i++) {
		hex[2 * i] = digits[digest[i] >> 4];
		hex[2 * i + 1] = digits[digest[i] & 0xf];
	}
	hex[MD5_RFC1321_HEX - 1] = '\0';
}
