/* SPDX-License-Identifier: MIT */
/*
 * A socket filter reporting the protocol, addresses and ports of the IPv4
 * packets an interface receives and sends.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "sockfilter.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

#define ETH_P_IP 0x0800
#define PACKET_OUTGOING 4
#define IP_MF 0x2000
#define IP_OFFSET 0x1fff

/* Only this IP protocol (0: all); set by the guest before load. */
const volatile __u8 filter_proto = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} packets SEC(".maps");

/*
 * The host's packet socket delivers frames from the Ethernet header on, so
 * offsets are from there. Headers are read with bpf_skb_load_bytes (socket
 * filters have no direct packet access). The filter returns 0: the socket
 * itself keeps nothing, the ring buffer carries the report.
 */
SEC("socket")
int socket_handler(struct __sk_buff *skb)
{
	struct packet *p;
	struct iphdr ip;
	__u16 frag;
	__u32 l4;

	if (skb->protocol != bpf_htons(ETH_P_IP))
		return 0;
	if (bpf_skb_load_bytes(skb, sizeof(struct ethhdr), &ip, sizeof(ip)))
		return 0;
	if (filter_proto && ip.protocol != filter_proto)
		return 0;

	p = bpf_ringbuf_reserve(&packets, sizeof(*p), 0);
	if (!p)
		return 0;
	p->saddr = ip.saddr;
	p->daddr = ip.daddr;
	p->len = skb->len;
	p->proto = ip.protocol;
	p->outgoing = skb->pkt_type == PACKET_OUTGOING;
	p->pad[0] = p->pad[1] = 0;
	p->sport = p->dport = 0;

	/* Ports (or ICMP type and code) are only in the first fragment. */
	frag = bpf_ntohs(ip.frag_off);
	l4 = sizeof(struct ethhdr) + ip.ihl * 4;
	if (!(frag & IP_OFFSET)) {
		if (ip.protocol == IPPROTO_TCP || ip.protocol == IPPROTO_UDP) {
			__be16 ports[2];

			if (!bpf_skb_load_bytes(skb, l4, ports, sizeof(ports))) {
				p->sport = bpf_ntohs(ports[0]);
				p->dport = bpf_ntohs(ports[1]);
			}
		} else if (ip.protocol == IPPROTO_ICMP) {
			__u8 tc[2];

			if (!bpf_skb_load_bytes(skb, l4, tc, sizeof(tc))) {
				p->sport = tc[0];
				p->dport = tc[1];
			}
		}
	}
	bpf_ringbuf_submit(p, 0);
	return 0;
}
