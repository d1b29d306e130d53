/* SPDX-License-Identifier: MIT */
/*
 * The record bootstrap's eBPF programs send to the guest for every exec and
 * exit: fixed-size members only, so the BPF and wasm32 layouts are the same.
 */
#ifndef BOOTSTRAP_H
#define BOOTSTRAP_H

#define TASK_COMM_LEN 16
#define MAX_FILENAME_LEN 127

struct event {
	int pid;
	int ppid;
	unsigned int exit_code;
	unsigned int pad;
	unsigned long long duration_ns; /* exit events: time since exec (or fork) */
	char comm[TASK_COMM_LEN];
	char filename[MAX_FILENAME_LEN];
	unsigned char exit_event; /* 1 exit, 0 exec */
};

#endif /* BOOTSTRAP_H */
