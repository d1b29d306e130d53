/* SPDX-License-Identifier: MIT */
/*
 * Program types this machine may not run (kprobes, fentry): the guest loads
 * and attaches them one at a time and reports a skip, with the reason, when
 * the kernel refuses.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 target_tgid = 0;

__u64 kprobe_hits, fentry_hits;

SEC("kprobe/do_sched_yield")
int wbt_kprobe(struct pt_regs *ctx)
{
	if ((bpf_get_current_pid_tgid() >> 32) == target_tgid)
		__sync_fetch_and_add(&kprobe_hits, 1);
	return 0;
}

SEC("fentry/do_sched_yield")
int BPF_PROG(wbt_fentry)
{
	if ((bpf_get_current_pid_tgid() >> 32) == target_tgid)
		__sync_fetch_and_add(&fentry_hits, 1);
	return 0;
}
