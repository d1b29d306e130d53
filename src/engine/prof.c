/* SPDX-License-Identifier: MIT */
/*
 * An instruction profile, for engine work: built only with -DWB_PROFILE_OPS.
 * Every dispatch is counted by internal opcode and by (opcode, next opcode)
 * pair; the totals go to stderr at exit, most frequent first (the 40 most
 * frequent opcodes, or all of them with WB_PROF_ALL=1).
 */
#ifdef WB_PROFILE_OPS
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "code.h"
#include "dump.h"
#include "prof.h"

#define HSIZE 8192


static const void *hkey[HSIZE];
static uint16_t hval[HSIZE];
static uint64_t single[WB_I__COUNT];
static uint64_t *pairs;
static int last = -1;
static int ready;

struct row {
	uint64_t n;
	int a, b;
};

static int cmp_row(const void *x, const void *y)
{
	const struct row *p = x, *q = y;

	return p->n < q->n ? 1 : p->n > q->n ? -1 : 0;
}

static void report(void)
{
	uint64_t total = 0;
	struct row *rows;
	size_t i, n = 0;

	rows = calloc((size_t)WB_I__COUNT * WB_I__COUNT, sizeof(*rows));
	if (!rows)
		return;
	for (i = 0; i < WB_I__COUNT; i++) {
		total += single[i];
		if (single[i])
			rows[n++] = (struct row){ single[i], (int)i, -1 };
	}
	qsort(rows, n, sizeof(*rows), cmp_row);
	fprintf(stderr, "== %llu dispatches\n", (unsigned long long)total);
	/* WB_PROF_ALL=1: every opcode that ran, with its count (for coverage). */
	for (i = 0; i < n && (i < 40 || getenv("WB_PROF_ALL")); i++)
		fprintf(stderr, "%6.2f%%  %s %llu\n", 100.0 * rows[i].n / total,
			wb_dump__op_name(rows[i].a), (unsigned long long)rows[i].n);
	n = 0;
	for (i = 0; i < (size_t)WB_I__COUNT * WB_I__COUNT; i++)
		if (pairs[i])
			rows[n++] = (struct row){ pairs[i], (int)(i / WB_I__COUNT),
						  (int)(i % WB_I__COUNT) };
	qsort(rows, n, sizeof(*rows), cmp_row);
	fprintf(stderr, "== pairs\n");
	for (i = 0; i < n && i < 60; i++)
		fprintf(stderr, "%6.2f%%  %s -> %s\n", 100.0 * rows[i].n / total,
			wb_dump__op_name(rows[i].a), wb_dump__op_name(rows[i].b));
	free(rows);
}

static void setup(void)
{
	const void *const *h = wb_interp__handlers();
	uint32_t i;

	for (i = 0; i < WB_REPL * WB_I__COUNT; i++) {
		uint32_t k = (uint32_t)(((uintptr_t)h[i] >> 2) * 2654435761u) % HSIZE;

		while (hkey[k] && hkey[k] != h[i])
			k = (k + 1) % HSIZE;
		hkey[k] = h[i];
		hval[k] = (uint16_t)(i % WB_I__COUNT);
	}
	pairs = calloc((size_t)WB_I__COUNT * WB_I__COUNT, sizeof(*pairs));
	atexit(report);
	ready = 1;
}

void wb_prof__hit(const void *handler)
{
	uint32_t k;
	int op;

	if (!ready)
		setup();
	k = (uint32_t)(((uintptr_t)handler >> 2) * 2654435761u) % HSIZE;
	while (hkey[k] != handler) {
		if (!hkey[k])
			return;
		k = (k + 1) % HSIZE;
	}
	op = hval[k];
	single[op]++;
	if (last >= 0 && pairs)
		pairs[(size_t)last * WB_I__COUNT + op]++;
	last = op;
}
#endif
