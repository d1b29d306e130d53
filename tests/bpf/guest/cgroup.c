/* SPDX-License-Identifier: MIT */
/*
 * A cgroup program (cgroup/sock_create) attached to a cgroup directory the
 * runner made (argv: HOST_PID CGROUP N); the runner creates N sockets from a
 * process inside it and one outside, and the guest checks the count is N.
 */
#include "wasm_bpf.h"
#include "cgroup.bpf.h"

int main(int argc, char **argv)
{
	uint64_t obj, counts[2] = { 0, 0 };
	int n;

	wbt_init();
	wbt_pid_arg(argc, argv);
	if (argc < 4) {
		printf("usage: cgroup HOST_PID CGROUP N\n");
		return 2;
	}
	n = atoi(argv[3]);
	obj = wasm_load_bpf_object(cgroup_bpf_o, sizeof(cgroup_bpf_o));
	REQUIRE(obj != 0, "load cgroup.bpf.o");
	CHECK_TRUE(wasm_attach_bpf_program(obj, "wbt_cg_sock", "/no/such/cgroup") < 0,
		   "missing cgroup directory");
	REQUIRE(wasm_attach_bpf_program(obj, "wbt_cg_sock", argv[2]) == 0, "attach to the cgroup");
	wbt_handshake("attached");
	CHECK_EQ(wasm_bpf_global_read(obj, WB_BSS, 0, counts, sizeof(counts)), 0, "read .bss");
	CHECK_EQ(counts[0], n, "AF_INET sockets created in the cgroup");
	CHECK_EQ(counts[1], 0, "other sockets");
	CHECK_EQ(wasm_close_bpf_object(obj), 0, "close");
	return wbt_done("cgroup");
}
