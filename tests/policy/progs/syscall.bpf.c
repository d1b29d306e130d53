/* SPDX-License-Identifier: MIT */
/*
 * A syscall program: it runs bpf() commands from inside the kernel
 * (bpf_sys_bpf), so it could load programs the host never inspected. The
 * type is denied by default.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("syscall")
int wbp_syscall(void *ctx)
{
	return 0;
}
