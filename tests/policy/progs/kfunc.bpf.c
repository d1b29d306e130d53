/* SPDX-License-Identifier: MIT */
/* A BTF tracepoint program that calls two kfuncs (none is allowed by default). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;

const volatile __u32 target_tgid = 0;
__u64 seen;

SEC("tp_btf/sys_enter")
int BPF_PROG(wbp_kfunc, struct pt_regs *regs, long id)
{
	struct task_struct *t;

	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	t = bpf_task_from_pid(target_tgid);
	if (t) {
		seen++;
		bpf_task_release(t);
	}
	return 0;
}
