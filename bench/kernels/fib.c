/* SPDX-License-Identifier: MIT */
/* Kernel "fib": doubly recursive Fibonacci, a benchmark of the call path. */
#include "kernel.h"

/*
 * Read through a volatile so that the compiler cannot treat the calls as
 * loop-invariant and evaluate fib(25) only once.
 */
static volatile uint32_t depth = 25;

__attribute__((noinline)) static uint32_t fib(uint32_t n)
{
	if (n < 2)
		return n;
	return fib(n - 1) + fib(n - 2);
}

uint32_t kernel_run(uint32_t units, int *bad)
{
	uint32_t sum = CHECKSUM_INIT;

	for (uint32_t i = 0; i < units; i++) {
		uint32_t n = depth;
		uint32_t f = fib(n);

		if (n == 25 && f != 75025)
			*bad = 1;
		sum = mix32(sum, f + i);
	}
	return sum;
}
