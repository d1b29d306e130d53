/* SPDX-License-Identifier: MIT */
/*
 * An extension program: it replaces a function of an eBPF program that is
 * already loaded, maybe another tool's. The type is denied by default.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("freplace/handler")
int wbp_ext(void *ctx)
{
	return 0;
}
