/* SPDX-License-Identifier: MIT */
/*
 * Several buffers in one object: two ring buffers and a perf event array fed
 * by one tracepoint program, each record tagged with the buffer it went to.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "wbt_common.h"

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 target_tgid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 * 1024);
} wbt_rb_a SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 * 1024);
} wbt_rb_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} wbt_pb_c SEC(".maps");

__u32 seq = 0;

SEC("tp/syscalls/sys_enter_sched_yield")
int wbt_two_yield(void *ctx)
{
	struct wbt_event e = { 0 };
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	if (tgid != target_tgid)
		return 0;
	e.tgid = tgid;
	e.seq = __sync_fetch_and_add(&seq, 1);
	e.magic = WBT_MAGIC;
	e.tag = 'a';
	bpf_ringbuf_output(&wbt_rb_a, &e, sizeof(e), 0);
	e.tag = 'b';
	bpf_ringbuf_output(&wbt_rb_b, &e, sizeof(e), 0);
	e.tag = 'c';
	bpf_perf_event_output(ctx, &wbt_pb_c, BPF_F_CURRENT_CPU, &e, sizeof(e));
	return 0;
}
