/* SPDX-License-Identifier: MIT */
/*
 * kprobe's eBPF side: a kprobe on the kernel's do_unlinkat() records the
 * file name per thread, and a kretprobe sends it with the result to a ring
 * buffer. Needs a kernel with kprobes (CONFIG_KPROBES).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "kprobe.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, u32);
	__type(value, struct unlink_event);
} pending SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 128 * 1024);
} events SEC(".maps");

SEC("kprobe/do_unlinkat")
int BPF_KPROBE(unlink_entry, int dfd, struct filename *name)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = (u32)id;
	struct unlink_event e = {.pid = id >> 32};
	const char *s = BPF_CORE_READ(name, name);

	bpf_get_current_comm(&e.comm, sizeof(e.comm));
	bpf_probe_read_kernel_str(&e.filename, sizeof(e.filename), s);
	bpf_map_update_elem(&pending, &tid, &e, BPF_ANY);
	return 0;
}

SEC("kretprobe/do_unlinkat")
int BPF_KRETPROBE(unlink_exit, long ret)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct unlink_event *e = bpf_map_lookup_elem(&pending, &tid), *out;

	if (!e)
		return 0;
	out = bpf_ringbuf_reserve(&events, sizeof(*out), 0);
	if (out) {
		__builtin_memcpy(out, e, sizeof(*out));
		out->ret = (int)ret;
		bpf_ringbuf_submit(out, 0);
	}
	bpf_map_delete_elem(&pending, &tid);
	return 0;
}
