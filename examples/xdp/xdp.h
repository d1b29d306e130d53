/* SPDX-License-Identifier: MIT */
/*
 * The counter layout shared by xdp.bpf.c and xdp.c: packets and bytes per IP
 * family and protocol.
 */
#ifndef XDP_EXAMPLE_H
#define XDP_EXAMPLE_H

#ifndef __bpf__
#include <stdint.h>
typedef uint64_t __u64;
#endif

/*
 * Keys of the per-CPU array `counters`: IPv4 slots, then the same protocols
 * for IPv6, then everything that is not IP (ARP, LLDP, ...).
 */
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

/* Protocols per family, in the order of the slots above. */
#define SLOT_PROTOS 4

/* One CPU's count for one slot; the guest sums the CPUs. */
struct counter {
	__u64 packets;
	__u64 bytes;
};

#endif /* XDP_EXAMPLE_H */
