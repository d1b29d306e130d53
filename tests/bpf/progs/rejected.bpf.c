/* SPDX-License-Identifier: MIT */
/* A program the verifier must reject (a hash map value used without a NULL check). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} wbt_rej_map SEC(".maps");

SEC("tp/syscalls/sys_enter_sched_yield")
int wbt_rejected(void *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&wbt_rej_map, &k);

	return *v != 0;
}
