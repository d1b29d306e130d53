/* SPDX-License-Identifier: MIT */
/*
 * Global data: .rodata set before load (once through wasm_bpf_global_write on
 * an opened object, once by patching the embedded image) changes what the
 * program does; .data and .bss are read and written live after load.
 */
#include <sched.h>
#include <stddef.h>

#include "wasm_bpf.h"
#include "globals.bpf.h"

/* Layouts of the sections, as declared in globals.bpf.c. */
struct rodata {
	uint32_t target_tgid;
	uint32_t pad;
	uint64_t step;
	char label[16];
};

struct bss {
	uint64_t calls, sum;
	char label[16];
};

static int lookup_key0(int fd, void *value)
{
	uint32_t zero = 0;

	return wasm_bpf_map_operate(fd, WB_MAP_LOOKUP, &zero, value, NULL, 0);
}

static void yield_n(int n)
{
	while (n-- > 0)
		sched_yield();
}

int main(int argc, char **argv)
{
	struct rodata ro;
	struct bss bss;
	uint64_t a, b, v, data_counter;
	uint32_t tgid;
	int i;

	wbt_init();
	tgid = wbt_pid_arg(argc, argv);

	printf("A: opened, configured with global_write, loaded\n");
	a = wasm_bpf_open_object(globals_bpf_o, sizeof(globals_bpf_o));
	REQUIRE(a != 0, "open globals.bpf.o");
	memset(&ro, 0, sizeof(ro));
	CHECK_EQ(wasm_bpf_global_read(a, WB_RODATA, 0, &ro, sizeof(ro)), 0, "read initial .rodata");
	CHECK_EQ(ro.step, 1, "initial step");
	CHECK_EQ(strcmp(ro.label, "default"), 0, "initial label");
	CHECK_ERR(wasm_bpf_global_read(a, WB_RODATA, 0, &ro, sizeof(ro) + 1), ERANGE,
		  "read past the end of .rodata");
	CHECK_ERR(wasm_bpf_global_read(a, WB_RODATA, sizeof(ro), &ro, 1), ERANGE,
		  "read at the end of .rodata");
	CHECK_ERR(wasm_bpf_global_read(a, WB_RODATA, 0xffffffffu, &ro, 2), ERANGE,
		  "read at offset 2^32 - 1");
	data_counter = 0;
	CHECK_EQ(wasm_bpf_global_read(a, WB_DATA, 0, &data_counter, 8), 0, "read initial .data");
	CHECK_EQ(data_counter, 1000, "initial data_counter");
	ro.target_tgid = tgid;
	ro.step = 5;
	strcpy(ro.label, "configured-A");
	CHECK_EQ(wasm_bpf_global_write(a, WB_RODATA, 0, &ro, sizeof(ro)), 0, "write .rodata");
	v = 2000;
	CHECK_EQ(wasm_bpf_global_write(a, WB_DATA, 0, &v, 8), 0, "write .data before load");
	REQUIRE(wasm_bpf_load_object(a) == 0, "load A");
	REQUIRE(wasm_attach_bpf_program(a, "wbt_glob_yield", NULL) == 0, "attach A");
	CHECK_ERR(wasm_bpf_global_write(a, WB_RODATA, 8, &v, 8), EPERM, ".rodata after load");
	memset(&ro, 0, sizeof(ro));
	CHECK_EQ(wasm_bpf_global_read(a, WB_RODATA, 0, &ro, sizeof(ro)), 0, "read frozen .rodata");
	CHECK_EQ(ro.step, 5, "frozen step");

	yield_n(3);
	memset(&bss, 0, sizeof(bss));
	CHECK_EQ(wasm_bpf_global_read(a, WB_BSS, 0, &bss, sizeof(bss)), 0, "read .bss");
	CHECK_EQ(bss.calls, 3, "A: calls");
	CHECK_EQ(bss.sum, 15, "A: sum (step 5)");
	CHECK_EQ(strcmp(bss.label, "configured-A"), 0, "A: label copied from .rodata");
	CHECK_EQ(wasm_bpf_global_read(a, WB_DATA, 0, &data_counter, 8), 0, "read .data");
	CHECK_EQ(data_counter, 2003, "A: data_counter");

	printf(".bss as a map: wasm_bpf_map_fd_by_name(\".bss\") and a lookup of key 0\n");
	{
		int bss_fd = wasm_bpf_map_fd_by_name(a, ".bss");
		struct bss via_map;

		CHECK_TRUE(bss_fd >= 0, "fd of .bss");
		memset(&via_map, 0, sizeof(via_map));
		CHECK_EQ(lookup_key0(bss_fd, &via_map), 0, "lookup .bss[0]");
		CHECK_EQ(via_map.calls, 3, "calls seen through the map");
		CHECK_EQ(strcmp(via_map.label, "configured-A"), 0, "label seen through the map");
		CHECK_TRUE(wasm_bpf_map_fd_by_name(a, ".rodata") >= 0, "fd of .rodata");
	}

	printf(".bss written live: reset, then count again\n");
	memset(&bss, 0, 16);
	CHECK_EQ(wasm_bpf_global_write(a, WB_BSS, 0, &bss, 16), 0, "zero calls and sum");
	yield_n(2);
	CHECK_EQ(wasm_bpf_global_read(a, WB_BSS, offsetof(struct bss, sum), &v, 8), 0,
		 "read sum alone");
	CHECK_EQ(v, 10, "A: sum after reset");

	printf("B: the image patched in guest memory, compat load\n");
	i = wbt_elf_patch(globals_bpf_o, sizeof(globals_bpf_o), ".rodata", "target_tgid", &tgid,
			  4);
	v = 7;
	i |= wbt_elf_patch(globals_bpf_o, sizeof(globals_bpf_o), ".rodata", "step", &v, 8);
	i |= wbt_elf_patch(globals_bpf_o, sizeof(globals_bpf_o), ".rodata", "label", "patched-B",
			   10);
	REQUIRE(i == 0, "patch the image");
	b = wasm_load_bpf_object(globals_bpf_o, sizeof(globals_bpf_o));
	REQUIRE(b != 0, "load B");
	CHECK_TRUE(b != a, "distinct handles");
	REQUIRE(wasm_attach_bpf_program(b, "wbt_glob_yield", NULL) == 0, "attach B");
	yield_n(4);
	CHECK_EQ(wasm_bpf_global_read(b, WB_BSS, 0, &bss, sizeof(bss)), 0, "read B's .bss");
	CHECK_EQ(bss.calls, 4, "B: calls");
	CHECK_EQ(bss.sum, 28, "B: sum (step 7)");
	CHECK_EQ(strcmp(bss.label, "patched-B"), 0, "B: label");
	CHECK_EQ(wasm_bpf_global_read(b, WB_DATA, 0, &v, 8), 0, "read B's .data");
	CHECK_EQ(v, 1004, "B: data_counter");
	CHECK_EQ(wasm_bpf_global_read(a, WB_BSS, 0, &bss, 16), 0, "read A's .bss");
	CHECK_EQ(bss.calls, 6, "A kept counting beside B");

	printf("bad sections and handles\n");
	CHECK_TRUE(wasm_bpf_global_read(a, 3, 0, &v, 1) < 0, "section 3");
	CHECK_TRUE(wasm_bpf_global_read(a, -1, 0, &v, 1) < 0, "section -1");
	CHECK_ERR(wasm_bpf_global_read(12345, WB_BSS, 0, &v, 1), EBADF, "unknown handle");
	CHECK_ERR(wasm_bpf_global_read(a, WB_BSS, 0, WB_PTR(0xfffffff0u), 16), EFAULT,
		  "buffer past the end of memory");

	CHECK_EQ(wasm_close_bpf_object(b), 0, "close B");
	CHECK_EQ(wasm_close_bpf_object(a), 0, "close A");
	CHECK_ERR(wasm_bpf_global_read(a, WB_BSS, 0, &v, 8), EBADF, "read after close");
	return wbt_done("globals");
}
