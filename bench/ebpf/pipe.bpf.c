/* SPDX-License-Identifier: MIT */
/*
 * The eBPF side of the event-pipeline and map benchmarks: one 64-byte ring
 * buffer record per getppid() of one process, with submitted and dropped
 * records counted in an array map, plus the hash and array maps that the
 * map-operation benchmark drives from user space.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "bench_common.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

/* The load generator's pid; patched into the image before load. */
const volatile __u32 target_tgid = 0;

/* Resized by user space before load (the live and the drain runs differ). */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 * 1024 * 1024);
} pipe_rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, PIPE_STAT_CNT);
	__type(key, __u32);
	__type(value, __u64);
} pipe_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAP_BENCH_ENTRIES);
	__type(key, __u32);
	__type(value, __u64);
} bench_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAP_BENCH_ENTRIES);
	__type(key, __u32);
	__type(value, __u64);
} bench_array SEC(".maps");

static __always_inline void stat_add(__u32 slot)
{
	__u64 *v = bpf_map_lookup_elem(&pipe_stats, &slot);

	if (v)
		__sync_fetch_and_add(v, 1);
}

SEC("tp/syscalls/sys_enter_getppid")
int pipe_getppid(void *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct pipe_event *e;

	if ((__u32)(id >> 32) != target_tgid)
		return 0;
	e = bpf_ringbuf_reserve(&pipe_rb, sizeof(*e), 0);
	if (!e) {
		stat_add(PIPE_STAT_DROPS);
		return 0;
	}
	e->ts_ns = bpf_ktime_get_ns();
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->cpu = bpf_get_smp_processor_id();
	e->cookie = 0x6576656e74ULL;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	e->arg0 = e->ts_ns & 0xffff;
	e->arg1 = id;
	stat_add(PIPE_STAT_EMITTED);
	e->seq = 0;
	bpf_ringbuf_submit(e, 0);
	return 0;
}
