/* SPDX-License-Identifier: MIT */
/*
 * lsm's eBPF side: a BPF LSM program on the path_rmdir hook refuses (-EPERM)
 * the removal of any directory named protected_name, and reports each refusal
 * to the guest. Needs CONFIG_BPF_LSM with "bpf" in the kernel's lsm= list, and
 * a kernel whose lockdown does not forbid it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "lsm.h"

char LICENSE[] SEC("license") = "GPL";

#define EPERM 1

/* Set by the guest before load. */
const volatile char protected_name[DIR_NAME_LEN] = "can_not_rm";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} events SEC(".maps");

SEC("lsm/path_rmdir")
int BPF_PROG(deny_rmdir, const struct path *dir, struct dentry *dentry, int ret)
{
	char name[DIR_NAME_LEN];
	struct deny_event *e;
	int i;

	/* Another LSM already said no. */
	if (ret)
		return ret;
	if (bpf_probe_read_kernel_str(name, sizeof(name), dentry->d_name.name) < 0)
		return 0;
	for (i = 0; i < DIR_NAME_LEN; i++) {
		if (name[i] != protected_name[i])
			return 0;
		if (!name[i])
			break;
	}
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (e) {
		e->pid = bpf_get_current_pid_tgid() >> 32;
		e->uid = (u32)bpf_get_current_uid_gid();
		bpf_get_current_comm(&e->comm, sizeof(e->comm));
		__builtin_memcpy(e->name, name, sizeof(e->name));
		bpf_ringbuf_submit(e, 0);
	}
	return -EPERM;
}
