/* SPDX-License-Identifier: MIT */
/*
 * CO-RE relocations of every kind the minimized target BTF
 * (src/bpf/core_btf.c) resolves itself, for tests/bpf/native/core_btf.c,
 * which loads this object against it and against the whole kernel BTF and
 * compares the instructions: fields through pointers, flavors, a field this
 * kernel does not have, bitfields, arrays, anonymous members, sizes, types
 * that do and do not exist (structs, unions, enums, typedefs, function
 * pointer typedefs whose prototypes do and do not match), enum values
 * (enum and enum64). Loaded, never attached.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

/* A flavor as programs write for older kernels: 'state' became '__state' in 5.14. */
struct task_struct___old {
	long state;
	int pid;
} __attribute__((preserve_access_index));

/* In no kernel. */
struct wbt_no_such_type {
	int x;
} __attribute__((preserve_access_index));

enum bpf_func_id___wbt {
	BPF_FUNC_ringbuf_output___wbt = 1,
	BPF_FUNC_no_such_helper___wbt = 2,
};

/* Local enum, kernel enum64. */
enum perf_callchain_context___wbt {
	PERF_CONTEXT_KERNEL___wbt = 1,
};

/* The kernel's work_func_t is void (*)(struct work_struct *). */
typedef void (*work_func_t___same)(struct work_struct *);
typedef int (*work_func_t___arity)(struct work_struct *, int);
union work_struct___u {
	int x;
};
/* A union where the kernel has a struct, behind a pointer parameter. */
typedef void (*work_func_t___kind)(union work_struct___u *);

__u64 wbt_core_out[48];

SEC("tp/syscalls/sys_enter_sched_yield")
int wbt_core(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	struct task_struct___old *old = (void *)t;
	__u64 *o = wbt_core_out;

	/* Fields, through pointers: roots task_struct and mm_struct. */
	o[0] = BPF_CORE_READ(t, mm, total_vm);
	o[1] = BPF_CORE_READ(t, real_parent, tgid);
	o[2] = BPF_CORE_READ(old, pid);
	o[3] = bpf_core_field_exists(old->state);
	if (bpf_core_field_exists(old->state))
		o[4] = BPF_CORE_READ(old, state);	/* poisoned here, dead code */
	o[5] = bpf_core_field_exists(t->__state);
	/* Bitfields: byte offset, size, shifts, signedness. */
	o[6] = BPF_CORE_READ_BITFIELD_PROBED(t, in_execve);
	o[7] = BPF_CORE_READ_BITFIELD_PROBED(t, sched_reset_on_fork);
	/* Arrays and sizes. */
	o[8] = bpf_core_field_size(t->comm);
	o[9] = bpf_core_field_offset(t->comm[3]);
	o[10] = bpf_core_field_size(t->comm[3]);
	/* Members of anonymous structs and unions. */
	o[11] = bpf_core_field_offset(struct sock, __sk_common.skc_daddr);
	o[12] = bpf_core_field_offset(struct sock, __sk_common.skc_num);
	o[13] = bpf_core_field_size(struct sk_buff, len);
	/* Types. */
	o[14] = bpf_core_type_exists(struct task_struct);
	o[15] = bpf_core_type_size(struct task_struct);
	o[16] = bpf_core_type_exists(struct wbt_no_such_type);
	o[17] = bpf_core_type_size(struct wbt_no_such_type);
	o[18] = bpf_core_field_exists(struct wbt_no_such_type, x);
	o[19] = bpf_core_type_size(union bpf_attr);
	o[20] = bpf_core_type_size(pid_t);
	o[21] = bpf_core_type_size(u64);
	o[22] = bpf_core_type_exists(work_func_t);
	o[23] = bpf_core_type_exists(work_func_t___same);
	o[24] = bpf_core_type_exists(work_func_t___arity);
	o[25] = bpf_core_type_exists(work_func_t___kind);
	o[26] = bpf_core_type_size(work_func_t);
	o[27] = bpf_core_type_id_local(struct task_struct);
	/* Enum values. */
	o[28] = bpf_core_enum_value_exists(enum bpf_func_id___wbt, BPF_FUNC_ringbuf_output___wbt);
	o[29] = bpf_core_enum_value(enum bpf_func_id___wbt, BPF_FUNC_ringbuf_output___wbt);
	o[30] = bpf_core_enum_value_exists(enum bpf_func_id___wbt, BPF_FUNC_no_such_helper___wbt);
	o[31] = bpf_core_enum_value(enum perf_callchain_context___wbt, PERF_CONTEXT_KERNEL___wbt);
	o[32] = bpf_core_type_exists(enum perf_callchain_context___wbt);
	return 0;
}
