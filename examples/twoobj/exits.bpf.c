/* SPDX-License-Identifier: MIT */
/*
 * twoobj's second eBPF object: counts process exits by exit code in an array
 * map (one slot per code; slot 256 for deaths by a signal).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "Dual MIT/GPL";

#define N_CODES 257

/* The one task_struct field read here, as a CO-RE flavor: a small BTF (see bootstrap). */
struct task_struct___exits {
	int exit_code;
} __attribute__((preserve_access_index));

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, N_CODES);
	__type(key, u32);
	__type(value, u64);
} exit_codes SEC(".maps");

SEC("tp/sched/sched_process_exit")
int count_exit(void *ctx)
{
	struct task_struct___exits *task = (void *)bpf_get_current_task();
	u64 id = bpf_get_current_pid_tgid();
	int code;
	u32 slot;
	u64 *n;

	/* Only the exit of a whole process (its leader thread). */
	if ((u32)id != (u32)(id >> 32))
		return 0;
	code = BPF_CORE_READ(task, exit_code);
	slot = (code & 0x7f) ? 256 : (code >> 8) & 0xff;
	n = bpf_map_lookup_elem(&exit_codes, &slot);
	if (n)
		__sync_fetch_and_add(n, 1);
	return 0;
}
