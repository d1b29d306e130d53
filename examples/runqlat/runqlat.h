/* SPDX-License-Identifier: MIT */
/*
 * The histogram runqlat keeps in a hash map, one per key (all, process or
 * thread): fixed-size members only, so the BPF and wasm32 layouts agree.
 */
#ifndef RUNQLAT_H
#define RUNQLAT_H

#define TASK_COMM_LEN 16
#define MAX_SLOTS 26

struct hist {
	unsigned int slots[MAX_SLOTS]; /* slot i: latencies in [2^i, 2^(i+1)) */
	char comm[TASK_COMM_LEN];
};

#endif /* RUNQLAT_H */
