/* SPDX-License-Identifier: MIT */
/*
 * runqlat's eBPF side: stamps a task when it becomes runnable (wakeup, new
 * task, or preempted while still running) and, when the scheduler switches
 * to it, adds the time it waited in the run queue to a log2 histogram.
 * BTF-enabled tracepoints (tp_btf) give typed access to the task structs.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "runqlat.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

#define TASK_RUNNING 0

/*
 * The task_struct fields read here, as a CO-RE flavor: libbpf relocates the
 * accesses against the kernel's task_struct (the ___ suffix is ignored), and
 * the object's BTF carries four members instead of task_struct's whole type
 * graph (about 26 KB less in the module).
 */
struct task_struct___rq {
	unsigned int __state;
	int pid;
	int tgid;
	char comm[TASK_COMM_LEN];
} __attribute__((preserve_access_index));

const volatile bool targ_per_process = false;
const volatile bool targ_per_thread = false;
const volatile bool targ_ms = false;
const volatile pid_t targ_tgid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, u64);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct hist);
} hists SEC(".maps");

static __always_inline unsigned int log2_slot(u64 v)
{
	unsigned int r = 0, shift;

	/* Binary search for the highest set bit: 6 steps, unrolled by clang. */
	for (shift = 32; shift; shift >>= 1) {
		if (v >> shift) {
			v >>= shift;
			r += shift;
		}
	}
	return r;
}

static __always_inline void enqueue(u32 tgid, u32 pid)
{
	u64 ts;

	if (!pid)
		return;
	if (targ_tgid && targ_tgid != tgid)
		return;
	ts = bpf_ktime_get_ns();
	bpf_map_update_elem(&start, &pid, &ts, BPF_ANY);
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(sched_wakeup, struct task_struct___rq *p)
{
	enqueue(p->tgid, p->pid);
	return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(sched_wakeup_new, struct task_struct___rq *p)
{
	enqueue(p->tgid, p->pid);
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(sched_switch, bool preempt, struct task_struct___rq *prev,
	     struct task_struct___rq *next)
{
	static const struct hist zero;
	struct hist *h;
	u32 pid = next->pid, key;
	u64 *tsp, delta;
	unsigned int slot;

	/* A task preempted while runnable goes back to the run queue. */
	if (prev->__state == TASK_RUNNING)
		enqueue(prev->tgid, prev->pid);

	tsp = bpf_map_lookup_elem(&start, &pid);
	if (!tsp)
		return 0;
	delta = bpf_ktime_get_ns() - *tsp;
	bpf_map_delete_elem(&start, &pid);
	if ((s64)delta < 0)
		return 0;

	if (targ_per_process)
		key = next->tgid;
	else if (targ_per_thread)
		key = pid;
	else
		key = (u32)-1;
	h = bpf_map_lookup_elem(&hists, &key);
	if (!h) {
		bpf_map_update_elem(&hists, &key, &zero, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&hists, &key);
		if (!h)
			return 0;
		bpf_probe_read_kernel_str(&h->comm, sizeof(h->comm), next->comm);
	}
	delta /= targ_ms ? 1000000 : 1000;
	slot = log2_slot(delta);
	if (slot >= MAX_SLOTS)
		slot = MAX_SLOTS - 1;
	__sync_fetch_and_add(&h->slots[slot], 1);
	return 0;
}
