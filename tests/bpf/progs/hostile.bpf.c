/* SPDX-License-Identifier: MIT */
/*
 * A small object for the hostile-guest tests: a ring buffer fed on
 * sched_yield (so that the guest can make records to poll), a hash map and
 * a program array.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "wbt_common.h"

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 target_tgid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 * 1024);
} wbt_h_rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} wbt_h_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} wbt_h_progs SEC(".maps");

__u32 seq = 0;

SEC("tp/syscalls/sys_enter_sched_yield")
int wbt_h_yield(void *ctx)
{
	struct wbt_event e = { 0 };

	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	e.tgid = target_tgid;
	e.seq = __sync_fetch_and_add(&seq, 1);
	e.tag = 'h';
	e.magic = WBT_MAGIC;
	bpf_ringbuf_output(&wbt_h_rb, &e, sizeof(e), 0);
	return 0;
}
