/* SPDX-License-Identifier: MIT */
/*
 * A CO-RE relocation whose result is a kernel type id
 * (bpf_core_type_id_kernel): the minimized target BTF renumbers types, so
 * src/bpf/core_btf.c must leave this object to the whole kernel BTF
 * (tests/bpf/native/core_btf.c checks that it does). Loaded, never attached.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

__u64 wbt_kid_out[4];

SEC("tp/syscalls/sys_enter_sched_yield")
int wbt_core_kid(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();

	wbt_kid_out[0] = BPF_CORE_READ(t, tgid);
	wbt_kid_out[1] = bpf_core_type_id_kernel(struct task_struct);
	return 0;
}
