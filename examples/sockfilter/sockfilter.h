/* SPDX-License-Identifier: MIT */
/* The record sockfilter.bpf.c sends to sockfilter.c for every IPv4 packet seen. */
#ifndef SOCKFILTER_EXAMPLE_H
#define SOCKFILTER_EXAMPLE_H

#ifndef __bpf__
#include <stdint.h>
typedef uint32_t __u32;
typedef uint16_t __u16;
typedef uint8_t __u8;
#endif

/* 20 bytes, no implicit padding: the same layout for BPF and wasm32. */
struct packet {
	__u32 saddr;		/* IPv4 addresses as on the wire (network order) */
	__u32 daddr;
	__u32 len;		/* bytes, link-layer header included */
	__u16 sport;		/* TCP/UDP ports in host order; ICMP: type and code */
	__u16 dport;
	__u8 proto;		/* IPPROTO_* */
	__u8 outgoing;		/* 1 if the interface sent it, 0 if it received it */
	__u8 pad[2];
};

#endif /* SOCKFILTER_EXAMPLE_H */
