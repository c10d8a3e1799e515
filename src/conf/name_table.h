/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The names query of plan_query() and its answer, as a name resolver for
 * plan_make(): the helper gets the answer from the module, polyns-check
 * from NSS, the tests make one up.
 */
#ifndef POLYNS_NAME_TABLE_H
#define POLYNS_NAME_TABLE_H

#include "conf_resolve.h"
#include "wire.h"

struct name_table {
	struct wire_names query;
	struct wire_answer answer;
};

/* Names not in the query, or not found, are -ENOENT. */
struct name_resolver name_table_resolver(const struct name_table *t);

#endif
