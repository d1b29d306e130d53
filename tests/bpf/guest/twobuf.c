/* SPDX-License-Identifier: MIT */
/*
 * Several buffers in one object: two ring buffers and a perf buffer fed by
 * one program; each poll must deliver the records of its own map only.
 */
#include <sched.h>

#include "wasm_bpf.h"
#include "wbt_common.h"
#include "twobuf.bpf.h"

struct seen {
	uint32_t tgid;
	uint64_t tag;
	int n, bad;
	uint32_t seq_mask;
};

static unsigned char data[4096];

static int on_event(void *ctx, void *buf, uint32_t size)
{
	struct seen *s = ctx;
	const struct wbt_event *e = buf;

	s->n++;
	if (size < sizeof(*e) || e->magic != WBT_MAGIC || e->tgid != s->tgid || e->tag != s->tag ||
	    e->seq >= 32)
		s->bad++;
	else
		s->seq_mask |= 1u << e->seq;
	return 0;
}

static void drain(uint64_t obj, int fd, struct seen *s, int want)
{
	int tries, r;

	for (tries = 0; tries < 20 && s->n < want; tries++) {
		r = wasm_bpf_buffer_poll(obj, fd, WB_FN(on_event), s, data, sizeof(data), 100);
		if (r < 0) {
			printf("  poll of fd %d: %d\n", fd, r);
			s->bad++;
			return;
		}
	}
	wasm_bpf_buffer_poll(obj, fd, WB_FN(on_event), s, data, sizeof(data), 0);
}

int main(int argc, char **argv)
{
	struct seen a = { 0 }, b = { 0 }, c = { 0 };
	uint32_t tgid;
	uint64_t obj;
	int fa, fb, fc, i;

	wbt_init();
	tgid = wbt_pid_arg(argc, argv);
	REQUIRE(wbt_elf_patch(twobuf_bpf_o, sizeof(twobuf_bpf_o), ".rodata", "target_tgid", &tgid,
			      4) == 0, "patch target_tgid");
	obj = wasm_load_bpf_object(twobuf_bpf_o, sizeof(twobuf_bpf_o));
	REQUIRE(obj != 0, "load twobuf.bpf.o");
	fa = wasm_bpf_map_fd_by_name(obj, "wbt_rb_a");
	fb = wasm_bpf_map_fd_by_name(obj, "wbt_rb_b");
	fc = wasm_bpf_map_fd_by_name(obj, "wbt_pb_c");
	REQUIRE(fa >= 0 && fb >= 0 && fc >= 0, "three buffer fds");
	CHECK_TRUE(fa != fb && fb != fc && fa != fc, "distinct fds");
	REQUIRE(wasm_attach_bpf_program(obj, "wbt_two_yield", NULL) == 0, "attach");

	/* The perf consumer is made by the first poll; records before it are dropped. */
	CHECK_EQ(wasm_bpf_buffer_poll(obj, fc, WB_FN(on_event), &c, data, sizeof(data), 0), 0,
		 "first poll of the perf buffer");
	a.tgid = b.tgid = c.tgid = tgid;
	a.tag = 'a';
	b.tag = 'b';
	c.tag = 'c';
	for (i = 0; i < 4; i++)
		sched_yield();
	/* b first: the consumers are independent of the order of first use. */
	drain(obj, fb, &b, 4);
	drain(obj, fc, &c, 4);
	drain(obj, fa, &a, 4);
	CHECK_EQ(a.n, 4, "records in wbt_rb_a");
	CHECK_EQ(b.n, 4, "records in wbt_rb_b");
	CHECK_EQ(c.n, 4, "records in wbt_pb_c");
	CHECK_EQ(a.bad + b.bad + c.bad, 0, "records in the wrong buffer or malformed");
	CHECK_EQ(a.seq_mask & b.seq_mask & c.seq_mask, 0xf, "seqs 0..3 in each");

	printf("a second round, interleaved\n");
	memset(&a.n, 0, sizeof(a) - offsetof(struct seen, n));
	memset(&b.n, 0, sizeof(b) - offsetof(struct seen, n));
	memset(&c.n, 0, sizeof(c) - offsetof(struct seen, n));
	for (i = 0; i < 2; i++)
		sched_yield();
	drain(obj, fa, &a, 2);
	drain(obj, fb, &b, 2);
	drain(obj, fc, &c, 2);
	CHECK_EQ(a.n + b.n + c.n, 6, "records in all three");
	CHECK_EQ(a.seq_mask & b.seq_mask & c.seq_mask, 0x30, "seqs 4, 5 in each");
	CHECK_EQ(a.bad + b.bad + c.bad, 0, "bad records");
	CHECK_EQ(wasm_close_bpf_object(obj), 0, "close");
	return wbt_done("twobuf");
}
