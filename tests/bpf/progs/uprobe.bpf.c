/* SPDX-License-Identifier: MIT */
/* A uprobe and a uretprobe on a function of a test binary, reporting arguments and results. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "wbt_common.h"

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 target_tgid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} wbt_up_rb SEC(".maps");

static __always_inline void emit(unsigned int kind, long long a, long long b, long long ret)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct wbt_probe_event *e;

	if (tgid != target_tgid)
		return;
	e = bpf_ringbuf_reserve(&wbt_up_rb, sizeof(*e), 0);
	if (!e)
		return;
	e->kind = kind;
	e->tgid = tgid;
	e->a = a;
	e->b = b;
	e->ret = ret;
	bpf_ringbuf_submit(e, 0);
}

SEC("uprobe")
int BPF_KPROBE(wbt_up_entry, int a, int b)
{
	emit(1, a, b, 0);
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(wbt_up_return, int ret)
{
	emit(2, 0, 0, ret);
	return 0;
}
