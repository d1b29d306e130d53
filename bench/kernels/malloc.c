/* SPDX-License-Identifier: MIT */
/* Kernel "malloc": malloc/realloc/free churn over 1024 live blocks of mixed sizes. */
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

#define SLOTS 1024
#define OPS_PER_UNIT 10000

struct block {
	uint8_t *p;
	uint32_t size;
	uint32_t tag;
};

/* Mostly small objects, some buffers, a few large ones: a typical heap profile. */
static uint32_t pick_size(uint32_t *rng)
{
	uint32_t r = rng_next(rng);

	if ((r & 15) < 12)
		return 16 + (r >> 8) % 240;
	if ((r & 15) < 15)
		return 1024 + (r >> 8) % 3072;
	return 16384 + (r >> 8) % 49152;
}

static void stamp(struct block *b)
{
	memcpy(b->p, &b->tag, 4);
	memcpy(b->p + 4, &b->size, 4);
	b->p[b->size - 1] = (uint8_t)b->tag;
}

static int intact(const struct block *b, uint32_t size)
{
	uint32_t tag, sz;

	memcpy(&tag, b->p, 4);
	memcpy(&sz, b->p + 4, 4);
	return tag == b->tag && sz == b->size && b->p[size - 1] == (uint8_t)b->tag;
}

uint32_t kernel_run(uint32_t units, int *bad)
{
	static struct block blocks[SLOTS];
	uint32_t sum = CHECKSUM_INIT, rng = 0x51ed270bu, tags = 0;

	for (uint32_t u = 0; u < units; u++) {
		for (uint32_t op = 0; op < OPS_PER_UNIT; op++) {
			uint32_t r = rng_next(&rng);
			struct block *b = &blocks[r % SLOTS];
			uint32_t size;

			if (!b->p) {
				b->size = pick_size(&rng);
				b->tag = ++tags;
				b->p = malloc(b->size);
				if (!b->p) {
					*bad = 1;
					return 0;
				}
				stamp(b);
				continue;
			}
			if (!intact(b, b->size))
				*bad = 1;
			sum = mix32(sum, b->tag ^ b->size);
			if ((r >> 16) % 8 == 0) {
				uint8_t *np;

				size = pick_size(&rng);
				np = realloc(b->p, size);
				if (!np) {
					*bad = 1;
					return 0;
				}
				b->p = np;
				/* The first min(old, new) bytes survive a realloc. */
				if (memcmp(b->p, &b->tag, 4))
					*bad = 1;
				b->size = size;
				stamp(b);
			} else {
				free(b->p);
				b->p = NULL;
			}
		}
	}
	for (uint32_t i = 0; i < SLOTS; i++) {
		if (blocks[i].p && !intact(&blocks[i], blocks[i].size))
			*bad = 1;
		free(blocks[i].p);
		blocks[i].p = NULL;
	}
	return sum;
}
