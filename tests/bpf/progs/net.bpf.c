/* SPDX-License-Identifier: MIT */
/*
 * XDP, TC (ingress and egress) and socket filter programs counting the UDP
 * datagrams to the test ports on one interface, into .bss.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "wbt_common.h"

char LICENSE[] SEC("license") = "GPL";

#define ETH_P_IP 0x0800
#define IPPROTO_UDP_ 17
#define TC_ACT_OK 0

__u64 xdp_in, tc_in, tc_out, sock_in, sock_out;

/* The UDP destination port of an IPv4 datagram without IP options, or 0. */
static __always_inline int udp_dport(const struct iphdr *ip, const struct udphdr *udp)
{
	if (ip->ihl != 5 || ip->protocol != IPPROTO_UDP_)
		return 0;
	return bpf_ntohs(udp->dest);
}

SEC("xdp")
int wbt_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	struct udphdr *udp = (void *)(ip + 1);

	if ((void *)(udp + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	if (udp_dport(ip, udp) == WBT_PORT_IN)
		__sync_fetch_and_add(&xdp_in, 1);
	return XDP_PASS;
}

/* TC and socket filters: read the headers with bpf_skb_load_bytes. */
static __always_inline int skb_dport(struct __sk_buff *skb)
{
	struct {
		struct iphdr ip;
		struct udphdr udp;
	} h;

	if (skb->protocol != bpf_htons(ETH_P_IP))
		return 0;
	if (bpf_skb_load_bytes(skb, sizeof(struct ethhdr), &h, sizeof(h)))
		return 0;
	return udp_dport(&h.ip, &h.udp);
}

SEC("tc")
int wbt_tc_in(struct __sk_buff *skb)
{
	if (skb_dport(skb) == WBT_PORT_IN)
		__sync_fetch_and_add(&tc_in, 1);
	return TC_ACT_OK;
}

SEC("tc")
int wbt_tc_out(struct __sk_buff *skb)
{
	if (skb_dport(skb) == WBT_PORT_OUT)
		__sync_fetch_and_add(&tc_out, 1);
	return TC_ACT_OK;
}

/* Counts, then keeps nothing: the host's socket never fills up. */
SEC("socket")
int wbt_sock(struct __sk_buff *skb)
{
	int port = skb_dport(skb);

	if (port == WBT_PORT_IN)
		__sync_fetch_and_add(&sock_in, 1);
	else if (port == WBT_PORT_OUT)
		__sync_fetch_and_add(&sock_out, 1);
	return 0;
}

/* An idle ring buffer: the guest's timer. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} wbt_net_idle SEC(".maps");
