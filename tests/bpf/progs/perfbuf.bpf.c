/* SPDX-License-Identifier: MIT */
/* A tracepoint program feeding a perf event array: one record per sched_yield of one process. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "wbt_common.h"

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 target_tgid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} wbt_pb SEC(".maps");

__u32 seq = 0;

SEC("tp/syscalls/sys_enter_sched_yield")
int wbt_pb_yield(void *ctx)
{
	struct wbt_event e = { 0 };
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	if (tgid != target_tgid)
		return 0;
	e.tgid = tgid;
	e.seq = __sync_fetch_and_add(&seq, 1);
	e.tag = 2;
	e.magic = WBT_MAGIC;
	bpf_perf_event_output(ctx, &wbt_pb, BPF_F_CURRENT_CPU, &e, sizeof(e));
	return 0;
}
