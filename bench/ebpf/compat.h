/* SPDX-License-Identifier: MIT */
/*
 * What lets one benchmark source build both as a wasm32-wasi guest of
 * wasm-bpf (against sdk/c/libbpf-wasm.h) and as a native libbpf program: the
 * headers of each side, the clocks both sides read, and a patch of a
 * .rodata variable in the embedded ELF image before it is opened (the same
 * bytes on both sides, so no libbpf-version-specific setter is needed).
 */
#ifndef EBPF_BENCH_COMPAT_H
#define EBPF_BENCH_COMPAT_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef __wasm__
#include "libbpf-wasm.h"
#define BENCH_SIDE "wasm"
#else
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#define BENCH_SIDE "native"
#endif

static inline uint64_t bench_clock_ns(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline uint64_t bench_wall_ns(void)
{
	return bench_clock_ns(CLOCK_MONOTONIC);
}

/* CPU time of the whole process (user + system). */
static inline uint64_t bench_cpu_ns(void)
{
	return bench_clock_ns(CLOCK_PROCESS_CPUTIME_ID);
}

static inline uint64_t bench_rd64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t bench_rd32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint16_t bench_rd16(const unsigned char *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * Overwrite `len` bytes of the global `sym` defined in section `sec` of a
 * little-endian ELF64 image. Returns 0, or -1 if the image, the section or
 * the symbol is not found or the write would leave the image.
 */
static inline int bench_elf_patch(unsigned char *img, size_t img_sz, const char *sec,
				  const char *sym, const void *val, size_t len)
{
	uint64_t shoff, str_off, sec_off = 0;
	uint16_t shnum, shstrndx, i, sec_idx = 0;

	if (img_sz < 64 || memcmp(img, "\177ELF", 4) || img[4] != 2 || img[5] != 1)
		return -1;
	shoff = bench_rd64(img + 0x28);
	shnum = bench_rd16(img + 0x3c);
	shstrndx = bench_rd16(img + 0x3e);
	if (bench_rd16(img + 0x3a) != 64 || shoff > img_sz || shnum * 64ull > img_sz - shoff ||
	    shstrndx >= shnum)
		return -1;
	str_off = bench_rd64(img + shoff + shstrndx * 64ull + 0x18);
	for (i = 1; i < shnum; i++) {
		const unsigned char *sh = img + shoff + i * 64ull;
		uint64_t name = str_off + bench_rd32(sh);

		if (name < img_sz && !strncmp((const char *)img + name, sec, img_sz - name)) {
			sec_idx = i;
			sec_off = bench_rd64(sh + 0x18);
		}
	}
	if (!sec_idx)
		return -1;
	for (i = 1; i < shnum; i++) {
		const unsigned char *sh = img + shoff + i * 64ull;
		uint64_t off = bench_rd64(sh + 0x18), size = bench_rd64(sh + 0x20), j, names;
		uint32_t link = bench_rd32(sh + 0x28);

		if (bench_rd32(sh + 4) != 2 /* SHT_SYMTAB */ || link >= shnum || off > img_sz ||
		    size > img_sz - off)
			continue;
		names = bench_rd64(img + shoff + link * 64ull + 0x18);
		for (j = 0; j + 24 <= size; j += 24) {
			const unsigned char *s = img + off + j;
			uint64_t nm = names + bench_rd32(s), at;

			if (bench_rd16(s + 6) != sec_idx || nm >= img_sz ||
			    strncmp((const char *)img + nm, sym, img_sz - nm))
				continue;
			at = sec_off + bench_rd64(s + 8);
			if (at > img_sz || len > img_sz - at)
				return -1;
			memcpy(img + at, val, len);
			return 0;
		}
	}
	return -1;
}

#endif /* EBPF_BENCH_COMPAT_H */
