/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MSG_REGISTRY, between the helper and its registry child (registrar.h):
 * the helper names the set it wants, the child answers what became of it.
 * The same framing and checks as the module's messages (wire.h).
 */
#ifndef POLYNS_REG_WIRE_H
#define POLYNS_REG_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "procid.h"
#include "wire.h"

struct reg_msg {
	int32_t result; /* answer: 1 joined, 0 make, -errno */
	uint32_t mask;
	const char *plan, *key, *token;
	struct procid caller; /* question: the session's caller; join: the holder */
	uint32_t n_ns;
	struct wire_ns ns[WIRE_MAX_FDS];
};

/* 0 or -EMSGSIZE. */
int reg_msg_encode(struct wire_buf *b, const struct reg_msg *m);

/*
 * Decode one datagram; strings point into msg.  0 or -EBADMSG (another type,
 * malformed, a result that is neither 0, 1 nor -errno, a pid that is not a
 * pid, an unknown namespace bit, a key or plan too long for the registry).
 */
int reg_msg_decode(const uint8_t *msg, size_t len, struct reg_msg *m);

/*
 * A join answer for the set key: namespaces recorded, each one of mask's
 * types, a holder, and a token "KEY/FACT" shorter than token_size, FACT a
 * session fact's name (reg_parse_session()).  0 or -EBADMSG.
 */
int reg_msg_join_ok(const struct reg_msg *m, const char *key, unsigned int mask,
		    size_t token_size);

#endif
