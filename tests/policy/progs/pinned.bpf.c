/* SPDX-License-Identifier: MIT */
/* A map pinned by name: pinning is denied by default. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} wbp_pinned SEC(".maps");

SEC("tp/syscalls/sys_enter_sched_yield")
int wbp_pin_user(void *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&wbp_pinned, &k);

	if (v)
		__sync_fetch_and_add(v, 1);
	return 0;
}
