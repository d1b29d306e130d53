/* SPDX-License-Identifier: MIT */
/*
 * Perf buffer test: a tracepoint program writes one perf record per
 * sched_yield of this process (target_tgid set with wasm_bpf_global_write on
 * an opened object); the guest checks the records, push and pull mode.
 */
#include <sched.h>

#include "wasm_bpf.h"
#include "wbt_common.h"
#include "perfbuf.bpf.h"

struct seen {
	uint32_t tgid;
	int n, bad;
	uint32_t seq_mask;
	uint32_t min_size;
};

static struct seen seen;
static unsigned char data[4096];

static int on_event(void *ctx, void *buf, uint32_t size)
{
	struct seen *s = ctx;
	const struct wbt_event *e = buf;

	s->n++;
	if (size < s->min_size || !s->min_size)
		s->min_size = size;
	if (size < sizeof(*e) || e->magic != WBT_MAGIC || e->tgid != s->tgid || e->tag != 2 ||
	    e->seq >= 32) {
		s->bad++;
		return 0;
	}
	if (s->seq_mask & (1u << e->seq))
		s->bad++;	/* twice */
	s->seq_mask |= 1u << e->seq;
	return 0;
}

static int poll_for(uint64_t obj, int fd, int want)
{
	int total = 0, r, tries;

	for (tries = 0; tries < 20 && seen.n < want; tries++) {
		r = wasm_bpf_buffer_poll(obj, fd, WB_FN(on_event), &seen, data,
					 sizeof(data), 100);
		if (r < 0)
			return r;
		total += r;
	}
	r = wasm_bpf_buffer_poll(obj, fd, WB_FN(on_event), &seen, data, sizeof(data), 0);
	return r < 0 ? r : total + r;
}

int main(int argc, char **argv)
{
	uint32_t tgid, got;
	uint64_t obj;
	int fd, i, r, mask;

	wbt_init();
	tgid = seen.tgid = wbt_pid_arg(argc, argv);
	obj = wasm_bpf_open_object(perfbuf_bpf_o, sizeof(perfbuf_bpf_o));
	REQUIRE(obj != 0, "open perfbuf.bpf.o");
	CHECK_ERR(wasm_bpf_map_fd_by_name(obj, "wbt_pb"), EAGAIN, "map fd before load");
	CHECK_ERR(wasm_attach_bpf_program(obj, "wbt_pb_yield", NULL), EINVAL, "attach before load");
	CHECK_EQ(wasm_bpf_global_write(obj, WB_RODATA, 0, &tgid, 4), 0, "write target_tgid");
	got = 0;
	CHECK_EQ(wasm_bpf_global_read(obj, WB_RODATA, 0, &got, 4), 0, "read it back");
	CHECK_EQ(got, tgid, "target_tgid before load");
	REQUIRE(wasm_bpf_load_object(obj) == 0, "load the opened object");
	CHECK_ERR(wasm_bpf_load_object(obj), EALREADY, "load twice");
	fd = wasm_bpf_map_fd_by_name(obj, "wbt_pb");
	REQUIRE(fd >= 0, "fd of wbt_pb");
	REQUIRE(wasm_attach_bpf_program(obj, "wbt_pb_yield", NULL) == 0, "attach");

	/*
	 * The consumer (one perf event per CPU, stored into wbt_pb) is made by
	 * the first poll: records emitted before it have nowhere to go.
	 */
	CHECK_EQ(wasm_bpf_buffer_poll(obj, fd, WB_FN(on_event), &seen, data, sizeof(data), 0),
		 0, "first poll: makes the consumer, nothing yet");

	printf("6 sched_yield calls -> 6 perf records (any CPU order)\n");
	for (i = 0; i < 6; i++)
		sched_yield();
	r = poll_for(obj, fd, 6);
	CHECK_EQ(r, 6, "records returned by the polls");
	CHECK_EQ(seen.n, 6, "callbacks");
	CHECK_EQ(seen.bad, 0, "bad or repeated records");
	CHECK_EQ(seen.seq_mask, 0x3f, "seqs seen (bit mask)");
	/* perf pads raw samples to 8 bytes (with the u32 size): 24 -> 28 */
	CHECK_TRUE(seen.min_size >= sizeof(struct wbt_event) && seen.min_size <= 32,
		   "record size 24..32");

	printf("pull mode: one record per call\n");
	for (i = 0; i < 3; i++)
		sched_yield();
	mask = 0;
	for (i = 0; i < 3; i++) {
		memset(data, 0, sizeof(data));
		r = wasm_bpf_buffer_read(obj, fd, data, sizeof(data), 1000);
		CHECK_TRUE(r >= (int)sizeof(struct wbt_event), "pulled record size");
		if (((struct wbt_event *)data)->seq < 32)
			mask |= 1 << ((struct wbt_event *)data)->seq;
	}
	CHECK_EQ(mask, 0x1c0, "seqs 6, 7, 8 pulled");
	CHECK_EQ(wasm_bpf_buffer_read(obj, fd, data, sizeof(data), 50), 0, "nothing more");

	CHECK_EQ(wasm_close_bpf_object(obj), 0, "close");
	return wbt_done("perfbuf");
}
