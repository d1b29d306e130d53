/* SPDX-License-Identifier: MIT */
/*
 * The "wasm_bpf" host imports as the test guests call them (docs/abi.md),
 * declared here by hand so that the tests depend on the ABI only, plus small
 * helpers the guests share: checks that print what they compared, a timer
 * made of an idle ring buffer, and the ELF walk that patches .rodata in an
 * embedded object image before it is loaded.
 */
#ifndef WBT_WASM_BPF_H
#define WBT_WASM_BPF_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WB_IMPORT(name) __attribute__((import_module("wasm_bpf"), import_name(#name)))

/* The compatibility surface. */
WB_IMPORT(wasm_load_bpf_object)
uint64_t wasm_load_bpf_object(const void *obj_buf, int obj_buf_sz);
WB_IMPORT(wasm_attach_bpf_program)
int wasm_attach_bpf_program(uint64_t obj, const char *name, const char *target);
WB_IMPORT(wasm_bpf_buffer_poll)
int wasm_bpf_buffer_poll(uint64_t obj, int fd, int sample_func, void *ctx, void *data,
			 int max_size, int timeout_ms);
WB_IMPORT(wasm_bpf_map_fd_by_name)
int wasm_bpf_map_fd_by_name(uint64_t obj, const char *name);
WB_IMPORT(wasm_bpf_map_operate)
int wasm_bpf_map_operate(int fd, int cmd, void *key, void *value, void *next_key,
			 uint64_t flags);
WB_IMPORT(wasm_close_bpf_object)
int wasm_close_bpf_object(uint64_t obj);

/* Extensions, ABI version 1. */
WB_IMPORT(wasm_bpf_abi_version)
int wasm_bpf_abi_version(void);
WB_IMPORT(wasm_bpf_open_object)
uint64_t wasm_bpf_open_object(const void *obj_buf, int obj_buf_sz);
WB_IMPORT(wasm_bpf_load_object)
int wasm_bpf_load_object(uint64_t obj);
WB_IMPORT(wasm_bpf_program_set_autoload)
int wasm_bpf_program_set_autoload(uint64_t obj, const char *name, int autoload);
WB_IMPORT(wasm_bpf_map_set_max_entries)
int wasm_bpf_map_set_max_entries(uint64_t obj, const char *name, uint32_t n);
WB_IMPORT(wasm_bpf_map_info)
int wasm_bpf_map_info(int fd, void *info);
WB_IMPORT(wasm_bpf_global_read)
int wasm_bpf_global_read(uint64_t obj, int section, uint32_t off, void *buf, uint32_t len);
WB_IMPORT(wasm_bpf_global_write)
int wasm_bpf_global_write(uint64_t obj, int section, uint32_t off, const void *buf,
			  uint32_t len);
WB_IMPORT(wasm_bpf_detach_program)
int wasm_bpf_detach_program(uint64_t obj, const char *name);
WB_IMPORT(wasm_bpf_buffer_read)
int wasm_bpf_buffer_read(uint64_t obj, int fd, void *data, int max_size, int timeout_ms);
WB_IMPORT(wasm_bpf_last_error)
int wasm_bpf_last_error(char *buf, uint32_t len);

/* A guest offset as a pointer argument, for handing the host arbitrary offsets. */
#define WB_PTR(off) ((void *)(uintptr_t)(off))

/* wasm_bpf_map_operate commands and update flags (the kernel's numbers). */
#define WB_MAP_LOOKUP 1
#define WB_MAP_UPDATE 2
#define WB_MAP_DELETE 3
#define WB_MAP_GET_NEXT_KEY 4
#define WB_MAP_LOOKUP_AND_DELETE 21
#define WB_ANY 0
#define WB_NOEXIST 1
#define WB_EXIST 2

/* wasm_bpf_global_read/write sections. */
#define WB_RODATA 0
#define WB_DATA 1
#define WB_BSS 2

struct wb_map_info {
	uint32_t type, key_size, value_size, max_entries, value_bytes, map_flags;
	uint32_t reserved[6];
};

/* Kernel map type numbers used by the checks. */
#define WB_MAP_TYPE_HASH 1
#define WB_MAP_TYPE_ARRAY 2
#define WB_MAP_TYPE_PERCPU_ARRAY 6
#define WB_MAP_TYPE_LRU_HASH 9
#define WB_MAP_TYPE_RINGBUF 27

/* The table index of a function, as the host expects it in sample_func. */
#define WB_FN(f) ((int)(uintptr_t)(f))

/* ---------------------------------------------------------------- checks */

static int wbt_failures;
static int wbt_checks;

static void wbt_check(int ok, const char *what, long long got, long long want, int line)
{
	wbt_checks++;
	if (ok) {
		printf("  ok   %s (%lld)\n", what, got);
		return;
	}
	wbt_failures++;
	printf("  FAIL line %d: %s: got %lld, want %lld\n", line, what, got, want);
}

#define CHECK_EQ(got, want, what)                                                  \
	do {                                                                       \
		long long g_ = (long long)(got), w_ = (long long)(want);           \
		wbt_check(g_ == w_, what, g_, w_, __LINE__);                       \
	} while (0)

/* A negative WASI errno result, e.g. CHECK_ERR(r, EBADF, "..."). */
#define CHECK_ERR(got, err, what) CHECK_EQ(got, -(err), what)

#define CHECK_TRUE(cond, what)                                                     \
	do {                                                                       \
		long long g_ = (long long)(cond);                                  \
		wbt_check(g_ != 0, what, g_, 1, __LINE__);                         \
	} while (0)

/* Stop here: what follows depends on this. */
#define REQUIRE(cond, what)                                                        \
	do {                                                                       \
		if (!(cond)) {                                                     \
			char e_[512];                                              \
			wasm_bpf_last_error(e_, sizeof(e_));                       \
			printf("  FAIL line %d: %s (last error: %s)\n", __LINE__,  \
			       what, e_);                                          \
			exit(1);                                                   \
		}                                                                  \
	} while (0)

static int wbt_done(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, wbt_checks, wbt_failures);
	return wbt_failures ? 1 : 0;
}

/* argv[1] is the host pid (the runner starts us with `sh -c 'exec ... $$'`). */
static uint32_t wbt_pid_arg(int argc, char **argv)
{
	if (argc < 2) {
		printf("usage: %s HOST_PID ...\n", argv[0]);
		exit(2);
	}
	return (uint32_t)strtoul(argv[1], NULL, 10);
}

/* Output goes through WASI fd_write unbuffered: the runner may be waiting for a line. */
static void wbt_init(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
}

/* Tell the runner we are ready, then block until it writes a line on our stdin. */
static void wbt_handshake(const char *tag)
{
	char line[64];

	printf("READY %s\n", tag);
	if (!fgets(line, sizeof(line), stdin)) {
		printf("  FAIL: no '%s' line from the runner on stdin\n", tag);
		exit(1);
	}
}

/* Sleep by polling a ring buffer nothing writes to (no WASI clocks needed). */
static int wbt_idle_cb(void *ctx, void *data, uint32_t size)
{
	return 0;
}

static void wbt_sleep_ms(uint64_t obj, int idle_fd, int ms)
{
	static char buf[64];

	wasm_bpf_buffer_poll(obj, idle_fd, WB_FN(wbt_idle_cb), NULL, buf, sizeof(buf), ms);
}

/* ---------------------------------------------------------------- ELF */

/*
 * The file offset of symbol `sym` inside section `sec` of a 64-bit
 * little-endian ELF image, or -1: what a skeleton needs to patch .rodata
 * in the image before loading it.
 */
static long wbt_elf_symbol_offset(const unsigned char *img, size_t sz, const char *sec,
				  const char *sym)
{
	uint64_t shoff;
	uint16_t shentsize, shnum, shstrndx, i, sec_idx = 0;
	const unsigned char *sh, *shstr;
	uint64_t sec_off = 0;

	if (sz < 64 || memcmp(img, "\177ELF", 4) || img[4] != 2 || img[5] != 1)
		return -1;
	memcpy(&shoff, img + 0x28, 8);
	memcpy(&shentsize, img + 0x3a, 2);
	memcpy(&shnum, img + 0x3c, 2);
	memcpy(&shstrndx, img + 0x3e, 2);
	if (shentsize != 64 || shoff > sz || (uint64_t)shnum * 64 > sz - shoff || shstrndx >= shnum)
		return -1;
	sh = img + shoff;
	{
		uint64_t o;

		memcpy(&o, sh + shstrndx * 64 + 0x18, 8);
		shstr = img + o;
	}
	for (i = 0; i < shnum; i++) {
		uint32_t name;

		memcpy(&name, sh + i * 64, 4);
		if (!strcmp((const char *)shstr + name, sec)) {
			sec_idx = i;
			memcpy(&sec_off, sh + i * 64 + 0x18, 8);
		}
	}
	if (!sec_idx)
		return -1;
	for (i = 0; i < shnum; i++) {
		uint32_t type, link;
		uint64_t off, size, j;
		const unsigned char *strtab;

		memcpy(&type, sh + i * 64 + 4, 4);
		if (type != 2)	/* SHT_SYMTAB */
			continue;
		memcpy(&off, sh + i * 64 + 0x18, 8);
		memcpy(&size, sh + i * 64 + 0x20, 8);
		memcpy(&link, sh + i * 64 + 0x28, 4);
		{
			uint64_t so;

			memcpy(&so, sh + link * 64 + 0x18, 8);
			strtab = img + so;
		}
		for (j = 0; j + 24 <= size; j += 24) {
			const unsigned char *s = img + off + j;
			uint32_t nm;
			uint16_t shndx;
			uint64_t value;

			memcpy(&nm, s, 4);
			memcpy(&shndx, s + 6, 2);
			memcpy(&value, s + 8, 8);
			if (shndx == sec_idx && !strcmp((const char *)strtab + nm, sym))
				return (long)(sec_off + value);
		}
	}
	return -1;
}

/* Write `len` bytes at symbol sym of section sec in the image; 0 or -1. */
static int wbt_elf_patch(unsigned char *img, size_t sz, const char *sec, const char *sym,
			 const void *val, size_t len)
{
	long off = wbt_elf_symbol_offset(img, sz, sec, sym);

	if (off < 0 || (size_t)off + len > sz)
		return -1;
	memcpy(img + off, val, len);
	return 0;
}

#endif /* WBT_WASM_BPF_H */
