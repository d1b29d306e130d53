/* SPDX-License-Identifier: MIT */
/*
 * Map operations: hash, array, per-CPU array and LRU hash maps written by the
 * eBPF side on each sched_yield of this process, read back and compared; then
 * every map_operate command with its error cases, map_info, and the fd
 * check on maps whose values are file descriptors. argv[2]: possible CPUs.
 */
#include <sched.h>
#include <stddef.h>

#include "wasm_bpf.h"
#include "maps.bpf.h"

#define CALLS 5

static uint64_t obj;

static int fd_of(const char *name)
{
	int fd = wasm_bpf_map_fd_by_name(obj, name);

	if (fd < 0) {
		printf("  FAIL: no fd for map %s: %d\n", name, fd);
		exit(1);
	}
	return fd;
}

static int lookup(int fd, uint32_t key, void *val)
{
	return wasm_bpf_map_operate(fd, WB_MAP_LOOKUP, &key, val, NULL, 0);
}

static int update(int fd, uint32_t key, uint64_t val, uint64_t flags)
{
	return wasm_bpf_map_operate(fd, WB_MAP_UPDATE, &key, &val, NULL, flags);
}

/* Number of keys, by get_next_key from "first key" (offset 0). */
static int count_keys(int fd, uint32_t *max_key)
{
	uint32_t key, next;
	int n = 0, r;

	*max_key = 0;
	r = wasm_bpf_map_operate(fd, WB_MAP_GET_NEXT_KEY, NULL, NULL, &next, 0);
	while (r == 0 && n < 1000) {
		n++;
		if (next > *max_key)
			*max_key = next;
		key = next;
		r = wasm_bpf_map_operate(fd, WB_MAP_GET_NEXT_KEY, &key, NULL, &next, 0);
	}
	if (r != -ENOENT)
		printf("  get_next_key ended with %d\n", r);
	return n;
}

int main(int argc, char **argv)
{
	uint32_t tgid, ncpus, i, max_key, key;
	int hash, array, percpu, lru, progs, r, ok;
	struct wb_map_info info;
	uint64_t v, *pcpu, sum;

	wbt_init();
	tgid = wbt_pid_arg(argc, argv);
	ncpus = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10) : 0;
	REQUIRE(wbt_elf_patch(maps_bpf_o, sizeof(maps_bpf_o), ".rodata", "target_tgid", &tgid, 4) ==
		0, "patch target_tgid");
	obj = wasm_load_bpf_object(maps_bpf_o, sizeof(maps_bpf_o));
	REQUIRE(obj != 0, "load maps.bpf.o");
	hash = fd_of("wbt_hash");
	array = fd_of("wbt_array");
	percpu = fd_of("wbt_percpu");
	lru = fd_of("wbt_lru");
	progs = fd_of("wbt_progs");

	printf("map_info\n");
	CHECK_EQ(wasm_bpf_map_info(hash, &info), 0, "map_info(wbt_hash)");
	CHECK_EQ(info.type, WB_MAP_TYPE_HASH, "hash: type");
	CHECK_EQ(info.key_size, 4, "hash: key_size");
	CHECK_EQ(info.value_size, 8, "hash: value_size");
	CHECK_EQ(info.max_entries, 64, "hash: max_entries");
	CHECK_EQ(info.value_bytes, 8, "hash: value_bytes");
	CHECK_EQ(wasm_bpf_map_info(percpu, &info), 0, "map_info(wbt_percpu)");
	CHECK_EQ(info.type, WB_MAP_TYPE_PERCPU_ARRAY, "percpu: type");
	CHECK_EQ(info.value_size, 8, "percpu: value_size");
	if (ncpus)
		CHECK_EQ(info.value_bytes, 8 * ncpus, "percpu: value_bytes = 8 x possible CPUs");
	else
		CHECK_TRUE(info.value_bytes >= 8 && info.value_bytes % 8 == 0,
			   "percpu: value_bytes");
	ncpus = info.value_bytes / 8;
	CHECK_EQ(wasm_bpf_map_info(lru, &info), 0, "map_info(wbt_lru)");
	CHECK_EQ(info.type, WB_MAP_TYPE_LRU_HASH, "lru: type");
	CHECK_EQ(info.max_entries, 8, "lru: max_entries");

	printf("the guest writes wbt_hash[50]; the eBPF side copies it to wbt_array[15]\n");
	CHECK_EQ(update(hash, 50, 4242, WB_NOEXIST), 0, "update hash[50] = 4242 (NOEXIST)");
	REQUIRE(wasm_attach_bpf_program(obj, "wbt_maps_yield", NULL) == 0, "attach");
	for (i = 0; i < CALLS; i++)
		sched_yield();

	printf("what the eBPF side wrote\n");
	CHECK_EQ(lookup(array, 0, &v), 0, "lookup array[0]");
	CHECK_EQ(v, CALLS, "array[0]: calls");
	for (i = 1, ok = 1; i <= CALLS; i++) {
		v = 0;
		ok &= lookup(array, i, &v) == 0 && v == (uint64_t)i * i;
		v = 0;
		ok &= lookup(hash, i, &v) == 0 && v == (uint64_t)i * 1000 + 7;
		v = 0;
		ok &= lookup(lru, i, &v) == 0 && v == i;
	}
	CHECK_TRUE(ok, "array[n] = n*n, hash[n] = 1000n + 7, lru[n] = n for n = 1..5");
	CHECK_EQ(lookup(array, 15, &v), 0, "lookup array[15]");
	CHECK_EQ(v, 4242, "array[15]: the value the guest put in hash[50]");
	CHECK_EQ(count_keys(hash, &max_key), CALLS + 1, "keys in hash");
	CHECK_EQ(max_key, 50, "largest key in hash");

	printf("per-CPU array: one value per possible CPU\n");
	pcpu = calloc(ncpus + 1, 8);
	pcpu[ncpus] = 0x5a5a5a5a5a5a5a5aULL;
	CHECK_EQ(lookup(percpu, 0, pcpu), 0, "lookup percpu[0]");
	for (i = 0, sum = 0; i < ncpus; i++)
		sum += pcpu[i];
	CHECK_EQ(sum, CALLS, "sum over CPUs of percpu[0]");
	CHECK_EQ(pcpu[ncpus], 0x5a5a5a5a5a5a5a5aULL, "nothing written past ncpus values");
	for (i = 0; i < ncpus; i++)
		pcpu[i] = 100 + i;
	CHECK_EQ(wasm_bpf_map_operate(percpu, WB_MAP_UPDATE, &(uint32_t){ 1 }, pcpu, NULL, WB_ANY),
		 0, "update percpu[1] with one value per CPU");
	memset(pcpu, 0, ncpus * 8);
	CHECK_EQ(lookup(percpu, 1, pcpu), 0, "lookup percpu[1]");
	for (i = 0, ok = 1; i < ncpus; i++)
		ok &= pcpu[i] == 100 + i;
	CHECK_TRUE(ok, "percpu[1] reads back 100, 101, ...");

	printf("hash: update flags, delete, lookup-and-delete\n");
	CHECK_EQ(update(hash, 100, 1, WB_NOEXIST), 0, "NOEXIST on a new key");
	CHECK_ERR(update(hash, 100, 2, WB_NOEXIST), EEXIST, "NOEXIST on an existing key");
	CHECK_EQ(update(hash, 100, 3, WB_EXIST), 0, "EXIST on an existing key");
	CHECK_ERR(update(hash, 200, 3, WB_EXIST), ENOENT, "EXIST on a missing key");
	CHECK_EQ(lookup(hash, 100, &v), 0, "lookup 100");
	CHECK_EQ(v, 3, "hash[100]");
	CHECK_ERR(lookup(hash, 200, &v), ENOENT, "lookup of a missing key");
	CHECK_EQ(wasm_bpf_map_operate(hash, WB_MAP_DELETE, &(uint32_t){ 100 }, NULL, NULL, 0), 0,
		 "delete 100");
	CHECK_ERR(wasm_bpf_map_operate(hash, WB_MAP_DELETE, &(uint32_t){ 100 }, NULL, NULL, 0),
		  ENOENT, "delete 100 again");
	v = 0;
	key = 1;
	CHECK_EQ(wasm_bpf_map_operate(hash, WB_MAP_LOOKUP_AND_DELETE, &key, &v, NULL, 0), 0,
		 "lookup-and-delete 1");
	CHECK_EQ(v, 1007, "value of the deleted key");
	CHECK_ERR(lookup(hash, 1, &v), ENOENT, "key 1 is gone");
	CHECK_ERR(wasm_bpf_map_operate(hash, 99, &(uint32_t){ 1 }, &v, NULL, 0), EINVAL,
		  "unknown command 99");

	printf("array: fixed keys\n");
	CHECK_ERR(update(array, 16, 1, WB_ANY), E2BIG, "update past max_entries");
	CHECK_ERR(update(array, 3, 1, WB_NOEXIST), EEXIST, "NOEXIST on an array");
	CHECK_ERR(wasm_bpf_map_operate(array, WB_MAP_DELETE, &(uint32_t){ 3 }, NULL, NULL, 0),
		  EINVAL, "delete from an array");
	CHECK_EQ(update(array, 3, 33, WB_EXIST), 0, "update array[3]");
	CHECK_EQ(lookup(array, 3, &v), 0, "lookup array[3]");
	CHECK_EQ(v, 33, "array[3]");
	CHECK_EQ(count_keys(array, &max_key), 16, "get_next_key walks all 16 array slots");

	printf("LRU: 20 inserts into 8 slots\n");
	for (i = 1000, ok = 1; i < 1020; i++)
		ok &= update(lru, i, i, WB_ANY) == 0;
	CHECK_TRUE(ok, "every insert succeeds");
	r = count_keys(lru, &max_key);
	CHECK_TRUE(r >= 1 && r <= 8, "at most 8 keys left");
	CHECK_EQ(lookup(lru, 1019, &v), 0, "the newest key is there");
	CHECK_EQ(v, 1019, "lru[1019]");

	printf("maps of fds accept only the guest's own objects\n");
	CHECK_ERR(wasm_bpf_map_operate(progs, WB_MAP_UPDATE, &(uint32_t){ 0 }, &(uint32_t){ 0 },
				       NULL, 0), EBADF, "prog array <- fd 0");
	CHECK_ERR(wasm_bpf_map_operate(progs, WB_MAP_UPDATE, &(uint32_t){ 0 }, &(uint32_t){ 2 },
				       NULL, 0), EBADF, "prog array <- fd 2");
	r = wasm_bpf_map_operate(progs, WB_MAP_UPDATE, &(uint32_t){ 0 }, &hash, NULL, 0);
	CHECK_TRUE(r < 0, "prog array <- our own hash map fd is refused by the kernel");

	free(pcpu);
	CHECK_EQ(wasm_close_bpf_object(obj), 0, "close");
	CHECK_ERR(lookup(hash, 2, &v), EBADF, "lookup through a closed object's map fd");
	return wbt_done("maps");
}
