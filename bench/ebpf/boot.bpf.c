/* SPDX-License-Identifier: MIT */
/*
 * A bootstrap-like eBPF object for the start-up and footprint benchmarks:
 * exec and exit tracepoints, a hash map of exec times and a ring buffer of
 * events, the same shape and size as examples/bootstrap.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "bench_common.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

const volatile unsigned long long min_duration_ns = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, pid_t);
	__type(value, u64);
} boot_start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} boot_rb SEC(".maps");

SEC("tp/sched/sched_process_exec")
int boot_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	unsigned int fname_off = ctx->__data_loc_filename & 0xFFFF;
	pid_t pid = bpf_get_current_pid_tgid() >> 32;
	u64 ts = bpf_ktime_get_ns();
	struct boot_event *e;

	bpf_map_update_elem(&boot_start, &pid, &ts, BPF_ANY);
	if (min_duration_ns)
		return 0;
	e = bpf_ringbuf_reserve(&boot_rb, sizeof(*e), 0);
	if (!e)
		return 0;
	e->exit_event = 0;
	e->pid = pid;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->exit_code = 0;
	e->duration_ns = 0;
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
	bpf_probe_read_kernel_str(&e->filename, sizeof(e->filename), (void *)ctx + fname_off);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tp/sched/sched_process_exit")
int boot_exit(void *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	u64 id = bpf_get_current_pid_tgid();
	pid_t pid = id >> 32;
	u64 *start, duration_ns = 0;
	struct boot_event *e;

	if (pid != (pid_t)(u32)id)
		return 0;
	start = bpf_map_lookup_elem(&boot_start, &pid);
	if (start)
		duration_ns = bpf_ktime_get_ns() - *start;
	bpf_map_delete_elem(&boot_start, &pid);
	if (min_duration_ns && duration_ns < min_duration_ns)
		return 0;
	e = bpf_ringbuf_reserve(&boot_rb, sizeof(*e), 0);
	if (!e)
		return 0;
	e->exit_event = 1;
	e->pid = pid;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->exit_code = (BPF_CORE_READ(task, exit_code) >> 8) & 0xff;
	e->duration_ns = duration_ns;
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
	e->filename[0] = '\0';
	bpf_ringbuf_submit(e, 0);
	return 0;
}
