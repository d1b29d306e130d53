/* SPDX-License-Identifier: MIT */
/*
 * Times wb_module__new() (decode, validate and compile) on one module file,
 * REPS times, through the engine's embedding API (build/libwasm-bpf.a),
 * interpreted and then with the JIT (wb_module_opts.jit), and prints one
 * MODULE line with the median and minimum wall and CPU times of each
 * (the JIT's fields start with jit_).
 *
 *   modload MODULE.wasm [REPS]
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wasm-bpf/engine.h"

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void *read_file(const char *path, size_t *sz)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long len;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		goto out;
	buf = malloc(len ? (size_t)len : 1);
	if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	*sz = (size_t)len;
out:
	fclose(f);
	return buf;
}

/* Time REPS loads with the given options; medians and minimum in ns. */
static int time_loads(const void *buf, size_t sz, int reps, bool jit, uint64_t *wall,
		      uint64_t *cpu)
{
	WB_OPTS(wb_module_opts, mo, .jit = jit);
	struct wb_error err;
	int i;

	for (i = 0; i < reps; i++) {
		uint64_t t0 = clock_ns(CLOCK_MONOTONIC), c0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
		struct wb_module *m = wb_module__new(buf, sz, &mo, &err);

		wall[i] = clock_ns(CLOCK_MONOTONIC) - t0;
		cpu[i] = clock_ns(CLOCK_PROCESS_CPUTIME_ID) - c0;
		if (!m) {
			char msg[512];

			fprintf(stderr, "modload: %s\n", wb_error__format(&err, msg, sizeof(msg)));
			return -1;
		}
		wb_module__free(m);
	}
	qsort(wall, (size_t)reps, sizeof(*wall), cmp_u64);
	qsort(cpu, (size_t)reps, sizeof(*cpu), cmp_u64);
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t *wall, *cpu, *jwall, *jcpu;
	size_t sz = 0;
	int reps;
	void *buf;

	if (argc < 2) {
		fprintf(stderr, "usage: modload MODULE.wasm [REPS]\n");
		return 2;
	}
	reps = argc > 2 ? atoi(argv[2]) : 20;
	if (reps < 1)
		reps = 1;
	buf = read_file(argv[1], &sz);
	wall = calloc((size_t)reps, sizeof(*wall));
	cpu = calloc((size_t)reps, sizeof(*cpu));
	jwall = calloc((size_t)reps, sizeof(*jwall));
	jcpu = calloc((size_t)reps, sizeof(*jcpu));
	if (!buf || !wall || !cpu || !jwall || !jcpu) {
		fprintf(stderr, "modload: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (time_loads(buf, sz, reps, false, wall, cpu) ||
	    time_loads(buf, sz, reps, true, jwall, jcpu))
		return 1;
	printf("MODULE bytes=%zu reps=%d median_wall_ns=%llu min_wall_ns=%llu median_cpu_ns=%llu "
	       "jit_median_wall_ns=%llu jit_min_wall_ns=%llu jit_median_cpu_ns=%llu\n",
	       sz, reps, (unsigned long long)wall[reps / 2], (unsigned long long)wall[0],
	       (unsigned long long)cpu[reps / 2], (unsigned long long)jwall[reps / 2],
	       (unsigned long long)jwall[0], (unsigned long long)jcpu[reps / 2]);
	free(buf);
	free(wall);
	free(cpu);
	free(jwall);
	free(jcpu);
	return 0;
}
