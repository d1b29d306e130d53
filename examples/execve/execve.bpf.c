/* SPDX-License-Identifier: MIT */
/*
 * execve's eBPF side: at every execve() system call, sends the caller's pid,
 * parent, uid, comm and the first MAX_ARGS arguments of the new program to
 * the guest through a ring buffer.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "Dual MIT/GPL";

#define TASK_COMM_LEN 16
#define MAX_ARGS 8
#define ARG_LEN 64

/*
 * The record. The guest gets its wasm32 definition from execve.wasm.h,
 * which `wasm-bpf gen types` writes from this object's BTF.
 */
struct execve_event {
	u32 pid;
	u32 ppid;
	u32 uid;
	u32 argc;     /* arguments read (at most MAX_ARGS) */
	u8 truncated; /* 1 if there were more */
	char comm[TASK_COMM_LEN];
	char argv[MAX_ARGS][ARG_LEN];
};

/* The one task_struct path read here, as a CO-RE flavor: a small BTF (see bootstrap). */
struct task_struct___execve {
	struct task_struct___execve *real_parent;
	int tgid;
} __attribute__((preserve_access_index));

/* Set by the guest before load: -1 = every uid. */
const volatile u32 targ_uid = (u32)-1;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

/*
 * Copy the first MAX_ARGS arguments; a function of its own (not inlined) so
 * that its parameter puts struct execve_event into the object's BTF, where
 * `wasm-bpf gen types` finds it.
 */
static __noinline int read_args(struct execve_event *e, const char *const *argv)
{
	const char *arg;
	int i;

	e->argc = 0;
	e->truncated = 0;
	for (i = 0; i < MAX_ARGS; i++) {
		arg = NULL;
		e->argv[i][0] = '\0';
		if (bpf_probe_read_user(&arg, sizeof(arg), &argv[i]) || !arg)
			return 0;
		if (bpf_probe_read_user_str(e->argv[i], ARG_LEN, arg) < 0)
			return 0;
		e->argc++;
	}
	arg = NULL;
	if (!bpf_probe_read_user(&arg, sizeof(arg), &argv[MAX_ARGS]) && arg)
		e->truncated = 1;
	return 0;
}

SEC("tp/syscalls/sys_enter_execve")
int tracepoint__syscalls__sys_enter_execve(struct trace_event_raw_sys_enter *ctx)
{
	struct task_struct___execve *task = (void *)bpf_get_current_task();
	u32 uid = (u32)bpf_get_current_uid_gid();
	struct execve_event *e;

	if (targ_uid != (u32)-1 && uid != targ_uid)
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->uid = uid;
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
	read_args(e, (const char *const *)ctx->args[1]);
	bpf_ringbuf_submit(e, 0);
	return 0;
}
