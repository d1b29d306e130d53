/* SPDX-License-Identifier: MIT */
/*
 * opensnoop's eBPF side: remembers the file name and flags at the entry of
 * open(), openat() and openat2() per thread, and at their exit sends the name
 * and the result through a perf event array. Filters (pid, failed only) are
 * .rodata values set by the guest before load.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "opensnoop.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

const volatile u32 targ_tgid = 0;	 /* 0: every process */
const volatile u32 targ_uid = (u32)-1;	 /* -1: every user */
const volatile bool targ_failed = false; /* only failed opens */

struct args_t {
	const char *fname;
	int flags;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct args_t);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u32));
} events SEC(".maps");

static __always_inline int trace_enter(const char *fname, int flags)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tgid = id >> 32, tid = (u32)id;
	struct args_t args = {.fname = fname, .flags = flags};

	if (targ_tgid && targ_tgid != tgid)
		return 0;
	if (targ_uid != (u32)-1 && targ_uid != (u32)bpf_get_current_uid_gid())
		return 0;
	bpf_map_update_elem(&start, &tid, &args, BPF_ANY);
	return 0;
}

static __always_inline int trace_exit(struct trace_event_raw_sys_exit *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;
	struct open_event e = {};
	struct args_t *ap;
	int ret = (int)ctx->ret;

	ap = bpf_map_lookup_elem(&start, &tid);
	if (!ap)
		return 0;
	if (targ_failed && ret >= 0)
		goto cleanup;
	e.pid = id >> 32;
	e.uid = (u32)bpf_get_current_uid_gid();
	e.ret = ret;
	e.flags = ap->flags;
	bpf_get_current_comm(&e.comm, sizeof(e.comm));
	bpf_probe_read_user_str(&e.fname, sizeof(e.fname), ap->fname);
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &e, sizeof(e));
cleanup:
	bpf_map_delete_elem(&start, &tid);
	return 0;
}

/* open() does not exist on every architecture: the guest attaches it if it can. */
SEC("tp/syscalls/sys_enter_open")
int enter_open(struct trace_event_raw_sys_enter *ctx)
{
	return trace_enter((const char *)ctx->args[0], (int)ctx->args[1]);
}

SEC("tp/syscalls/sys_enter_openat")
int enter_openat(struct trace_event_raw_sys_enter *ctx)
{
	return trace_enter((const char *)ctx->args[1], (int)ctx->args[2]);
}

SEC("tp/syscalls/sys_enter_openat2")
int enter_openat2(struct trace_event_raw_sys_enter *ctx)
{
	struct open_how *how = (struct open_how *)ctx->args[2];
	u64 flags = 0;

	bpf_probe_read_user(&flags, sizeof(flags), &how->flags);
	return trace_enter((const char *)ctx->args[1], (int)flags);
}

SEC("tp/syscalls/sys_exit_open")
int exit_open(struct trace_event_raw_sys_exit *ctx)
{
	return trace_exit(ctx);
}

SEC("tp/syscalls/sys_exit_openat")
int exit_openat(struct trace_event_raw_sys_exit *ctx)
{
	return trace_exit(ctx);
}

SEC("tp/syscalls/sys_exit_openat2")
int exit_openat2(struct trace_event_raw_sys_exit *ctx)
{
	return trace_exit(ctx);
}
