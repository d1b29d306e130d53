/* SPDX-License-Identifier: MIT */
/*
 * The record opensnoop's eBPF side sends for every completed open: fixed-size
 * members only, so the BPF and wasm32 layouts are the same.
 */
#ifndef OPENSNOOP_H
#define OPENSNOOP_H

#define TASK_COMM_LEN 16
#define NAME_MAX_LEN 256

struct open_event {
	unsigned int pid;
	unsigned int uid;
	int ret;   /* fd, or -errno */
	int flags; /* open flags */
	char comm[TASK_COMM_LEN];
	char fname[NAME_MAX_LEN];
};

#endif /* OPENSNOOP_H */
