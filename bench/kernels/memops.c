/* SPDX-License-Identifier: MIT */
/* Kernel "memops": libc memcpy, memmove and memset (some memcmp) on blocks of 16 B to 16 KiB. */
#include <string.h>

#include "kernel.h"

#define BUF_SZ (256 * 1024)
#define MAX_LEN (16 * 1024)
#define OPS_PER_UNIT 1000

static uint8_t buf_a[BUF_SZ], buf_b[BUF_SZ];

/* Block lengths spread over powers of two, as in record and string copies. */
static uint32_t pick_len(uint32_t *rng)
{
	uint32_t r = rng_next(rng), shift = r % 11;

	return 16 + (rng_next(rng) & ((16u << shift) - 1));
}

static uint32_t pick_off(uint32_t *rng, uint32_t len)
{
	return rng_next(rng) % (BUF_SZ - len);
}

uint32_t kernel_run(uint32_t units, int *bad)
{
	uint32_t sum = CHECKSUM_INIT, rng = 0x2545f491u;

	for (uint32_t i = 0; i < BUF_SZ; i++)
		buf_b[i] = (uint8_t)(i * 131 + (i >> 9));
	memset(buf_a, 0x5a, sizeof(buf_a));
	for (uint32_t u = 0; u < units; u++) {
		for (uint32_t op = 0; op < OPS_PER_UNIT; op++) {
			uint32_t len = pick_len(&rng);
			uint32_t d = pick_off(&rng, len), s = pick_off(&rng, len);
			uint8_t first, last, v;

			switch (op & 3) {
			case 0:
				memcpy(buf_a + d, buf_b + s, len);
				/* Compare now and then only: this is a copy benchmark. */
				if ((op & 63) == 0 && memcmp(buf_a + d, buf_b + s, len))
					*bad = 1;
				break;
			case 1:
				memcpy(buf_b + d, buf_a + s, len);
				if ((op & 63) == 1 && memcmp(buf_b + d, buf_a + s, len))
					*bad = 1;
				break;
			case 2:
				first = buf_a[s];
				last = buf_a[s + len - 1];
				memmove(buf_a + d, buf_a + s, len);
				if (buf_a[d] != first || buf_a[d + len - 1] != last)
					*bad = 1;
				break;
			default:
				v = (uint8_t)(op + u);
				memset(buf_b + d, v, len);
				if (buf_b[d] != v || buf_b[d + len - 1] != v)
					*bad = 1;
				break;
			}
			sum = mix32(sum, buf_a[d] | (uint32_t)buf_b[d + len / 2] << 8 | len << 16);
		}
	}
	return sum;
}
