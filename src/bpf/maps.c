/* SPDX-License-Identifier: MIT */
/*
 * Map helpers: how many bytes a value of a map occupies for the kernel (per-CPU
 * maps hold one 8-byte-aligned value per possible CPU), and which map types
 * carry file descriptors in their values (checked before updates).
 */
#include <bpf/libbpf.h>

#include "bpf_internal.h"

bool wb_bpf_map_type_percpu(enum bpf_map_type type)
{
	switch (type) {
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
	case BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE:
		return true;
	default:
		return false;
	}
}

uint32_t wb_bpf_map_value_bytes(const struct bpf_map *map)
{
	uint32_t vsz = bpf_map__value_size(map);
	int ncpus;

	if (!wb_bpf_map_type_percpu(bpf_map__type(map)))
		return vsz;
	ncpus = libbpf_num_possible_cpus();
	if (ncpus <= 0)
		return 0;
	return ((vsz + 7) & ~7u) * (uint32_t)ncpus;
}
