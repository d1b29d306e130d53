/* SPDX-License-Identifier: MIT */
/* A tracepoint program that feeds a ring buffer with one record per sched_yield of one process. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "wbt_common.h"

char LICENSE[] SEC("license") = "GPL";

/* The process whose sched_yield calls count; patched by the guest before load. */
const volatile __u32 target_tgid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} wbt_rb SEC(".maps");

/* An empty ring buffer the guest uses as a timer. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} wbt_idle SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} wbt_rb_hash SEC(".maps");

__u32 seq = 0;

SEC("tp/syscalls/sys_enter_sched_yield")
int wbt_rb_yield(void *ctx)
{
	struct wbt_event *e;
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	if (tgid != target_tgid)
		return 0;
	e = bpf_ringbuf_reserve(&wbt_rb, sizeof(*e), 0);
	if (!e)
		return 0;
	e->tgid = tgid;
	e->seq = __sync_fetch_and_add(&seq, 1);
	e->tag = 1;
	e->magic = WBT_MAGIC;
	bpf_ringbuf_submit(e, 0);
	return 0;
}
