/* SPDX-License-Identifier: MIT */
/*
 * Re-entrancy from a buffer callback (argv[2] picks one case): polling the
 * same buffer again ("poll"), closing the object being polled, for a ring
 * buffer ("close_ring") and a perf buffer ("close_perf"), detaching its
 * program ("detach"). The host may refuse (-EBUSY) or go along, but must not
 * crash, deliver a record twice, or leak.
 */
#include <sched.h>

#include "wasm_bpf.h"
#include "wbt_common.h"
#include "twobuf.bpf.h"

static uint64_t obj;
static int fd, calls, inner = 12345, seqs[64];
static const char *mode;
static unsigned char data[256], data2[256];

static int plain_cb(void *ctx, void *buf, uint32_t size)
{
	const struct wbt_event *e = buf;

	if (size >= sizeof(*e) && e->seq < 64)
		seqs[e->seq]++;
	return 0;
}

static int reenter_cb(void *ctx, void *buf, uint32_t size)
{
	plain_cb(ctx, buf, size);
	if (calls++)
		return 0;
	if (!strcmp(mode, "poll"))
		inner = wasm_bpf_buffer_poll(obj, fd, WB_FN(plain_cb), NULL, data2, sizeof(data2), 0);
	else if (!strcmp(mode, "detach"))
		inner = wasm_bpf_detach_program(obj, "wbt_two_yield");
	else
		inner = wasm_close_bpf_object(obj);
	return 0;
}

int main(int argc, char **argv)
{
	uint32_t tgid;
	int r, i, twice = 0, total = 0;

	wbt_init();
	tgid = wbt_pid_arg(argc, argv);
	mode = argc > 2 ? argv[2] : "poll";
	REQUIRE(wbt_elf_patch(twobuf_bpf_o, sizeof(twobuf_bpf_o), ".rodata", "target_tgid", &tgid,
			      4) == 0, "patch target_tgid");
	obj = wasm_load_bpf_object(twobuf_bpf_o, sizeof(twobuf_bpf_o));
	REQUIRE(obj != 0, "load twobuf.bpf.o");
	fd = wasm_bpf_map_fd_by_name(obj, strcmp(mode, "close_perf") ? "wbt_rb_a" : "wbt_pb_c");
	REQUIRE(fd >= 0, "buffer fd");
	REQUIRE(wasm_attach_bpf_program(obj, "wbt_two_yield", NULL) == 0, "attach");
	/* Make the consumer first (a perf buffer drops records until then). */
	CHECK_EQ(wasm_bpf_buffer_poll(obj, fd, WB_FN(plain_cb), NULL, data, sizeof(data), 0), 0,
		 "first poll");
	for (i = 0; i < 4; i++)
		sched_yield();

	printf("%s from inside the callback\n", mode);
	r = wasm_bpf_buffer_poll(obj, fd, WB_FN(reenter_cb), NULL, data, sizeof(data), 1000);
	printf("  outer poll -> %d, inner call -> %d, callbacks %d\n", r, inner, calls);
	CHECK_TRUE(inner == 0 || inner == -EBUSY || (!strcmp(mode, "poll") && inner >= 0),
		   "the inner call succeeds or answers -EBUSY");
	CHECK_TRUE(r >= 1 || r == -EBADF || r == -EBUSY, "the outer poll's result");
	for (i = 0; i < 64; i++) {
		twice += seqs[i] > 1;
		total += seqs[i];
	}
	CHECK_EQ(twice, 0, "records delivered twice");
	if (strncmp(mode, "close", 5) || inner != 0) {
		/* The object is still open: the other records are still there. */
		for (i = 0; i < 10 && total < 4; i++) {
			r = wasm_bpf_buffer_poll(obj, fd, WB_FN(plain_cb), NULL, data, sizeof(data),
						 100);
			if (r < 0)
				break;
			total += r;
		}
		CHECK_EQ(total, 4, "records in all");
		CHECK_EQ(wasm_close_bpf_object(obj), 0, "close afterwards");
	} else {
		CHECK_ERR(wasm_close_bpf_object(obj), EBADF, "the object is gone");
	}
	CHECK_TRUE(wasm_load_bpf_object(twobuf_bpf_o, sizeof(twobuf_bpf_o)) != 0,
		   "the host still loads objects");
	return wbt_done(mode);
}
