/* SPDX-License-Identifier: MIT */
/* A tracepoint program that calls bpf_probe_write_user, denied by default. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 target_tgid = 0;

SEC("tp/syscalls/sys_enter_sched_yield")
int wbp_write_user(void *ctx)
{
	__u64 zero = 0;

	/* target_tgid is never set: the call never runs, it is only there to be seen. */
	if ((bpf_get_current_pid_tgid() >> 32) == target_tgid && target_tgid)
		bpf_probe_write_user((void *)8, &zero, sizeof(zero));
	return 0;
}
