/* SPDX-License-Identifier: MIT */
/*
 * Maps of several types with known sizes, and programs whose helpers are
 * only seen through a subprogram and a bpf_loop callback: what the
 * inspection must find. Also an XDP program and a socket filter to attach.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual MIT/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} wbp_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, char[16]);
} wbp_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} wbp_ring SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 128);
	__type(key, __u64);
	__type(value, __u32);
} wbp_lru SEC(".maps");

const volatile __u32 target_tgid = 0;
__u64 loops;

/* Not inlined: its helper is only seen by following the call. */
static __noinline int wbp_comm(__u32 x)
{
	char comm[16];

	bpf_get_current_comm(comm, sizeof(comm));
	return comm[0] + x;
}

/* A bpf_loop callback: only reachable through its address. */
static long wbp_step(__u32 i, void *ctx)
{
	loops += bpf_get_smp_processor_id() + 1;
	return 0;
}

SEC("tp/syscalls/sys_enter_sched_yield")
int wbp_trace(void *ctx)
{
	__u32 k = 0;
	__u64 one = 1, *v;

	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	v = bpf_map_lookup_elem(&wbp_hash, &k);
	if (!v)
		bpf_map_update_elem(&wbp_hash, &k, &one, BPF_ANY);
	bpf_loop(2, wbp_step, NULL, 0);
	return wbp_comm(k) & 0;
}

SEC("xdp")
int wbp_xdp(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("socket")
int wbp_sock(struct __sk_buff *skb)
{
	return 0;
}
