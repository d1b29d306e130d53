/* SPDX-License-Identifier: MIT */
/* Kernel "matmul": 128x128 uint32 matrix products, memory-heavy nested loops. */
#include "kernel.h"

#define N 128

static uint32_t a[N][N], b[N][N], c[N][N];

static void multiply(void)
{
	for (int i = 0; i < N; i++) {
		for (int j = 0; j < N; j++)
			c[i][j] = 0;
		for (int k = 0; k < N; k++) {
			uint32_t aik = a[i][k];

			for (int j = 0; j < N; j++)
				c[i][j] += aik * b[k][j];
		}
	}
}

/*
 * Freivalds' check: C*x must equal A*(B*x) for a vector x. It costs O(N^2),
 * so it can run after every product; modulo 2^32 both sides are exact.
 */
static int verify(uint32_t seed)
{
	uint32_t x[N], bx[N], rng = seed | 1;

	for (int i = 0; i < N; i++)
		x[i] = rng_next(&rng);
	for (int i = 0; i < N; i++) {
		uint32_t s = 0;

		for (int j = 0; j < N; j++)
			s += b[i][j] * x[j];
		bx[i] = s;
	}
	for (int i = 0; i < N; i++) {
		uint32_t l = 0, r = 0;

		for (int j = 0; j < N; j++) {
			l += c[i][j] * x[j];
			r += a[i][j] * bx[j];
		}
		if (l != r)
			return 0;
	}
	return 1;
}

uint32_t kernel_run(uint32_t units, int *bad)
{
	uint32_t sum = CHECKSUM_INIT, rng = 0x9e3779b9u;

	for (int i = 0; i < N; i++) {
		for (int j = 0; j < N; j++) {
			a[i][j] = rng_next(&rng) & 0xffff;
			b[i][j] = rng_next(&rng) & 0xffff;
		}
	}
	for (uint32_t u = 0; u < units; u++) {
		multiply();
		if (!verify(u + 1))
			*bad = 1;
		for (int i = 0; i < N; i++)
			sum = mix32(sum, c[i][(i * 7 + u) % N]);
		/* Feed the product back so that every unit multiplies new data. */
		for (int i = 0; i < N; i++)
			for (int j = 0; j < N; j++)
				a[i][j] = c[i][j] >> 3;
	}
	return sum;
}
