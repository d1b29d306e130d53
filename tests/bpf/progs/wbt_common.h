/* SPDX-License-Identifier: MIT */
/*
 * Record layouts shared by the eBPF test programs and their guests: only
 * fixed-size integer members, so that the BPF (64-bit) and wasm32 layouts are
 * the same byte for byte.
 */
#ifndef WBT_COMMON_H
#define WBT_COMMON_H

/* What the tracepoint programs emit for every sched_yield of the target. */
struct wbt_event {
	unsigned int tgid;
	unsigned int seq;	/* 0, 1, 2 ... per program invocation */
	unsigned long long tag;	/* which buffer or program produced it */
	unsigned long long magic;
};

#define WBT_MAGIC 0x77627466656e7421ULL

/* What the uprobe test programs emit. */
struct wbt_probe_event {
	unsigned int kind;	/* 1 entry, 2 return */
	unsigned int tgid;
	long long a, b;		/* entry arguments */
	long long ret;		/* return value */
};

/* UDP destination ports the network test counts. */
#define WBT_PORT_IN 9999	/* sent to the interface the programs watch */
#define WBT_PORT_OUT 9998	/* sent from it */

#endif /* WBT_COMMON_H */
