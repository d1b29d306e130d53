/* SPDX-License-Identifier: MIT */
/*
 * A hash map filled by the eBPF side with bpf_loop (key i -> 2i + 1 for
 * i < count) on one sched_yield of one process, for get_next_key iteration.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 target_tgid = 0;
const volatile __u32 count = 0;

/* Sized by the guest before load (wasm_bpf_map_set_max_entries). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} wbt_big SEC(".maps");

__u32 inserted = 0;
__u32 failed = 0;

static long fill_one(__u32 i, void *ctx)
{
	__u64 v = 2 * (__u64)i + 1;

	if (bpf_map_update_elem(&wbt_big, &i, &v, BPF_NOEXIST))
		failed++;
	else
		inserted++;
	return 0;
}

SEC("tp/syscalls/sys_enter_sched_yield")
int wbt_iter_fill(void *ctx)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	if (tgid != target_tgid)
		return 0;
	bpf_loop(count, fill_one, NULL, 0);
	return 0;
}
