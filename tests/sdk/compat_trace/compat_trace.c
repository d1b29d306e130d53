/* SPDX-License-Identifier: MIT */
/*
 * A guest written against the original wasm-bpf C SDK's API only: skeleton,
 * .rodata set before load, bpf_buffer__open/poll/free, bpf_map__fd and the
 * fd-based map operations (iteration from a key that does not exist, as the
 * original examples do). It must compile unchanged against sdk/c.
 */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "libbpf-wasm.h"
#include "compat_trace.skel.h"
#include "compat_trace.h"

#define CALLS 25

static int records;

static int handle_event(void *ctx, void *data, size_t size)
{
	const struct event *e = data;

	if (size == sizeof(*e) && e->pid == *(unsigned int *)ctx)
		records++;
	return 0;
}

#define CHECK(cond, ...) do { if (!(cond)) { printf("FAIL: " __VA_ARGS__); \
	printf("\n"); return 1; } } while (0)

int main(int argc, char **argv)
{
	unsigned int tgid = argc > 1 ? (unsigned int)strtoul(argv[1], NULL, 10) : 0;
	struct compat_trace_bpf *skel;
	struct bpf_buffer *buf;
	uint32_t key, next, k = 7;
	uint64_t cnt = 0, v = 42;
	int fd, i, keys = 0, err;

	skel = compat_trace_bpf__open();
	CHECK(skel, "open");
	skel->rodata->target_tgid = tgid;
	err = compat_trace_bpf__load(skel);
	CHECK(!err, "load: %d", err);
	err = compat_trace_bpf__attach(skel);
	CHECK(!err, "attach: %d", err);

	for (i = 0; i < CALLS; i++)
		sched_yield();
	buf = bpf_buffer__open(skel->maps.events, handle_event, &tgid);
	CHECK(buf, "bpf_buffer__open");
	for (i = 0; i < 50 && records < CALLS; i++)
		CHECK(bpf_buffer__poll(buf, 100) >= 0, "poll");
	CHECK(records == CALLS, "records: got %d, want %d", records, CALLS);

	fd = bpf_map__fd(skel->maps.counts);
	CHECK(fd >= 0, "bpf_map__fd: %d", fd);
	CHECK(bpf_map_lookup_elem(fd, &tgid, &cnt) == 0 && cnt == CALLS,
	      "count: got %llu, want %d", (unsigned long long)cnt, CALLS);
	CHECK(bpf_map_update_elem(fd, &k, &v, BPF_NOEXIST) == 0, "update");
	CHECK(bpf_map_update_elem(fd, &k, &v, BPF_NOEXIST) == -EEXIST, "update NOEXIST twice");
	key = 0xfffffffe;	/* not a key: iteration starts at the first one */
	while (bpf_map_get_next_key(fd, &key, &next) == 0 && keys < 100) {
		keys++;
		key = next;
	}
	CHECK(keys == 2, "keys: got %d, want 2", keys);
	CHECK(bpf_map_delete_elem(fd, &k) == 0, "delete");
	CHECK(bpf_map_lookup_elem(fd, &k, &v) == -ENOENT, "lookup after delete");

	bpf_buffer__free(buf);
	compat_trace_bpf__destroy(skel);
	printf("compat_trace: ok (%d records, %d keys)\n", records, keys);
	return 0;
}
