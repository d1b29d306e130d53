/* SPDX-License-Identifier: MIT */
/*
 * A hostile guest: handles never issued or already closed, fds it does not
 * own, pointers and lengths past the end of memory, strings that never end,
 * bad callback indexes and types, absurd object sizes and objects that are
 * not ELF. Each call must fail with its WASI errno and leave the host (and
 * the guest's own objects) working.
 */
#include <sched.h>

#include "wasm_bpf.h"
#include "hostile.bpf.h"
#include "rejected.bpf.h"

#define PAGE 65536u

static unsigned char data[4096];
static uint32_t own_page;	/* a page we grew ourselves, at the end of memory */

static int count_cb(void *ctx, void *buf, uint32_t size)
{
	(*(int *)ctx)++;
	return 0;
}

/* In the table (its address is taken) but of type (i32) -> i32. */
static int wrong_type_cb(int x)
{
	return x;
}

static int (*volatile keep_wrong)(int) = wrong_type_cb;

static uint32_t mem_end(void)
{
	return (uint32_t)__builtin_wasm_memory_size(0) * PAGE;
}

/* The end of memory, with our own page of 'A's (no NUL) just before it. */
static uint32_t end_of_as(void)
{
	if (!own_page || own_page + PAGE != mem_end()) {
		long old = __builtin_wasm_memory_grow(0, 1);

		if (old < 0) {
			printf("  FAIL: memory.grow\n");
			exit(1);
		}
		own_page = (uint32_t)old * PAGE;
		memset((void *)(uintptr_t)own_page, 'A', PAGE);
	}
	return mem_end();
}

static uint64_t load_patched(uint32_t tgid)
{
	uint64_t obj;

	obj = wasm_load_bpf_object(hostile_bpf_o, sizeof(hostile_bpf_o));
	REQUIRE(obj != 0, "load hostile.bpf.o");
	return obj;
}

int main(int argc, char **argv)
{
	uint32_t tgid, key = 1, end, i, fds[8], nfds = 0;
	uint64_t h, c, d, v = 0, bogus[] = { 0, 999, 1ull << 32, ~0ull };
	int hash, rb, progs, crb, dfd, r, n, bad, j, len;
	char err[512];

	wbt_init();
	tgid = wbt_pid_arg(argc, argv);
	REQUIRE(wbt_elf_patch(hostile_bpf_o, sizeof(hostile_bpf_o), ".rodata", "target_tgid", &tgid,
			      4) == 0, "patch target_tgid");
	h = load_patched(tgid);
	hash = wasm_bpf_map_fd_by_name(h, "wbt_h_hash");
	rb = wasm_bpf_map_fd_by_name(h, "wbt_h_rb");
	progs = wasm_bpf_map_fd_by_name(h, "wbt_h_progs");
	REQUIRE(hash >= 0 && rb >= 0 && progs >= 0, "map fds");
	REQUIRE(wasm_attach_bpf_program(h, "wbt_h_yield", NULL) == 0, "attach");
	CHECK_EQ(wasm_bpf_map_operate(hash, WB_MAP_UPDATE, &key, &v, NULL, 0), 0, "a good update");

	printf("handles never issued\n");
	for (j = 0; j < 4; j++) {
		uint64_t b = bogus[j];

		/* Near the real handle: one far beyond it, one with high bits set. */
		if (b == 999)
			b = h + 999;
		else if (b == 1ull << 32)
			b = h | 1ull << 32;

		bad = 0;
		bad += wasm_attach_bpf_program(b, "wbt_h_yield", NULL) != -EBADF;
		bad += wasm_bpf_map_fd_by_name(b, "wbt_h_hash") != -EBADF;
		bad += wasm_bpf_buffer_poll(b, rb, WB_FN(count_cb), &n, data, sizeof(data),
					    0) != -EBADF;
		bad += wasm_bpf_buffer_read(b, rb, data, sizeof(data), 0) != -EBADF;
		bad += wasm_bpf_load_object(b) != -EBADF;
		bad += wasm_bpf_program_set_autoload(b, "wbt_h_yield", 0) != -EBADF;
		bad += wasm_bpf_map_set_max_entries(b, "wbt_h_hash", 4) != -EBADF;
		bad += wasm_bpf_global_read(b, WB_BSS, 0, &v, 4) != -EBADF;
		bad += wasm_bpf_global_write(b, WB_BSS, 0, &v, 4) != -EBADF;
		bad += wasm_bpf_detach_program(b, "wbt_h_yield") != -EBADF;
		bad += wasm_close_bpf_object(b) != -EBADF;
		printf("  handle 0x%llx:\n", (unsigned long long)b);
		CHECK_EQ(bad, 0, "imports not answering -EBADF");
	}

	printf("a closed object's handle and map fd\n");
	c = load_patched(tgid);
	crb = wasm_bpf_map_fd_by_name(c, "wbt_h_rb");
	CHECK_TRUE(crb >= 0 && crb != rb, "the second object has its own ring fd");
	/* Allowed: a guest may poll any of its own maps through any of its objects. */
	CHECK_TRUE(wasm_bpf_buffer_poll(h, crb, WB_FN(count_cb), &n, data, sizeof(data), 0) >= 0,
		   "poll through one object of another object's buffer");
	CHECK_EQ(wasm_close_bpf_object(c), 0, "close");
	CHECK_ERR(wasm_close_bpf_object(c), EBADF, "close again");
	CHECK_ERR(wasm_attach_bpf_program(c, "wbt_h_yield", NULL), EBADF, "attach");
	CHECK_ERR(wasm_bpf_map_fd_by_name(c, "wbt_h_rb"), EBADF, "map_fd_by_name");
	CHECK_ERR(wasm_bpf_buffer_poll(c, crb, WB_FN(count_cb), &n, data, sizeof(data), 0),
		  EBADF, "poll");
	CHECK_ERR(wasm_bpf_map_operate(crb, WB_MAP_LOOKUP, &key, &v, NULL, 0), EBADF,
		  "map_operate on its closed map fd");
	d = load_patched(tgid);
	CHECK_TRUE(d != c && d != h, "a new handle is not a reused one");
	dfd = wasm_bpf_map_fd_by_name(d, "wbt_h_hash");

	printf("fds the guest does not own\n");
	fds[nfds++] = hash;
	fds[nfds++] = rb;
	fds[nfds++] = progs;
	fds[nfds++] = dfd;
	fds[nfds++] = wasm_bpf_map_fd_by_name(d, "wbt_h_rb");
	fds[nfds++] = wasm_bpf_map_fd_by_name(d, "wbt_h_progs");
	CHECK_ERR(wasm_bpf_map_operate(0, WB_MAP_LOOKUP, &key, &v, NULL, 0), EBADF, "fd 0");
	CHECK_ERR(wasm_bpf_map_operate(1, WB_MAP_LOOKUP, &key, &v, NULL, 0), EBADF, "fd 1");
	CHECK_ERR(wasm_bpf_map_operate(2, WB_MAP_UPDATE, &key, &v, NULL, 0), EBADF, "fd 2");
	CHECK_ERR(wasm_bpf_map_operate(999, WB_MAP_DELETE, &key, NULL, NULL, 0), EBADF, "fd 999");
	CHECK_ERR(wasm_bpf_map_operate(-1, WB_MAP_GET_NEXT_KEY, NULL, NULL, &key, 0), EBADF,
		  "fd -1");
	CHECK_ERR(wasm_bpf_map_info(2, data), EBADF, "map_info of fd 2");
	CHECK_ERR(wasm_bpf_buffer_poll(h, 1, WB_FN(count_cb), &n, data, sizeof(data), 0),
		  EBADF, "poll of fd 1");
	/* Every other fd of the host (its programs, libbpf's, stdio...) is refused. */
	for (r = 0, bad = 0; r < 256; r++) {
		int known = 0, got;

		for (i = 0; i < nfds; i++)
			known |= fds[i] == (uint32_t)r;
		if (known)
			continue;
		got = wasm_bpf_map_operate(r, WB_MAP_LOOKUP, &key, data, NULL, 0);
		if (got != -EBADF) {
			/* The internal maps (.rodata, .bss) are the guest's own too. */
			struct wb_map_info mi;

			if (wasm_bpf_map_info(r, &mi) == 0 && mi.type == WB_MAP_TYPE_ARRAY)
				continue;
			printf("  fd %d: %d\n", r, got);
			bad++;
		}
	}
	CHECK_EQ(bad, 0, "fds 0..255 other than the guest's maps not refused with -EBADF");

	printf("pointers past the end of memory\n");
	end = end_of_as();
	CHECK_ERR(wasm_bpf_map_fd_by_name(h, WB_PTR(end)), EFAULT, "name at the end");
	CHECK_ERR(wasm_bpf_map_fd_by_name(h, WB_PTR(0xffffffffu)), EFAULT, "name at 2^32 - 1");
	CHECK_ERR(wasm_attach_bpf_program(h, WB_PTR(end + 16), NULL), EFAULT, "attach name");
	CHECK_ERR(wasm_attach_bpf_program(h, "wbt_h_yield", WB_PTR(end)), EFAULT, "attach target");
	CHECK_ERR(wasm_bpf_map_operate(hash, WB_MAP_LOOKUP, WB_PTR(end - 2), &v, NULL, 0), EFAULT,
		  "key straddling the end");
	CHECK_ERR(wasm_bpf_map_operate(hash, WB_MAP_LOOKUP, &key, WB_PTR(end - 4), NULL, 0), EFAULT,
		  "value straddling the end");
	CHECK_ERR(wasm_bpf_map_operate(hash, WB_MAP_UPDATE, &key, WB_PTR(0xfffffffcu), NULL, 0),
		  EFAULT, "value at 2^32 - 4 (offset + size overflows)");
	CHECK_ERR(wasm_bpf_map_operate(hash, WB_MAP_GET_NEXT_KEY, &key, NULL, WB_PTR(end), 0),
		  EFAULT, "next_key at the end");
	CHECK_ERR(wasm_bpf_map_operate(hash, WB_MAP_DELETE, WB_PTR(end), NULL, NULL, 0), EFAULT,
		  "delete, key at the end");
	CHECK_ERR(wasm_bpf_map_info(hash, WB_PTR(end - 20)), EFAULT, "map_info buffer");
	CHECK_EQ(wasm_load_bpf_object(WB_PTR(end - 10), 100), 0, "object straddling the end");
	CHECK_EQ(wasm_load_bpf_object(WB_PTR(0xfffffff0u), 0x20), 0, "object at 2^32 - 16");
	CHECK_EQ(wasm_bpf_open_object(WB_PTR(end), 64), 0, "open, object at the end");
	CHECK_ERR(wasm_bpf_last_error(WB_PTR(end - 2), 10), EFAULT, "last_error buffer");
	CHECK_ERR(wasm_bpf_global_read(h, WB_BSS, 0, WB_PTR(end - 1), 4), EFAULT,
		  "global_read buffer");
	CHECK_ERR(wasm_bpf_global_write(h, WB_BSS, 0, WB_PTR(0xffffffffu), 2), EFAULT,
		  "global_write buffer");
	CHECK_ERR(wasm_bpf_buffer_read(h, rb, WB_PTR(end - 8), 64, 0), EFAULT, "buffer_read data");

	printf("max_size beyond memory (checked before any record is taken)\n");
	sched_yield();	/* one record waits in the ring */
	n = 0;
	CHECK_ERR(wasm_bpf_buffer_poll(h, rb, WB_FN(count_cb), &n, data, end, 100), EFAULT,
		  "max_size = memory size");
	CHECK_ERR(wasm_bpf_buffer_poll(h, rb, WB_FN(count_cb), &n, WB_PTR(end - 16), 64, 100),
		  EFAULT, "data + max_size past the end");
	CHECK_ERR(wasm_bpf_buffer_poll(h, rb, WB_FN(count_cb), &n, WB_PTR(0xffffff00u), 0x200,
				       100), EFAULT, "data + max_size overflows");
	CHECK_ERR(wasm_bpf_buffer_poll(h, rb, WB_FN(count_cb), &n, data, -1, 100), EFAULT,
		  "max_size -1");
	CHECK_EQ(n, 0, "the callback was never called");
	CHECK_EQ(wasm_bpf_buffer_poll(h, rb, WB_FN(count_cb), &n, data, sizeof(data), 1000),
		 1, "the record is still there");

	printf("strings that run to the end of memory\n");
	end = end_of_as();
	CHECK_ERR(wasm_bpf_map_fd_by_name(h, WB_PTR(end - 100)), EFAULT, "map name");
	end = end_of_as();
	CHECK_ERR(wasm_attach_bpf_program(h, WB_PTR(end - 1), NULL), EFAULT, "program name");
	end = end_of_as();
	CHECK_ERR(wasm_attach_bpf_program(h, "wbt_h_yield", WB_PTR(end - 3000)), EFAULT,
		  "attach target");
	end = end_of_as();
	CHECK_ERR(wasm_bpf_detach_program(h, WB_PTR(own_page)), EFAULT, "detach name");
	end = end_of_as();
	CHECK_ERR(wasm_bpf_program_set_autoload(h, WB_PTR(own_page + 1), 1), EFAULT,
		  "autoload name");
	end = end_of_as();
	CHECK_ERR(wasm_bpf_map_set_max_entries(h, WB_PTR(own_page + 2), 4), EFAULT, "map name");
	/* Terminated, but longer than the 4096 bytes the ABI allows. */
	end = end_of_as();
	((char *)(uintptr_t)own_page)[5000] = '\0';
	r = wasm_bpf_map_fd_by_name(h, WB_PTR(own_page));
	CHECK_TRUE(r == -EFAULT || r == -ENAMETOOLONG || r == -EINVAL, "a 5000-byte name");
	((char *)(uintptr_t)own_page)[5000] = 'A';

	printf("callbacks: out of the table, null, wrong type\n");
	sched_yield();
	r = wasm_bpf_buffer_poll(h, rb, 1000000, &n, data, sizeof(data), 1000);
	printf("  index 1000000 -> %d\n", r);
	CHECK_TRUE(r == -EINVAL || r == -ERANGE || r == -ENOENT, "index past the table");
	sched_yield();
	r = wasm_bpf_buffer_poll(h, rb, -1, &n, data, sizeof(data), 1000);
	CHECK_TRUE(r == -EINVAL || r == -ERANGE || r == -ENOENT, "index -1");
	sched_yield();
	r = wasm_bpf_buffer_poll(h, rb, 0, &n, data, sizeof(data), 1000);
	printf("  index 0 (null entry) -> %d\n", r);
	CHECK_TRUE(r == -EINVAL || r == -EFAULT || r == -ENOENT, "null table entry");
	sched_yield();
	CHECK_ERR(wasm_bpf_buffer_poll(h, rb, WB_FN(keep_wrong), &n, data, sizeof(data),
				       1000), EINVAL, "callback of type (i32) -> i32");
	n = 0;
	sched_yield();
	r = wasm_bpf_buffer_poll(h, rb, WB_FN(count_cb), &n, data, sizeof(data), 1000);
	CHECK_TRUE(r >= 1, "a good callback still works");
	CHECK_EQ(n, r, "and was called once per record");
	CHECK_ERR(wasm_bpf_buffer_poll(h, hash, WB_FN(count_cb), &n, data, sizeof(data), 0),
		  EINVAL, "poll of a hash map");

	printf("objects: absurd sizes, not ELF, truncated\n");
	CHECK_EQ(wasm_load_bpf_object(hostile_bpf_o, 0), 0, "size 0");
	CHECK_EQ(wasm_load_bpf_object(hostile_bpf_o, 0x7fffffff), 0, "size 2^31 - 1");
	CHECK_EQ(wasm_load_bpf_object(hostile_bpf_o, -1), 0, "size 2^32 - 1");
	CHECK_EQ(wasm_bpf_open_object(hostile_bpf_o, 0x40000000), 0, "open, size 1 GiB");
	len = wasm_bpf_last_error(err, sizeof(err));
	CHECK_TRUE(len > 0 && err[0], "last_error says why");
	printf("  last error: %s\n", err);
	memset(data, 0, sizeof(data));
	strcpy((char *)data, "this is not an ELF object, just text");
	CHECK_EQ(wasm_load_bpf_object(data, 64), 0, "text");
	len = wasm_bpf_last_error(err, sizeof(err));
	CHECK_TRUE(len > 0, "last_error for the text");
	printf("  last error: %s\n", err);
	memcpy(data, hostile_bpf_o, 64);	/* a valid header, then zeros */
	CHECK_EQ(wasm_load_bpf_object(data, sizeof(data)), 0, "ELF header and zeros");
	CHECK_EQ(wasm_load_bpf_object(hostile_bpf_o, sizeof(hostile_bpf_o) / 2), 0,
		 "the first half of a real object");
	memcpy(data, hostile_bpf_o, sizeof(data));
	data[0x3c] = 0xff;	/* e_shnum */
	data[0x3d] = 0xff;
	CHECK_EQ(wasm_load_bpf_object(data, sizeof(data)), 0, "e_shnum 65535");

	printf("an object the verifier rejects\n");
	CHECK_EQ(wasm_load_bpf_object(rejected_bpf_o, sizeof(rejected_bpf_o)), 0, "compat load");
	c = wasm_bpf_open_object(rejected_bpf_o, sizeof(rejected_bpf_o));
	REQUIRE(c != 0, "open it");
	r = wasm_bpf_load_object(c);
	printf("  load -> %d\n", r);
	CHECK_TRUE(r < 0 && r > -77, "load fails with a WASI errno (1..76)");
	len = wasm_bpf_last_error(err, sizeof(err));
	{
		static char log[4096];

		wasm_bpf_last_error(log, sizeof(log));
		CHECK_TRUE(strstr(log, "invalid mem access") != NULL,
			   "last_error carries the verifier's reason");
	}
	CHECK_ERR(wasm_attach_bpf_program(c, "wbt_rejected", NULL), EINVAL,
		  "attach of an unloaded object");
	CHECK_EQ(wasm_close_bpf_object(c), 0, "close the object that failed to load");

	printf("last_error's length rules\n");
	len = wasm_bpf_last_error(err, sizeof(err));
	CHECK_EQ(wasm_bpf_last_error(NULL, 0), len, "len 0: the length, nothing written");
	err[0] = 'x';
	CHECK_EQ(wasm_bpf_last_error(err, 1), len, "len 1: the length");
	CHECK_EQ(err[0], 0, "len 1: just the NUL");

	printf("map_operate: bad commands\n");
	for (j = 0, bad = 0; j < 5; j++) {
		static const int cmds[] = { 0, 5, 20, 99, -1 };

		bad += wasm_bpf_map_operate(hash, cmds[j], &key, &v, &key, 0) != -EINVAL;
	}
	CHECK_EQ(bad, 0, "commands 0, 5, 20, 99, -1 not refused with -EINVAL");

	printf("the host still works\n");
	v = 77;
	CHECK_EQ(wasm_bpf_map_operate(hash, WB_MAP_UPDATE, &key, &v, NULL, 0), 0, "update");
	v = 0;
	CHECK_EQ(wasm_bpf_map_operate(hash, WB_MAP_LOOKUP, &key, &v, NULL, 0), 0, "lookup");
	CHECK_EQ(v, 77, "value");
	CHECK_EQ(wasm_attach_bpf_program(d, "wbt_h_yield", NULL), 0, "attach d");
	n = 0;
	sched_yield();
	CHECK_EQ(wasm_bpf_buffer_poll(d, fds[4], WB_FN(count_cb), &n, data, sizeof(data),
				      1000), 1, "d's ring");
	CHECK_EQ(wasm_close_bpf_object(d), 0, "close d");
	CHECK_EQ(wasm_close_bpf_object(h), 0, "close h");
	return wbt_done("hostile");
}
