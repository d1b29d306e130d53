/* SPDX-License-Identifier: MIT */
/*
 * Hash, array, per-CPU array and LRU hash maps written by a tracepoint
 * program on every sched_yield of one process, for the guest to read back
 * and compare.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 target_tgid = 0;

/* Key 1..n: value n * 1000 + 7, written by the n-th call. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} wbt_hash SEC(".maps");

/* [0] number of calls; [n] = n * n; [15] = what the guest put at wbt_hash[50]. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} wbt_array SEC(".maps");

/* [0] calls seen on each CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} wbt_percpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} wbt_lru SEC(".maps");

/* A map whose values are fds: updates from the guest must name its own objects. */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} wbt_progs SEC(".maps");

SEC("tp/syscalls/sys_enter_sched_yield")
int wbt_maps_yield(void *ctx)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	__u32 k0 = 0, k15 = 15, k50 = 50, n;
	__u64 *cnt, *pc, *from_guest, v;

	if (tgid != target_tgid)
		return 0;
	pc = bpf_map_lookup_elem(&wbt_percpu, &k0);
	if (pc)
		*pc += 1;
	cnt = bpf_map_lookup_elem(&wbt_array, &k0);
	if (!cnt)
		return 0;
	n = (__u32)__sync_add_and_fetch(cnt, 1);
	if (n >= 15)
		return 0;
	v = (__u64)n * 1000 + 7;
	bpf_map_update_elem(&wbt_hash, &n, &v, BPF_ANY);
	v = (__u64)n * n;
	bpf_map_update_elem(&wbt_array, &n, &v, BPF_ANY);
	v = n;
	bpf_map_update_elem(&wbt_lru, &n, &v, BPF_ANY);
	from_guest = bpf_map_lookup_elem(&wbt_hash, &k50);
	if (from_guest) {
		v = *from_guest;
		bpf_map_update_elem(&wbt_array, &k15, &v, BPF_ANY);
	}
	return 0;
}
