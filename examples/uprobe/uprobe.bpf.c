/* SPDX-License-Identifier: MIT */
/*
 * uprobe's eBPF side: for each of up to MAX_PROBES user-space functions, a
 * uprobe records the arguments at entry (per thread) and a uretprobe sends
 * them with the return value and the call's duration to a ring buffer. The
 * guest attaches slot N to its Nth "BINARY:FUNCTION" target.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "uprobe.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

struct entry {
	u64 args[MAX_ARGS];
	u64 ts;
};

/* Key: the thread id and the probe slot (recursion across slots is kept apart). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u64);
	__type(value, struct entry);
} entries SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

static __always_inline u64 entry_key(unsigned int probe)
{
	return ((u64)(u32)bpf_get_current_pid_tgid() << 8) | probe;
}

static __always_inline int on_entry(struct pt_regs *ctx, unsigned int probe)
{
	struct entry e = {
		.args = { PT_REGS_PARM1(ctx), PT_REGS_PARM2(ctx), PT_REGS_PARM3(ctx) },
		.ts = bpf_ktime_get_ns(),
	};
	u64 key = entry_key(probe);

	bpf_map_update_elem(&entries, &key, &e, BPF_ANY);
	return 0;
}

static __always_inline int on_return(struct pt_regs *ctx, unsigned int probe)
{
	u64 id = bpf_get_current_pid_tgid(), key = entry_key(probe);
	struct call_event *ev;
	struct entry *e;

	e = bpf_map_lookup_elem(&entries, &key);
	if (!e)
		return 0;
	ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);
	if (ev) {
		ev->pid = id >> 32;
		ev->tid = (u32)id;
		ev->probe = probe;
		ev->pad = 0;
		ev->args[0] = e->args[0];
		ev->args[1] = e->args[1];
		ev->args[2] = e->args[2];
		ev->ret = PT_REGS_RC(ctx);
		ev->duration_ns = bpf_ktime_get_ns() - e->ts;
		bpf_get_current_comm(&ev->comm, sizeof(ev->comm));
		bpf_ringbuf_submit(ev, 0);
	}
	bpf_map_delete_elem(&entries, &key);
	return 0;
}

/* The attach target ("BINARY:FUNCTION") is given by the guest at attach time. */
#define PROBE_SLOT(n)							\
	SEC("uprobe")							\
	int probe##n##_entry(struct pt_regs *ctx)			\
	{								\
		return on_entry(ctx, n);				\
	}								\
	SEC("uretprobe")						\
	int probe##n##_return(struct pt_regs *ctx)			\
	{								\
		return on_return(ctx, n);				\
	}

PROBE_SLOT(0)
PROBE_SLOT(1)
PROBE_SLOT(2)
PROBE_SLOT(3)
