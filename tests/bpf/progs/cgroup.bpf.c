/* SPDX-License-Identifier: MIT */
/* A cgroup program counting the sockets created by the processes of one cgroup. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

#define AF_INET 2

__u64 inet_socks, other_socks;

SEC("cgroup/sock_create")
int wbt_cg_sock(struct bpf_sock *sk)
{
	if (sk->family == AF_INET)
		__sync_fetch_and_add(&inet_socks, 1);
	else
		__sync_fetch_and_add(&other_socks, 1);
	return 1;	/* allow */
}
