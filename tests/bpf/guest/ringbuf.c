/* SPDX-License-Identifier: MIT */
/*
 * Ring buffer test: a tracepoint program emits one record per sched_yield of
 * this process (target_tgid patched into the embedded image, the original
 * skeleton's way); the guest checks every record and the poll's contract:
 * counts, truncation to max_size, a callback stopping the poll, pull mode,
 * the TinyGo callback-wrapper import, detach and re-attach.
 */
#include <sched.h>

#include "wasm_bpf.h"
#include "wbt_common.h"
#include "ringbuf.bpf.h"

__attribute__((import_module("callback-wrapper"), import_name("wasm_bpf_buffer_poll")))
int wrapper_buffer_poll(uint64_t obj, int fd, void *ctx, void *data, int max_size,
			int timeout_ms);

struct seen {
	uint32_t tgid;
	int n;
	int bad;
	uint32_t seq[64];
	uint32_t size[64];
	void *ctx_check;
};

static struct seen seen;
static unsigned char data[4096];

static int on_event(void *ctx, void *buf, uint32_t size)
{
	struct seen *s = ctx;
	const struct wbt_event *e = buf;

	if (s != &seen || buf != data)
		s->bad++;
	if (s->n < 64) {
		s->size[s->n] = size;
		s->seq[s->n] = size >= sizeof(*e) ? e->seq : 0xffffffffu;
	}
	if (size >= sizeof(*e) && (e->magic != WBT_MAGIC || e->tgid != s->tgid || e->tag != 1))
		s->bad++;
	s->n++;
	return 0;
}

static int stop_calls;

static int stop_event(void *ctx, void *buf, uint32_t size)
{
	stop_calls++;
	return -1234;
}

/* The TinyGo-style callback: found by export name, not by table index. */
__attribute__((export_name("go-callback")))
int go_callback(void *ctx, void *buf, uint32_t size)
{
	return on_event(ctx, buf, size);
}

static void yield_n(int n)
{
	while (n-- > 0)
		sched_yield();
}

/* Poll until `want` records have come (or 2 s), then once more to catch extras. */
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

static void reset(void)
{
	uint32_t tgid = seen.tgid;

	memset(&seen, 0, sizeof(seen));
	seen.tgid = tgid;
}

int main(int argc, char **argv)
{
	struct wb_map_info info;
	uint64_t obj;
	int fd, idle, r, i, ok;

	wbt_init();
	seen.tgid = wbt_pid_arg(argc, argv);
	CHECK_EQ(wasm_bpf_abi_version(), 1, "abi version");

	REQUIRE(wbt_elf_patch(ringbuf_bpf_o, sizeof(ringbuf_bpf_o), ".rodata", "target_tgid",
			      &seen.tgid, 4) == 0, "patch target_tgid into the image");
	obj = wasm_load_bpf_object(ringbuf_bpf_o, sizeof(ringbuf_bpf_o));
	REQUIRE(obj != 0, "load ringbuf.bpf.o");
	fd = wasm_bpf_map_fd_by_name(obj, "wbt_rb");
	idle = wasm_bpf_map_fd_by_name(obj, "wbt_idle");
	REQUIRE(fd >= 0 && idle >= 0, "map fds of wbt_rb and wbt_idle");
	CHECK_EQ(wasm_bpf_map_info(fd, &info), 0, "map_info(wbt_rb)");
	CHECK_EQ(info.type, WB_MAP_TYPE_RINGBUF, "wbt_rb type");
	CHECK_EQ(info.max_entries, 64 * 1024, "wbt_rb max_entries");
	REQUIRE(wasm_attach_bpf_program(obj, "wbt_rb_yield", NULL) == 0, "attach wbt_rb_yield");

	printf("nothing before the first sched_yield\n");
	CHECK_EQ(wasm_bpf_buffer_poll(obj, fd, WB_FN(on_event), &seen, data, sizeof(data),
				      0), 0, "poll of an empty ring, timeout 0");

	printf("5 sched_yield calls -> 5 records, in order\n");
	yield_n(5);
	CHECK_EQ(poll_for(obj, fd, 5), 5, "records returned by the polls");
	CHECK_EQ(seen.n, 5, "callbacks");
	CHECK_EQ(seen.bad, 0, "records with a wrong tgid/magic/ctx/data");
	for (i = 0, ok = 1; i < 5; i++)
		ok &= seen.seq[i] == (uint32_t)i && seen.size[i] == sizeof(struct wbt_event);
	CHECK_TRUE(ok, "seq 0..4, each of size 24");

	printf("truncation to max_size\n");
	reset();
	memset(data, 0xaa, sizeof(data));
	yield_n(2);
	r = wasm_bpf_buffer_poll(obj, fd, WB_FN(on_event), &seen, data, 8, 1000);
	if (r == 1)
		r += wasm_bpf_buffer_poll(obj, fd, WB_FN(on_event), &seen, data, 8, 1000);
	CHECK_EQ(r, 2, "records");
	CHECK_EQ(seen.size[0], 8, "size given to the callback (max_size 8)");
	CHECK_EQ(seen.size[1], 8, "size of the second record");
	CHECK_EQ(data[8], 0xaa, "byte past max_size untouched");
	CHECK_EQ(((struct wbt_event *)data)->seq, 6, "the truncated record's seq");

	printf("a negative callback result stops the poll and is returned as is\n");
	reset();
	yield_n(3);
	r = wasm_bpf_buffer_poll(obj, fd, WB_FN(stop_event), &seen, data, sizeof(data),
				 1000);
	CHECK_EQ(r, -1234, "poll result");
	CHECK_EQ(stop_calls, 1, "callback calls before the stop");
	CHECK_EQ(poll_for(obj, fd, 2), 2, "the two records after the stop");
	CHECK_EQ(seen.seq[0], 8, "first record after the stop");
	CHECK_EQ(seen.seq[1], 9, "second record after the stop");

	printf("pull mode (wasm_bpf_buffer_read)\n");
	yield_n(2);
	memset(data, 0, sizeof(data));
	r = wasm_bpf_buffer_read(obj, fd, data, sizeof(data), 1000);
	CHECK_EQ(r, sizeof(struct wbt_event), "first read: size");
	CHECK_EQ(((struct wbt_event *)data)->seq, 10, "first read: seq");
	r = wasm_bpf_buffer_read(obj, fd, data, 4, 1000);
	CHECK_EQ(r, 4, "second read, max_size 4: size");
	CHECK_EQ(((struct wbt_event *)data)->seq, 10, "second read wrote only 4 bytes");
	CHECK_EQ(((struct wbt_event *)data)->tgid, seen.tgid, "second read: tgid");
	CHECK_EQ(wasm_bpf_buffer_read(obj, fd, data, sizeof(data), 50), 0,
		 "third read: nothing within 50 ms");

	printf("TinyGo callback-wrapper poll\n");
	reset();
	yield_n(2);
	r = wrapper_buffer_poll(obj, fd, &seen, data, sizeof(data), 1000);
	if (r == 1)
		r += wrapper_buffer_poll(obj, fd, &seen, data, sizeof(data), 1000);
	CHECK_EQ(r, 2, "wrapper poll records");
	CHECK_EQ(seen.n, 2, "go-callback calls");
	CHECK_EQ(seen.seq[0], 12, "go-callback got seq 12 first");
	CHECK_EQ(seen.bad, 0, "bad records");

	printf("detach stops the records; re-attach brings them back\n");
	CHECK_EQ(wasm_bpf_detach_program(obj, "wbt_rb_yield"), 0, "detach");
	CHECK_ERR(wasm_bpf_detach_program(obj, "wbt_rb_yield"), ENOENT, "detach again");
	reset();
	yield_n(3);
	CHECK_EQ(wasm_bpf_buffer_poll(obj, fd, WB_FN(on_event), &seen, data, sizeof(data),
				      100), 0, "records while detached");
	CHECK_EQ(wasm_attach_bpf_program(obj, "wbt_rb_yield", ""), 0, "re-attach (target \"\")");
	yield_n(1);
	CHECK_EQ(poll_for(obj, fd, 1), 1, "records after re-attach");
	CHECK_EQ(seen.seq[0], 14, "seq after re-attach");

	wbt_sleep_ms(obj, idle, 10);
	CHECK_EQ(wasm_close_bpf_object(obj), 0, "close");
	return wbt_done("ringbuf");
}
