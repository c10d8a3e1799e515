/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * User and group names in the configuration, resolved by the module: the
 * helper never calls NSS (no dlopen, no network, no files outside the
 * config).  One MSG_NAMES_QUERY, one MSG_NAMES_ANSWER, only when needed.
 * Which names to ask about is the plan's (plan_query()).
 */
#ifndef POLYNS_NAMES_H
#define POLYNS_NAMES_H

#include "name_table.h"

/* Ask the module about t->query; fills t->answer.  0 or -errno. */
int names_resolve(int sock, struct name_table *t);

#endif
