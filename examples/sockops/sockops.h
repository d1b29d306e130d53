/* SPDX-License-Identifier: MIT */
/* The connection counter key shared by sockops.bpf.c and sockops.c. */
#ifndef SOCKOPS_EXAMPLE_H
#define SOCKOPS_EXAMPLE_H

#ifndef __bpf__
#include <stdint.h>
typedef uint64_t __u64;
typedef uint16_t __u16;
typedef uint8_t __u8;
#endif

/*
 * Connections are counted per side and service port: for a connection this
 * cgroup opened (active) the remote port, for one it accepted (passive) the
 * local port. 4 bytes, no padding.
 */
struct conn_key {
	__u16 port;		/* host order */
	__u8 passive;		/* 0 active (connect), 1 passive (accept) */
	__u8 ipv6;		/* 0 IPv4, 1 IPv6 */
};

#endif /* SOCKOPS_EXAMPLE_H */
