/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The plan message between the plan child and the helper (plan_wire.c):
 * what goes through, what is refused, and what is left out.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "plan.h"
#include "plan_wire.h"
#include "wire.h"

static struct wire_buf buf;
static struct plan_job out;

static void a_job(struct plan_job *j)
{
	*j = (struct plan_job){
		.rule_index = 3, .file = "/etc/security/namespace.conf", .line = 7,
		.method = METHOD_USER, .setup = true, .dir = "/tmp", .rdir = "/tmp",
		.prefix = "/tmp-inst/", .name = "alice", .iscript = "", .mount_data = "",
		.create_mode = 01777,
	};
}

/* Encode one job, decode it into out (zeroed first): 0 or -EBADMSG. */
static int round_trip(const struct plan_job *j)
{
	struct wire_reader rd;
	enum wire_status status;
	uint32_t type;
	size_t n = 0;
	int r;

	plan_wire_begin(&buf, STATUS_OK, 1);
	plan_wire_put_job(&buf, j);
	assert_int_equal(wire_finish(&buf), 0);
	memset(&out, 0, sizeof(out));
	assert_int_equal(wire_open(buf.data, buf.len, &type, &rd), 0);
	assert_int_equal(type, MSG_PLAN);
	assert_int_equal(plan_wire_open(&rd, &status, &n), 0);
	assert_int_equal(n, 1);
	r = plan_wire_get_job(&rd, &out);
	return r == 0 ? wire_done(&rd) : r;
}

static void job_goes_through(void **state)
{
	struct plan_job j;

	(void)state;
	a_job(&j);
	assert_int_equal(round_trip(&j), 0);
	assert_string_equal(out.file, j.file);
	assert_int_equal(out.line, 7);
	assert_string_equal(out.dir, "/tmp");
	assert_string_equal(out.prefix, "/tmp-inst/");
	assert_string_equal(out.name, "alice");
	assert_int_equal(out.create_mode, 01777);
	assert_true(out.setup);
}

/* Only unmnt_remnt/unmnt_only use the requester's polydir: else it is not sent. */
static void rdir_only_with_unmount_first(void **state)
{
	struct plan_job j;

	(void)state;
	a_job(&j);
	assert_int_equal(round_trip(&j), 0);
	assert_string_equal(out.rdir, "");
	j.unmount_first = true;
	j.rdir = "/home/bob/tmp";
	assert_int_equal(round_trip(&j), 0);
	assert_string_equal(out.rdir, "/home/bob/tmp");
}

/* A sender that puts an rdir where none belongs is refused, not half-read. */
static void rdir_without_unmount_first_is_refused(void **state)
{
	struct plan_job j;
	struct wire_reader rd;
	enum wire_status status;
	uint32_t type;
	size_t n;

	(void)state;
	a_job(&j);
	j.unmount_first = true;
	plan_wire_begin(&buf, STATUS_OK, 1);
	plan_wire_put_job(&buf, &j);
	assert_int_equal(wire_finish(&buf), 0);
	/* The bools: the u32 after the file's string, line, method and flags. */
	{
		const uint8_t *file = memmem(buf.data, buf.len, j.file, strlen(j.file) + 1);
		size_t at;
		uint32_t bools;

		assert_non_null(file);
		at = (size_t)(file - buf.data) + strlen(j.file) + 1 + 3 * sizeof(uint32_t);

		memcpy(&bools, buf.data + at, sizeof(bools));
		assert_int_equal(bools, 4 | 8); /* setup, unmount_first */
		bools = 4;
		memcpy(buf.data + at, &bools, sizeof(bools));
	}
	memset(&out, 0, sizeof(out));
	assert_int_equal(wire_open(buf.data, buf.len, &type, &rd), 0);
	assert_int_equal(plan_wire_open(&rd, &status, &n), 0);
	assert_int_equal(plan_wire_get_job(&rd, &out), -EBADMSG);
}

/* Every string shorter than CONF_PATH_MAX, as the buffers the helper fills from them. */
static void strings_up_to_a_path_go_through(void **state)
{
	static char path[CONF_PATH_MAX + 1];
	struct plan_job j;

	(void)state;
	a_job(&j);
	memset(path, 'a', sizeof(path) - 1);
	path[0] = '/';
	path[CONF_PATH_MAX - 1] = '\0'; /* 4095 bytes */
	j.dir = path;
	assert_int_equal(round_trip(&j), 0);
	assert_string_equal(out.dir, path);
	path[CONF_PATH_MAX - 1] = 'a'; /* 4096 bytes */
	assert_int_equal(round_trip(&j), -EBADMSG);
	a_job(&j);
	j.mount_data = path;
	assert_int_equal(round_trip(&j), -EBADMSG);
}

/* An instance name is one path component; with name_later the helper makes it. */
static void bad_names_are_refused(void **state)
{
	struct plan_job j;

	(void)state;
	a_job(&j);
	j.name = "../../etc";
	assert_int_equal(round_trip(&j), -EBADMSG);
	a_job(&j); /* named "alice" */
	j.name_later = true;
	assert_int_equal(round_trip(&j), -EBADMSG);
	j.name = "";
	assert_int_equal(round_trip(&j), 0);
	assert_true(out.name_later);
}

/*
 * A relative polydir or init script is refused; tmpfs takes any prefix
 * text, as pam_namespace does.
 */
static void absolute_where_it_must_be(void **state)
{
	struct plan_job j;

	(void)state;
	a_job(&j);
	j.dir = "tmp";
	assert_int_equal(round_trip(&j), -EBADMSG);
	a_job(&j);
	j.iscript = "namespace.init";
	assert_int_equal(round_trip(&j), -EBADMSG);
	a_job(&j);
	j.prefix = "tmp-inst";
	assert_int_equal(round_trip(&j), -EBADMSG);
	j.method = METHOD_TMPFS;
	assert_int_equal(round_trip(&j), 0);
	assert_string_equal(out.prefix, "tmp-inst");
}

/*
 * The whole plan: it fits, or the diagnostic names the entry with which it
 * stops fitting; a plan that failed goes with its status and no job.
 */
static void plan_encodes_whole_or_names_the_entry_over(void **state)
{
	static char path[CONF_PATH_MAX];
	static struct plan_job jobs[24];
	struct plan p = { .jobs = jobs, .n_jobs = 24 };
	struct diag_list diags = { 0 };
	struct wire_reader rd;
	enum wire_status status;
	uint32_t type;
	size_t n;

	(void)state;
	memset(path, 'a', 3000);
	path[0] = '/';
	for (unsigned int i = 0; i < 24; i++) {
		a_job(&jobs[i]);
		jobs[i].line = i + 1;
		jobs[i].dir = path;
	}
	p.n_jobs = 12;
	assert_int_equal(plan_wire_encode(&buf, STATUS_OK, &p, "alice", &diags), 0);
	assert_int_equal(wire_open(buf.data, buf.len, &type, &rd), 0);
	assert_int_equal(plan_wire_open(&rd, &status, &n), 0);
	assert_int_equal(n, 12);
	assert_int_equal(diags.n, 0);

	p.n_jobs = 24;
	assert_int_equal(plan_wire_encode(&buf, STATUS_OK, &p, "alice", &diags), -EMSGSIZE);
	assert_int_equal(diags.n, 1);
	assert_int_equal(diags.n_errors, 1);
	/* a job is about 3120 bytes here: 20 fit in 64 KiB, the 21st is over */
	assert_non_null(strstr(diags.v[0].text, "namespace.conf:21: with this entry the plan "
						"of a session of alice is longer than one "
						"message (65536 bytes)"));

	assert_int_equal(plan_wire_encode(&buf, STATUS_SESSION_ERR, &p, "alice", &diags), 0);
	assert_int_equal(wire_open(buf.data, buf.len, &type, &rd), 0);
	assert_int_equal(plan_wire_open(&rd, &status, &n), 0);
	assert_int_equal(status, STATUS_SESSION_ERR);
	assert_int_equal(n, 0);
	assert_int_equal(wire_done(&rd), 0);
	diag_list_free(&diags);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(job_goes_through),
		cmocka_unit_test(rdir_only_with_unmount_first),
		cmocka_unit_test(rdir_without_unmount_first_is_refused),
		cmocka_unit_test(strings_up_to_a_path_go_through),
		cmocka_unit_test(bad_names_are_refused),
		cmocka_unit_test(absolute_where_it_must_be),
		cmocka_unit_test(plan_encodes_whole_or_names_the_entry_over),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
