/* SPDX-License-Identifier: MIT */
/* Kernel "sieve": the sieve of Eratosthenes, tight integer loops over bytes. */
#include "kernel.h"

#define LIMIT 1000000u
/* pi(10^6), the number of primes below one million. */
#define PRIMES_BELOW_LIMIT 78498u

static uint8_t composite[LIMIT];

static uint32_t sieve(void)
{
	uint32_t count = 0, last = 0;

	for (uint32_t i = 0; i < LIMIT; i++)
		composite[i] = 0;
	for (uint32_t i = 2; i * i < LIMIT; i++) {
		if (composite[i])
			continue;
		for (uint32_t j = i * i; j < LIMIT; j += i)
			composite[j] = 1;
	}
	for (uint32_t i = 2; i < LIMIT; i++) {
		if (!composite[i]) {
			count++;
			last = i;
		}
	}
	return count == PRIMES_BELOW_LIMIT && last == 999983u ? count : 0;
}

uint32_t kernel_run(uint32_t units, int *bad)
{
	uint32_t sum = CHECKSUM_INIT;

	for (uint32_t i = 0; i < units; i++) {
		uint32_t n = sieve();

		if (!n)
			*bad = 1;
		sum = mix32(sum, n + i);
	}
	return sum;
}
