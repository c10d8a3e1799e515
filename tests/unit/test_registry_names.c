/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The names the registry and the close protocol are made of: instance paths
 * kept as hex file names, process identities "PID.START", and the registry
 * token a reply carries and a close request hands back.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hexname.h"
#include "pending_name.h"
#include "procid.h"
#include "reg_wire.h"
#include "registry.h"
#include "wire.h"

static void hexname_round_trip(void **state)
{
	char hex[64], back[32];

	(void)state;
	assert_int_equal(hexname_encode("/tmp-inst/a b", hex, sizeof(hex)), 0);
	assert_string_equal(hex, "2f746d702d696e73742f612062");
	assert_int_equal(hexname_decode(hex, back, sizeof(back)), 0);
	assert_string_equal(back, "/tmp-inst/a b");
	/* bytes above 0x7f survive too */
	assert_int_equal(hexname_encode("\xff/", hex, sizeof(hex)), 0);
	assert_string_equal(hex, "ff2f");
}

static void hexname_encode_limits(void **state)
{
	char hex[7];

	(void)state;
	assert_int_equal(hexname_encode("abc", hex, sizeof(hex)), 0); /* 6 + NUL */
	assert_int_equal(hexname_encode("abcd", hex, sizeof(hex)), -ENAMETOOLONG);
	assert_int_equal(hexname_encode("", hex, sizeof(hex)), 0);
	assert_string_equal(hex, "");
}

static void hexname_decode_refuses_malformed(void **state)
{
	char out[16];
	static const char *const bad[] = {
		"2",      /* odd length */
		"2f7",    /* odd length */
		"2F",     /* upper case is not what we write */
		"zz",     /* not hex */
		"2f00",   /* a NUL byte inside */
		"2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f", /* 16 bytes: no room for NUL */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(hexname_decode(bad[i], out, sizeof(out)), -EINVAL);
	assert_int_equal(hexname_decode("2f", out, 0), -EINVAL);
}

static void procid_format_and_parse(void **state)
{
	struct procid id = { 4242, 1234567 }, back;
	char buf[48];

	(void)state;
	assert_int_equal(procid_format(&id, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "4242.1234567");
	assert_int_equal(procid_parse(buf, &back), 0);
	assert_int_equal(back.pid, 4242);
	assert_true(back.start == 1234567);
	assert_int_equal(procid_parse("1.0", &back), 0);
	assert_int_equal(procid_format(&id, buf, 5), -ENAMETOOLONG);
}

static void procid_parse_refuses_malformed(void **state)
{
	struct procid id;
	static const char *const bad[] = {
		"", ".", "1", "1.", ".1", "0.5", "-1.5", "+1.5", "1.-5", "1.5.", "1..5",
		"01.5", "1.05", " 1.5", "1.5 ", "1.5x", "2147483648.1",
		"1.99999999999999999999999", "a.b",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(procid_parse(bad[i], &id), -EINVAL);
}

/* The process name is the process's own: spaces, parentheses and newlines. */
static void procid_stat_start_after_hostile_name(void **state)
{
	static const char *const names[] = {
		"sh", "a b", ") 9 9 9", "((", "x)\n1 2 3 4", ")", "a) R 1 2 3 4 5 6 7 8 9 10",
	};
	char stat[512];
	uint64_t start = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		(void)snprintf(stat, sizeof(stat), "42 (%s) S 1 42 42 0 -1 4194560 100 0 0 0 "
			       "0 0 0 0 20 0 1 0 123456789 2000 300 18446744073709551615\n",
			       names[i]);
		start = 0;
		assert_int_equal(procid_parse_stat(stat, &start), 0);
		assert_true(start == 123456789);
	}
	assert_int_equal(procid_parse_stat("42 (sh S 1 2", &start), -EINVAL);
	assert_int_equal(procid_parse_stat("42 (sh) S 1 2 3", &start), -EINVAL);
	/* field 22 must be a number as the kernel writes it */
	assert_int_equal(procid_parse_stat("1 (a) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 -5 1",
					   &start), -EINVAL);
	assert_int_equal(procid_parse_stat("1 (a) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5x 1",
					   &start), -EINVAL);
}

/* A pending record's name and back; 0.3.0's form is our pid namespace's. */
static void pending_name_round_trip(void **state)
{
	char name[256], path[64];
	uint64_t pidns = 0, ino = 0;

	(void)state;
	assert_int_equal(pending_name(4026531836ULL, 77, "/tmp-inst/a", name, sizeof(name)), 0);
	assert_string_equal(name, "4026531836.77.2f746d702d696e73742f61");
	assert_int_equal(pending_name_parse(name, 1, &pidns, &ino, path, sizeof(path)), 0);
	assert_true(pidns == 4026531836ULL && ino == 77);
	assert_string_equal(path, "/tmp-inst/a");
	assert_int_equal(pending_name_parse("77.2f61", 9, &pidns, &ino, path, sizeof(path)), 0);
	assert_true(pidns == 9 && ino == 77);
	assert_string_equal(path, "/a");
	assert_int_equal(pending_name(1, 2, "/abc", name, 8), -ENAMETOOLONG);
	assert_int_equal(pending_name_parse("1.2.61", 9, &pidns, &ino, path, sizeof(path)),
			 -EINVAL); /* not absolute */
	assert_int_equal(pending_name_parse("x.2.2f", 9, &pidns, &ino, path, sizeof(path)),
			 -EINVAL);
	assert_int_equal(pending_name_parse("1", 9, &pidns, &ino, path, sizeof(path)), -EINVAL);
}

/* The caller a pending record names, and back; other names in a record are not callers. */
static void pending_caller_round_trip(void **state)
{
	const struct procid caller = { 4242, 1234567 };
	struct procid back = { 0, 0 };
	char name[64];

	(void)state;
	assert_int_equal(pending_caller_name(&caller, name, sizeof(name)), 0);
	assert_string_equal(name, "caller.4242.1234567");
	assert_int_equal(pending_caller_parse(name, &back), 1);
	assert_true(back.pid == 4242 && back.start == 1234567);
	assert_int_equal(pending_caller_name(&caller, name, 10), -ENAMETOOLONG);
	assert_int_equal(pending_caller_parse("other.4242.1234567", &back), 0);
	assert_int_equal(pending_caller_parse("caller.4242", &back), -EINVAL);
	assert_int_equal(pending_caller_parse("caller.x.1", &back), -EINVAL);
}

/* The registry child's join token: what the helper takes, the module must take too. */
static void registry_join_token_is_a_session_fact(void **state)
{
	static const char *const key = "user-1000-0123456789abcdef";
	struct reg_msg m = { .result = 1, .caller = { 4100, 1 }, .n_ns = 1,
			     .ns = { { 0x2, 4, 4026532180ULL } }, .plan = "", .key = "" };
	static const char *const bad[] = {
		"user-1000-0123456789abcdef/session.4242.123T567.4300", /* found by fuzz_wire */
		"user-1000-0123456789abcdef/session.4242.1234567",
		"user-1000-0123456789abcdef/session.4242.1234567.43/x",
		"user-1000-0123456789abcdef/holder.4242.1234567",
		"user-1000-0123456789abcdefX/session.4242.1234567.4300",
		"user-1000-0123456789abcdef",
	};

	(void)state;
	m.token = "user-1000-0123456789abcdef/session.4242.1234567.4300";
	assert_int_equal(reg_msg_join_ok(&m, key, 0x2, 128), 0);
	assert_int_equal(reg_msg_join_ok(&m, key, 0x1, 128), -EBADMSG); /* not our type */
	assert_int_equal(reg_msg_join_ok(&m, key, 0x2, 20), -EBADMSG);  /* too long */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		m.token = bad[i];
		assert_int_equal(reg_msg_join_ok(&m, key, 0x2, 128), -EBADMSG);
	}
}

/* A reply whose only unusual field is the registry token. */
static int decode_reply_with(const char *token)
{
	static struct wire_buf b;
	struct wire_reply r = { .status = STATUS_OK, .registry = token }, out;
	struct wire_reader rd;
	uint32_t type;

	if (wire_encode_reply(&b, &r) < 0 || wire_open(b.data, b.len, &type, &rd) < 0)
		return -1;
	return wire_decode_reply(&rd, &out);
}

static void wire_registry_token(void **state)
{
	static const char *const good[] = {
		"", "user-4001-0123456789abcdef/session.12.34.56",
		"group-4100-0123456789abcdef/session.1.2.3",
		"session-77-88-0123456789abcdef/session.77.88.99",
	};
	static const char *const bad[] = {
		"/session.1.2.3",                  /* no key */
		"user-1/other.1.2",                /* not a session fact */
		"user-1",                          /* no slash */
		"user-1/session.1.2/x",            /* two slashes */
		"user.1/session.1.2.3",            /* a dot in the key */
		"../shared/session.1.2.3",         /* a way out */
		"user-1/session.1.2.3\n",          /* a control character */
		"User-1/session.1.2.3",            /* upper case */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(decode_reply_with(good[i]), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(decode_reply_with(bad[i]), -EBADMSG);
}

/* Field 22 of /proc/self/task/TID/stat: a thread's own start time. */
static uint64_t task_start(pid_t tid)
{
	char path[64], buf[1024], *p;
	FILE *f;
	size_t n;
	uint64_t start = 0;

	(void)snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	(void)fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	assert_non_null(p);
	assert_int_equal(sscanf(p + 2, "%*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s "
				"%*s %*s %*s %*s %*s %*s %" SCNu64, &start), 1);
	return start;
}

static pthread_mutex_t hold = PTHREAD_MUTEX_INITIALIZER;
static pid_t thread_tid;

static void *held_thread(void *arg)
{
	(void)arg;
	__atomic_store_n(&thread_tid, gettid(), __ATOMIC_SEQ_CST);
	(void)pthread_mutex_lock(&hold);
	(void)pthread_mutex_unlock(&hold);
	return NULL;
}

/* Only a thread-group leader with the recorded start time is the process recorded. */
static void procid_alive_only_for_the_leader_with_its_start(void **state)
{
	struct procid me = { getpid(), 0 }, thread = { 0, 0 };
	pthread_t t;
	int pidfd = -1;

	(void)state;
	assert_int_equal(procid_init(), 0);
	me.start = task_start(me.pid);
	assert_int_equal(procid_alive(&me, &pidfd), 1);
	assert_true(pidfd >= 0);
	(void)close(pidfd);
	me.start++;
	assert_int_equal(procid_alive(&me, NULL), 0); /* the number, recycled */

	(void)pthread_mutex_lock(&hold);
	assert_int_equal(pthread_create(&t, NULL, held_thread, NULL), 0);
	while (!__atomic_load_n(&thread_tid, __ATOMIC_SEQ_CST))
		(void)sched_yield();
	thread = (struct procid){ thread_tid, task_start(thread_tid) };
	/* A thread holding a recorded number, even with that number's start time: gone. */
	assert_int_equal(procid_alive(&thread, NULL), 0);
	assert_int_equal(procid_open(thread.pid, &me, &pidfd), -ESRCH);
	(void)pthread_mutex_unlock(&hold);
	assert_int_equal(pthread_join(t, NULL), 0);
}

/* The close-time question about kept instances, and its answer. */
static void wire_live_query_and_answer(void **state)
{
	static struct wire_buf b;
	static struct wire_live_query q = { 3, { 4026531840ULL, 7, 12749 } }, q2;
	static struct wire_live_answer a = { 3, { 1, 0, 1 } }, a2;
	struct wire_reader rd;
	uint32_t type;

	(void)state;
	assert_int_equal(wire_encode_live_query(&b, &q), 0);
	assert_int_equal(wire_open(b.data, b.len, &type, &rd), 0);
	assert_int_equal(type, MSG_LIVE_QUERY);
	assert_int_equal(wire_decode_live_query(&rd, &q2), 0);
	assert_int_equal(q2.n, 3);
	assert_true(q2.ids[0] == q.ids[0] && q2.ids[2] == q.ids[2]);
	assert_int_equal(wire_encode_live_answer(&b, &a), 0);
	assert_int_equal(wire_open(b.data, b.len, &type, &rd), 0);
	assert_int_equal(type, MSG_LIVE_ANSWER);
	assert_int_equal(wire_decode_live_answer(&rd, &a2), 0);
	assert_true(a2.n == 3 && a2.live[0] == 1 && a2.live[1] == 0);

	/* Neither an empty nor an oversized question is ever sent. */
	q2.n = 0;
	assert_int_equal(wire_encode_live_query(&b, &q2), -EMSGSIZE);
	q2.n = WIRE_MAX_LIVE + 1;
	assert_int_equal(wire_encode_live_query(&b, &q2), -EMSGSIZE);
	/* An answer other than 0 or 1 is garbage. */
	a2 = a;
	a2.live[1] = 2;
	assert_int_equal(wire_encode_live_answer(&b, &a2), 0);
	assert_int_equal(wire_open(b.data, b.len, &type, &rd), 0);
	assert_int_equal(wire_decode_live_answer(&rd, &a2), -EBADMSG);
	/* A count that the payload does not hold is garbage too. */
	assert_int_equal(wire_encode_live_query(&b, &q), 0);
	b.data[12] = 4; /* n, right after the 12-byte header: one id more than sent */
	assert_int_equal(wire_open(b.data, b.len, &type, &rd), 0);
	assert_int_equal(wire_decode_live_query(&rd, &q2), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hexname_round_trip),
		cmocka_unit_test(hexname_encode_limits),
		cmocka_unit_test(hexname_decode_refuses_malformed),
		cmocka_unit_test(procid_format_and_parse),
		cmocka_unit_test(procid_parse_refuses_malformed),
		cmocka_unit_test(procid_stat_start_after_hostile_name),
		cmocka_unit_test(pending_name_round_trip),
		cmocka_unit_test(pending_caller_round_trip),
		cmocka_unit_test(wire_registry_token),
		cmocka_unit_test(registry_join_token_is_a_session_fact),
		cmocka_unit_test(procid_alive_only_for_the_leader_with_its_start),
		cmocka_unit_test(wire_live_query_and_answer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
