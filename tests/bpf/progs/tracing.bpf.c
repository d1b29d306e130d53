/* SPDX-License-Identifier: MIT */
/*
 * The same event seen by several program types: a tracepoint, a raw
 * tracepoint and a BTF-enabled tracepoint, each counting the sched_yield
 * calls of one process into .bss.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

#define NR_SCHED_YIELD 24	/* x86_64 */

const volatile __u32 target_tgid = 0;

__u64 tp_auto, tp_target, raw_auto, raw_target, btf_auto;

static __always_inline bool mine(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

SEC("tp/syscalls/sys_enter_sched_yield")
int wbt_tp_auto(void *ctx)
{
	if (mine())
		__sync_fetch_and_add(&tp_auto, 1);
	return 0;
}

/* Attached with an explicit "syscalls:sys_enter_sched_yield" target. */
SEC("tp/syscalls/sys_enter_getppid")
int wbt_tp_target(void *ctx)
{
	if (mine())
		__sync_fetch_and_add(&tp_target, 1);
	return 0;
}

SEC("raw_tp/sys_enter")
int wbt_raw_auto(struct bpf_raw_tracepoint_args *ctx)
{
	if (mine() && ctx->args[1] == NR_SCHED_YIELD)
		__sync_fetch_and_add(&raw_auto, 1);
	return 0;
}

/* Attached with an explicit "sys_enter" target. */
SEC("raw_tp/sys_exit")
int wbt_raw_target(struct bpf_raw_tracepoint_args *ctx)
{
	if (mine() && ctx->args[1] == NR_SCHED_YIELD)
		__sync_fetch_and_add(&raw_target, 1);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(wbt_btf_auto, struct pt_regs *regs, long id)
{
	if (mine() && id == NR_SCHED_YIELD)
		__sync_fetch_and_add(&btf_auto, 1);
	return 0;
}
