/* SPDX-License-Identifier: MIT */
/*
 * The user-space half of the event-pipeline and map-operation benchmarks,
 * built twice from this source: as a wasm-bpf guest and as a native libbpf
 * program. Run by bench/ebpf/ebpfbench, which reads the result lines.
 *
 *   pipe count|fmt GEN_PID N RING_BYTES [drain]
 *                              consume the ring buffer records that GEN_PID's
 *                              getppid() calls produce, until N are accounted
 *                              for (delivered or dropped); prints READY after
 *                              attach, then one DONE line. With `drain`, wait
 *                              for a line on stdin (the driver sends it once
 *                              the generator is done) and then empty the ring
 *                              at full speed
 *   maps hash|array N          N lookups, then N updates, on a 10k-entry map
 */
#include <stdbool.h>

#include "compat.h"
#include "bench_common.h"
#include "pipe.bpf.h"

struct pipe_ctx {
	uint64_t got;
	uint64_t sum;
};

/* Only count, as the cheapest possible consumer. */
static int on_count(void *ctx, void *data, size_t size)
{
	struct pipe_ctx *c = ctx;

	c->got++;
	c->sum += size;
	return 0;
}

/* Format the record the way bootstrap prints an event, into a buffer. */
static int on_format(void *ctx, void *data, size_t size)
{
	struct pipe_ctx *c = ctx;
	const struct pipe_event *e = data;
	unsigned long long s = e->ts_ns / 1000000000ull;
	char line[192];
	int n;

	if (size < sizeof(*e))
		return -1;
	n = snprintf(line, sizeof(line),
		     "%02llu:%02llu:%02llu.%06llu %-7s %-16.16s %-7u %-7u %3u %#llx %llu",
		     s / 3600 % 24, s / 60 % 60, s % 60, e->ts_ns / 1000 % 1000000, "GETPPID",
		     e->comm, e->pid, e->tid, e->cpu, e->cookie, e->arg0);
	c->got++;
	c->sum += (uint64_t)n + (unsigned char)line[n / 2];
	return 0;
}

static uint64_t stat_read(int fd, uint32_t slot)
{
	uint64_t v = 0;

	bpf_map_lookup_elem(fd, &slot, &v);
	return v;
}

static struct bpf_object *open_load(uint32_t target, uint32_t ring_bytes)
{
	struct bpf_object *obj;
	int err;

	if (bench_elf_patch(pipe_bpf_o, sizeof(pipe_bpf_o), ".rodata", "target_tgid", &target,
			    sizeof(target))) {
		fprintf(stderr, "pipe: cannot patch target_tgid\n");
		return NULL;
	}
	obj = bpf_object__open_mem(pipe_bpf_o, sizeof(pipe_bpf_o), NULL);
	if (!obj) {
		fprintf(stderr, "pipe: open: %s\n", strerror(errno));
		return NULL;
	}
	err = ring_bytes ? bpf_map__set_max_entries(bpf_object__find_map_by_name(obj, "pipe_rb"),
						    ring_bytes)
			 : 0;
	if (!err)
		err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "pipe: load: %s\n", strerror(-err));
		bpf_object__close(obj);
		return NULL;
	}
	return obj;
}

static int run_pipe(const char *mode, uint32_t gen_pid, uint64_t want, uint32_t ring_bytes,
		    bool drain)
{
	struct pipe_ctx c = {0};
	struct bpf_object *obj;
	struct bpf_link *link = NULL;
	struct ring_buffer *rb = NULL;
	uint64_t t0, c0, t1, c1, drops = 0, emitted = 0, polls = 0;
	int stats_fd, err = 1, n;

	obj = open_load(gen_pid, ring_bytes);
	if (!obj)
		return 1;
	link = bpf_program__attach(bpf_object__find_program_by_name(obj, "pipe_getppid"));
	if (!link) {
		fprintf(stderr, "pipe: attach: %s\n", strerror(errno));
		goto out;
	}
	stats_fd = bpf_map__fd(bpf_object__find_map_by_name(obj, "pipe_stats"));
	rb = ring_buffer__new(bpf_map__fd(bpf_object__find_map_by_name(obj, "pipe_rb")),
			      strcmp(mode, "fmt") ? on_count : on_format, &c, NULL);
	if (!rb || stats_fd < 0) {
		fprintf(stderr, "pipe: ring buffer: %s\n", strerror(errno));
		goto out;
	}
	printf("READY\n");
	fflush(stdout);
	if (drain) {
		char line[16];

		if (!fgets(line, sizeof(line), stdin))
			goto out;
	}
	t0 = bench_wall_ns();
	c0 = bench_cpu_ns();
	while (c.got < want) {
		n = ring_buffer__poll(rb, 100);
		if (n < 0) {
			fprintf(stderr, "pipe: poll: %d\n", n);
			goto out;
		}
		/* Drops end the run early: look at the counters now and then. */
		if (n == 0 || (++polls & 63) == 0) {
			drops = stat_read(stats_fd, PIPE_STAT_DROPS);
			if (c.got + drops >= want)
				break;
		}
	}
	t1 = bench_wall_ns();
	c1 = bench_cpu_ns();
	drops = stat_read(stats_fd, PIPE_STAT_DROPS);
	emitted = stat_read(stats_fd, PIPE_STAT_EMITTED);
	printf("DONE side=%s mode=%s%s got=%llu drops=%llu emitted=%llu wall_ns=%llu cpu_ns=%llu "
	       "sum=%llu\n",
	       BENCH_SIDE, mode, drain ? "-drain" : "", (unsigned long long)c.got,
	       (unsigned long long)drops, (unsigned long long)emitted,
	       (unsigned long long)(t1 - t0), (unsigned long long)(c1 - c0),
	       (unsigned long long)c.sum);
	fflush(stdout);
	err = 0;
out:
	ring_buffer__free(rb);
	bpf_link__destroy(link);
	bpf_object__close(obj);
	return err;
}

static int run_maps(const char *kind, uint64_t n)
{
	struct bpf_object *obj = open_load(0, 0);
	uint64_t t0, c0, t1, c1, t2, c2, sum = 0, i, v;
	uint32_t k;
	int fd, err = 1;

	if (!obj)
		return 1;
	fd = bpf_map__fd(bpf_object__find_map_by_name(obj, strcmp(kind, "array") ? "bench_hash"
										 : "bench_array"));
	if (fd < 0)
		goto out;
	for (k = 0; k < MAP_BENCH_ENTRIES; k++) {
		v = k * 3ull;
		if (bpf_map_update_elem(fd, &k, &v, 0)) {
			fprintf(stderr, "maps: fill: %s\n", strerror(errno));
			goto out;
		}
	}
	t0 = bench_wall_ns();
	c0 = bench_cpu_ns();
	for (i = 0; i < n; i++) {
		k = (uint32_t)(i * 7919 % MAP_BENCH_ENTRIES);
		if (bpf_map_lookup_elem(fd, &k, &v))
			goto out;
		sum += v;
	}
	t1 = bench_wall_ns();
	c1 = bench_cpu_ns();
	for (i = 0; i < n; i++) {
		k = (uint32_t)(i * 7919 % MAP_BENCH_ENTRIES);
		v = i;
		if (bpf_map_update_elem(fd, &k, &v, 0))
			goto out;
	}
	t2 = bench_wall_ns();
	c2 = bench_cpu_ns();
	printf("MAPS side=%s kind=%s ops=%llu lookup_wall_ns=%llu lookup_cpu_ns=%llu "
	       "update_wall_ns=%llu update_cpu_ns=%llu sum=%llu\n",
	       BENCH_SIDE, kind, (unsigned long long)n, (unsigned long long)(t1 - t0),
	       (unsigned long long)(c1 - c0), (unsigned long long)(t2 - t1),
	       (unsigned long long)(c2 - c1), (unsigned long long)sum);
	err = 0;
out:
	if (err)
		fprintf(stderr, "maps: operation failed: %s\n", strerror(errno));
	bpf_object__close(obj);
	return err;
}

int main(int argc, char **argv)
{
	if ((argc == 6 || argc == 7) && !strcmp(argv[1], "pipe"))
		return run_pipe(argv[2], (uint32_t)strtoul(argv[3], NULL, 10),
				strtoull(argv[4], NULL, 10), (uint32_t)strtoul(argv[5], NULL, 10),
				argc == 7 && !strcmp(argv[6], "drain"));
	if (argc == 4 && !strcmp(argv[1], "maps"))
		return run_maps(argv[2], strtoull(argv[3], NULL, 10));
	fprintf(stderr,
		"usage: pipe pipe count|fmt GEN_PID N RING_BYTES [drain] | maps hash|array N\n");
	return 2;
}
