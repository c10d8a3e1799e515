/* SPDX-License-Identifier: BSD-3-Clause */
#include "wire.h"

#include <errno.h>
#include <string.h>

#include "options.h"

struct wire_header {
	uint32_t magic;
	uint16_t version;
	uint16_t type;
	uint32_t length;
};

/* ---- writing ---- */

static void put(struct wire_buf *b, const void *p, size_t n)
{
	if (b->overflow || n > sizeof(b->data) - b->len) {
		b->overflow = true;
		return;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

static void put_u32(struct wire_buf *b, uint32_t v)
{
	put(b, &v, sizeof(v));
}

static void put_u64(struct wire_buf *b, uint64_t v)
{
	put(b, &v, sizeof(v));
}

static void put_str(struct wire_buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n > WIRE_MAX_STRING) {
		b->overflow = true;
		return;
	}
	put_u32(b, (uint32_t)n);
	put(b, s ? s : "", n + 1);
}

static void begin(struct wire_buf *b, enum wire_type type)
{
	struct wire_header h = { WIRE_MAGIC, WIRE_VERSION, (uint16_t)type, 0 };

	b->len = 0;
	b->overflow = false;
	put(b, &h, sizeof(h));
}

static int finish(struct wire_buf *b)
{
	uint32_t payload = (uint32_t)(b->len - sizeof(struct wire_header));

	if (b->overflow)
		return -EMSGSIZE;
	memcpy(b->data + offsetof(struct wire_header, length), &payload,
	       sizeof(payload));
	return 0;
}

static void put_user(struct wire_buf *b, const struct wire_user *u)
{
	put_str(b, u->name);
	put_u32(b, u->uid);
	put_u32(b, u->gid);
	put_str(b, u->home);
}

int wire_encode_request(struct wire_buf *b, const struct wire_request *r)
{
	begin(b, MSG_REQUEST);
	put_u32(b, r->op);
	put_u32(b, r->flags);
	put_u32(b, r->unmnt);
	put_u32(b, r->share);
	put_u32(b, r->ns_mask);
	put_str(b, r->config);
	put_str(b, r->config_dir);
	put_str(b, r->init);
	put_str(b, r->runtime_dir);
	put_str(b, r->service);
	put_str(b, r->context);
	put_u32(b, r->umask);
	put_user(b, &r->user);
	put_user(b, &r->ruser);
	if (r->n_cleanup > WIRE_MAX_POLYDIRS)
		return -EMSGSIZE;
	put_u32(b, r->n_cleanup);
	for (uint32_t i = 0; i < r->n_cleanup; i++)
		put_str(b, r->cleanup[i]);
	if (r->n_unmount > WIRE_MAX_POLYDIRS || r->n_defer > WIRE_MAX_POLYDIRS)
		return -EMSGSIZE;
	put_u32(b, r->n_unmount);
	for (uint32_t i = 0; i < r->n_unmount; i++)
		put_str(b, r->unmount[i]);
	put_u64(b, r->mntns_ino);
	put_u32(b, r->n_defer);
	for (uint32_t i = 0; i < r->n_defer; i++)
		put_str(b, r->defer[i]);
	put_u32(b, r->sweep_pending);
	put_str(b, r->registry ? r->registry : "");
	return finish(b);
}

int wire_encode_log(struct wire_buf *b, const struct wire_log *l)
{
	begin(b, MSG_LOG);
	put_u32(b, l->priority);
	put_str(b, l->text);
	return finish(b);
}

int wire_encode_names(struct wire_buf *b, const struct wire_names *n)
{
	if (n->n_users > WIRE_MAX_NAMES || n->n_groups > WIRE_MAX_NAMES)
		return -EMSGSIZE;
	begin(b, MSG_NAMES_QUERY);
	put_u32(b, n->n_users);
	for (uint32_t i = 0; i < n->n_users; i++)
		put_str(b, n->users[i]);
	put_u32(b, n->n_groups);
	for (uint32_t i = 0; i < n->n_groups; i++)
		put_str(b, n->groups[i]);
	return finish(b);
}

int wire_encode_answer(struct wire_buf *b, const struct wire_answer *a)
{
	if (a->n_users > WIRE_MAX_NAMES || a->n_groups > WIRE_MAX_NAMES)
		return -EMSGSIZE;
	begin(b, MSG_NAMES_ANSWER);
	put_u32(b, a->n_users);
	for (uint32_t i = 0; i < a->n_users; i++) {
		put_u32(b, a->users[i].found);
		put_u32(b, a->users[i].uid);
		put_u32(b, a->users[i].gid);
	}
	put_u32(b, a->n_groups);
	for (uint32_t i = 0; i < a->n_groups; i++) {
		put_u32(b, a->groups[i].found);
		put_u32(b, a->groups[i].gid);
	}
	return finish(b);
}

int wire_encode_reply(struct wire_buf *b, const struct wire_reply *r)
{
	if (r->n_ns > WIRE_MAX_FDS)
		return -EMSGSIZE;
	begin(b, MSG_REPLY);
	put_u32(b, r->status);
	put_u32(b, r->n_ns);
	for (uint32_t i = 0; i < r->n_ns; i++) {
		put_u32(b, r->ns[i].ns_bit);
		put_u64(b, r->ns[i].dev);
		put_u64(b, r->ns[i].ino);
	}
	if (r->n_inits > WIRE_MAX_POLYDIRS || r->n_tmpdirs > WIRE_MAX_POLYDIRS)
		return -EMSGSIZE;
	put_u32(b, r->n_inits);
	for (uint32_t i = 0; i < r->n_inits; i++) {
		put_str(b, r->inits[i].script);
		put_str(b, r->inits[i].polydir);
		put_str(b, r->inits[i].instance);
		put_u32(b, r->inits[i].newdir);
		put_u32(b, r->inits[i].safe_polydir);
		put_u32(b, r->inits[i].safe_instance);
	}
	put_u32(b, r->n_tmpdirs);
	for (uint32_t i = 0; i < r->n_tmpdirs; i++)
		put_str(b, r->tmpdirs[i]);
	if (r->n_polydirs > WIRE_MAX_POLYDIRS)
		return -EMSGSIZE;
	put_u32(b, r->n_polydirs);
	for (uint32_t i = 0; i < r->n_polydirs; i++)
		put_str(b, r->polydirs[i]);
	put_str(b, r->registry ? r->registry : "");
	return finish(b);
}

int wire_encode_live_query(struct wire_buf *b, const struct wire_live_query *q)
{
	if (q->n == 0 || q->n > WIRE_MAX_LIVE)
		return -EMSGSIZE;
	begin(b, MSG_LIVE_QUERY);
	put_u32(b, q->n);
	for (uint32_t i = 0; i < q->n; i++)
		put_u64(b, q->ids[i]);
	return finish(b);
}

int wire_encode_live_answer(struct wire_buf *b, const struct wire_live_answer *a)
{
	if (a->n == 0 || a->n > WIRE_MAX_LIVE)
		return -EMSGSIZE;
	begin(b, MSG_LIVE_ANSWER);
	put_u32(b, a->n);
	for (uint32_t i = 0; i < a->n; i++)
		put_u32(b, a->live[i]);
	return finish(b);
}

/* ---- reading ---- */

static void get(struct wire_reader *rd, void *p, size_t n)
{
	if (rd->bad || n > rd->left) {
		rd->bad = true;
		memset(p, 0, n);
		return;
	}
	memcpy(p, rd->p, n);
	rd->p += n;
	rd->left -= n;
}

static uint32_t get_u32(struct wire_reader *rd)
{
	uint32_t v;

	get(rd, &v, sizeof(v));
	return v;
}

static uint64_t get_u64(struct wire_reader *rd)
{
	uint64_t v;

	get(rd, &v, sizeof(v));
	return v;
}

/* A string: length, bytes, NUL; no NUL inside.  Empty allowed if may_be_empty. */
/* "" or "KEY/session.PID.START.N": letters, digits, '-', '.', one '/'. */
static bool is_registry_token(const char *s)
{
	const char *slash;

	if (!s)
		return false;
	if (!*s)
		return true;
	slash = strchr(s, '/');
	return slash && slash != s && !strchr(slash + 1, '/') &&
	       strncmp(slash + 1, "session.", 8) == 0 &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-./") == strlen(s) &&
	       !memchr(s, '.', (size_t)(slash - s));
}

static const char *get_str(struct wire_reader *rd, bool may_be_empty)
{
	uint32_t n = get_u32(rd);
	const char *s;

	if (rd->bad || n > WIRE_MAX_STRING || (size_t)n + 1 > rd->left ||
	    (n == 0 && !may_be_empty)) {
		rd->bad = true;
		return "";
	}
	s = (const char *)rd->p;
	if (s[n] != '\0' || memchr(s, '\0', n)) {
		rd->bad = true;
		return "";
	}
	rd->p += (size_t)n + 1;
	rd->left -= (size_t)n + 1;
	return s;
}

static int done(const struct wire_reader *rd)
{
	return (rd->bad || rd->left != 0) ? -EBADMSG : 0;
}

int wire_open(const uint8_t *msg, size_t len, uint32_t *type,
	      struct wire_reader *rd)
{
	struct wire_header h;

	if (len < sizeof(h) || len > WIRE_MAX_MSG)
		return -EBADMSG;
	memcpy(&h, msg, sizeof(h));
	if (h.magic != WIRE_MAGIC || h.version != WIRE_VERSION ||
	    h.length != len - sizeof(h) || h.type < MSG_REQUEST ||
	    h.type > MSG_REGISTRY)
		return -EBADMSG;
	*type = h.type;
	*rd = (struct wire_reader){ .p = msg + sizeof(h), .left = h.length };
	return 0;
}

static void get_user(struct wire_reader *rd, struct wire_user *u)
{
	u->name = get_str(rd, false);
	u->uid = get_u32(rd);
	u->gid = get_u32(rd);
	u->home = get_str(rd, true);
}

static bool is_path(const char *s)
{
	return s[0] == '/';
}

int wire_decode_request(struct wire_reader *rd, struct wire_request *r)
{
	r->op = get_u32(rd);
	r->flags = get_u32(rd);
	r->unmnt = get_u32(rd);
	r->share = get_u32(rd);
	r->ns_mask = get_u32(rd);
	r->config = get_str(rd, false);
	r->config_dir = get_str(rd, false);
	r->init = get_str(rd, false);
	r->runtime_dir = get_str(rd, false);
	r->service = get_str(rd, true);
	r->context = get_str(rd, true);
	r->umask = get_u32(rd);
	get_user(rd, &r->user);
	get_user(rd, &r->ruser);
	r->n_cleanup = get_u32(rd);
	if (rd->bad || r->n_cleanup > WIRE_MAX_POLYDIRS || r->umask > 0777)
		return -EBADMSG;
	for (uint32_t i = 0; i < r->n_cleanup; i++)
		if (!is_path(r->cleanup[i] = get_str(rd, false)))
			return -EBADMSG;
	r->n_unmount = get_u32(rd);
	if (r->n_unmount > WIRE_MAX_POLYDIRS)
		return -EBADMSG;
	for (uint32_t i = 0; i < r->n_unmount; i++)
		if (!is_path(r->unmount[i] = get_str(rd, false)))
			return -EBADMSG;
	r->mntns_ino = get_u64(rd);
	r->n_defer = get_u32(rd);
	if (r->n_defer > WIRE_MAX_POLYDIRS)
		return -EBADMSG;
	for (uint32_t i = 0; i < r->n_defer; i++)
		if (!is_path(r->defer[i] = get_str(rd, false)))
			return -EBADMSG;
	r->sweep_pending = get_u32(rd);
	r->registry = get_str(rd, true);
	if (rd->bad || !is_registry_token(r->registry))
		return -EBADMSG;
	if ((r->op != OP_OPEN && r->op != OP_CLOSE) || r->sweep_pending > 1 ||
	    r->unmnt > POLYNS_UNMNT_ONLY || r->share > POLYNS_SHARE_GROUP ||
	    (r->ns_mask & ~POLYNS_NS_ALL) ||
	    r->flags >= (POLYNS_OPT_MOUNT_PRIVATE << 1) || !is_path(r->config) ||
	    !is_path(r->config_dir) || !is_path(r->init) ||
	    !is_path(r->runtime_dir))
		return -EBADMSG;
	return done(rd);
}

int wire_decode_log(struct wire_reader *rd, struct wire_log *l)
{
	l->priority = get_u32(rd);
	l->text = get_str(rd, true);
	if (l->priority > 7)
		return -EBADMSG;
	return done(rd);
}

int wire_decode_names(struct wire_reader *rd, struct wire_names *n)
{
	n->n_users = get_u32(rd);
	if (n->n_users > WIRE_MAX_NAMES)
		return -EBADMSG;
	for (uint32_t i = 0; i < n->n_users; i++)
		n->users[i] = get_str(rd, false);
	n->n_groups = get_u32(rd);
	if (n->n_groups > WIRE_MAX_NAMES)
		return -EBADMSG;
	for (uint32_t i = 0; i < n->n_groups; i++)
		n->groups[i] = get_str(rd, false);
	return done(rd);
}

int wire_decode_answer(struct wire_reader *rd, struct wire_answer *a)
{
	a->n_users = get_u32(rd);
	if (a->n_users > WIRE_MAX_NAMES)
		return -EBADMSG;
	for (uint32_t i = 0; i < a->n_users; i++) {
		a->users[i].found = get_u32(rd);
		a->users[i].uid = get_u32(rd);
		a->users[i].gid = get_u32(rd);
		if (a->users[i].found > 1)
			return -EBADMSG;
	}
	a->n_groups = get_u32(rd);
	if (a->n_groups > WIRE_MAX_NAMES)
		return -EBADMSG;
	for (uint32_t i = 0; i < a->n_groups; i++) {
		a->groups[i].found = get_u32(rd);
		a->groups[i].gid = get_u32(rd);
		if (a->groups[i].found > 1)
			return -EBADMSG;
	}
	return done(rd);
}

int wire_decode_reply(struct wire_reader *rd, struct wire_reply *r)
{
	r->status = get_u32(rd);
	r->n_ns = get_u32(rd);
	if (r->status > STATUS_SYSTEM_ERR || r->n_ns > WIRE_MAX_FDS)
		return -EBADMSG;
	for (uint32_t i = 0; i < r->n_ns; i++) {
		r->ns[i].ns_bit = get_u32(rd);
		r->ns[i].dev = get_u64(rd);
		r->ns[i].ino = get_u64(rd);
		if (!polyns_ns_name(r->ns[i].ns_bit))
			return -EBADMSG;
	}
	r->n_inits = get_u32(rd);
	if (r->n_inits > WIRE_MAX_POLYDIRS)
		return -EBADMSG;
	for (uint32_t i = 0; i < r->n_inits; i++) {
		struct wire_init *in = &r->inits[i];

		in->script = get_str(rd, false);
		in->polydir = get_str(rd, false);
		in->instance = get_str(rd, false);
		in->newdir = get_u32(rd);
		in->safe_polydir = get_u32(rd);
		in->safe_instance = get_u32(rd);
		if (!is_path(in->script) || !is_path(in->polydir) || in->newdir > 1 ||
		    in->safe_polydir > 1 || in->safe_instance > 1)
			return -EBADMSG;
	}
	r->n_tmpdirs = get_u32(rd);
	if (r->n_tmpdirs > WIRE_MAX_POLYDIRS)
		return -EBADMSG;
	for (uint32_t i = 0; i < r->n_tmpdirs; i++)
		if (!is_path(r->tmpdirs[i] = get_str(rd, false)))
			return -EBADMSG;
	r->n_polydirs = get_u32(rd);
	if (r->n_polydirs > WIRE_MAX_POLYDIRS)
		return -EBADMSG;
	for (uint32_t i = 0; i < r->n_polydirs; i++)
		if (!is_path(r->polydirs[i] = get_str(rd, false)))
			return -EBADMSG;
	r->registry = get_str(rd, true);
	if (rd->bad || !is_registry_token(r->registry))
		return -EBADMSG;
	return done(rd);
}

int wire_encode_tree(struct wire_buf *b, const struct wire_tree *t)
{
	if (t->n > WIRE_MAX_POLYDIRS)
		return -EMSGSIZE;
	begin(b, MSG_TREE);
	put_u32(b, t->n);
	for (uint32_t i = 0; i < t->n; i++)
		put_u32(b, (uint32_t)t->result[i]);
	return finish(b);
}

int wire_decode_tree(struct wire_reader *rd, struct wire_tree *t)
{
	t->n = get_u32(rd);
	if (t->n > WIRE_MAX_POLYDIRS)
		return -EBADMSG;
	for (uint32_t i = 0; i < t->n; i++) {
		int32_t v = (int32_t)get_u32(rd);

		if (v > 0 || v < -4095)
			rd->bad = true; /* 0 or a -errno */
		t->result[i] = v;
	}
	return done(rd);
}

void wire_begin(struct wire_buf *b, enum wire_type type)
{
	begin(b, type);
}

int wire_finish(struct wire_buf *b)
{
	return finish(b);
}

void wire_put_u32(struct wire_buf *b, uint32_t v)
{
	put_u32(b, v);
}

void wire_put_u64(struct wire_buf *b, uint64_t v)
{
	put_u64(b, v);
}

void wire_put_str(struct wire_buf *b, const char *s)
{
	put_str(b, s);
}

uint32_t wire_get_u32(struct wire_reader *rd)
{
	return get_u32(rd);
}

uint64_t wire_get_u64(struct wire_reader *rd)
{
	return get_u64(rd);
}

const char *wire_get_str(struct wire_reader *rd, bool may_be_empty)
{
	return get_str(rd, may_be_empty);
}

int wire_done(const struct wire_reader *rd)
{
	return done(rd);
}

int wire_decode_live_query(struct wire_reader *rd, struct wire_live_query *q)
{
	q->n = get_u32(rd);
	if (q->n == 0 || q->n > WIRE_MAX_LIVE)
		return -EBADMSG;
	for (uint32_t i = 0; i < q->n; i++)
		q->ids[i] = get_u64(rd);
	return done(rd);
}

int wire_decode_live_answer(struct wire_reader *rd, struct wire_live_answer *a)
{
	a->n = get_u32(rd);
	if (a->n == 0 || a->n > WIRE_MAX_LIVE)
		return -EBADMSG;
	for (uint32_t i = 0; i < a->n; i++) {
		a->live[i] = get_u32(rd);
		if (a->live[i] > 1)
			return -EBADMSG;
	}
	return done(rd);
}
