/* SPDX-License-Identifier: MIT */
/*
 * The value of hashmap's per-process map (key: the process id): fixed-size
 * members only, so the BPF and wasm32 layouts agree.
 */
#ifndef HASHMAP_H
#define HASHMAP_H

#define TASK_COMM_LEN 16

struct proc_stat {
	unsigned long long syscalls;
	char comm[TASK_COMM_LEN];
};

#endif /* HASHMAP_H */
