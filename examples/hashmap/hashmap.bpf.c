/* SPDX-License-Identifier: MIT */
/*
 * hashmap's eBPF side: a raw tracepoint on every system call entry counts the
 * calls per process in a hash map (pid -> count, comm) that the guest reads
 * and clears every interval; the exec tracepoint keeps the names current.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "hashmap.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

const volatile u32 targ_tgid = 0;     /* 0: every process */
const volatile s32 targ_syscall = -1; /* -1: every system call */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct proc_stat);
} counts SEC(".maps");

SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter, struct pt_regs *regs, long id)
{
	u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct proc_stat *st, init = {};

	if (targ_tgid && tgid != targ_tgid)
		return 0;
	if (targ_syscall >= 0 && id != targ_syscall)
		return 0;
	st = bpf_map_lookup_elem(&counts, &tgid);
	if (!st) {
		bpf_get_current_comm(&init.comm, sizeof(init.comm));
		/* Fails when the map is full: that process is then not counted. */
		bpf_map_update_elem(&counts, &tgid, &init, BPF_NOEXIST);
		st = bpf_map_lookup_elem(&counts, &tgid);
		if (!st)
			return 0;
	}
	__sync_fetch_and_add(&st->syscalls, 1);
	return 0;
}

/* A process counted before its execve() keeps its new name, not its parent's. */
SEC("tp/sched/sched_process_exec")
int rename_on_exec(void *ctx)
{
	u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct proc_stat *st = bpf_map_lookup_elem(&counts, &tgid);

	if (st)
		bpf_get_current_comm(&st->comm, sizeof(st->comm));
	return 0;
}
