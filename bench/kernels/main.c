/* SPDX-License-Identifier: MIT */
/* Command-line entry of a kernel (native and wasm32-wasi): `kernel [units]`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

#ifndef KERNEL_NAME
#error "build with -DKERNEL_NAME=\"name\""
#endif

struct kernel_size {
	const char *name;
	uint32_t full;
};

static const struct kernel_size sizes[] = {
#define KERNEL(name, full, quick, interp, interp_quick, geomean, what) { #name, full },
#include "../kernels.def"
#undef KERNEL
};

static uint32_t default_units(void)
{
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (!strcmp(sizes[i].name, KERNEL_NAME))
			return sizes[i].full;
	return 1;
}

int main(int argc, char **argv)
{
	uint32_t units = default_units(), sum;
	int bad = 0;

	if (argc > 1) {
		char *end;
		unsigned long v = strtoul(argv[1], &end, 10);

		if (*end || v == 0 || v > 1000000) {
			fprintf(stderr, "%s: units must be 1..1000000\n", KERNEL_NAME);
			return 2;
		}
		units = (uint32_t)v;
	}
	sum = kernel_run(units, &bad);
	if (bad) {
		fprintf(stderr, "%s: SELF-CHECK FAILED\n", KERNEL_NAME);
		return 1;
	}
	printf("%s units=%u checksum=0x%08x\n", KERNEL_NAME, units, sum);
	return 0;
}
