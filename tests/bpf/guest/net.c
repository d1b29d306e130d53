/* SPDX-License-Identifier: MIT */
/*
 * XDP, TC and socket filter counters on one interface (argv: HOST_PID MODE
 * IFNAME N), in a network namespace the runner made. MODE "skb" attaches XDP
 * in generic mode through netlink, "link" through a bpf_link. Round 1: all
 * attached, the runner sends N datagrams each way; round 2: XDP detached, N
 * more each way. Counts must be exact. Then XDP is attached again; in "link"
 * mode the guest closes the object, in "skb" mode it just returns: the end of
 * the instance must remove everything (the runner checks the interface).
 */
#include "wasm_bpf.h"
#include "net.bpf.h"

struct counts {
	uint64_t xdp_in, tc_in, tc_out, sock_in, sock_out;
};

static uint64_t obj;

static void read_counts(struct counts *c)
{
	memset(c, 0, sizeof(*c));
	if (wasm_bpf_global_read(obj, WB_BSS, 0, c, sizeof(*c)))
		printf("  FAIL: global_read of .bss\n");
}

/* Counters settle shortly after the runner's datagrams: wait until they stop moving. */
static void settle(int idle, struct counts *c, uint64_t want_min)
{
	struct counts prev;
	int i;

	read_counts(c);
	for (i = 0; i < 40; i++) {
		wbt_sleep_ms(obj, idle, 50);
		prev = *c;
		read_counts(c);
		if (!memcmp(&prev, c, sizeof(prev)) && c->tc_in >= want_min &&
		    c->tc_out >= want_min)
			break;
	}
}

int main(int argc, char **argv)
{
	const char *mode, *ifname;
	char target[64];
	struct counts c;
	int idle, n;

	wbt_init();
	wbt_pid_arg(argc, argv);
	if (argc < 5) {
		printf("usage: net HOST_PID skb|link IFNAME N\n");
		return 2;
	}
	mode = argv[2];
	ifname = argv[3];
	n = atoi(argv[4]);
	obj = wasm_load_bpf_object(net_bpf_o, sizeof(net_bpf_o));
	REQUIRE(obj != 0, "load net.bpf.o");
	idle = wasm_bpf_map_fd_by_name(obj, "wbt_net_idle");
	REQUIRE(idle >= 0, "idle ring");

	printf("bad targets\n");
	CHECK_ERR(wasm_attach_bpf_program(obj, "wbt_xdp", "wbt_nosuchif"), ENODEV,
		  "xdp, no such interface");
	snprintf(target, sizeof(target), "%s:turbo", ifname);
	CHECK_ERR(wasm_attach_bpf_program(obj, "wbt_xdp", target), EINVAL, "xdp, bad mode");
	snprintf(target, sizeof(target), "%s:sideways", ifname);
	CHECK_ERR(wasm_attach_bpf_program(obj, "wbt_tc_in", target), EINVAL, "tc, bad direction");
	CHECK_ERR(wasm_attach_bpf_program(obj, "wbt_sock", "wbt_nosuchif"), ENODEV,
		  "socket, no such interface");
	CHECK_ERR(wasm_attach_bpf_program(obj, "wbt_xdp", "0123456789abcdefghij"), EINVAL,
		  "xdp, name longer than IFNAMSIZ");

	printf("attach XDP (%s), TC ingress and egress, socket filter on %s\n", mode, ifname);
	if (!strcmp(mode, "link"))
		snprintf(target, sizeof(target), "%s", ifname);
	else
		snprintf(target, sizeof(target), "%s:%s", ifname, mode);
	REQUIRE(wasm_attach_bpf_program(obj, "wbt_xdp", target) == 0, "attach xdp");
	snprintf(target, sizeof(target), "%s:ingress", ifname);
	REQUIRE(wasm_attach_bpf_program(obj, "wbt_tc_in", target) == 0, "attach tc ingress");
	snprintf(target, sizeof(target), "%s:egress", ifname);
	REQUIRE(wasm_attach_bpf_program(obj, "wbt_tc_out", target) == 0, "attach tc egress");
	REQUIRE(wasm_attach_bpf_program(obj, "wbt_sock", ifname) == 0, "attach socket filter");

	wbt_handshake("round1");
	settle(idle, &c, n);
	CHECK_EQ(c.xdp_in, n, "round 1: XDP, datagrams in");
	CHECK_EQ(c.tc_in, n, "round 1: TC ingress, datagrams in");
	CHECK_EQ(c.tc_out, n, "round 1: TC egress, datagrams out");
	CHECK_EQ(c.sock_in, n, "round 1: socket filter, datagrams in");
	CHECK_EQ(c.sock_out, n, "round 1: socket filter, datagrams out");

	CHECK_EQ(wasm_bpf_detach_program(obj, "wbt_xdp"), 0, "detach XDP");
	CHECK_ERR(wasm_bpf_detach_program(obj, "wbt_xdp"), ENOENT, "detach XDP again");
	wbt_handshake("round2");
	settle(idle, &c, 2 * n);
	CHECK_EQ(c.xdp_in, n, "round 2: XDP detached, no more counts");
	CHECK_EQ(c.tc_in, 2 * n, "round 2: TC ingress");
	CHECK_EQ(c.tc_out, 2 * n, "round 2: TC egress");
	CHECK_EQ(c.sock_in, 2 * n, "round 2: socket filter in");
	CHECK_EQ(c.sock_out, 2 * n, "round 2: socket filter out");

	snprintf(target, sizeof(target), "%s:%s", ifname, mode);
	if (!strcmp(mode, "link"))
		snprintf(target, sizeof(target), "%s", ifname);
	CHECK_EQ(wasm_attach_bpf_program(obj, "wbt_xdp", target), 0, "attach XDP again");
	if (!strcmp(mode, "link")) {
		CHECK_EQ(wasm_close_bpf_object(obj), 0, "close with everything attached");
	} else {
		printf("returning with XDP, TC and the socket filter attached\n");
	}
	return wbt_done("net");
}
