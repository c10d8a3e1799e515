/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The module <-> helper protocol: framed messages on a SOCK_SEQPACKET pair.
 *
 * Every message is one datagram: a fixed header (magic, version, type,
 * payload length) and a payload of fields in a fixed order per type.  Fields
 * are u32/u64 in host byte order (both ends are the same machine) and strings
 * as u32 length + bytes + a NUL, with no NUL inside.  The reader checks every length
 * against what is left, and a message with bytes left over is rejected: a
 * malformed message ends the conversation, never "best effort".
 *
 * Conversation (open):
 *   module  -> helper   MSG_REQUEST
 *   helper  -> module   MSG_LOG*                 (forwarded to pam_syslog)
 *   helper  -> module   MSG_NAMES_QUERY          (only if the config names users/groups)
 *   module  -> helper   MSG_NAMES_ANSWER
 *   helper  -> module   MSG_LOG*
 *   helper  -> module   MSG_REPLY + SCM_RIGHTS   (namespace fds, status)
 *
 * Conversation (close):
 *   module  -> helper   MSG_REQUEST              (op OP_CLOSE)
 *   helper  -> module   MSG_LOG*
 *   helper  -> module   MSG_LIVE_QUERY           (only with sweep_pending, and
 *   module  -> helper   MSG_LIVE_ANSWER           only if records are pending)
 *   helper  -> module   MSG_LOG*
 *   helper  -> module   MSG_REPLY
 */
#ifndef POLYNS_WIRE_H
#define POLYNS_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define WIRE_MAGIC 0x534e4c50U /* "PLNS" */
#define WIRE_VERSION 3U
#define WIRE_MAX_MSG 65536U
#define WIRE_MAX_STRING 4096U
#define WIRE_MAX_NAMES 256U
#define WIRE_MAX_FDS 8U
#define WIRE_MAX_POLYDIRS 64U /* init calls in a reply, instances to clean up */
#define WIRE_MAX_LIVE 1024U   /* mount namespaces asked about in one MSG_LIVE_QUERY */
#define WIRE_FD_SLOT 3 /* the helper's end of the socket */

/*
 * The helper's argv[0]: its name, padded with blanks to this many bytes.  A
 * holder forked from the helper writes "polyns-holder KEY" over its copy of
 * that memory (holder.c): the kernel shows a process's command line from
 * there, and without CAP_SYS_RESOURCE (PR_SET_MM) nothing else changes it.
 * Room for the longest key (REG_KEY_MAX) after "polyns-holder ".
 */
#define WIRE_HELPER_ARGV0 "polyns-helper"
#define WIRE_HELPER_ARGV0_LEN 112U

enum wire_type {
	MSG_REQUEST = 1,
	MSG_LOG,
	MSG_NAMES_QUERY,
	MSG_NAMES_ANSWER,
	MSG_REPLY,
	MSG_LIVE_QUERY,
	MSG_LIVE_ANSWER,
	/* between the helper and its own children, never to or from the module */
	MSG_PLAN,  /* plan child -> helper: the session's plan */
	MSG_TREE,  /* helper <-> tree child: instance fds to empty; one result each */
	MSG_REGISTRY, /* helper <-> registry child: the set to look up; what became of it */
};

enum wire_op {
	OP_OPEN = 1,
	OP_CLOSE,
};

struct wire_user {
	const char *name;
	uint32_t uid;
	uint32_t gid;
	const char *home;
};

struct wire_request {
	uint32_t op; /* enum wire_op */
	uint32_t flags; /* POLYNS_OPT_* */
	uint32_t unmnt;
	uint32_t share;
	uint32_t ns_mask;
	const char *config;
	const char *config_dir;
	const char *init;
	const char *runtime_dir;
	const char *service;
	const char *context; /* SELinux context for context/level ("" if none) */
	uint32_t umask;      /* the caller's, for polydirs made with create */
	struct wire_user user;
	struct wire_user ruser;
	/* OP_CLOSE: tmpdir instances this session made, to remove */
	uint32_t n_cleanup;
	const char *cleanup[WIRE_MAX_POLYDIRS];
	/* OP_CLOSE: polydirs to unmount first (unmount_on_close) */
	uint32_t n_unmount;
	const char *unmount[WIRE_MAX_POLYDIRS];
	/* OP_CLOSE: instances still in use by the mount namespace mntns_ino, to
	   record and remove at a later close once that namespace is gone */
	uint64_t mntns_ino; /* its id (NS_GET_MNTNS_ID) or nsfs inode */
	uint32_t n_defer;
	const char *defer[WIRE_MAX_POLYDIRS];
	/* OP_CLOSE: 1 when the module can tell which mount namespaces have
	   processes (it answers one MSG_LIVE_QUERY), so that instances kept at
	   earlier closes may be removed; 0 leaves them all */
	uint32_t sweep_pending;
	/* OP_CLOSE: the shared set's session this close ends ("" if none) */
	const char *registry;
};

struct wire_log {
	uint32_t priority; /* syslog priority */
	const char *text;
};

struct wire_names {
	uint32_t n_users;
	const char *users[WIRE_MAX_NAMES];
	uint32_t n_groups;
	const char *groups[WIRE_MAX_NAMES];
};

struct wire_answer {
	uint32_t n_users;
	struct {
		uint32_t found, uid, gid;
	} users[WIRE_MAX_NAMES];
	uint32_t n_groups;
	struct {
		uint32_t found, gid;
	} groups[WIRE_MAX_NAMES];
};

/*
 * Close: the helper names the mount namespaces of pending records (at most
 * WIRE_MAX_LIVE, each once), the module answers for each, in order, whether
 * a process is in it (1) or none is (0).  "Cannot tell" is answered 1.
 */
struct wire_live_query {
	uint32_t n;
	uint64_t ids[WIRE_MAX_LIVE];
};

struct wire_live_answer {
	uint32_t n;
	uint32_t live[WIRE_MAX_LIVE];
};

struct wire_ns {
	uint32_t ns_bit; /* POLYNS_NS_* */
	uint64_t dev;
	uint64_t ino;
};

enum wire_status {
	STATUS_OK = 0,
	STATUS_SESSION_ERR,  /* PAM_SESSION_ERR */
	STATUS_USER_UNKNOWN, /* PAM_USER_UNKNOWN */
	STATUS_SYSTEM_ERR,   /* PAM_SYSTEM_ERR */
};

/* One run of the namespace init script, done by the module after joining. */
struct wire_init {
	const char *script;
	const char *polydir;
	const char *instance; /* or "tmpfs" */
	uint32_t newdir;
	uint32_t safe_polydir;  /* ancestors root-owned and not writable by others */
	uint32_t safe_instance;
};

struct wire_reply {
	uint32_t status; /* enum wire_status */
	uint32_t n_ns;   /* also the number of fds attached, in this order */
	struct wire_ns ns[WIRE_MAX_FDS];
	uint32_t n_inits;
	struct wire_init inits[WIRE_MAX_POLYDIRS];
	uint32_t n_tmpdirs; /* instances to remove at close */
	const char *tmpdirs[WIRE_MAX_POLYDIRS];
	uint32_t n_polydirs; /* mounted polydirs (unmount_on_close) */
	const char *polydirs[WIRE_MAX_POLYDIRS];
	/* a shared set's session: "KEY/session.PID.START.N", for close ("" if none) */
	const char *registry;
};

/* A message being built: fixed capacity, sticky overflow flag. */
struct wire_buf {
	uint8_t data[WIRE_MAX_MSG];
	size_t len;
	bool overflow;
};

/* A message being read: the payload, a cursor and a sticky error flag. */
struct wire_reader {
	const uint8_t *p;
	size_t left;
	bool bad;
};

/* Encoders: return 0, or -EMSGSIZE when the message would not fit. */
int wire_encode_request(struct wire_buf *b, const struct wire_request *r);
int wire_encode_log(struct wire_buf *b, const struct wire_log *l);
int wire_encode_names(struct wire_buf *b, const struct wire_names *n);
int wire_encode_answer(struct wire_buf *b, const struct wire_answer *a);
int wire_encode_reply(struct wire_buf *b, const struct wire_reply *r);
int wire_encode_live_query(struct wire_buf *b, const struct wire_live_query *q);
int wire_encode_live_answer(struct wire_buf *b, const struct wire_live_answer *a);

/*
 * The building blocks, for messages between the helper's own processes
 * (src/conf/plan_wire.c): the same framing and the same checks.
 */
void wire_begin(struct wire_buf *b, enum wire_type type);
int wire_finish(struct wire_buf *b); /* 0 or -EMSGSIZE */
void wire_put_u32(struct wire_buf *b, uint32_t v);
void wire_put_u64(struct wire_buf *b, uint64_t v);
void wire_put_str(struct wire_buf *b, const char *s);
uint32_t wire_get_u32(struct wire_reader *rd);
uint64_t wire_get_u64(struct wire_reader *rd);
/* "" and rd marked bad when truncated, not NUL-terminated, or empty unless may_be_empty. */
const char *wire_get_str(struct wire_reader *rd, bool may_be_empty);
int wire_done(const struct wire_reader *rd); /* 0, or -EBADMSG if bad or bytes are left */

/* MSG_TREE: n results (0 or -errno), at most WIRE_MAX_POLYDIRS. */
struct wire_tree {
	uint32_t n;
	int32_t result[WIRE_MAX_POLYDIRS];
};
int wire_encode_tree(struct wire_buf *b, const struct wire_tree *t);

/*
 * Check a received datagram's header; on success *type is the message type
 * and rd reads its payload.  -EBADMSG on a bad magic, version, length or type.
 */
int wire_open(const uint8_t *msg, size_t len, uint32_t *type,
	      struct wire_reader *rd);

/*
 * Decoders: fill the struct from rd.  Strings point into the message buffer,
 * which must outlive the struct.
 * Return 0 or -EBADMSG (truncated, trailing bytes, bad count, empty or
 * embedded NUL where not allowed, unknown enum value).
 */
int wire_decode_request(struct wire_reader *rd, struct wire_request *r);
int wire_decode_log(struct wire_reader *rd, struct wire_log *l);
int wire_decode_names(struct wire_reader *rd, struct wire_names *n);
int wire_decode_answer(struct wire_reader *rd, struct wire_answer *a);
int wire_decode_reply(struct wire_reader *rd, struct wire_reply *r);
int wire_decode_tree(struct wire_reader *rd, struct wire_tree *t);
int wire_decode_live_query(struct wire_reader *rd, struct wire_live_query *q);
int wire_decode_live_answer(struct wire_reader *rd, struct wire_live_answer *a);

#endif
