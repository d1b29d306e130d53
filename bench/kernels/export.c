/* SPDX-License-Identifier: MIT */
/*
 * Entry of a kernel built for wabt's wasm-interp, which has no WASI in
 * Debian's build: no _start, and the module exports `bench()`, which runs the
 * kernel's "interp" size (or its "interp_quick" size when built with
 * -DBENCH_QUICK) and returns the checksum (0xbad0bad0 when the kernel's
 * self-check failed). wasi-libc is linked for memcpy, qsort, malloc and
 * snprintf, which need no WASI call; the three stdio imports snprintf drags
 * in are never called, and wasm-interp's --dummy-import-func satisfies them.
 */
#include "kernel.h"

#ifndef KERNEL_NAME
#error "build with -DKERNEL_NAME=\"name\""
#endif

struct kernel_size {
	const char *name;
	uint32_t units;
};

static const struct kernel_size sizes[] = {
#ifdef BENCH_QUICK
#define KERNEL(name, full, quick, interp, interp_quick, geomean, what) { #name, interp_quick },
#else
#define KERNEL(name, full, quick, interp, interp_quick, geomean, what) { #name, interp },
#endif
#include "../kernels.def"
#undef KERNEL
};

/* Our own comparison, so that this wrapper calls nothing from libc. */
static int same_name(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

__attribute__((export_name("bench"))) uint32_t bench(void);

uint32_t bench(void)
{
	uint32_t units = 1, sum;
	int bad = 0;

	for (unsigned long i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (same_name(sizes[i].name, KERNEL_NAME))
			units = sizes[i].units;
	sum = kernel_run(units, &bad);
	return bad ? 0xbad0bad0u : sum;
}
