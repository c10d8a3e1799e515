/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include "reg_wire.h"

#include <errno.h>
#include <string.h>

#include "options.h"
#include "registry.h"

int reg_msg_encode(struct wire_buf *b, const struct reg_msg *m)
{
	if (m->n_ns > WIRE_MAX_FDS)
		return -EMSGSIZE;
	wire_begin(b, MSG_REGISTRY);
	wire_put_u32(b, (uint32_t)m->result);
	wire_put_u32(b, m->mask);
	wire_put_str(b, m->plan);
	wire_put_str(b, m->key);
	wire_put_str(b, m->token);
	wire_put_u64(b, (uint64_t)m->caller.pid);
	wire_put_u64(b, m->caller.start);
	wire_put_u32(b, m->n_ns);
	for (uint32_t i = 0; i < m->n_ns; i++) {
		wire_put_u32(b, m->ns[i].ns_bit);
		wire_put_u64(b, m->ns[i].dev);
		wire_put_u64(b, m->ns[i].ino);
	}
	return wire_finish(b);
}

int reg_msg_decode(const uint8_t *msg, size_t len, struct reg_msg *m)
{
	struct wire_reader rd;
	uint64_t pid;
	uint32_t type;

	if (wire_open(msg, len, &type, &rd) < 0 || type != MSG_REGISTRY)
		return -EBADMSG;
	m->result = (int32_t)wire_get_u32(&rd);
	m->mask = wire_get_u32(&rd);
	m->plan = wire_get_str(&rd, true);
	m->key = wire_get_str(&rd, true);
	m->token = wire_get_str(&rd, true);
	pid = wire_get_u64(&rd);
	m->caller.pid = (pid_t)(pid & INT32_MAX);
	m->caller.start = wire_get_u64(&rd);
	m->n_ns = wire_get_u32(&rd);
	if (m->n_ns > WIRE_MAX_FDS)
		return -EBADMSG;
	for (uint32_t i = 0; i < m->n_ns; i++) {
		m->ns[i].ns_bit = wire_get_u32(&rd);
		m->ns[i].dev = wire_get_u64(&rd);
		m->ns[i].ino = wire_get_u64(&rd);
	}
	/* A pid is what pid_t holds, never a truncated larger number. */
	if (wire_done(&rd) < 0 || pid > INT32_MAX || m->result > 1 || m->result < -4095 ||
	    (m->mask & ~(uint32_t)POLYNS_NS_ALL) || strlen(m->key) >= REG_KEY_MAX ||
	    strlen(m->plan) > REG_PLAN_LEN)
		return -EBADMSG;
	return 0;
}

int reg_msg_join_ok(const struct reg_msg *m, const char *key, unsigned int mask,
		    size_t token_size)
{
	size_t key_len = strlen(key);
	struct procid session;

	/* The session part is a session fact, as the registry names them, and nothing else. */
	if (m->n_ns == 0 || m->caller.pid <= 0 || strncmp(m->token, key, key_len) != 0 ||
	    m->token[key_len] != '/' || reg_parse_session(m->token + key_len + 1, &session) < 0 ||
	    strlen(m->token) >= token_size)
		return -EBADMSG;
	for (uint32_t i = 0; i < m->n_ns; i++)
		if (!(m->ns[i].ns_bit & mask) || (m->ns[i].ns_bit & (m->ns[i].ns_bit - 1)))
			return -EBADMSG;
	return 0;
}
