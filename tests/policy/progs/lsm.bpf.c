/* SPDX-License-Identifier: MIT */
/* An LSM program: the type is denied by default. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("lsm/file_open")
int BPF_PROG(wbp_lsm, struct file *file)
{
	return 0;
}
