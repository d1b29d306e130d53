/* SPDX-License-Identifier: MIT */
/*
 * A guest written against the original wasm-bpf C SDK's API only: the
 * attach target given with bpf_set_prog_attach_target() before the skeleton
 * attaches, and a map read with bpf_map_lookup_elem(). It waits until the
 * runner's packets have been counted.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "libbpf-wasm.h"
#include "compat_xdp.skel.h"

int main(int argc, char **argv)
{
	const char *ifname = argc > 1 ? argv[1] : "lo";
	int want = argc > 2 ? atoi(argv[2]) : 5;
	struct compat_xdp_bpf *skel;
	uint32_t zero = 0;
	uint64_t count = 0;
	int err, i;

	skel = compat_xdp_bpf__open_and_load();
	if (!skel) {
		printf("FAIL: open and load\n");
		return 1;
	}
	bpf_set_prog_attach_target(skel->progs.count_packets, ifname);
	err = compat_xdp_bpf__attach(skel);
	if (err) {
		printf("FAIL: attach to %s: %d\n", ifname, err);
		compat_xdp_bpf__destroy(skel);
		return 1;
	}
	printf("attached\n");
	fflush(stdout);
	for (i = 0; i < 100 && count < (uint64_t)want; i++) {
		usleep(100 * 1000);
		bpf_map_lookup_elem(bpf_map__fd(skel->maps.packets), &zero, &count);
	}
	compat_xdp_bpf__destroy(skel);
	if (count != (uint64_t)want) {
		printf("FAIL: counted %llu packets, want %d\n", (unsigned long long)count, want);
		return 1;
	}
	printf("compat_xdp: ok (%llu packets)\n", (unsigned long long)count);
	return 0;
}
