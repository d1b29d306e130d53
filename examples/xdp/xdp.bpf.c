/* SPDX-License-Identifier: MIT */
/*
 * An XDP program counting the packets and bytes an interface receives, per IP
 * family and protocol.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "xdp.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define IPPROTO_ICMPV6 58	/* a macro in the uapi headers, so not in vmlinux.h */

/* Per-CPU: every CPU adds to its own copy without atomics. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SLOT_CNT);
	__type(key, __u32);
	__type(value, struct counter);
} counters SEC(".maps");

/* The slot of an IP protocol number within its family's four slots. */
static __always_inline __u32 proto_slot(__u8 proto, __u8 icmp)
{
	if (proto == IPPROTO_TCP)
		return 0;
	if (proto == IPPROTO_UDP)
		return 1;
	if (proto == icmp)
		return 2;
	return 3;
}

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct counter *c;
	__u32 slot = SLOT_NON_IP;

	if ((void *)(eth + 1) > end)
		return XDP_PASS;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = (void *)(eth + 1);

		if ((void *)(ip + 1) <= end)
			slot = SLOT_IPV4_TCP + proto_slot(ip->protocol, IPPROTO_ICMP);
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = (void *)(eth + 1);

		/* Extension headers are not walked: they count as "other". */
		if ((void *)(ip6 + 1) <= end)
			slot = SLOT_IPV6_TCP + proto_slot(ip6->nexthdr, IPPROTO_ICMPV6);
	}
	c = bpf_map_lookup_elem(&counters, &slot);
	if (c) {
		c->packets++;
		c->bytes += end - data;
	}
	return XDP_PASS;
}
