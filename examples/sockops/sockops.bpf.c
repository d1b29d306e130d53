/* SPDX-License-Identifier: MIT */
/*
 * A sockops program counting the TCP connections the processes of a cgroup
 * establish, per side and service port.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "sockops.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

#define AF_INET6 10

/* conn_key -> connections established since the program was attached. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct conn_key);
	__type(value, __u64);
} connections SEC(".maps");

SEC("sockops")
int count_established(struct bpf_sock_ops *skops)
{
	struct conn_key key = {};
	__u64 one = 1, *n;

	switch (skops->op) {
	case BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB:
		/* remote_port holds the port in network order in its upper half. */
		key.port = bpf_ntohl(skops->remote_port);
		break;
	case BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB:
		key.port = skops->local_port;	/* already in host order */
		key.passive = 1;
		break;
	default:
		return 1;
	}
	key.ipv6 = skops->family == AF_INET6;

	n = bpf_map_lookup_elem(&connections, &key);
	if (n) {
		__sync_fetch_and_add(n, 1);
	} else if (bpf_map_update_elem(&connections, &key, &one, BPF_NOEXIST)) {
		/* Another CPU created the entry first: add to it. */
		n = bpf_map_lookup_elem(&connections, &key);
		if (n)
			__sync_fetch_and_add(n, 1);
	}
	return 1;
}
