/* SPDX-License-Identifier: MIT */
/*
 * Tables: arrays of references (funcref or externref) with growth bounded by
 * their declared maximum and the store's cap.
 */
#include <errno.h>
#include <stdlib.h>

#include "runtime.h"

struct wb_table *wb_table__create(struct wb_store *s, uint8_t elem_type,
				  const struct wb_limits *limits, void *init)
{
	struct wb_table *t;
	uint32_t max, i;

	if (!s || !limits || (elem_type != WB_FUNCREF && elem_type != WB_EXTERNREF)) {
		errno = EINVAL;
		return NULL;
	}
	max = limits->has_max ? limits->max : UINT32_MAX;
	if (max > s->opts.max_table_elems)
		max = s->opts.max_table_elems;
	if (limits->min > max) {
		errno = ENOMEM;
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		errno = ENOMEM;
		return NULL;
	}
	t->elems = calloc(limits->min ? limits->min : 1, sizeof(*t->elems));
	if (!t->elems) {
		free(t);
		errno = ENOMEM;
		return NULL;
	}
	for (i = 0; init && i < limits->min; i++)
		t->elems[i] = init;
	t->size = limits->min;
	t->elem_type = elem_type;
	t->limits = *limits;
	t->max_elems = max;
	return t;
}

void wb_table__free(struct wb_table *t)
{
	if (!t)
		return;
	free(t->elems);
	free(t);
}

struct wb_table *wb_table__new(struct wb_store *store, uint8_t elem_type,
			       const struct wb_limits *limits, void *init)
{
	struct wb_table *t;

	t = wb_table__create(store, elem_type, limits, init);
	if (!t)
		return NULL;
	if (wb_store__add_obj(store, WB_EXTERN_TABLE, t)) {
		wb_table__free(t);
		errno = ENOMEM;
		return NULL;
	}
	return t;
}

int64_t wb_table__grow(struct wb_table *t, uint32_t delta, void *init)
{
	uint32_t old, n, i;
	void **elems;

	if (!t)
		return -1;
	old = t->size;
	if (delta > t->max_elems - old)
		return -1;
	if (delta == 0)
		return old;
	n = old + delta;
	elems = realloc(t->elems, (size_t)n * sizeof(*elems));
	if (!elems)
		return -1;
	for (i = old; i < n; i++)
		elems[i] = init;
	t->elems = elems;
	t->size = n;
	return old;
}

uint32_t wb_table__size(const struct wb_table *table)
{
	return table ? table->size : 0;
}

uint8_t wb_table__elem_type(const struct wb_table *table)
{
	return table ? table->elem_type : 0;
}

int wb_table__get(const struct wb_table *table, uint32_t idx, void **out)
{
	if (!table || !out)
		return -EINVAL;
	if (idx >= table->size)
		return -ERANGE;
	*out = table->elems[idx];
	return 0;
}

int wb_table__set(struct wb_table *table, uint32_t idx, void *ref)
{
	if (!table)
		return -EINVAL;
	if (idx >= table->size)
		return -ERANGE;
	table->elems[idx] = ref;
	return 0;
}

void wb_table__limits(const struct wb_table *table, struct wb_limits *out)
{
	if (!table || !out)
		return;
	/* The spec's type of a table instance: its current size as minimum. */
	out->min = table->size;
	out->max = table->limits.max;
	out->has_max = table->limits.has_max;
}
