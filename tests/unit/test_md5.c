/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The musl helper's MD5 (src/musl/md5_rfc1321.c): RFC 1321's test suite
 * (appendix A.5), and the same bytes as libmd, which everything built
 * against glibc uses, for many inputs fed in random pieces.  Instance names,
 * registry keys and set digests depend on it being identical.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <md5.h>
#include <string.h>

#include "md5_rfc1321.h"

static void hex_of(const void *data, size_t len, char hex[MD5_RFC1321_HEX])
{
	struct md5_rfc1321 m;

	md5_rfc1321_init(&m);
	md5_rfc1321_update(&m, data, len);
	md5_rfc1321_hex(&m, hex);
}

static void md5_matches_rfc1321_test_suite(void **state)
{
	static const struct {
		const char *in, *digest;
	} suite[] = {
		{ "", "d41d8cd98f00b204e9800998ecf8427e" },
		{ "a", "0cc175b9c0f1b6a831c399e269772661" },
		{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
		{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
		{ "abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b" },
		{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
		  "d174ab98d277d9f5a5611c2c9f419d9f" },
		{ "1234567890123456789012345678901234567890"
		  "1234567890123456789012345678901234567890",
		  "57edf4a22be3c955ac49da2e2107b67a" },
	};
	char hex[MD5_RFC1321_HEX];

	(void)state;
	for (size_t i = 0; i < sizeof(suite) / sizeof(suite[0]); i++) {
		hex_of(suite[i].in, strlen(suite[i].in), hex);
		assert_string_equal(hex, suite[i].digest);
	}
}

/* Deterministic, so that a failure can be replayed. */
static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Lengths around every block and padding boundary, then random ones. */
static size_t length_for(unsigned int i, uint64_t *rng)
{
	if (i < 200)
		return i;
	return (size_t)(next(rng) % 5000);
}

static void md5_matches_libmd_on_random_inputs(void **state)
{
	static uint8_t data[5000];
	uint64_t rng = 0x9e3779b97f4a7c15ULL;
	char ours[MD5_RFC1321_HEX], theirs[MD5_DIGEST_STRING_LENGTH];

	(void)state;
	for (unsigned int i = 0; i < 3000; i++) {
		size_t len = length_for(i, &rng), off = 0;
		struct md5_rfc1321 m;
		MD5_CTX ctx;

		for (size_t j = 0; j < len; j++)
			data[j] = (uint8_t)next(&rng);
		md5_rfc1321_init(&m);
		MD5Init(&ctx);
		/* The same bytes in random pieces: the partial-block paths. */
		while (off < len) {
			size_t piece = (size_t)(next(&rng) % 130);

			if (piece > len - off)
				piece = len - off;
			md5_rfc1321_update(&m, data + off, piece);
			MD5Update(&ctx, data + off, piece);
			off += piece;
		}
		md5_rfc1321_hex(&m, ours);
		MD5End(&ctx, theirs);
		assert_string_equal(ours, theirs);
		/* And in one piece, as MD5Data() hashes instance names. */
		hex_of(data, len, ours);
		MD5Data(data, len, theirs);
		assert_string_equal(ours, theirs);
	}
}

static void md5_context_reusable_after_final(void **state)
{
	struct md5_rfc1321 m;
	char hex[MD5_RFC1321_HEX];

	(void)state;
	md5_rfc1321_init(&m);
	md5_rfc1321_update(&m, "abc", 3);
	md5_rfc1321_hex(&m, hex);
	md5_rfc1321_init(&m);
	md5_rfc1321_update(&m, "a", 1);
	md5_rfc1321_hex(&m, hex);
	assert_string_equal(hex, "0cc175b9c0f1b6a831c399e269772661");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(md5_matches_rfc1321_test_suite),
		cmocka_unit_test(md5_matches_libmd_on_random_inputs),
		cmocka_unit_test(md5_context_reusable_after_final),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
