/* SPDX-License-Identifier: MIT */
/*
 * twoobj's first eBPF object: counts process execs in .bss globals (total,
 * and those of the uid the guest picked), read live by the guest.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual MIT/GPL";

const volatile u32 watched_uid = 0;

u64 exec_count;
u64 exec_count_uid;

SEC("tp/sched/sched_process_exec")
int count_exec(void *ctx)
{
	__sync_fetch_and_add(&exec_count, 1);
	if ((u32)bpf_get_current_uid_gid() == watched_uid)
		__sync_fetch_and_add(&exec_count_uid, 1);
	return 0;
}
