/* SPDX-License-Identifier: MIT */
/*
 * Global data: .rodata configured before load changes what the program does,
 * .data and .bss hold counters the guest reads and writes after load.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 target_tgid = 0;
const volatile __u64 step = 1;
const volatile char label[16] = "default";

__u64 data_counter = 1000;	/* .data */
__u64 bss_calls;		/* .bss */
__u64 bss_sum;
char bss_label[16];

SEC("tp/syscalls/sys_enter_sched_yield")
int wbt_glob_yield(void *ctx)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	int i;

	if (tgid != target_tgid)
		return 0;
	__sync_fetch_and_add(&bss_calls, 1);
	__sync_fetch_and_add(&bss_sum, step);
	__sync_fetch_and_add(&data_counter, 1);
	for (i = 0; i < 16; i++)
		bss_label[i] = label[i];
	return 0;
}
