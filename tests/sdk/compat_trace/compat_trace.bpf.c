// SPDX-License-Identifier: GPL-2.0
/* Counts sched_yield calls of one process (tgid set in .rodata) in a hash map
 * and sends one ring buffer record per call. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "compat_trace.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, u32);
	__type(value, u64);
} counts SEC(".maps");

const volatile u32 target_tgid = 0;

SEC("tp/syscalls/sys_enter_sched_yield")
int on_yield(void *ctx)
{
	u32 tgid = bpf_get_current_pid_tgid() >> 32;
	u64 one = 1, *v;
	struct event *e;

	if (tgid != target_tgid)
		return 0;
	v = bpf_map_lookup_elem(&counts, &tgid);
	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(&counts, &tgid, &one, BPF_NOEXIST);
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = tgid;
	e->cpu = bpf_get_smp_processor_id();
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
