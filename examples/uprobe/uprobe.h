/* SPDX-License-Identifier: MIT */
/*
 * The record uprobe's eBPF side sends for every completed call of a probed
 * function: fixed-size members only, so the BPF and wasm32 layouts agree.
 */
#ifndef UPROBE_H
#define UPROBE_H

#define TASK_COMM_LEN 16
#define MAX_PROBES 4 /* functions probed at once (probe0 .. probe3) */
#define MAX_ARGS 3   /* arguments recorded per call */

struct call_event {
	unsigned int pid;
	unsigned int tid;
	unsigned int probe; /* which probe slot: index of the target given */
	unsigned int pad;
	unsigned long long args[MAX_ARGS];
	unsigned long long ret;
	unsigned long long duration_ns;
	char comm[TASK_COMM_LEN];
};

#endif /* UPROBE_H */
