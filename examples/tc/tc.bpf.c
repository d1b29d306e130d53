/* SPDX-License-Identifier: MIT */
/*
 * TC programs counting the packets and bytes an interface receives and sends,
 * per IP family and protocol.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "tc.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define IPPROTO_ICMPV6 58	/* a macro in the uapi headers, so not in vmlinux.h */
#define TC_ACT_UNSPEC (-1)	/* carry on with the next filter: we only watch */
#define L3_OFF sizeof(struct ethhdr)	/* TC sees frames from the Ethernet header */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, COUNTER_CNT);
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

/*
 * The protocol byte is read with bpf_skb_load_bytes, which also works when
 * the headers are not in the linear part of the skb.
 */
static __always_inline int count(struct __sk_buff *skb, __u32 dir)
{
	__u32 slot = SLOT_NON_IP, key;
	struct counter *c;
	__u8 proto;

	if (skb->protocol == bpf_htons(ETH_P_IP)) {
		if (!bpf_skb_load_bytes(skb, L3_OFF + offsetof(struct iphdr, protocol), &proto, 1))
			slot = SLOT_IPV4_TCP + proto_slot(proto, IPPROTO_ICMP);
	} else if (skb->protocol == bpf_htons(ETH_P_IPV6)) {
		/* Extension headers are not walked: they count as "other". */
		if (!bpf_skb_load_bytes(skb, L3_OFF + offsetof(struct ipv6hdr, nexthdr), &proto, 1))
			slot = SLOT_IPV6_TCP + proto_slot(proto, IPPROTO_ICMPV6);
	}
	key = COUNTER_KEY(dir, slot);
	c = bpf_map_lookup_elem(&counters, &key);
	if (c) {
		c->packets++;
		c->bytes += skb->len;
	}
	return TC_ACT_UNSPEC;
}

SEC("tc")
int tc_ingress(struct __sk_buff *skb)
{
	return count(skb, DIR_INGRESS);
}

SEC("tc")
int tc_egress(struct __sk_buff *skb)
{
	return count(skb, DIR_EGRESS);
}
