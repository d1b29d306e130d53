/* SPDX-License-Identifier: MIT */
/* Kernel "qsort": libc qsort of 16-byte records through a comparator (indirect calls). */
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

#define NREC 20000

struct rec {
	uint32_t key;
	uint32_t id;
	char tag[8];
};

static struct rec recs[NREC];

static int cmp_rec(const void *pa, const void *pb)
{
	const struct rec *a = pa, *b = pb;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	/* Ties are broken by id, so every libc produces the same order. */
	return a->id < b->id ? -1 : a->id > b->id;
}

uint32_t kernel_run(uint32_t units, int *bad)
{
	uint32_t sum = CHECKSUM_INIT, rng = 0x1234567u;

	for (uint32_t u = 0; u < units; u++) {
		uint64_t ids = 0;

		for (uint32_t i = 0; i < NREC; i++) {
			recs[i].key = rng_next(&rng) % 5000;
			recs[i].id = i;
			memcpy(recs[i].tag, "rec-tag", 8);
			recs[i].tag[6] = (char)('a' + i % 26);
		}
		qsort(recs, NREC, sizeof(recs[0]), cmp_rec);
		for (uint32_t i = 0; i < NREC; i++) {
			ids += recs[i].id;
			if (i && cmp_rec(&recs[i - 1], &recs[i]) >= 0)
				*bad = 1;
			if (recs[i].tag[6] != (char)('a' + recs[i].id % 26))
				*bad = 1;
		}
		if (ids != (uint64_t)NREC * (NREC - 1) / 2)
			*bad = 1;
		for (uint32_t i = 0; i < NREC; i += 97)
			sum = mix32(sum, recs[i].id);
	}
	return sum;
}
