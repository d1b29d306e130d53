/* SPDX-License-Identifier: MIT */
/* The interface every compute kernel implements, and small helpers they share. */
#ifndef BENCH_KERNEL_H
#define BENCH_KERNEL_H

#include <stdint.h>

/*
 * Runs @units units of work and returns a checksum of the result. The work is
 * linear in @units, so times at different sizes scale. Sets *bad to nonzero
 * when the kernel's own check of its result fails; the checksum is then
 * meaningless.
 */
uint32_t kernel_run(uint32_t units, int *bad);

/* One step of a 32-bit xorshift generator; the state must not be 0. */
static inline uint32_t rng_next(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/* Folds @v into the running checksum @h (FNV-1a over the four bytes). */
static inline uint32_t mix32(uint32_t h, uint32_t v)
{
	for (int i = 0; i < 4; i++) {
		h ^= (v >> (8 * i)) & 0xff;
		h *= 16777619u;
	}
	return h;
}

#define CHECKSUM_INIT 2166136261u

#endif /* BENCH_KERNEL_H */
