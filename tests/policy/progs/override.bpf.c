/* SPDX-License-Identifier: MIT */
/* A kprobe program that calls bpf_override_return, denied by default. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("kprobe/__x64_sys_getppid")
int wbp_override(struct pt_regs *ctx)
{
	bpf_override_return(ctx, -1);
	return 0;
}
