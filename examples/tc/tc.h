/* SPDX-License-Identifier: MIT */
/*
 * The counter layout shared by tc.bpf.c and tc.c: packets and bytes per
 * direction, IP family and protocol.
 */
#ifndef TC_EXAMPLE_H
#define TC_EXAMPLE_H

#ifndef __bpf__
#include <stdint.h>
typedef uint64_t __u64;
#endif

/* Per direction: IPv4 slots, the same protocols for IPv6, then non-IP. */
enum counter_slot {
	SLOT_IPV4_TCP,
	SLOT_IPV4_UDP,
	SLOT_IPV4_ICMP,
	SLOT_IPV4_OTHER,
	SLOT_IPV6_TCP,
	SLOT_IPV6_UDP,
	SLOT_IPV6_ICMP,
	SLOT_IPV6_OTHER,
	SLOT_NON_IP,
	SLOT_CNT,
};

enum direction {
	DIR_INGRESS,
	DIR_EGRESS,
	DIR_CNT,
};

/* The key of the per-CPU array `counters` for a direction and a slot. */
#define COUNTER_KEY(dir, slot) ((dir) * SLOT_CNT + (slot))
#define COUNTER_CNT (DIR_CNT * SLOT_CNT)

/* One CPU's count for one key; the guest sums the CPUs. */
struct counter {
	__u64 packets;
	__u64 bytes;
};

#endif /* TC_EXAMPLE_H */
