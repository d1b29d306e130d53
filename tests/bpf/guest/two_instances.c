/* SPDX-License-Identifier: MIT */
/*
 * A reactor module instantiated twice in one process by native/two_hosts.c:
 * each instance has its own eBPF host. load_map_fd() loads an object and
 * returns the fd of one of its maps; lookup(fd) tries a map lookup on an fd.
 * An instance must not reach the maps of the other (-EBADF).
 */
#include "wasm_bpf.h"
#include "maps.bpf.h"

__attribute__((export_name("load_map_fd"))) int load_map_fd(void)
{
	uint64_t h = wasm_load_bpf_object(maps_bpf_o, sizeof(maps_bpf_o));

	if (!h)
		return -1000;
	return wasm_bpf_map_fd_by_name(h, "wbt_array");
}

__attribute__((export_name("lookup"))) int lookup(int fd)
{
	uint32_t key = 0;
	uint64_t value[64];

	return wasm_bpf_map_operate(fd, WB_MAP_LOOKUP, &key, value, NULL, 0);
}
