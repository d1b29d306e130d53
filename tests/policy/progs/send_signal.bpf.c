/* SPDX-License-Identifier: MIT */
/* A tracepoint program that calls bpf_send_signal, denied by default. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 target_tgid = 0;

SEC("tp/syscalls/sys_enter_sched_yield")
int wbp_send_signal(void *ctx)
{
	if ((bpf_get_current_pid_tgid() >> 32) == target_tgid && target_tgid)
		bpf_send_signal(10);
	return 0;
}
