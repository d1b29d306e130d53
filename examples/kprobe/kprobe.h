/* SPDX-License-Identifier: MIT */
/*
 * The record kprobe's eBPF side sends for every unlink: fixed-size members
 * only, so the BPF and wasm32 layouts agree.
 */
#ifndef KPROBE_H
#define KPROBE_H

#define TASK_COMM_LEN 16
#define NAME_LEN 128

struct unlink_event {
	unsigned int pid;
	int ret; /* 0 or -errno */
	char comm[TASK_COMM_LEN];
	char filename[NAME_LEN];
};

#endif /* KPROBE_H */
