/* SPDX-License-Identifier: MIT */
/*
 * Record layouts shared by the eBPF benchmark programs and their user-space
 * halves (wasm32 guests and native libbpf programs): fixed-size integer
 * members only, so that BPF, wasm32 and x86-64 agree byte for byte.
 */
#ifndef EBPF_BENCH_COMMON_H
#define EBPF_BENCH_COMMON_H

/* One event of the pipeline benchmark: 64 bytes, like a small tracing record. */
struct pipe_event {
	unsigned long long ts_ns;
	unsigned int pid;
	unsigned int tid;
	unsigned int seq;
	unsigned int cpu;
	unsigned long long cookie;
	char comm[16];
	unsigned long long arg0;
	unsigned long long arg1;
};

/* Slots of the pipeline's stats array map. */
enum {
	PIPE_STAT_EMITTED = 0, /* records reserved and submitted */
	PIPE_STAT_DROPS = 1,   /* records the ring buffer had no room for */
	PIPE_STAT_CNT = 2,
};

/* What the bootstrap-like program emits (as examples/bootstrap does). */
struct boot_event {
	int pid;
	int ppid;
	unsigned int exit_code;
	unsigned int exit_event;
	unsigned long long duration_ns;
	char comm[16];
	char filename[127];
	char pad;
};

#define MAP_BENCH_ENTRIES 10000

#endif /* EBPF_BENCH_COMMON_H */
