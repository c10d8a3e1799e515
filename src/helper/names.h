/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * User and group names in the configuration, resolved by the module: the
 * helper never calls NSS (no dlopen, no network, no files outside the
 * config).  One MSG_NAMES_QUERY, one MSG_NAMES_ANSWER, only when needed.
 */
#ifndef POLYNS_NAMES_H
#define POLYNS_NAMES_H

#include "conf.h"
#include "conf_resolve.h"
#include "wire.h"

struct name_table {
	struct wire_names query;
	struct wire_answer answer;
};

/* Ask the module about every name in conf; fills t.  0 or -errno. */
int names_resolve(int sock, const struct conf *conf, struct name_table *t);

/* A resolver over the table (for conf_resolve_rule). */
struct name_resolver names_resolver(struct name_table *t);

#endif
