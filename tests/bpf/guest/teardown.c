/* SPDX-License-Identifier: MIT */
/*
 * The end of an instance undoes everything, however the guest ends: it loads
 * two objects, attaches, creates a buffer consumer, then (argv[2]) returns
 * from main without closing ("exit"), calls exit(3) ("procexit"), traps
 * inside a buffer callback ("trap"), or blocks in a poll without timeout
 * until the runner sends SIGINT ("block"). The runner checks nothing is left.
 */
#include <sched.h>

#include "wasm_bpf.h"
#include "hostile.bpf.h"
#include "ringbuf.bpf.h"

static unsigned char data[256];

static int trap_cb(void *ctx, void *buf, uint32_t size)
{
	printf("trapping in the callback\n");
	__builtin_trap();
}

int main(int argc, char **argv)
{
	const char *mode = argc > 2 ? argv[2] : "exit";
	uint32_t tgid;
	uint64_t h, r;
	int fd;

	wbt_init();
	tgid = wbt_pid_arg(argc, argv);
	REQUIRE(wbt_elf_patch(hostile_bpf_o, sizeof(hostile_bpf_o), ".rodata", "target_tgid", &tgid,
			      4) == 0, "patch");
	REQUIRE(wbt_elf_patch(ringbuf_bpf_o, sizeof(ringbuf_bpf_o), ".rodata", "target_tgid", &tgid,
			      4) == 0, "patch");
	h = wasm_load_bpf_object(hostile_bpf_o, sizeof(hostile_bpf_o));
	r = wasm_load_bpf_object(ringbuf_bpf_o, sizeof(ringbuf_bpf_o));
	REQUIRE(h && r, "load two objects");
	REQUIRE(wasm_attach_bpf_program(h, "wbt_h_yield", NULL) == 0, "attach");
	REQUIRE(wasm_attach_bpf_program(r, "wbt_rb_yield", NULL) == 0, "attach");
	fd = wasm_bpf_map_fd_by_name(h, "wbt_h_rb");
	REQUIRE(fd >= 0, "ring fd");
	sched_yield();
	if (!strcmp(mode, "block")) {
		int idle = wasm_bpf_map_fd_by_name(r, "wbt_idle"), ret;

		printf("PID %u\n", tgid);
		printf("READY blocked\n");
		ret = wasm_bpf_buffer_poll(r, idle, WB_FN(trap_cb), NULL, data, sizeof(data),
					   -1);
		printf("poll returned %d\n", ret);
		return 0;
	}
	if (!strcmp(mode, "trap")) {
		wasm_bpf_buffer_poll(h, fd, WB_FN(trap_cb), NULL, data, sizeof(data), 1000);
		printf("FAIL: the guest went on after a trap in its callback\n");
		return 1;
	}
	CHECK_EQ(wasm_bpf_buffer_read(h, fd, data, sizeof(data), 1000), 24, "one record");
	printf("ending with %s, two objects open and attached\n", mode);
	if (!strcmp(mode, "procexit"))
		exit(3);
	return 0;
}
