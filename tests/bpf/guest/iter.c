/* SPDX-License-Identifier: MIT */
/*
 * get_next_key over 10 000 entries: the map is sized before load
 * (wasm_bpf_map_set_max_entries), filled by the eBPF side with bpf_loop on
 * one sched_yield, walked from "first key" (offset 0) and emptied.
 */
#include <sched.h>

#include "wasm_bpf.h"
#include "iter.bpf.h"

#define N 10000

static unsigned char seen[N];

int main(int argc, char **argv)
{
	uint32_t tgid, count = N, key, next, inserted = 0, failed = 0;
	int fd, r, n, dups, bad, missing, i;
	struct wb_map_info info;
	uint64_t obj, v, sum;

	wbt_init();
	tgid = wbt_pid_arg(argc, argv);
	obj = wasm_bpf_open_object(iter_bpf_o, sizeof(iter_bpf_o));
	REQUIRE(obj != 0, "open iter.bpf.o");
	CHECK_EQ(wasm_bpf_global_write(obj, WB_RODATA, 0, &tgid, 4), 0, "rodata target_tgid");
	CHECK_EQ(wasm_bpf_global_write(obj, WB_RODATA, 4, &count, 4), 0, "rodata count");
	CHECK_EQ(wasm_bpf_map_set_max_entries(obj, "wbt_big", N), 0, "max_entries 10000");
	CHECK_ERR(wasm_bpf_map_set_max_entries(obj, "no_such_map", N), ENOENT,
		  "max_entries of a missing map");
	REQUIRE(wasm_bpf_load_object(obj) == 0, "load");
	CHECK_ERR(wasm_bpf_map_set_max_entries(obj, "wbt_big", 5), EBUSY, "max_entries after load");
	fd = wasm_bpf_map_fd_by_name(obj, "wbt_big");
	REQUIRE(fd >= 0, "fd of wbt_big");
	CHECK_EQ(wasm_bpf_map_info(fd, &info), 0, "map_info");
	CHECK_EQ(info.max_entries, N, "max_entries after load");
	CHECK_ERR(wasm_bpf_map_operate(fd, WB_MAP_GET_NEXT_KEY, NULL, NULL, &next, 0), ENOENT,
		  "get_next_key of an empty map");

	REQUIRE(wasm_attach_bpf_program(obj, "wbt_iter_fill", NULL) == 0, "attach");
	sched_yield();
	CHECK_EQ(wasm_bpf_detach_program(obj, "wbt_iter_fill"), 0, "detach");
	wasm_bpf_global_read(obj, WB_BSS, 0, &inserted, 4);
	wasm_bpf_global_read(obj, WB_BSS, 4, &failed, 4);
	CHECK_EQ(inserted, N, "entries the eBPF side inserted");
	CHECK_EQ(failed, 0, "inserts that failed");

	printf("walk every key\n");
	n = dups = bad = 0;
	sum = 0;
	r = wasm_bpf_map_operate(fd, WB_MAP_GET_NEXT_KEY, NULL, NULL, &next, 0);
	while (r == 0 && n <= N) {
		n++;
		if (next >= N) {
			bad++;
		} else {
			dups += seen[next];
			seen[next] = 1;
			v = 0;
			if (wasm_bpf_map_operate(fd, WB_MAP_LOOKUP, &next, &v, NULL, 0) ||
			    v != 2 * (uint64_t)next + 1)
				bad++;
			sum += v;
		}
		key = next;
		r = wasm_bpf_map_operate(fd, WB_MAP_GET_NEXT_KEY, &key, NULL, &next, 0);
	}
	CHECK_ERR(r, ENOENT, "the walk ends with -ENOENT");
	CHECK_EQ(n, N, "keys visited");
	CHECK_EQ(dups, 0, "keys visited twice");
	CHECK_EQ(bad, 0, "keys out of range or with a wrong value");
	for (i = 0, missing = 0; i < N; i++)
		missing += !seen[i];
	CHECK_EQ(missing, 0, "keys never visited");
	CHECK_EQ(sum, (uint64_t)N * N, "sum of values (2k + 1 over k < 10000)");

	printf("a full map refuses a new key; delete everything\n");
	key = N + 5;
	v = 1;
	CHECK_ERR(wasm_bpf_map_operate(fd, WB_MAP_UPDATE, &key, &v, NULL, WB_NOEXIST), E2BIG,
		  "insert into the full map");
	for (i = 0, bad = 0; i < N; i++) {
		key = i;
		bad += wasm_bpf_map_operate(fd, WB_MAP_DELETE, &key, NULL, NULL, 0) != 0;
	}
	CHECK_EQ(bad, 0, "deletes that failed");
	CHECK_ERR(wasm_bpf_map_operate(fd, WB_MAP_GET_NEXT_KEY, NULL, NULL, &next, 0), ENOENT,
		  "the map is empty");

	CHECK_EQ(wasm_close_bpf_object(obj), 0, "close");
	return wbt_done("iter");
}
